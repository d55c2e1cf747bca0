"""Two organisations with projects, ITA measures and announcements whose names share words."""

from decimal import Decimal

import pytest

from ita.measures import services as measure_services
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind
from lao_integrity.orgs.access import SYSTEM
from plans import services as plan_services
from plans.projects import services as project_services

OTHER_PROJECT = "โครงการอบรมคุณธรรมจริยธรรมพนักงานเทศบาล"
OWN_MEASURE = "จัดทำ QR Code ประเมินความพึงพอใจของผู้มาติดต่อ"
OTHER_MEASURE = "จัดทำ QR Code รับเรื่องร้องเรียนการทุจริต"


@pytest.fixture
def world(org, other_org, plan, dimensions, staff, other_staff):
    """`org`'s plan (conftest: "โครงการอบรมคุณธรรมจริยธรรมบุคลากร" and two more) and, in
    `other_org` (another province), a project, a measure and an announcement with the same words."""
    other_plan = plan_services.plan_create(organisation=other_org, fiscal_year=2569, user=SYSTEM)
    other_project = project_services.project_create(plan=other_plan, name=OTHER_PROJECT, dimension=dimensions[1],
                                                    budget=Decimal("0"), q1=True, user=SYSTEM)
    own_measure = measure_services.measure_create(organisation=org, fiscal_year=2567, indicators=[1],
                                                  title=OWN_MEASURE, user=SYSTEM)
    other_measure = measure_services.measure_create(organisation=other_org, fiscal_year=2567, indicators=[1],
                                                    title=OTHER_MEASURE, user=SYSTEM)
    announcements = {
        which: announcement_services.announcement_create(organisation=organisation, kind=Kind.NO_GIFT,
                                                         fiscal_year=2569, user=user)
        for which, organisation, user in (("own", org, staff), ("other", other_org, other_staff))}
    return {
        "org": org, "other_org": other_org, "project": plan.projects.get(sequence=1),
        "other_project": other_project, "measure": own_measure, "other_measure": other_measure,
        "announcement": announcements["own"], "other_announcement": announcements["other"],
    }

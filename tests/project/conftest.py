"""Fixtures shared by the tests of tests/project/."""

import datetime
import os

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from agreements.organisation import services as org_services
from agreements.performance import services as agreement_services
from agreements.performance.models import Aspect
from ita.measures import services as measure_services
from ita.results import services as ita_services
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Role
from lao_integrity.orgs.services import membership_grant, person_ensure
from plans.models import ProgressStatus
from plans.progress import services as progress_services
from plans.projects import services as project_services
from tests.project.edit_cases import FIRST_NAME, D, executive_user
from tests.project.project_forms import project_forms

# --- the records every edit form is tried on ---------------------------------------------------


@pytest.fixture
def world(org, units, people, plan, staff):
    """One organisation with one of everything that has an edit form."""
    project = plan.projects.get(sequence=1)
    project_services.detail_sheet_save(project=project, rationale="เหตุผลเดิม", user=staff)
    progress_services.progress_record(project=project, quarter=1, status=ProgressStatus.IN_PROGRESS,
                                  amount_spent=D("1000"), result="ผลเดิม", user=staff)
    result = ita_services.result_save(organisation=org, fiscal_year=2566, scores={n: D("90") for n in range(1, 11)}, user=SYSTEM)
    measure = measure_services.measure_create(organisation=org, fiscal_year=2567, indicators=[1],
                                              title="จัดทำ QR Code ประเมินความพึงพอใจ",
                                              responsible_unit=units["สำนักปลัด"], user=SYSTEM)
    measure_services.progress_record(measure=measure, quarter=1, status="in_progress", result="ผลเดิม", user=SYSTEM)
    head = person_ensure(user=SYSTEM, organisation=org, prefix="นางสาว", first_name="มาลี", last_name="ศรีคลัง",
                         position="ผู้อำนวยการกองคลัง", unit=units["กองคลัง"])
    engineer = person_ensure(user=SYSTEM, organisation=org, prefix="นาย", first_name="ช่าง", last_name="ดีงาม",
                             position="ผู้อำนวยการกองช่าง", unit=units["กองช่าง"])
    indicator_fields = {"aspect": Aspect.HIGH_PERFORMANCE, "work_type": "core", "name": "ร้อยละการเบิกจ่าย",
                        "unit_of_measure": "ร้อยละ", "baseline": D("40"), "higher_is_better": True,
                        **{f"target_{i}": D(t) for i, t in enumerate(["40", "45", "50", "55", "60"], start=1)},
                        "weight": D("100")}
    draft = agreement_services.agreement_create(organisation=org, fiscal_year=2569, round=1, unit=units["กองคลัง"],
                                                person=head, executive=people["executive"], user=SYSTEM)
    draft_indicator = agreement_services.indicator_create(agreement=draft, **indicator_fields, user=SYSTEM)
    signed = agreement_services.agreement_create(organisation=org, fiscal_year=2569, round=1, unit=units["กองช่าง"],
                                                 person=engineer, executive=people["executive"], user=SYSTEM)
    signed_indicator = agreement_services.indicator_create(agreement=signed, **indicator_fields, user=SYSTEM)
    agreement_services.agreement_sign(agreement=signed, user=executive_user(org))
    agreement_services.progress_record(indicator=signed_indicator, quarter=1, value=D("10"), note="ผลเดิม", user=SYSTEM)
    org_agreement = org_services.org_agreement_create(organisation=org, fiscal_year=2569, user=staff)
    announcement = announcement_services.announcement_create(organisation=org, kind=Kind.NO_GIFT, fiscal_year=2569,
                                                             user=staff, signer=people["executive"])
    return {
        "org": org, "plan": plan, "project": project, "result": result, "measure": measure,
        "draft": draft, "draft_indicator": draft_indicator, "signed_indicator": signed_indicator,
        "org_agreement": org_agreement, "topic": org_agreement.topics.order_by("order").first(),
        "announcement": announcement, "person": head,
    }


@pytest.fixture
def editors(org, client_for):
    """Two people who may edit (and approve, for signatures) the organisation; the first is named."""
    users = get_user_model().objects
    one = users.create_user("t_editor_one", first_name=FIRST_NAME.split()[0], last_name=FIRST_NAME.split()[1])
    two = users.create_user("t_editor_two")
    for user in (one, two):
        membership_grant(user=SYSTEM, account=user, organisation=org, role=Role.EXECUTIVE)
    return client_for(one), client_for(two)


@pytest.fixture(scope="module")
def every_form():
    with translation.override("th"):
        found = project_forms()
    assert len(found) > 40  # the walk really found the project's forms and the admin's
    return found


@pytest.fixture
def signed_announcement(org, people, staff, executive):
    """A "no gifts" announcement of `org`, approved and signed by its executive."""
    draft = announcement_services.announcement_create(
        organisation=org, kind=Kind.NO_GIFT, fiscal_year=2569, user=staff, signer=people["executive"],
        announced_on=datetime.date(2025, 10, 1))
    announcement_services.announcement_approve(announcement=draft, user=executive)
    return announcement_services.announcement_sign(announcement=draft, user=executive)


# --- a local S3-compatible server (moto), for the object-storage tests -------------------------


@pytest.fixture(scope="module")
def s3_server():
    """A moto server on a free port for one module's tests: its address, a boto3 client and the
    environment a portal process needs to use it. Skipped without the dev dependencies, except on
    CI, where their absence is a failure."""
    try:
        import boto3
        from moto.server import ThreadedMotoServer
    except ImportError as error:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            raise
        pytest.skip(f"needs moto[server] and boto3 (the dev dependencies): {error}")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    endpoint = "http://{}:{}".format(*server.get_host_and_port())
    credentials = {"AWS_ACCESS_KEY_ID": "s3-test", "AWS_SECRET_ACCESS_KEY": "s3-test",
                   "AWS_EC2_METADATA_DISABLED": "true"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"])
    env = {**credentials, "DJANGO_S3_ENDPOINT_URL": endpoint, "DJANGO_S3_REGION": "us-east-1"}
    yield {"endpoint": endpoint, "client": client, "env": env}
    server.stop()

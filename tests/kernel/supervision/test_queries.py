"""The supervision pages cost a fixed number of queries whatever the number of organisations:
N, then 4N organisations in one province (two districts), each with a plan, projects with
progress, ITA results of two years, a measure and a plan announcement."""

import datetime
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ita.models import Measure, MeasureProgress, Result
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.orgs.models import Organisation, OrgType
from plans.models import Framework as PlanFramework
from plans.models import Plan, Project, ProjectProgress

from .conftest import YEAR, _ita_framework, supervisor

pytestmark = pytest.mark.django_db
PROVINCE = "ทดสอบจำนวน"
SMALL, LARGE = 4, 16
BUDGET = 12  # session, user, grants (2), the bell; the area's organisations; the rules (both sections); the
# plan rules' plans and announcements (1 each, shared by the four rules: obligations.registry.read_once),
# implementation (1: its projects counted with the plan rules' plans, the progress), ITA (1: the results and the
# level bands together), the measures and their progress (1 each, shared by both measure rules)


class World:
    def __init__(self):
        self.made = 0
        framework = PlanFramework.objects.get(code="2566-2570")
        self.framework, self.dimension = framework, framework.dimensions.order_by("number").first()
        self.ita = {year: _ita_framework(year) for year in (YEAR, YEAR - 1)}

    def grow(self, total):
        new = range(self.made, total)
        self.made = total
        orgs = Organisation.objects.bulk_create([
            Organisation(code=f"962{i:04d}", org_type=OrgType.SAO, name=f"องค์การบริหารส่วนตำบลนับ{i:03d}",
                         district="ตะวันออก" if i % 2 else "ตะวันตก", province=PROVINCE) for i in new])
        orgs = list(Organisation.objects.filter(code__in=[o.code for o in orgs]))
        plans = Plan.objects.bulk_create([Plan(organisation=o, fiscal_year=YEAR, framework=self.framework,
                                               status="approved" if o.pk % 2 else "draft") for o in orgs])
        projects = Project.objects.bulk_create([
            Project(plan=p, sequence=s, kind="activity", name=f"กิจกรรม {s}", dimension=self.dimension, q1=True)
            for p in plans for s in (1, 2)])
        ProjectProgress.objects.bulk_create([ProjectProgress(project=p, quarter=2, status="done") for p in projects])
        Result.objects.bulk_create([
            Result(organisation=o, framework=self.ita[year], fiscal_year=year, level="A", passed=bool(o.pk % 2),
                   overall=Decimal(86)) for o in orgs for year in (YEAR, YEAR - 1)])
        measures = Measure.objects.bulk_create([
            Measure(organisation=o, fiscal_year=YEAR, title="มาตรการ", deadline=datetime.date(2026, 1, 31))
            for o in orgs])
        MeasureProgress.objects.bulk_create([MeasureProgress(measure=m, quarter=1, status="done") for m in measures])
        Announcement.objects.bulk_create([
            Announcement(organisation=o, kind=Kind.PLAN, fiscal_year=YEAR, subject="ประกาศ", body="ข้อความ")
            for o in orgs])


def count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["", "plan-approved.done/", "ita-pass-2569.passed/", "plan-approved.done/?format=xlsx"])
def test_a_province_page_costs_the_same_whatever_the_organisations(client, page, settings):
    settings.PAGE_CACHE = False
    world = World()
    world.grow(SMALL)
    client.force_login(supervisor("sv_queries", provinces=[PROVINCE]))
    address = f"/supervision/{quote('p-' + PROVINCE)}/{YEAR}/{page}"
    small = count(client, address)
    world.grow(LARGE)
    large = count(client, address)
    assert small == large, f"{small} queries with {SMALL} organisations, {large} with {LARGE}"
    assert large <= BUDGET, large


def test_the_nations_page_costs_the_same_whatever_the_organisations(client, settings, django_user_model):
    settings.PAGE_CACHE = False
    world = World()
    client.force_login(django_user_model.objects.create_superuser("sv_q_root", password="sv-q-root-pw-2569"))
    world.grow(SMALL)
    small = count(client, f"/supervision/th/{YEAR}/")
    world.grow(LARGE)
    assert count(client, f"/supervision/th/{YEAR}/") == small <= BUDGET

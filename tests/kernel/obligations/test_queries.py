"""items_for_organisations reads each provider's rows once (registry.computation, read_once): a
fixed few queries for one organisation or many, two years and every rule, and the same items as
each provider reading alone, year by year."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.performance.models import AgreementStatus, PerformanceAgreement
from ita.models import Measure, MeasureProgress
from lao_integrity.announcements.models import Announcement, Kind, Status
from lao_integrity.obligations import registry
from lao_integrity.obligations.models import DatedWindow, ObligationRule
from lao_integrity.obligations.selectors import items_for_organisations
from lao_integrity.orgs.models import Organisation, OrgType, Person
from plans.models import Framework, Plan, Project, ProjectProgress
from tests.kernel.obligations.conftest import TODAY

pytestmark = pytest.mark.django_db
YEARS = (2569, 2570)
# The rules, then one read each: windows, plans, announcements, agreements, measures, their progress.
MOST = 7
SIGNED = {"status": Status.SIGNED, "pdf": "announcements/signed.pdf", "pdf_sha256": "0" * 64}


def organisations(first: int, last: int) -> list[Organisation]:
    """Organisations 9743<first..last> with rows for every provider in both years."""
    made = Organisation.objects.bulk_create([
        Organisation(code=f"9743{n:03d}", org_type=OrgType.SAO, name=f"อบต.นับคำสั่ง {n:03d}", district="เมือง",
                     province="นับคำสั่ง") for n in range(first, last)])
    orgs = list(Organisation.objects.filter(code__in=[o.code for o in made]).order_by("code"))
    framework = Framework.objects.get(code="2566-2570")
    dimension = framework.dimensions.order_by("number").first()
    plans = Plan.objects.bulk_create([Plan(organisation=o, fiscal_year=year, framework=framework,
                                           status="approved" if year == 2569 else "draft")
                                      for o in orgs for year in YEARS])
    projects = Project.objects.bulk_create([Project(plan=p, sequence=s, kind="activity", name=f"กิจกรรม {s}",
                                                    dimension=dimension, q1=True) for p in plans for s in (1, 2)])
    ProjectProgress.objects.bulk_create([ProjectProgress(project=p, quarter=2, status="done") for p in projects])
    Announcement.objects.bulk_create([
        Announcement(organisation=o, kind=kind, fiscal_year=year, subject="ประกาศ", body="ข้อความ",
                     announced_on=datetime.date(2026, 11, 1) if kind == Kind.PLAN else None,
                     **(SIGNED if kind == Kind.PLAN else {}))
        for o in orgs for year in YEARS for kind in (Kind.PLAN, Kind.NO_GIFT, Kind.ITA_MEASURES)])
    people = Person.objects.bulk_create([Person(organisation=o, prefix="นาย", first_name="นับ", last_name=o.code,
                                                position="ปลัด") for o in orgs])
    PerformanceAgreement.objects.bulk_create([
        PerformanceAgreement(organisation=o, fiscal_year=year, round=number, person=person, executive=person,
                             status=AgreementStatus.SIGNED if number == 1 else AgreementStatus.DRAFT)
        for o, person in zip(orgs, people, strict=True) for year in YEARS for number in (1, 2)])
    measures = Measure.objects.bulk_create([
        Measure(organisation=o, fiscal_year=year, title="มาตรการ", deadline=datetime.date(2026, 11, 30),
                cadence="quarterly") for o in orgs for year in YEARS])
    MeasureProgress.objects.bulk_create([MeasureProgress(measure=m, quarter=1, status="done") for m in measures])
    return orgs


@pytest.fixture
def window(db):
    return DatedWindow.objects.create(fiscal_year=2570, title="ตอบแบบ OIT", opens_on=datetime.date(2026, 12, 1),
                                      closes_on=datetime.date(2027, 1, 31))


def counted(orgs):
    with CaptureQueriesContext(connection) as captured:
        items = items_for_organisations(orgs, today=TODAY)
    return len(captured.captured_queries), items


def test_the_same_few_queries_for_one_organisation_or_many(window):
    one = organisations(0, 1)
    many = one + organisations(1, 6)
    one_count, items = counted(one)
    many_count, many_items = counted(many)
    assert one_count == many_count <= MOST, (one_count, many_count)
    # Every read ran and gave items: a provider that read nothing would cost nothing.
    rules = {item.key.split(":")[0] for item in many_items}
    assert {"plan-approved", "plan-report-6-months", "plan-announced", "plan-kept-public", "no-gift",
            "ita-measures-announced", "agreement-round1-signed", "agreement-round2-evaluated",
            "ita-measure-progress", "ita-measure-deadline", "ita-windows"} <= rules
    assert {item.organisation_id for item in many_items} == {o.pk for o in many}
    assert len(many_items) == 6 * len(items)


def test_the_items_are_those_of_each_provider_reading_alone(window):
    orgs = organisations(10, 13)
    year_start = datetime.date(2026, 10, 1)
    alone = []
    for rule in ObligationRule.objects.filter(active=True):
        provider = registry.get(rule.provider)
        if provider is None:
            continue
        alone.extend(provider.items_for(orgs, 2570, rule, TODAY))
        alone.extend(item for item in provider.items_for(orgs, 2569, rule, TODAY)
                     if item.state == "overdue" or item.due >= year_start)
    shared = items_for_organisations(orgs, today=TODAY)
    assert sorted(shared, key=repr) == sorted(alone, key=repr)
    states = {(item.key.split(":")[0], item.key.split(":")[2]): item.state for item in shared}
    # One read, different answers per rule: the plans' quarter-2 progress, not quarter 4; the
    # agreements of round 1 signed, not round 2's.
    assert states[("plan-report-6-months", "2570")] == "done" and states[("plan-approved", "2570")] == "overdue"
    assert states[("plan-report-12-months", "2569")] == "overdue" and states[("plan-announced", "2570")] == "done"
    assert states[("agreement-round1-signed", "2570")] == "done"
    assert states[("agreement-round2-signed", "2569")] == "overdue"
    assert states[("plan-kept-public", "2570")] == "done"  # announced 1 Nov, 30 days passed by 5 Dec


def test_a_read_is_shared_only_by_the_organisations_and_years_of_its_computation():
    asked = []

    @registry.read_once
    def read(organisation_ids, years):
        asked.append((tuple(organisation_ids), years))
        return {year: (tuple(organisation_ids), year) for year in years}

    first, second = organisations(20, 22)
    with registry.computation([first, second], YEARS):
        assert read([first, second], 2570) == ((first.pk, second.pk), 2570)
        assert read([first, second], 2569) == ((first.pk, second.pk), 2569)
        assert asked == [((first.pk, second.pk), YEARS)]
        assert read([first], 2570) == ((first.pk,), 2570)  # other organisations: read alone
        assert read([first, second], 2568) == ((first.pk, second.pk), 2568)  # a year not asked
    assert read([first, second], 2570) == ((first.pk, second.pk), 2570)  # closed: read again
    assert len(asked) == 4

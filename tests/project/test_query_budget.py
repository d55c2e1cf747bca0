"""Every page costs a fixed number of queries whatever the data size (issue 7).

Each test builds its data at two sizes (N, then 4N: organisations, plans, projects, results,
indicators...), requests the page as the user who reads it (a national auditor for the
cross-organisation lists, staff for their own organisation's pages, a superuser for the admin),
counts the queries of the second of two identical requests (the first warms per-process caches
such as content types) and fails when the count grows with the data or passes the page's budget.

Data is made with bulk_create where the services would cost seconds; organisation codes start
with 97 so nothing here meets the demo (loaded once per session) or another test's data.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.performance import services as agreement_services
from agreements.performance.models import (
    AgreementIndicator,
    AgreementKind,
    Aspect,
    IndicatorProgress,
    PerformanceAgreement,
    WorkType,
)
from ita.models import Framework as ItaFramework
from ita.models import Measure, MeasureProgress, Result
from ita.results import services as ita_services
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.forms import SELECT_LIMIT
from lao_integrity.orgs.models import Organisation, OrgType, Person, Role
from lao_integrity.orgs.services import auditor_scope_set, membership_grant
from lao_integrity.paging import PER_PAGE
from lao_integrity.thai import fiscal_year
from plans.models import (
    DetailSheet,
    MethodStep,
    Plan,
    Project,
    ProjectProgress,
    SheetIndicator,
    SheetObjective,
)
from plans.models import Framework as PlanFramework

SMALL, LARGE = 3, 12  # N and 4N
YEAR = 2569

# The most queries each page may make, whatever the data: what each costs today. A change that
# needs one more raises its budget here, on purpose. Session and user are two queries of every
# page; a member's pages add their memberships and auditor scope (one more, once per request); the
# bell in the header (unread notifications) is one more on every portal page, and the menu's count
# one more (the data versions it is kept under: lao_integrity/obligations/menu.py; computed afresh
# after a write, as the home page computes it).
BUDGETS = {
    "plan page": 11,  # +1 a member's grants, +1 the bell, +1 the review timeline; projects read once
    "plan list": 7,  # the projects counted in the page's own read
    "ITA history": 9,
    "ITA list": 8,
    "agreement page": 9,  # +1 the bell, +1 the review timeline (the audit trail: agreements:history)
    "agreement list": 8,
    "org agreement list": 8,
    "announcement list": 6,
    "admin projects": 6,
    "admin plans": 6,
    "admin ITA results": 7,
    "admin announcements": 5,
    "admin agreements": 6,
    "admin organisations": 5,
    # Each role's home: session, user, grants, organisations, rules, then the providers' reads,
    # each once for this year and last and all the rules that share it (lao_integrity/obligations/
    # registry.py: windows, plans, announcements, agreements, measures and their progress); the bell;
    # an executive's also what each app holds submitted for a decision (lao_integrity/review/waiting.py).
    "home (auditor)": 13,
    "home (member)": 17,
}


@pytest.fixture(autouse=True)
def _every_request_renders(settings):
    """The budgets are a render's: a page kept in memory (lao_integrity/pagecache), on for the
    rest of the suite, would be served from there the second time."""
    settings.PAGE_CACHE = False


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types, permissions) first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def assert_fixed(name: str, client, url: str, grow, *, small: int = SMALL, large: int = LARGE) -> None:
    """`grow(size)` the data to `small`, count the page's queries, grow to `large`, count again:
    the same count both times, within the page's budget."""
    grow(small)
    at_small = count_queries(client, url)
    grow(large)
    at_large = count_queries(client, url)
    assert at_small == at_large, (f"{name}: {at_small} queries with {small} rows, {at_large} with {large}: "
                                  "a query per row")
    assert at_large <= BUDGETS[name], f"{name}: {at_large} queries, over its budget of {BUDGETS[name]}"


# --- data ------------------------------------------------------------------------------------


class World:
    """Organisations (codes 97xxxxx) with a plan of three projects, an ITA result, two people, a
    performance agreement with two indicators and an announcement each, made in bulk."""

    def __init__(self):
        self.made = 0
        self.plan_framework = PlanFramework.objects.get(code="2566-2570")
        self.dimension = self.plan_framework.dimensions.order_by("number").first()
        self.ita_framework = ItaFramework.objects.order_by("-fiscal_year").first()  # the newest ITA year

    def grow(self, total: int) -> list[Organisation]:
        """Bring the number of organisations made here to `total`."""
        new = range(self.made, total)
        self.made = total
        orgs = Organisation.objects.bulk_create([
            Organisation(code=f"97{i:05d}", org_type=OrgType.SAO, name=f"องค์การบริหารส่วนตำบลทดสอบ{i:03d}",
                         district="เมือง", province="ลำปาง" if i % 2 else "เชียงราย")
            for i in new])
        orgs = list(Organisation.objects.filter(code__in=[o.code for o in orgs]).order_by("code"))
        plans = Plan.objects.bulk_create([
            Plan(organisation=o, fiscal_year=YEAR, framework=self.plan_framework) for o in orgs])
        Project.objects.bulk_create([
            Project(plan=p, sequence=s, kind="activity", name=f"กิจกรรมที่ {s}", dimension=self.dimension, q1=True)
            for p in plans for s in (1, 2, 3)])
        Result.objects.bulk_create([
            Result(organisation=o, framework=self.ita_framework, fiscal_year=self.ita_framework.fiscal_year,
                   overall=Decimal(80 + i % 15),
                   level="A", passed=bool(i % 2), rank=i + 1, rank_group="องค์การบริหารส่วนตำบล")
            for i, o in enumerate(orgs)])
        people = Person.objects.bulk_create(
            [Person(organisation=o, prefix="นาย", first_name=f"ทดสอบ{o.code}", last_name="ใจดี", position="ปลัด")
             for o in orgs]
            + [Person(organisation=o, prefix="นาง", first_name=f"นายก{o.code}", last_name="ใจงาม",
                      position=o.executive_title) for o in orgs])
        by_org = {}
        for person in people:
            by_org.setdefault(person.organisation_id, []).append(person)
        agreements = PerformanceAgreement.objects.bulk_create([
            PerformanceAgreement(organisation=o, fiscal_year=YEAR, round=1, kind=AgreementKind.INDIVIDUAL,
                                 person=by_org[o.pk][0], executive=by_org[o.pk][1]) for o in orgs])
        AgreementIndicator.objects.bulk_create([
            AgreementIndicator(agreement=a, order=n, aspect=Aspect.HIGH_PERFORMANCE, work_type=WorkType.CORE,
                               name=f"ตัวชี้วัด {n}", unit_of_measure="ร้อยละ", weight=Decimal(50),
                               **{f"target_{t}": Decimal(t) for t in range(1, 6)})
            for a in agreements for n in (1, 2)])
        Announcement.objects.bulk_create([
            Announcement(organisation=o, kind=Kind.NO_GIFT, fiscal_year=YEAR, subject="ประกาศ {อปท.} เรื่อง นโยบาย",
                         body="ข้อความ") for o in orgs])
        return orgs


@pytest.fixture
def world(_demo_loaded, db) -> World:
    return World()


@pytest.fixture
def national_auditor(db):
    user = get_user_model().objects.create_user("qb_national_auditor")
    auditor_scope_set(user=SYSTEM, account=user, all_organisations=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client_(db):
    user = get_user_model().objects.create_superuser("qb_admin", password="qb-admin-pw-2569")
    client = Client()
    client.force_login(user)
    return client


def member(organisation: Organisation, role: str = Role.STAFF) -> Client:
    user = get_user_model().objects.create_user(f"qb_{role}_{organisation.code}")
    membership_grant(user=SYSTEM, account=user, organisation=organisation, role=role)
    client = Client()
    client.force_login(user)
    return client


# --- the home page: each role's obligations, computed for all their organisations at once ---------


def test_an_auditors_home_costs_the_same_whatever_the_organisations(world, national_auditor):
    assert_fixed("home (auditor)", national_auditor, "/", world.grow)


def test_a_members_home_costs_the_same_whatever_the_measures(world):
    [org] = world.grow(1)
    client, year = member(org, Role.EXECUTIVE), fiscal_year(date.today())

    def grow(size):
        have = Measure.objects.filter(organisation=org).count()
        measures = Measure.objects.bulk_create([
            Measure(organisation=org, fiscal_year=year, title=f"มาตรการ {n}", deadline=date.today(),
                    cadence="monthly" if n % 2 else "quarterly") for n in range(have, size)])
        MeasureProgress.objects.bulk_create([MeasureProgress(measure=m, quarter=1, status="done") for m in measures])
        Announcement.objects.bulk_create([
            Announcement(organisation=org, kind=Kind.OTHER, fiscal_year=year, subject=f"ประกาศ {n}", body="ข้อความ",
                         status="approved") for n in range(have, size)])

    assert_fixed("home (member)", client, "/", grow)


# --- cross-organisation lists ------------------------------------------------------------------


@pytest.mark.parametrize("name, url", [
    ("plan list", f"/plans/?year={YEAR}"),
    ("ITA list", "/ita/?fiscal_year={ita_year}"),
    ("agreement list", "/agreements/"),
    ("announcement list", "/announcements/"),
])
def test_cross_organisation_lists_cost_the_same_at_any_size(world, national_auditor, name, url):
    url = url.format(ita_year=world.ita_framework.fiscal_year)
    assert_fixed(name, national_auditor, url, world.grow)


def test_org_agreement_list_costs_the_same_at_any_size(world, national_auditor):
    from agreements.organisation.models import OrgAgreement, Topic

    def grow(total):
        orgs = world.grow(total)
        agreements = OrgAgreement.objects.bulk_create([OrgAgreement(organisation=o, fiscal_year=YEAR) for o in orgs])
        Topic.objects.bulk_create([Topic(agreement=a, order=n, title=f"หัวข้อ {n}") for a in agreements
                                   for n in (1, 2)])

    assert_fixed("org agreement list", national_auditor, "/agreements/org/", grow)


def test_the_plan_list_shows_this_years_plans_a_page_at_a_time(world, national_auditor):
    orgs = world.grow(PER_PAGE + 5)
    html = national_auditor.get(reverse("plans:list"), {"year": YEAR, "q": "ทดสอบ"}).content.decode()
    rows = re.findall(r'<a href="/plans/(\d+)/">', html)
    assert len(rows) == PER_PAGE
    assert "หน้า 1 จาก 2" in html and "ถัดไป" in html
    # The links keep the filters and change only the page.
    assert re.search(r'href="\?year=2569&amp;q=[^"]*&amp;page=2"', html)
    second = national_auditor.get(reverse("plans:list"), {"year": YEAR, "q": "ทดสอบ", "page": 2}).content.decode()
    more = re.findall(r'<a href="/plans/(\d+)/">', second)
    assert len(more) == 5 and not set(rows) & set(more)  # a total order: no plan on two pages
    assert "หน้า 2 จาก 2" in second and "ก่อนหน้า" in second
    # A code finds the organisation's plan; the project counts are those of each plan.
    found = national_auditor.get(reverse("plans:list"), {"year": YEAR, "q": orgs[0].code}).content.decode()
    assert re.findall(r'<a href="/plans/(\d+)/">', found) == [str(Plan.objects.get(organisation=orgs[0]).pk)]
    assert '<td class="num">3</td>' in found


def test_the_plan_list_opens_on_this_fiscal_year_when_there_are_plans_of_it(world, national_auditor):
    from lao_integrity import thai
    from plans import selectors

    this_year = thai.fiscal_year(date.today())
    filters = selectors.plan_filters({}, user=get_user_model().objects.get(username="qb_national_auditor"),
                                     today_fiscal_year=this_year)
    latest = Plan.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    first = Plan.objects.order_by("fiscal_year").values_list("fiscal_year", flat=True).first()
    assert filters.fiscal_year == (this_year if first <= this_year <= latest else latest)
    assert filters.years[0] >= this_year and filters.years == tuple(sorted(filters.years, reverse=True))


# --- one organisation's pages --------------------------------------------------------------------


def _grow_plan(plan: Plan, total: int) -> None:
    """Bring the plan to `total` projects, each with a detail sheet (all its parts) and progress."""
    dimension = plan.framework.dimensions.order_by("number").first()
    start = plan.projects.count()
    projects = Project.objects.bulk_create([
        Project(plan=plan, sequence=s, kind="activity", name=f"กิจกรรมที่ {s}", dimension=dimension, q2=True,
                budget=Decimal("1000.00"))
        for s in range(start + 1, total + 1)])
    sheets = DetailSheet.objects.bulk_create([DetailSheet(project=p, rationale="เหตุผล") for p in projects])
    SheetObjective.objects.bulk_create([SheetObjective(sheet=s, order=1, text="วัตถุประสงค์") for s in sheets])
    MethodStep.objects.bulk_create([MethodStep(sheet=s, order=1, text="ขั้นตอน") for s in sheets])
    SheetIndicator.objects.bulk_create([SheetIndicator(sheet=s, kind="output", order=1, statement="ผลผลิต")
                                        for s in sheets])
    ProjectProgress.objects.bulk_create([ProjectProgress(project=p, quarter=1) for p in projects])


def test_plan_page_costs_the_same_at_any_size(world, plan, executive, client_for):
    client = client_for(executive)  # an executive also sees the audit trail
    url = reverse("plans:detail", args=[plan.pk])
    start = plan.projects.count()  # the fixture's three, without sheets
    assert_fixed("plan page", client, url, lambda size: _grow_plan(plan, start + size))
    assert plan.projects.count() == start + LARGE


def test_ita_history_costs_the_same_at_any_size(world, org, auditor, client_for):
    years = sorted(ItaFramework.objects.values_list("fiscal_year", flat=True))
    assert len(years) >= 4, "the history needs frameworks of at least four years"
    client = client_for(auditor)
    url = reverse("ita:history", args=[org.code])

    def grow(count):
        for year in years[:count]:
            framework = ItaFramework.objects.get(fiscal_year=year)
            scores = {i.number: Decimal(70 + i.number) for i in framework.indicators.all()}
            ita_services.result_save(organisation=org, fiscal_year=year, scores=scores, user=SYSTEM)

    assert_fixed("ITA history", client, url, grow, small=1, large=4)


def test_agreement_page_costs_the_same_at_any_size(world, org, units, people, executive, client_for):
    from plans import services as plan_services

    head = people["analyst"]
    agreement = agreement_services.agreement_create(organisation=org, fiscal_year=YEAR, round=1,
                                                    kind=AgreementKind.UNIT, unit=units["สำนักปลัด"], person=head,
                                                    executive=people["executive"], user=executive)
    plan = plan_services.plan_create(organisation=org, fiscal_year=YEAR, user=executive)
    client = client_for(executive)
    url = reverse("agreements:detail", args=[agreement.pk])

    def grow(total):
        _grow_plan(plan, total)
        for n in range(agreement.indicators.count(), total):
            indicator = agreement_services.indicator_create(
                agreement=agreement, aspect=Aspect.HIGH_PERFORMANCE, work_type=WorkType.CORE, name=f"ตัวชี้วัด {n}",
                unit_of_measure="ร้อยละ", weight=Decimal(1), **{f"target_{t}": Decimal(t) for t in range(1, 6)}, user=executive)
            IndicatorProgress.objects.bulk_create([IndicatorProgress(indicator=indicator, quarter=q, value=Decimal(q))
                                                   for q in (1, 2)])
        agreement_services.agreement_link_projects(agreement=agreement, projects=list(plan.projects.all()), user=executive)

    assert_fixed("agreement page", client, url, grow)


# --- the admin ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name, url", [
    ("admin projects", "/admin/plans/project/"),
    ("admin plans", "/admin/plans/plan/"),
    ("admin ITA results", "/admin/ita/result/"),
    ("admin announcements", "/admin/announcements/announcement/"),
    ("admin agreements", "/admin/agreements/performanceagreement/"),
    ("admin organisations", "/admin/orgs/organisation/"),
])
def test_admin_lists_cost_the_same_at_any_size(world, admin_client_, name, url):
    assert_fixed(name, admin_client_, url, world.grow)


def test_admin_lists_filter_by_year_and_search_by_code(world, admin_client_):
    orgs = world.grow(SMALL)
    html = admin_client_.get("/admin/plans/project/", {"plan__fiscal_year": YEAR, "q": orgs[1].code}).content.decode()
    assert html.count('class="action-select"') == 3  # the organisation's three projects
    assert f"?plan__fiscal_year={YEAR}" in html  # the year filter offers the year
    html = admin_client_.get("/admin/ita/result/", {"fiscal_year": world.ita_framework.fiscal_year,
                                                    "q": orgs[2].code}).content.decode()
    assert html.count('class="action-select"') == 1


# --- forms that would list every organisation ------------------------------------------------------


def test_a_user_with_many_organisations_types_the_code(world, admin_client_):
    world.grow(SELECT_LIMIT + 1)
    html = admin_client_.get(reverse("announcements:list")).content.decode()
    field = re.search(r'<input[^>]*name="organisation"[^>]*>', html)
    assert field and 'type="text"' in field.group(0)
    assert '<select name="organisation"' not in html
    assert "รหัส อปท. 7 หลัก" in html

    def post(code):
        return admin_client_.post(reverse("announcements:list"),
                                  {"organisation": code, "kind": Kind.OTHER}).content.decode()

    assert "ไม่พบ อปท. รหัส 9999999" in post("9999999")
    assert "ต้องเป็นตัวเลข 7 หลัก" in post("12ab")
    before = Announcement.objects.count()
    response = admin_client_.post(reverse("announcements:list"), {"organisation": "๙๗๐๐๐๐๑", "kind": Kind.OTHER})
    assert response.status_code == 302  # Thai digits are read too
    assert Announcement.objects.count() == before + 1
    assert Announcement.objects.order_by("-pk").first().organisation.code == "9700001"


def test_the_code_must_be_one_of_the_users_organisations(world):
    orgs = world.grow(SELECT_LIMIT + 2)
    user = get_user_model().objects.create_user("qb_many")
    for organisation in orgs[:SELECT_LIMIT + 1]:
        membership_grant(user=SYSTEM, account=user, organisation=organisation, role=Role.STAFF)
    client = Client()
    client.force_login(user)
    outside = orgs[-1]
    html = client.post(reverse("plans:list"), {"organisation": outside.code, "fiscal_year": 2570}).content.decode()
    assert f"ท่านไม่มีสิทธิ์จัดทำแผนของ {outside.name} (รหัส {outside.code})" in html
    assert not Plan.objects.filter(organisation=outside, fiscal_year=2570).exists()
    response = client.post(reverse("plans:list"), {"organisation": orgs[0].code, "fiscal_year": 2570})
    assert response.status_code == 302 and Plan.objects.filter(organisation=orgs[0], fiscal_year=2570).exists()


def test_agreements_with_many_organisations_start_by_choosing_one(world, admin_client_):
    orgs = world.grow(SELECT_LIMIT + 1)
    html = admin_client_.get(reverse("agreements:list")).content.decode()
    assert 'name="org"' in html and 'name="person"' not in html  # no national list of people
    html = admin_client_.get(reverse("agreements:list"), {"org": orgs[0].code}).content.decode()
    people = re.search(r'<select name="person".*?</select>', html, re.S).group(0)
    assert f"ทดสอบ{orgs[0].code}" in people and f"ทดสอบ{orgs[1].code}" not in people


def test_the_chosen_organisation_is_not_asked_for_again(world, admin_client_):
    """After the code box (the pick), the create form carries the organisation hidden: it is shown
    once, in the box, not a second time as a one-option list."""
    orgs = world.grow(SELECT_LIMIT + 1)
    html = admin_client_.get(reverse("agreements:list"), {"org": orgs[0].code}).content.decode()
    assert '<select name="organisation"' not in html
    assert re.search(rf'<input type="hidden" name="organisation" value="{orgs[0].pk}"', html)
    assert html.count('name="org"') == 1
    assert f'<p id="picked"><strong>{orgs[0].name}</strong></p>' in html  # the name, once, by the box
    people = re.search(r'<select name="person".*?</select>', html, re.S).group(0)
    person, executive = re.findall(r'<option value="(\d+)"', people)[:2]
    response = admin_client_.post(reverse("agreements:list") + f"?org={orgs[0].code}", {
        "organisation": orgs[0].pk, "fiscal_year": 2570, "round": 1, "kind": "individual",
        "person": person, "executive": executive})
    assert response.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    assert PerformanceAgreement.objects.filter(organisation=orgs[0], fiscal_year=2570).exists()

"""The plan page's body is a Jinja2 template (plans/jinja2/plans/detail.jinja). Its reads are
statements compiled once (lao_integrity/statements.py): they give what the ORM gives."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from plans import fragments, outline, selectors
from plans.documents import plan_announcement_state
from plans.models import Project, ProjectProgress
from plans.versions.selectors import plan_versions

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _same(django_html: str, jinja_html: str) -> None:
    """Alike but for the CSRF token's mask and how each escapes quotes (the same characters)."""
    jinja_html = str(jinja_html).replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    assert TOKEN.sub("", jinja_html) == TOKEN.sub("", str(django_html))


def test_the_compiled_reads_give_what_the_orm_gives(seeded):
    plan = seeded.plan
    first = plan.projects.order_by("sequence").first()
    ProjectProgress.objects.create(project=first, quarter=1, status="in_progress")
    Project.objects.filter(pk=first.pk).update(is_added=True, budget=Decimal("1234.50"))

    dimensions = selectors._DIMENSIONS.objects(plan.framework_id)
    assert dimensions == list(plan.framework.dimensions.order_by("number"))
    assert [(d.number, d.name) for d in dimensions] == [(d.number, d.name) for d in plan.framework.dimensions.all()]

    page = {p.pk: p for p in outline.page_projects(plan, dimensions, None)}
    read = selectors.plan_summary(plan).projects  # model instances
    assert list(page) == [p.pk for p in read]
    for project in read:
        mine = page[project.pk]
        assert (mine.sequence, mine.name, mine.budget, mine.quarters, mine.is_added, mine.dimension_label,
                mine.latest_status, mine.latest_label, mine.latest_quarter, mine.remark) == (
            project.sequence, project.name, project.budget, project.quarters, project.is_added,
            project.dimension_label, project.latest_status, project.latest_label, project.latest_quarter,
            project.remark)
        assert type(mine.budget) is Decimal and type(mine.is_added) is bool
        assert mine.responsible_unit == (project.responsible_unit.name if project.responsible_unit else None)
    assert page[first.pk].budget == Decimal("1234.50") and page[first.pk].is_added is True

    versions = plan_versions(plan, approver=False)
    assert [(v.pk, v.number, v.snapshot, v.created_at) for v in versions] == [
        (v.pk, v.number, v.snapshot, v.created_at) for v in plan.versions.order_by("number")]
    assert all(isinstance(v.created_at, datetime) for v in versions)

    from lao_integrity.announcements.models import Announcement, Kind
    expected = (Announcement.objects.filter(organisation=plan.organisation, kind=Kind.PLAN, fiscal_year=plan.fiscal_year)
                .order_by("-revision", "-pk").first())
    state = plan_announcement_state(plan)
    assert (state and (state.pk, state.revision, state.status, state.signed_at)) == (
        expected and (expected.pk, expected.revision, expected.status, expected.signed_at))


def test_the_compiled_plan_and_timeline_give_what_the_orm_gives(seeded):
    """Compiled with their select_related (the plan's organisation and issuer, each event's actor);
    the timeline by its record's label, a text argument."""
    from lao_integrity.review.models import ReviewEvent
    from lao_integrity.review.selectors import timeline

    plan = seeded.plan
    mine = selectors.plan_for_detail(plan.pk)
    theirs = type(plan).objects.select_related("organisation", "issuer").get(pk=plan.pk)
    assert mine == theirs and mine.__dict__.keys() == theirs.__dict__.keys()
    assert (mine.organisation.code, mine.organisation.name, mine.issuer_id) == (
        theirs.organisation.code, theirs.organisation.name, theirs.issuer_id)
    assert mine.issuer == theirs.issuer and mine.status == theirs.status and mine.updated_at == theirs.updated_at
    with pytest.raises(type(plan).DoesNotExist):
        selectors.plan_for_detail(10**9)

    for action, actor in (("submitted", seeded.staff), ("returned", seeded.executive), ("submitted", None)):
        ReviewEvent.objects.create(organisation=plan.organisation, subject="plans.plan", object_id=plan.pk,
                                   action=action, comment=f"{action} ความเห็น", actor=actor)
    events = timeline(plan)
    expected = list(ReviewEvent.objects.filter(subject="plans.plan", object_id=plan.pk).order_by("at", "pk"))
    assert [(e.pk, e.action, e.comment, e.at, e.actor_name, e.when_text) for e in events] == [
        (e.pk, e.action, e.comment, e.at, e.actor_name, e.when_text) for e in expected]
    assert [e.actor.username if e.actor else None for e in events] == [
        e.actor.username if e.actor else None for e in expected]
    assert [e.actor.username if e.actor else None for e in events][-3:] == ["staff", "executive", None]


def test_the_page_reads_whether_a_rationale_is_blank_from_its_first_characters(seeded):
    """The page reads a rationale's first characters and its length; a text blank at first and
    longer is read whole."""
    from plans.models import DetailSheet

    plan = seeded.plan
    sheets = list(DetailSheet.objects.filter(project__plan=plan).order_by("project__sequence")[:4])
    assert len(sheets) == 4
    texts = [" \n" * 100 + "เหตุผล", "\n\u3000 " * 100, "", "เหตุผล" + " " * 200]
    for sheet, text in zip(sheets, texts, strict=True):
        DetailSheet.objects.filter(pk=sheet.pk).update(rationale=text)
    dimensions = selectors._DIMENSIONS.objects(plan.framework_id)
    page = {p.pk: p for p in outline.page_projects(plan, dimensions, None)}
    for sheet in DetailSheet.objects.filter(project__plan=plan):
        assert page[sheet.project_id].has_rationale is bool(sheet.rationale_paragraphs), sheet.rationale[:20]
    assert [page[sheet.project_id].has_rationale for sheet in sheets] == [True, False, False, True]


def test_the_plan_lists_rows_are_written_as_their_template_renders_them():
    """fragments.plan_rows formats the rows its reference template (plans/_list_rows.jinja) renders,
    escapes included."""
    from django.utils import timezone

    from lao_integrity import thai

    rows = [{"pk": 7, "fiscal_year": 2569, "status": "draft", "updated_at": datetime(2026, 12, 1, 20, 30,
                                                                                 tzinfo=UTC),
             "organisation__code": "5205401", "organisation__name": 'อบต. <บ้าน> & "แหง" \'ก\'',
             "organisation__province": "ลำปาง", "project_count": 0},
            {"pk": 8, "fiscal_year": 2570, "status": "odd<status>", "updated_at": datetime(2027, 1, 2, 3, 4),
             "organisation__code": "1234567", "organisation__name": "ทดสอบ", "organisation__province": "",
             "project_count": 1234}]
    mine = fragments.plan_rows([dict(row) for row in rows])
    zone = timezone.get_current_timezone()
    for row in rows:
        when = row["updated_at"]
        row["updated_on"] = thai.format_date_short((when.astimezone(zone) if timezone.is_aware(when) else when).date())
    theirs = render_to_string("plans/_list_rows.jinja", {
        "plans": rows, "detail": fragments.url_pattern("plans:detail"),
        "statuses": dict(fragments.PlanStatus.choices)}, using="jinja2")
    assert str(mine) == theirs
    assert "&lt;บ้าน&gt; &amp; &#34;แหง&#34; &#39;ก&#39;" in mine and 'href="/plans/7/"' in mine


def test_a_national_readers_plan_list_counts_as_the_orm(seeded):
    """The first and last year and a year's count are compiled reads for those who see every
    organisation: what the ORM counts; any other list is counted by the paginator (None)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Max, Min

    from plans.models import Plan

    admin = get_user_model().objects.create_superuser("t_national", password="t-national-pw-2569")
    bounds = Plan.objects.aggregate(first=Min("fiscal_year"), last=Max("fiscal_year"))
    for today in (bounds["first"] - 1, bounds["last"], bounds["last"] + 2):
        mine = selectors.plan_filters({}, user=admin, today_fiscal_year=today)
        theirs = selectors.plan_filters({}, user=seeded.staff, today_fiscal_year=today)
        assert mine.years == tuple(range(max(bounds["last"], today), min(bounds["first"], today) - 1, -1))
        assert set(theirs.years) <= set(mine.years)
    for year in (bounds["last"], bounds["last"] + 5):
        filters = selectors.PlanFilters(fiscal_year=year)
        assert selectors.plan_count(admin, filters) == Plan.objects.filter(fiscal_year=year).count()
        assert selectors.plan_count(seeded.staff, filters) is None
    assert selectors.plan_count(admin, selectors.PlanFilters(fiscal_year=None)) is None
    assert selectors.plan_count(admin, selectors.PlanFilters(fiscal_year=bounds["last"], status="draft")) is None
    # The first page of the list as it opens: plans_for_list's first page, read as plan_list_rows reads it.
    from lao_integrity.paging import paginate

    request = RequestFactory().get("/plans/")
    filters = selectors.PlanFilters(fiscal_year=bounds["last"])
    page = paginate(request, selectors.plans_for_list(admin, filters), count=selectors.plan_count(admin, filters))
    rows = selectors.first_page_rows(admin, filters, page)
    assert rows and rows == selectors.plan_list_rows(page.object_list)
    assert selectors.first_page_rows(seeded.staff, filters, page) is None
    second = paginate(RequestFactory().get("/plans/?page=2"), selectors.plans_for_list(admin, filters), per_page=1)
    assert selectors.first_page_rows(admin, filters, second) is None

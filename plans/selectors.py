"""Reads shaped for pages and documents; each costs a fixed number of queries."""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Func, IntegerField, Max, Min, OuterRef, Prefetch, QuerySet, Subquery

from lao_integrity import thai
from lao_integrity.orgs import access
from lao_integrity.paging import PER_PAGE
from lao_integrity.statements import Statement

from . import eplannacc
from . import outline as outline_read
from .models import (
    QUARTERS,
    Dimension,
    Plan,
    PlanStatus,
    ProgressStatus,
    Project,
    ProjectProgress,
)


@dataclass
class PlanTotals:
    count: int = 0
    budget: Decimal = Decimal("0.00")
    quarter_counts: dict[int, int] = field(default_factory=lambda: {q: 0 for q in QUARTERS})


def plan_totals(projects) -> PlanTotals:
    totals = PlanTotals()
    for project in projects:
        totals.count += 1
        totals.budget += project.budget
        for q in project.quarters:
            totals.quarter_counts[q] += 1
    return totals


@dataclass(frozen=True)
class PlanFilters:
    """What the plan list shows: one fiscal year (None: every year), a status, a search."""

    fiscal_year: int | None
    status: str = ""
    q: str = ""
    years: tuple[int, ...] = ()  # the years to offer, newest first

    @property
    def active(self) -> bool:
        return bool(self.status or self.q)


# COUNT(*) (an index alone answers it, not COUNT of a column) as a function, not Django's aggregate.
_COUNT_ROWS = Func(template="COUNT(*)", output_field=IntegerField())
# A national reader's plan list (no organisation filter), compiled once (lao_integrity/statements.py):
# the first and last year, and the plans of a year counted. MIN, MAX and COUNT as functions, not
# Django's aggregates: an aggregate in values_list would group by the plan.
_EVERY_YEAR = Statement(lambda: Plan.objects.order_by().annotate(
    first=Func(F("fiscal_year"), function="MIN"), last=Func(F("fiscal_year"), function="MAX")).values_list("first", "last"))
_YEAR_COUNT = Statement(lambda fiscal_year: Plan.objects.filter(fiscal_year=fiscal_year).order_by().annotate(
    n=_COUNT_ROWS).values_list("n"))


def plan_filters(params, *, user, today_fiscal_year: int) -> PlanFilters:
    """Query parameters -> filters; nonsense is dropped, never an error (a stale link still opens).

    The year defaults to this fiscal year when the user has plans of it, else to the newest year
    they have: a Thai user expects this year's plans first. ?year=all lists every year.
    One query (the first and last year, read from the ends of an index).
    """
    if access.sees_every_organisation(user):
        ((first, last),) = _EVERY_YEAR.rows()
    else:
        bounds = access.restrict(Plan.objects.all(), user).aggregate(first=Min("fiscal_year"), last=Max("fiscal_year"))
        first, last = bounds["first"], bounds["last"]
    if first is None:
        years = (today_fiscal_year,)
        default = today_fiscal_year
    else:
        top = max(last, today_fiscal_year)
        years = tuple(range(top, min(first, today_fiscal_year) - 1, -1))
        default = today_fiscal_year if first <= today_fiscal_year <= last else last
    raw = (params.get("year") or "").strip()
    if raw == "all":
        fiscal_year = None
    elif raw.isdigit() and int(raw) in years:
        fiscal_year = int(raw)
    else:
        fiscal_year = default
    status = params.get("status") or ""
    return PlanFilters(fiscal_year=fiscal_year, status=status if status in PlanStatus.values else "",
                       q=(params.get("q") or "").strip()[:100], years=years)


def _national_year(user, filters: PlanFilters) -> bool:
    """A national reader's list of one year without a status or a search: the list as it opens."""
    return bool(filters.fiscal_year) and not filters.active and access.sees_every_organisation(user)


def plan_count(user, filters: PlanFilters) -> int | None:
    """The number of plans of a national reader's list of one year without a status or a search
    (the list as it opens), compiled once; None for any other list (the paginator counts it)."""
    if _national_year(user, filters):
        ((count,),) = _YEAR_COUNT.rows(filters.fiscal_year)
        return count
    return None


def plans_for_list(user, filters: PlanFilters) -> QuerySet[Plan]:
    """The plans of the list page by organisation name (then code), newest year first within each:
    a total order, so pages never overlap. Led by the name, a page of a national list is read
    along the organisations' name index, not sorted from every plan. Project counts:
    `with_project_counts` on one page."""
    plans = access.restrict(Plan.objects.all(), user).select_related("organisation")
    if filters.fiscal_year:
        plans = plans.filter(fiscal_year=filters.fiscal_year)
    if filters.status:
        plans = plans.filter(status=filters.status)
    if filters.q:
        code = thai.to_arabic_digits(filters.q)
        if code.isdigit():
            plans = plans.filter(organisation__code__startswith=code)
        else:
            plans = plans.filter(organisation__name__icontains=filters.q)
    return plans.order_by(*LIST_ORDER)


LIST_ORDER = ("organisation__name", "organisation__code", "-fiscal_year")
# What a row of the plan list shows (plans/fragments.plan_rows).
LIST_COLUMNS = ("pk", "fiscal_year", "status", "updated_at", "organisation__code", "organisation__name",
                "organisation__province")


def plan_list_rows(page_plans) -> list[dict]:
    """One page of plans_for_list as values, each with its `project_count`: one query, no model
    instances (issue 19: fifty plans and their organisations built as models cost more than their
    query). Each plan's projects as the database keeps them counted (PlanCounts)."""
    return list(_counted(page_plans).values(*LIST_COLUMNS, "project_count"))


def _counted(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    return plans.annotate(project_count=F("counts__projects"))


# The list as it opens for a national reader (one year, no status or search, its first page),
# compiled once: building this read cost more than running it.
_FIRST_PAGE = Statement(lambda fiscal_year: _counted(
    Plan.objects.filter(fiscal_year=fiscal_year).order_by(*LIST_ORDER)[:PER_PAGE]).values_list(
    *LIST_COLUMNS, "project_count"))


def first_page_rows(user, filters: PlanFilters, page) -> list[dict] | None:
    """plan_list_rows of the page when it is a national reader's first page of one year without a
    status or a search (plans_for_list's rows then), compiled once; None for any other page."""
    if page.number != 1 or page.paginator.per_page != PER_PAGE or not _national_year(user, filters):
        return None
    columns = (*LIST_COLUMNS, "project_count")
    return [dict(zip(columns, row, strict=True)) for row in _FIRST_PAGE.rows(filters.fiscal_year)]


def plan_for_page(pk: int) -> Plan:
    return Plan.objects.select_related("organisation", "framework", "issuer", "approved_by").get(pk=pk)


# Compiled once (lao_integrity/statements.py): the plan page reads it on every request.
_PLAN_FOR_DETAIL = Statement(lambda pk: Plan.objects.filter(pk=pk).select_related("organisation", "issuer"))


def plan_for_detail(pk: int) -> Plan:
    """The plan page's plan: with what it shows (its organisation, its issuer), not its framework
    (plan_summary reads the dimensions by its id) nor its approver."""
    found = _PLAN_FOR_DETAIL.objects(pk)
    if not found:
        raise Plan.DoesNotExist
    return found[0]


@dataclass(frozen=True)
class Footnote:
    marker: str  # "*1": what the dimension column prints for projects added after the baseline
    text: str  # "ลำดับที่ 30, 31 เพิ่มเติมตามแผนฉบับปรับปรุง ครั้งที่ 1"


@dataclass
class PlanSummary:
    plan: Plan
    projects: list[Project]
    totals: PlanTotals
    dimensions: list[Dimension]
    has_added: bool
    footnotes: list[Footnote]
    version_label: str = ""  # "ตั้งต้น" or "ฉบับปรับปรุง ครั้งที่ N": the version this table shows


ADDED_AFTER_BASELINE = "เพิ่มเติมหลังแผนตั้งต้น"


def version_label(plan: Plan, version_numbers: list[int]) -> str:
    """Which version the table is: the newest approved one, or while a draft the one its approval
    will make ("ตั้งต้น" only for the baseline)."""
    if not version_numbers:
        return "ตั้งต้น"
    number = max(version_numbers) + (0 if plan.status == PlanStatus.APPROVED else 1)
    return "ตั้งต้น" if number == 0 else f"ฉบับปรับปรุง ครั้งที่ {number}"


def added_note(project: Project, versions: list) -> str:
    """The footnote of a project added after the baseline: what was typed, else the version that
    first listed it (by name, so moving it does not matter), else the version still to come."""
    typed = (project.added_note or "").strip()
    if typed:
        return typed
    revisions = [v for v in versions if v.number > 0]
    for version in revisions:
        if any(row.get("name") == project.name for row in version.snapshot):
            return f"เพิ่มเติมตามแผนฉบับปรับปรุง ครั้งที่ {version.number}"
    if versions:
        return f"เพิ่มเติมตามแผนฉบับปรับปรุง ครั้งที่ {max(v.number for v in versions) + 1}"
    return ADDED_AFTER_BASELINE


def footnotes(projects: list[Project], versions: list) -> list[Footnote]:
    """One footnote per marker, in marker order: every "*N" the table prints is explained once,
    projects with the same note named together ("ลำดับที่ 30, 31 ...")."""
    by_marker: dict[str, dict[str, list[int]]] = {}
    for project in projects:
        if project.is_added:
            notes = by_marker.setdefault(project.dimension_label, {})
            notes.setdefault(added_note(project, versions), []).append(project.sequence)
    return [
        Footnote(marker, "; ".join(f"ลำดับที่ {', '.join(map(str, sequences))} {note}"
                                   for note, sequences in notes.items()))
        for marker, notes in sorted(by_marker.items(), key=lambda item: int(item[0].lstrip("*")))
    ]


def plan_summary(plan: Plan, *, dimension: int | None = None, versions: list | None = None,
                 outline: bool = False) -> PlanSummary:
    """The summary table: projects in order (optionally one dimension) with computed totals, and
    the markers' footnotes and the version label, computed here once for the page and the book.
    Each project carries its latest recorded progress (`latest_quarter`, `latest_status`,
    `latest_label`; None and "" when nothing is recorded), read in the same query.
    `versions`: the plan's versions with their snapshots when the page has them already.
    `outline` (the plan page): every project as an outline.PageProject (values, no model instances), each
    also with what plan_book_gaps and implementation_rounds read, in the same query;
    `for_dimension` then narrows the table without reading it again."""
    dimensions = _DIMENSIONS.objects(plan.framework_id)
    if outline:
        projects = outline_read.page_projects(plan, dimensions, dimension)
    else:
        projects = _summary_projects().filter(plan=plan)
        if dimension:
            projects = projects.filter(dimension__number=dimension)
        projects = list(projects)
        labels = dict(ProgressStatus.choices)
        for project in projects:  # the status of the latest quarter recorded, for the plan page
            project.plan = plan  # as plan.projects would set it
            project.latest_label = labels.get(project.latest_status, "")
    if versions is None:
        # The snapshots are read only when a footnote may need them.
        has_added = any(p.is_added for p in projects)
        versions = list(plan.versions.order_by("number").only("plan", "number", "snapshot") if has_added
                        else plan.versions.order_by("number").only("plan", "number"))
    return _summary(plan, projects, versions, dimensions)


@functools.cache
def _summary_projects() -> QuerySet[Project]:
    """plan_summary's read of the projects, built once per process and filtered for each plan:
    building its subqueries cost more than running them (issue 19). Never evaluated itself."""
    latest = ProjectProgress.objects.filter(project=OuterRef("pk")).order_by("-quarter")
    return (Project.objects.select_related("dimension", "responsible_unit", "sheet").order_by("sequence")
            .annotate(latest_quarter=Subquery(latest.values("quarter")[:1]),
                      latest_status=Subquery(latest.values("status")[:1])))


_DIMENSIONS = Statement(lambda framework_id: Dimension.objects.filter(framework_id=framework_id).order_by("number"))


def _summary(plan: Plan, projects: list[Project], versions: list, dimensions: list[Dimension]) -> PlanSummary:
    return PlanSummary(
        plan=plan,
        projects=projects,
        totals=plan_totals(projects),
        dimensions=dimensions,
        has_added=any(p.is_added for p in projects),
        footnotes=footnotes(projects, versions),
        version_label=version_label(plan, [v.number for v in versions]),
    )


def for_dimension(summary: PlanSummary, dimension: int, versions: list) -> PlanSummary:
    """The table of one dimension, from the summary of every project (no queries)."""
    projects = [p for p in summary.projects if p.dimension.number == dimension]
    return _summary(summary.plan, projects, versions, summary.dimensions)


def recording_quarter(plan: Plan, today: datetime.date) -> int | None:
    """The quarter whose progress is recorded now: this plan's year is today's fiscal year, its
    quarter today (Q1 = ต.ค.-ธ.ค.); a past year, its last quarter (recorded late); a year to
    come, none yet."""
    this_year = thai.fiscal_year(today)
    if plan.fiscal_year == this_year:
        return thai.fiscal_quarter(today)
    return 4 if plan.fiscal_year < this_year else None


def project_with_sheet(pk: int) -> Project:
    return (
        Project.objects.select_related("plan__organisation", "plan__framework", "dimension", "responsible_unit", "sheet")
        .prefetch_related("sheet__objectives", "sheet__target_groups", "sheet__steps", "sheet__indicators")
        .get(pk=pk)
    )


def plan_sheets(plan: Plan) -> list[Project]:
    """Projects in table order with their sheets and all parts, for the plan book."""
    return list(
        plan.projects.select_related("dimension", "responsible_unit", "sheet")
        .prefetch_related("sheet__objectives", "sheet__target_groups", "sheet__steps", "sheet__indicators")
        .order_by("sequence")
    )


# At 6 months a project planned only for quarters 3-4 is not yet due: with nothing done it is
# counted apart, not as "ยังไม่ดำเนินการ" (late). Not a stored status: only the report says it.
NOT_DUE = "not_due"
NOT_DUE_LABEL = "ยังไม่ถึงกำหนด"
NOT_DUE_NOTE = ("ยังไม่ถึงกำหนด: โครงการที่วางแผนดำเนินการเฉพาะไตรมาส 3-4 และยังไม่ได้ดำเนินการ "
                "ไม่นับเป็นโครงการที่ยังไม่ดำเนินการในรอบ 6 เดือน")


@dataclass
class ProgressRow:
    label: str
    statuses: list[str] = field(default_factory=lambda: list(ProgressStatus.values))
    projects: int = 0
    budget: Decimal = Decimal("0.00")
    spent: Decimal = Decimal("0.00")
    by_status: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self.by_status = {s: 0 for s in self.statuses}


@dataclass
class ProgressSummary:
    plan: Plan
    months: int
    last_quarter: int
    rows: list[ProgressRow]
    total: ProgressRow
    projects: list[Project]
    statuses: list[tuple[str, str]]  # the report's columns: the stored statuses, at 6 months NOT_DUE too
    not_due_note: str = ""
    implementation: eplannacc.Implementation | None = None  # e-PlanNACC's percentage and band


def period_status(project: Project, records: list[ProjectProgress], *, last_quarter: int) -> str:
    """A project's status at the end of the period: the one recorded for its latest quarter in the
    period (nothing recorded: not started). At 6 months a project not started that was planned
    for neither quarter 1 nor 2 is NOT_DUE: it is not late yet."""
    return status_at_end(project, records[-1].status if records else None, last_quarter=last_quarter)


def status_at_end(project: Project, latest: str | None, *, last_quarter: int) -> str:
    """period_status from the status of the latest quarter recorded in the period (None: none)."""
    status = latest or ProgressStatus.NOT_STARTED
    if (status == ProgressStatus.NOT_STARTED and last_quarter < 4
            and not any(q <= last_quarter for q in project.quarters)):
        return NOT_DUE
    return status


def progress_summary(plan: Plan, *, months: int, project_ids=None) -> ProgressSummary:
    """6-month (quarters 1-2) or 12-month (quarters 1-4) progress by dimension and status.

    A project's status is `period_status`: at 12 months every project without progress counts as
    not started; at 6 months only those planned in quarter 1 or 2 do. Spending adds up every
    quarter in the period. `project_ids`: only these projects (the public report: those of the
    adopted version, never a draft revision's additions).
    """
    if months not in (6, 12):
        raise ValueError("months must be 6 or 12")
    last_quarter = 2 if months == 6 else 4
    statuses = list(ProgressStatus.choices) + ([(NOT_DUE, NOT_DUE_LABEL)] if months == 6 else [])
    keys = [value for value, _label in statuses]
    in_period = ProjectProgress.objects.filter(quarter__lte=last_quarter).order_by("quarter")
    projects = plan.projects.all() if project_ids is None else plan.projects.filter(pk__in=project_ids)
    projects = list(
        projects.select_related("dimension").prefetch_related(Prefetch("progress", queryset=in_period))
        .order_by("sequence")
    )
    rows: dict[int, ProgressRow] = {}
    for dim in plan.framework.dimensions.order_by("number"):
        rows[dim.number] = ProgressRow(label=f"มิติที่ {dim.number} {dim.name}", statuses=keys)
    total = ProgressRow(label="รวมทั้งสิ้น", statuses=keys)
    for project in projects:
        records = list(project.progress.all())
        status = period_status(project, records, last_quarter=last_quarter)
        spent = sum((r.amount_spent for r in records), Decimal("0.00"))
        project.period_status = status
        project.period_spent = spent
        # e-PlanNACC's fields: the reason of the latest record, the latest budget in the ordinance given.
        project.period_reason = records[-1].unable_reason if status == ProgressStatus.UNABLE else ""
        project.period_ordinance_budget = next(
            (r.ordinance_budget for r in reversed(records) if r.ordinance_budget is not None), None)
        by_quarter = {r.quarter: r for r in records}
        project.period_cells = [(q, by_quarter.get(q)) for q in range(1, last_quarter + 1)]
        for row in (rows[project.dimension.number], total):
            row.projects += 1
            row.budget += project.budget
            row.spent += spent
            row.by_status[status] += 1
    return ProgressSummary(plan=plan, months=months, last_quarter=last_quarter, rows=list(rows.values()),
                           total=total, projects=projects, statuses=statuses,
                           not_due_note=NOT_DUE_NOTE if months == 6 else "",
                           implementation=eplannacc.implementation([p.period_status for p in projects],
                                                                   months=months, not_due=NOT_DUE))


def implementation_rounds(plan: Plan, projects: list[Project]) -> list[eplannacc.Implementation]:
    """e-PlanNACC's percentage at 6 and at 12 months for the plan page, from `projects` (all of
    the plan's). Read by plan_summary(outline=True), they carry the latest status of quarters 1-2
    and of all quarters: no query; otherwise one query for their progress."""
    if not all(hasattr(p, "half_year_status") for p in projects):
        records: dict[int, list[ProjectProgress]] = {}
        for record in (ProjectProgress.objects.filter(project__plan=plan).order_by("quarter")
                       .only("project_id", "quarter", "status")):
            records.setdefault(record.project_id, []).append(record)
        for p in projects:
            mine = records.get(p.pk, [])
            p.half_year_status = next((r.status for r in reversed(mine) if r.quarter <= 2), None)
            p.latest_status = mine[-1].status if mine else None
    return [eplannacc.implementation(
        [status_at_end(p, getattr(p, field), last_quarter=last_quarter) for p in projects],
        months=months, not_due=NOT_DUE)
        for months, last_quarter, field in ((6, 2, "half_year_status"), (12, 4, "latest_status"))]


def ordinance_budget_for(project: Project, quarter: int) -> Decimal:
    """What the progress form offers as the budget in the ordinance: the latest given for this or an
    earlier quarter, else the project's budget in the plan."""
    given = (ProjectProgress.objects.filter(project=project, quarter__lte=quarter, ordinance_budget__isnull=False)
             .order_by("-quarter").values_list("ordinance_budget", flat=True).first())
    return project.budget if given is None else given


def plan_by_org_year(organisation, fiscal_year: int) -> Plan | None:
    return (Plan.objects.select_related("organisation", "framework", "issuer")
            .filter(organisation=organisation, fiscal_year=fiscal_year).first())

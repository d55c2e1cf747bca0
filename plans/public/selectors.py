"""Reads for the plan's public pages and its public section, each a fixed number of queries.

Which plan is public, and in which version, is decided here once for the pages, the section of
the organisation's public page and the tests:

- the plan of year Y is public when the newest SIGNED revision of the organisation's plan
  announcement of Y has a live publication (a later unsigned revision does not hide it; a signed
  revision that is not published does: it replaced the published one);
- the version shown is the one in force when that announcement was signed (the newest version
  approved at or before its signing: a plan announcement is signed only on an approved plan);
  when no version is that old, the newest approved one;
- a progress report (6 or 12 months) is public once the plan is and every project of the adopted
  version (still in the plan) has its progress recorded for the period's last quarter (2 or 4),
  as the obligation "report" counts it; the report lists those projects only, never one a draft
  revision added after the announcement.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from lao_integrity.announcements.models import Announcement, Kind, Status
from lao_integrity.publication import selectors as publication_selectors
from lao_integrity.publication.models import Publication
from lao_integrity.statements import Statement

from .. import selectors as plan_selectors
from ..models import Plan, PlanVersion, Project, ProjectProgress
from ..versions.rows import Row, version_rows
from ..versions.selectors import _noted

MONTHS = {6: 2, 12: 4}  # a report's months -> the quarter every project must have recorded


def _signed_plan_announcements(organisation, fiscal_year: int | None = None):
    rows = Announcement.objects.filter(organisation=organisation, kind=Kind.PLAN, status=Status.SIGNED)
    if fiscal_year is not None:
        rows = rows.filter(fiscal_year=fiscal_year)
    return rows.only("pk", "organisation_id", "fiscal_year", "revision", "signed_at", "announced_on",
                     "subject").order_by("fiscal_year", "-revision", "-pk")


def adopted_version(versions: list[PlanVersion], announcement: Announcement) -> PlanVersion | None:
    """The version the signed announcement adopted (see the module's docstring); no query."""
    if not versions:
        return None
    signed_at = announcement.signed_at
    before = [v for v in versions if signed_at is None or v.created_at <= signed_at]
    return before[-1] if before else versions[-1]


@dataclass
class PublicPlan:
    plan: Plan
    announcement: Announcement
    publication: Publication
    versions: list[PlanVersion]  # every approved version, oldest first
    version: PlanVersion  # the one the announcement adopted
    reports: dict[int, bool] = field(default_factory=dict)  # 6 / 12 -> the report is public

    @property
    def published_at(self) -> datetime.datetime:
        return self.publication.published_at

    # The adopted version's projects still in the plan: what the public reports list (a project a
    # draft revision added is not public). Rows frozen before versions recorded ids: every project.
    project_ids: set[int] = field(default_factory=set)


def _with_reports(found: list[PublicPlan]) -> list[PublicPlan]:
    """Sets each plan's `project_ids` and `reports`: two queries for all of them (the plans'
    projects, the quarters 2 and 4 recorded), unordered (sets: no joins for the models' orderings)."""
    existing: dict[int, set[int]] = {public.plan.pk: set() for public in found}
    if existing:
        for pk, plan_id in Project.objects.filter(plan__in=existing).order_by().values_list("pk", "plan_id"):
            existing[plan_id].add(pk)
    for public in found:
        # Only the project ids: not a Row (Decimals, a tuple) for each of the snapshot's projects.
        frozen = [row.get("project") for row in public.version.snapshot]
        now = existing[public.plan.pk]
        public.project_ids = now if None in frozen else now & set(frozen)
    ids = {pk for public in found for pk in public.project_ids}
    recorded: dict[int, set[int]] = {quarter: set() for quarter in MONTHS.values()}
    if ids:
        for project_id, quarter in (ProjectProgress.objects.filter(project_id__in=ids, quarter__in=MONTHS.values())
                                    .order_by().values_list("project_id", "quarter").distinct()):
            recorded[quarter].add(project_id)
    for public in found:
        projects = public.project_ids
        public.reports = {months: bool(projects) and projects <= recorded[quarter]
                          for months, quarter in MONTHS.items()}
    return found


def public_plan(organisation, fiscal_year: int) -> PublicPlan | None:
    """The plan of `fiscal_year` if it is public, else None: six queries (the announcement, its
    publication, the plan, its versions, its projects, the recorded quarters)."""
    announcement = _signed_plan_announcements(organisation, fiscal_year).first()
    if announcement is None:
        return None
    announcement.organisation = organisation  # its subject names it: no query again
    publication = publication_selectors.of(announcement)
    if publication is None:
        return None
    plan = (Plan.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
            .select_related("organisation", "framework").first())
    if plan is None:
        return None
    versions = list(plan.versions.order_by("number"))
    version = adopted_version(versions, announcement)
    if version is None:
        return None
    return _with_reports([PublicPlan(plan, announcement, publication, versions, version)])[0]


@dataclass(frozen=True)
class PublicYear:
    """What the organisation's public page lists of one public plan (public_plans)."""

    fiscal_year: int
    published_at: datetime.datetime
    reports: dict[int, bool]  # 6 / 12 -> the report is public


def _live_at():
    return Publication.objects.filter(subject=Announcement._meta.label_lower, object_id=OuterRef("pk"),
                                      withdrawn_at=None).values("published_at")[:1]


# Compiled once (lao_integrity/statements.py): the organisation's public page reads them on every
# request. The versions and projects are the organisation's plans' (of every year: an organisation
# has a plan a year), those of a plan that is not public skipped as they are read.
_ANNOUNCEMENTS = Statement(lambda organisation_id: _signed_plan_announcements(organisation_id)
                           .annotate(live_at=Subquery(_live_at())).values_list("fiscal_year", "signed_at", "live_at"))
_VERSIONS = Statement(lambda organisation_id: PlanVersion.objects.filter(plan__organisation_id=organisation_id)
                      .order_by("number").values_list("plan_id", "plan__fiscal_year", "created_at", "snapshot"))
_PROJECTS = Statement(lambda organisation_id: Project.objects.filter(plan__organisation_id=organisation_id)
                      .order_by().values_list("pk", "plan_id", "progress__quarter"))


def public_plans(organisation) -> list[PublicYear]:
    """Every public plan of the organisation, newest year first, as its section lists it: three
    queries (the signed plan announcements with their live publication's date, the plans'
    versions, their projects with the quarters they recorded), the rules of public_plan and
    _with_reports, read as values (issue 19: the section was six queries of model instances)."""
    newest: dict[int, tuple] = {}  # year -> (signed_at, published_at) of its newest signed revision
    for year, signed_at, published_at in _ANNOUNCEMENTS.rows(organisation.pk):
        newest.setdefault(year, (signed_at, published_at))
    published = {year: pair for year, pair in newest.items() if pair[1] is not None}
    if not published:
        return []
    versions: dict[int, list] = {}  # plan id -> [(year, created_at, snapshot)], oldest first
    for plan_id, year, created_at, snapshot in _VERSIONS.rows(organisation.pk):
        if year in published:
            versions.setdefault(plan_id, []).append((year, created_at, snapshot))
    adopted = {}  # plan id -> (year, the adopted version's snapshot)
    for plan_id, rows in versions.items():
        year = rows[0][0]
        signed_at = published[year][0]
        before = [row for row in rows if signed_at is None or row[1] <= signed_at]
        adopted[plan_id] = (year, (before or rows)[-1][2])
    projects: dict[int, set[int]] = {plan_id: set() for plan_id in adopted}
    recorded: dict[int | None, set[int]] = {}
    # Each project with the quarters it has recorded (a row each; none: one row, None): a join
    # costs less to build than a subquery per quarter.
    for pk, plan_id, quarter in _PROJECTS.rows(organisation.pk) if adopted else ():
        if plan_id in projects:
            projects[plan_id].add(pk)
            recorded.setdefault(quarter, set()).add(pk)
    found = []
    for plan_id, (year, snapshot) in adopted.items():
        frozen = [row.get("project") for row in snapshot]
        ids = projects[plan_id] if None in frozen else projects[plan_id] & set(frozen)
        found.append(PublicYear(year, published[year][1], {
            months: bool(ids) and ids <= recorded.get(quarter, set()) for months, quarter in MONTHS.items()}))
    return sorted(found, key=lambda public: -public.fiscal_year)


@dataclass
class DimensionTotal:
    number: int
    name: str
    count: int = 0
    budget: Decimal = Decimal("0.00")


@dataclass
class AdoptedPlan:
    public: PublicPlan
    version: PlanVersion
    summary: plan_selectors.PlanSummary  # the table as the version froze it
    dimensions: list[DimensionTotal] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return self.summary.projects


def adopted_plan(public: PublicPlan) -> AdoptedPlan:
    """The adopted version's table, and its projects and budget per dimension: one query (the
    framework's dimensions)."""
    plan, version = public.plan, public.version
    rows = version_rows(version)
    dimensions = list(plan.framework.dimensions.order_by("number"))
    earlier = [v for v in public.versions if v.number <= version.number]
    summary = plan_selectors.PlanSummary(
        plan=plan, projects=rows, totals=plan_selectors.plan_totals(rows), dimensions=dimensions,
        has_added=any(row.is_added for row in rows),
        footnotes=plan_selectors.footnotes([_noted(row) for row in rows], earlier), version_label=version.label)
    totals = {d.number: DimensionTotal(d.number, d.name) for d in dimensions}
    for row in rows:
        total = totals.setdefault(row.dimension, DimensionTotal(row.dimension, ""))
        total.count += 1
        total.budget += row.budget
    return AdoptedPlan(public=public, version=version, summary=summary, dimensions=list(totals.values()))


def days_since(moment: datetime.datetime) -> int:
    return (timezone.localdate() - timezone.localtime(moment).date()).days

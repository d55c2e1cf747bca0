"""Reads for the plan's public pages and its public section, each a fixed number of queries.

Which plan is public, and in which version, is decided here once for the pages, the section of
the organisation's public page and the tests:

- the plan of year Y is public when the newest SIGNED revision of the organisation's plan
  announcement of Y has a live publication (a later unsigned revision does not hide it; a signed
  revision that is not published does: it replaced the published one);
- the version shown is the one in force when that announcement was signed (the newest version
  approved at or before its signing: a plan announcement is signed only on an approved plan);
  when no version is that old, the newest approved one;
- a progress report (6 or 12 months) is public once the plan is and every project has its
  progress recorded for the period's last quarter (2 or 4), as the obligation "report" counts it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from lao_integrity.announcements.models import Announcement, Kind, Status
from lao_integrity.publication import selectors as publication_selectors
from lao_integrity.publication.models import Publication

from .. import selectors as plan_selectors
from ..models import Plan, PlanVersion
from ..versions.rows import Row, version_rows
from ..versions.selectors import _noted

MONTHS = {6: 2, 12: 4}  # a report's months -> the quarter every project must have recorded


def _signed_plan_announcements(organisation, fiscal_year: int | None = None):
    rows = Announcement.objects.filter(organisation=organisation, kind=Kind.PLAN, status=Status.SIGNED)
    if fiscal_year is not None:
        rows = rows.filter(fiscal_year=fiscal_year)
    return rows.only("pk", "organisation_id", "fiscal_year", "revision", "signed_at", "announced_on",
                     "subject").order_by("fiscal_year", "-revision", "-pk")


def _newest_by_year(announcements) -> dict[int, Announcement]:
    newest: dict[int, Announcement] = {}
    for announcement in announcements:  # newest revision first within each year
        newest.setdefault(announcement.fiscal_year, announcement)
    return newest


def _with_report_counts(plans):
    return plans.annotate(
        project_count=Count("projects", distinct=True),
        **{f"reported_{months}": Count("projects", distinct=True, filter=Q(projects__progress__quarter=quarter))
           for months, quarter in MONTHS.items()})


def reports_public(plan: Plan) -> dict[int, bool]:
    """6 / 12 -> whether the report's period is recorded for every project (plan read with
    `_with_report_counts`)."""
    return {months: plan.project_count > 0 and getattr(plan, f"reported_{months}") >= plan.project_count
            for months in MONTHS}


@dataclass
class PublicPlan:
    plan: Plan
    announcement: Announcement
    publication: Publication
    reports: dict[int, bool]  # 6 / 12 -> the report is public

    @property
    def published_at(self) -> datetime.datetime:
        return self.publication.published_at


def public_plan(organisation, fiscal_year: int) -> PublicPlan | None:
    """The plan of `fiscal_year` if it is public, else None: three queries."""
    announcement = _signed_plan_announcements(organisation, fiscal_year).first()
    if announcement is None:
        return None
    announcement.organisation = organisation  # its subject names it: no query again
    publication = publication_selectors.of(announcement)
    if publication is None:
        return None
    plan = (_with_report_counts(Plan.objects.filter(organisation=organisation, fiscal_year=fiscal_year))
            .select_related("organisation", "framework").first())
    if plan is None:
        return None
    return PublicPlan(plan=plan, announcement=announcement, publication=publication, reports=reports_public(plan))


def public_plans(organisation) -> list[PublicPlan]:
    """Every public plan of the organisation, newest year first: three queries."""
    newest = _newest_by_year(_signed_plan_announcements(organisation))
    live = publication_selectors.live(Announcement, [a.pk for a in newest.values()])
    published = {year: a for year, a in newest.items() if a.pk in live}
    if not published:
        return []
    plans = (_with_report_counts(Plan.objects.filter(organisation=organisation, fiscal_year__in=published))
             .select_related("organisation").order_by("-fiscal_year"))
    return [PublicPlan(plan=plan, announcement=published[plan.fiscal_year],
                       publication=live[published[plan.fiscal_year].pk], reports=reports_public(plan))
            for plan in plans]


def adopted_version(versions: list[PlanVersion], announcement: Announcement) -> PlanVersion | None:
    """The version the signed announcement adopted (see the module's docstring); no query."""
    if not versions:
        return None
    signed_at = announcement.signed_at
    before = [v for v in versions if signed_at is None or v.created_at <= signed_at]
    return before[-1] if before else versions[-1]


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


def adopted_plan(public: PublicPlan) -> AdoptedPlan | None:
    """The adopted version's table, and its projects and budget per dimension: two queries (the
    plan's versions, the framework's dimensions). None when the plan has no approved version."""
    plan = public.plan
    versions = list(plan.versions.order_by("number"))
    version = adopted_version(versions, public.announcement)
    if version is None:
        return None
    rows = version_rows(version)
    dimensions = list(plan.framework.dimensions.order_by("number"))
    earlier = [v for v in versions if v.number <= version.number]
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

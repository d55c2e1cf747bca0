"""What completes the plan's obligations (lao_integrity/obligations): the plan approved, its
announcement signed, the 6- and 12-month reports (every project's progress for quarter 2 / 4).
The providers read all the organisations given at once, and share one query (registry.read_once)."""

from __future__ import annotations

from typing import NamedTuple

from django.urls import reverse

from lao_integrity.announcements.models import Kind
from lao_integrity.announcements.obligations import signed_items
from lao_integrity.obligations import registry
from lao_integrity.obligations.items import make, url_maker
from lao_integrity.reversing import reversed_once
from lao_integrity.review import waiting
from lao_integrity.statements import Statement

from .models import Plan, PlanStatus

QUARTERS = (1, 2, 3, 4)


class _PlanCounts(NamedTuple):
    """What the plan rules read of a plan."""
    pk: int
    status: str
    project_count: int
    early: int  # projects planned in quarter 1 or 2 (due at 6 months: supervision.py)
    reported: tuple[int, int, int, int]  # per quarter, how many projects have that quarter's progress


# Each plan's counts as the database keeps them (PlanCounts, kept by triggers): counting a
# province's thousands of projects on every request cost more than the rest of its dashboard.
# Compiled once (lao_integrity/statements.py): building this queryset cost as much as running it.
_PLAN_COUNTS = Statement(lambda organisation_ids, years: (
    Plan.objects.filter(organisation_id__in=organisation_ids, fiscal_year__in=years).order_by()
    .values_list("pk", "organisation_id", "fiscal_year", "status", "counts__projects", "counts__early",
                 *(f"counts__reported_{quarter}" for quarter in QUARTERS))))


@registry.read_once
def plan_counts(organisation_ids, years):
    """{year: {organisation id: its _PlanCounts}}, each plan with its project count and, per quarter,
    how many projects have that quarter's progress: one query that every plan rule of every year
    reads, and the dashboard's implementation figures too (supervision.py; plain values: a province
    has a hundred plans)."""
    found = {year: {} for year in years}
    for pk, organisation_id, fiscal_year, status, project_count, early, *reported in _PLAN_COUNTS.rows(
            list(organisation_ids), list(years)):
        found[fiscal_year][organisation_id] = _PlanCounts(pk, status, project_count, early, tuple(reported))
    return found


def plan_approved(organisations, fiscal_year, rule, today):
    plans = plan_counts(organisations, fiscal_year)
    due = rule.due_in(fiscal_year)
    detail, plan_list = url_maker("plans:detail"), reversed_once("plans:list")
    for organisation in organisations:
        plan = plans.get(organisation.pk)
        url = detail(plan.pk) if plan is not None else plan_list
        yield make(rule, organisation, fiscal_year, due=due, today=today, url=url,
                   done=plan is not None and plan.status == PlanStatus.APPROVED)


def report(quarter: int):
    """Done when the plan has projects and each one has its progress for `quarter` recorded: the e-PlanNACC report of 6 months (quarter 2) or 12 months (quarter 4)."""
    if quarter not in QUARTERS:
        raise ValueError(f"no quarter {quarter!r}")

    def items_for(organisations, fiscal_year, rule, today):
        plans = plan_counts(organisations, fiscal_year)
        due = rule.due_in(fiscal_year)
        progress, plan_list = url_maker("plans:progress"), reversed_once("plans:list")
        for organisation in organisations:
            plan = plans.get(organisation.pk)
            url = progress(plan.pk) if plan is not None else plan_list
            done = plan is not None and plan.project_count > 0 and plan.reported[quarter - 1] >= plan.project_count
            yield make(rule, organisation, fiscal_year, due=due, today=today, url=url, done=done)

    return items_for


def plans_submitted(organisation_ids):
    """Plans staff submitted for approval: what waits for an executive's decision (one query)."""
    for plan in (Plan.objects.filter(organisation_id__in=organisation_ids, status=PlanStatus.SUBMITTED)
                 .select_related("organisation").order_by("fiscal_year", "pk")):
        yield waiting.Waiting(f"อนุมัติแผนปฏิบัติการป้องกันการทุจริต ปีงบประมาณ {plan.fiscal_year}",
                              reverse("plans:detail", args=[plan.pk]), plan.organisation.name)


def register_obligations() -> None:
    waiting.register(plans_submitted)
    registry.register("plans.approved", plan_approved, label="อนุมัติแผนปฏิบัติการป้องกันการทุจริต")
    registry.register("plans.announced", signed_items(Kind.PLAN), label="ลงนามประกาศใช้แผน")
    registry.register("plans.report_6_months", report(2), label="รายงานผลรอบ 6 เดือน (ไตรมาส 2 ครบทุกโครงการ)")
    registry.register("plans.report_12_months", report(4), label="รายงานผลรอบ 12 เดือน (ไตรมาส 4 ครบทุกโครงการ)")

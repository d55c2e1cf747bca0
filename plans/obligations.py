"""What completes the plan's obligations (lao_integrity/obligations): the plan approved, its
announcement signed, the 6- and 12-month reports (every project's progress for quarter 2 / 4).
Each provider reads all the organisations given at once: one or two queries."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from lao_integrity.announcements.models import Kind
from lao_integrity.announcements.obligations import signed_items
from lao_integrity.obligations import registry
from lao_integrity.obligations.items import make, url_maker
from lao_integrity.review import waiting

from .models import Plan, PlanStatus


def _plans(organisations, fiscal_year):
    return Plan.objects.filter(organisation_id__in=[o.pk for o in organisations], fiscal_year=fiscal_year)


def plan_approved(organisations, fiscal_year, rule, today):
    plans = {plan.organisation_id: plan for plan in _plans(organisations, fiscal_year).only("pk", "organisation_id",
                                                                                            "status")}
    due = rule.due_in(fiscal_year)
    detail, plan_list = url_maker("plans:detail"), reverse("plans:list")
    for organisation in organisations:
        plan = plans.get(organisation.pk)
        url = detail(plan.pk) if plan is not None else plan_list
        yield make(rule, organisation, fiscal_year, due=due, today=today, url=url,
                   done=plan is not None and plan.status == PlanStatus.APPROVED)


def report(quarter: int):
    """Done when the plan has projects and each one has its progress for `quarter` recorded: the e-PlanNACC report of 6 months (quarter 2) or 12 months (quarter 4)."""

    def items_for(organisations, fiscal_year, rule, today):
        plans = {plan.organisation_id: plan for plan in _plans(organisations, fiscal_year).annotate(
            project_count=Count("projects", distinct=True),
            reported=Count("projects", distinct=True, filter=Q(projects__progress__quarter=quarter)),
        ).only("pk", "organisation_id")}
        due = rule.due_in(fiscal_year)
        progress, plan_list = url_maker("plans:progress"), reverse("plans:list")
        for organisation in organisations:
            plan = plans.get(organisation.pk)
            url = progress(plan.pk) if plan is not None else plan_list
            done = plan is not None and plan.project_count > 0 and plan.reported >= plan.project_count
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

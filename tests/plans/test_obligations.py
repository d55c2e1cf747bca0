"""The plans' obligation providers: plan approved, its 6- and 12-month reports; one query each
for any number of organisations."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lao_integrity.obligations import registry
from lao_integrity.obligations.models import ObligationRule
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, OrgType
from plans import services
from plans.progress import services as progress_services

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 5)  # FY 2569, a few days after the 6-month report was due


def items(key, organisations, year=2569, today=TODAY):
    rule = ObligationRule.objects.get(key=key)
    return list(registry.get(rule.provider).items_for(organisations, year, rule, today))


def test_plan_approved_is_done_once_approved(org, plan, executive):
    [item] = items("plan-approved", [org])
    assert item.state == "overdue" and item.url == reverse("plans:detail", args=[plan.pk])
    services.plan_approve(plan=plan, user=executive)
    [item] = items("plan-approved", [org])
    assert item.state == "done" and item.responsible == "executive"


def test_six_month_report_needs_every_projects_quarter_2(org, plan, staff):
    [item] = items("plan-report-6-months", [org], today=datetime.date(2026, 4, 20))
    assert item.state == "due_soon" and item.url == reverse("plans:progress", args=[plan.pk])
    projects = list(plan.projects.all())
    for project in projects[:-1]:
        progress_services.progress_record(project=project, quarter=2, user=staff, status="in_progress",
                                          amount_spent=Decimal("0"))
    assert items("plan-report-6-months", [org])[0].state == "overdue"
    progress_services.progress_record(project=projects[-1], quarter=2, user=staff, status="done",
                                      amount_spent=Decimal("0"))
    assert items("plan-report-6-months", [org])[0].state == "done"
    assert items("plan-report-12-months", [org])[0].state == "upcoming"  # quarter 4 not yet, due October


def test_no_plan_at_all_points_to_the_plan_list(org):
    [item] = items("plan-approved", [org])
    assert item.url == reverse("plans:list") and item.key == f"plan-approved:{org.code}:2569"


@pytest.mark.parametrize("key", ["plan-approved", "plan-announced", "plan-report-6-months"])
def test_one_query_whatever_the_number_of_organisations(key, org, plan):
    many = [org] + [Organisation.objects.create(code=f"96{n:05d}", org_type=OrgType.SAO, name=f"อบต.ทดสอบ {n}",
                                                district="เมือง", province="ลำปาง") for n in range(6)]
    for other in many[1:4]:
        services.plan_create(organisation=other, fiscal_year=2569, user=SYSTEM)
    rule = ObligationRule.objects.get(key=key)
    provider = registry.get(rule.provider)
    with CaptureQueriesContext(connection) as few:
        assert len(list(provider.items_for(many[:2], 2569, rule, TODAY))) == 2
    with CaptureQueriesContext(connection) as more:
        assert len(list(provider.items_for(many, 2569, rule, TODAY))) == 7
    assert len(more) == len(few) == 1


def test_plan_counts_count_each_project_once_whatever_its_quarters(org, plan):
    """Each quarter's progress is counted without DISTINCT (a project has one row per quarter at
    most): the counts are those of a DISTINCT count over the join, with projects reported in
    several quarters, one quarter, and none."""
    from django.db.models import Count, Q

    from plans.models import Plan, Project, ProjectProgress
    from plans.obligations import plan_counts

    projects = list(plan.projects.order_by("sequence"))
    assert len(projects) >= 2
    Project.objects.filter(pk=projects[0].pk).update(q1=False, q2=False, q3=True, q4=True)
    ProjectProgress.objects.bulk_create(
        [ProjectProgress(project=projects[0], quarter=quarter, status="in_progress") for quarter in (1, 2, 3, 4)]
        + [ProjectProgress(project=projects[1], quarter=2, status="done")])
    reported = {f"r{q}": Count("projects", distinct=True, filter=Q(projects__progress__quarter=q)) for q in (1, 2, 3, 4)}
    [expected] = (Plan.objects.filter(pk=plan.pk).values("pk").annotate(
        n=Count("projects", distinct=True),
        early=Count("projects", distinct=True, filter=Q(projects__q1=True) | Q(projects__q2=True)), **reported)
        .values_list("n", "early", *reported))
    counts = plan_counts([org], plan.fiscal_year)[org.pk]
    assert (counts.project_count, counts.early, *counts.reported) == expected
    assert counts.project_count == len(projects) and counts.reported == (1, 2, 1, 1)

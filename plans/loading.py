"""What the plan app's pages start from: the plan or the project, loaded for the user (404 when
missing, 403 without access), and the question a change to an approved plan asks first."""

from lao_integrity.announcements import selectors as announcement_selectors
from lao_integrity.announcements.models import Kind
from lao_integrity.orgs import access

from . import revisions, selectors
from .models import Plan, PlanStatus, Project


def plan_for(request, pk, *, edit=False) -> Plan:
    return access.get_for(request, selectors.plan_for_page, pk=pk, edit=edit)


def project_for(request, pk, *, edit=False) -> Project:
    return access.get_for(request, selectors.project_with_sheet, pk=pk, edit=edit,
                          organisation=lambda project: project.plan.organisation)


def revision_question(request, plan: Plan) -> dict | None:
    """The question a change to an approved plan asks first (plans/revisions.py), or None."""
    if plan.status != PlanStatus.APPROVED:
        return None
    signed = announcement_selectors.current_announcement(plan.organisation, Kind.PLAN, plan.fiscal_year)
    return revisions.confirm_context(plan, signed, checked=revisions.confirmed(request))

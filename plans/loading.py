"""What the plan app's pages start from: the plan or the project, loaded for the user (404 when
missing, 403 without access), where a form returns to, and the question a change to an approved
plan asks first."""

from django.utils.http import url_has_allowed_host_and_scheme

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


def back_to(request, fallback: str) -> str:
    """Where a form's ยกเลิก (and its save) returns: the page that opened it, passed as ?next=
    (the form posts to its own address, so the save sees it too), when that is a page of this
    site; else `fallback`. Another site's address is never followed."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return fallback


def revision_question(request, plan: Plan) -> dict | None:
    """The question a change to an approved plan asks first (plans/revisions.py), or None."""
    if plan.status != PlanStatus.APPROVED:
        return None
    signed = announcement_selectors.current_announcement(plan.organisation, Kind.PLAN, plan.fiscal_year)
    return revisions.confirm_context(plan, signed, checked=revisions.confirmed(request))

"""Pages of the plan's frozen versions: what changed since the last approval (before approving),
the versions list, one version as frozen, and its PDF. Whoever may see the plan may see these."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from lao_integrity.downloads import pdf_or_preview
from lao_integrity.orgs import access
from lao_integrity.pagecache import cached_page, owner

from ..loading import plan_for
from ..models import QUARTERS, Plan, PlanVersion
from ..views import CONFIRM_APPROVE
from . import documents, selectors


def version_for(request, pk) -> PlanVersion:
    return access.get_for(request, selectors.version_for_page, pk=pk,
                          organisation=lambda version: version.plan.organisation)


@login_required
@cached_page(organisation=owner(Plan))
def plan_changes(request, pk):
    plan = plan_for(request, pk)
    versions = selectors.with_totals(selectors.plan_versions(plan))
    return render(request, "plans/versions/changes.html", {
        "plan": plan, "versions": versions, "changes": selectors.plan_changes(plan, versions=versions),
        "can_approve": access.can_approve(request.user, plan.organisation), "confirm_approve": CONFIRM_APPROVE,
    })


@login_required
@cached_page(organisation=owner(Plan))
def version_list(request, pk):
    plan = plan_for(request, pk)
    versions = selectors.with_totals(selectors.plan_versions(plan))
    return render(request, "plans/versions/list.html", {
        "plan": plan, "versions": versions, "draft_label": selectors.next_label(plan, versions),
    })


@login_required
@cached_page(organisation=owner(PlanVersion))
def version_detail(request, pk):
    version = version_for(request, pk)
    page = selectors.version_page(version)
    return render(request, "plans/versions/detail.html", {
        "plan": version.plan, "version": version, "page": page, "summary": page.summary,
        "changes": page.changes, "approval": documents.approval_text(version), "quarters": QUARTERS,
    })


@login_required
def version_document(request, pk):
    """The version's PDF, or with ?preview=1 the same document as HTML."""
    version = version_for(request, pk)
    page = selectors.version_page(version)
    return pdf_or_preview(request, html=lambda: documents.version_html(page, request=request),
                          pdf=lambda: documents.version_pdf(page), filename=documents.filename(version))

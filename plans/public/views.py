"""The plan's public pages (no login): the adopted plan, its PDF, and the progress reports."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from lao_integrity import thai
from lao_integrity.documents.render import render_html, render_pdf
from lao_integrity.downloads import pdf_or_preview
from lao_integrity.orgs.models import Organisation
from lao_integrity.publication.web import public_view

from .. import documents, eplannacc
from .. import selectors as plan_selectors
from ..models import QUARTERS
from ..versions import documents as version_documents
from . import selectors


def _organisation(code: str) -> Organisation:
    return get_object_or_404(Organisation, code=code)


def _public(code: str, fiscal_year: int) -> selectors.PublicPlan:
    public = selectors.public_plan(_organisation(code), fiscal_year)
    if public is None:
        raise Http404("แผนนี้ยังไม่ได้เผยแพร่ต่อสาธารณะ")
    return public


def _adopted(code: str, fiscal_year: int) -> selectors.AdoptedPlan:
    return selectors.adopted_plan(_public(code, fiscal_year))


def _published(public: selectors.PublicPlan) -> dict:
    return {"published_at": public.published_at, "published_days": selectors.days_since(public.published_at)}


def _approved_text(version) -> str:
    """When the version was approved, without the approver's name (a public page names no staff)."""
    when = thai.format_date_long(timezone.localtime(version.created_at).date(), thai=False)
    return f"{version.label} อนุมัติเมื่อ {when}"


@public_view
def plan(request, code, fiscal_year):
    adopted = _adopted(code, fiscal_year)
    public = adopted.public
    return render(request, "plans/public/plan.html", {
        "org": public.plan.organisation, "plan": public.plan, "adopted": adopted, "summary": adopted.summary,
        "quarters": QUARTERS, "approved": _approved_text(adopted.version), "reports": public.reports,
        **_published(public)})


@public_view
def plan_pdf(request, code, fiscal_year):
    """The adopted version's summary table, as the plan book's first page prints it."""
    adopted = _adopted(code, fiscal_year)
    plan = adopted.public.plan
    context = {"plan": plan, "org": plan.organisation, "summary": adopted.summary, "quarters": QUARTERS,
               "version": adopted.version, "frozen": _approved_text(adopted.version)}
    return pdf_or_preview(
        request, html=lambda: render_html(version_documents.TEMPLATE, {**context, "preview": True}, request=request),
        pdf=lambda: render_pdf(version_documents.TEMPLATE, context),
        filename=f"plan-{plan.organisation.code}-{plan.fiscal_year}.pdf")


def _report(code: str, fiscal_year: int, months: int) -> selectors.PublicPlan:
    if months not in selectors.MONTHS:
        raise Http404
    public = _public(code, fiscal_year)
    if not public.reports[months]:
        raise Http404("รายงานผลรอบนี้ยังไม่ได้บันทึกครบทุกโครงการ")
    return public


@public_view
def progress(request, code, fiscal_year, months):
    public = _report(code, fiscal_year, months)
    summary = plan_selectors.progress_summary(public.plan, months=months, project_ids=public.project_ids)
    return render(request, "plans/public/progress.html", {
        "org": public.plan.organisation, "plan": public.plan, "summary": summary, "months": months,
        "ordinance_label": eplannacc.ordinance_label(public.plan), "reports": public.reports,
        **_published(public)})


@public_view
def progress_pdf(request, code, fiscal_year, months):
    public = _report(code, fiscal_year, months)
    plan = public.plan
    template = documents.PROGRESS_TEMPLATE  # as documents.plan_progress_context, without the issuer's name
    context = {"plan": plan, "org": plan.organisation, "months": months, "public": True,
               "summary": plan_selectors.progress_summary(plan, months=months, project_ids=public.project_ids),
               "ordinance_label": eplannacc.ordinance_label(plan)}
    return pdf_or_preview(
        request, html=lambda: render_html(template, {**context, "preview": True}, request=request),
        pdf=lambda: render_pdf(template, context),
        filename=f"plan-progress-{plan.organisation.code}-{plan.fiscal_year}-{months}m.pdf")

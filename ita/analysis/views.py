"""The ITA analysis report of one result: page, PDF (or HTML preview) and guidance editing."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from lao_integrity import history
from lao_integrity.downloads import pdf_or_preview
from lao_integrity.orgs import access
from lao_integrity.pagecache import cached_page, owner
from lao_integrity.saving import save_form

from ..models import IndicatorScore, Result
from ..results import selectors
from . import documents, services
from .forms import GuidanceForm, RecommendationsForm


def _result(request, pk, *, edit=False) -> Result:
    return access.get_for(request, selectors.result_for_page, pk=pk, edit=edit)


@login_required
@cached_page(organisation=owner(Result))
def analysis(request, pk):
    result = _result(request, pk)
    context = documents.analysis_context(result)
    context["can_edit"] = access.can_edit(request.user, result.organisation)
    context["history"] = _result_history(request, result)
    return render(request, "ita/analysis/detail.html", context)


def _result_history(request, result: Result) -> list | None:
    """The audit trail of the result and its indicator scores (executives and auditors)."""
    if not access.can_see_history(request.user, result.organisation):
        return None
    names = {s.indicator_id: f"ตัวชี้วัดที่ {s.indicator.number} {s.indicator.name}" for s in result.scores.all()}
    return history.trail(history.object_history(result), history.Source(
        IndicatorScore.history.filter(result_id=result.pk), label=lambda record: names.get(record.indicator_id, "")))


@login_required
def analysis_pdf(request, pk):
    """The report as a PDF download, or the same document as HTML with ?preview=1."""
    result = _result(request, pk)
    return pdf_or_preview(request, html=lambda: documents.analysis_html(result, request=request),
                          pdf=lambda: documents.analysis_pdf(result),
                          filename=f"ita-analysis-{result.organisation.code}-{result.fiscal_year}.pdf")


@login_required
def guidance_edit(request, pk):
    result = _result(request, pk, edit=True)
    form = GuidanceForm(request.POST or None, result=result)
    if request.method == "POST" and form.is_valid():
        saved = save_form(request, form, lambda: services.guidance_save(
            result=result, guidance=form.guidance(), user=request.user, expected_version=form.cleaned_data["version"]),
            message="บันทึกแนวทางรายตัวชี้วัดแล้ว", to=reverse("ita:result", args=[result.pk]))
        if saved:
            return saved
    return render(request, "ita/analysis/guidance_form.html", {"result": result, "form": form})


@login_required
def recommendations_edit(request, pk):
    """The assessor's recommendations of the result: question code, issue, advice, cited OIT items."""
    result = _result(request, pk, edit=True)
    form = RecommendationsForm(request.POST or None, result=result)
    if request.method == "POST" and form.is_valid():
        saved = save_form(request, form, lambda: services.recommendations_replace(
            result=result, by_tool=form.by_tool(), user=request.user, expected_version=form.cleaned_data["version"]),
            message="บันทึกข้อเสนอแนะของผู้ตรวจประเมินแล้ว", to=reverse("ita:result", args=[result.pk]))
        if saved:
            return saved
    return render(request, "ita/analysis/recommendations_form.html", {"result": result, "form": form})

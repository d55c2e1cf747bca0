"""The performance bonus pages: a province's ก.ท.จ. summary of a year (page, PDF, xlsx), read by
whoever may see those organisations (access.visible_organisations), and the entry form of part 1
of one municipality and year, for administrators only."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from lao_integrity.downloads import pdf_or_preview, table_attachment
from lao_integrity.orgs import access
from lao_integrity.saving import save_form

from . import documents, selectors, services
from .forms import BonusScoreForm


def _summary(request, province: str, fiscal_year: int) -> selectors.Summary:
    summary = selectors.province_summary(request.user, province, fiscal_year)
    # A province none of whose organisations the user may see is not confirmed to exist.
    if not summary.districts and not selectors.sees_province(request.user, province):
        raise Http404
    return summary


@login_required
def summary(request, province, fiscal_year):
    data = _summary(request, province, fiscal_year)
    entry_links = services.can_enter(request.user)
    return render(request, "lpa/bonus/summary.html", {
        **documents.context(data, entry_links=entry_links),
        "table_class": "data",
        "entry_links": entry_links,
    })


@login_required
def summary_pdf(request, province, fiscal_year):
    data = _summary(request, province, fiscal_year)
    return pdf_or_preview(request, html=lambda: documents.summary_html(data, request=request),
                          pdf=lambda: documents.summary_pdf(data),
                          filename=f"bonus-{fiscal_year}-{province}.pdf")


@login_required
def summary_xlsx(request, province, fiscal_year):
    data = _summary(request, province, fiscal_year)
    return table_attachment(documents.summary_xlsx(data), fmt="xlsx", filename=f"bonus-{fiscal_year}-{province}.xlsx")


@login_required
def entry(request, code, fiscal_year):
    organisation = access.organisation_for(request, code)
    if not services.can_enter(request.user):
        raise PermissionDenied(services.ADMIN_ONLY)
    if organisation.org_type not in selectors.MUNICIPAL_TYPES:
        raise Http404
    score = selectors.score_for(organisation, fiscal_year)
    form = BonusScoreForm(request.POST if request.method == "POST" else None, score=score)
    back = reverse("lpa:bonus_summary", args=[organisation.province, fiscal_year])
    if request.method == "POST" and form.is_valid():
        saved = save_form(request, form, lambda: services.bonus_score_save(
            organisation=organisation, fiscal_year=fiscal_year, scores=form.scores(),
            remark=form.cleaned_data["remark"], user=request.user,
            expected_version=form.cleaned_data["version"]),
            message=lambda s: (f"บันทึกคะแนนส่วนที่ 1 ปีงบประมาณ {fiscal_year} ของ {organisation.name} แล้ว "
                               f"รวม {s.part1:.2f} คะแนน"),
            to=f"{back}#row-{organisation.code}")
        if saved:
            return saved
    return render(request, "lpa/bonus/entry.html", {
        "organisation": organisation,
        "fiscal_year": fiscal_year,
        "score": score,
        "form": form,
        "back": back,
        **selectors.entry_context(organisation, fiscal_year),
    })

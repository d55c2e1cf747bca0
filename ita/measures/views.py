"""Improvement measures (มาตรการ) of one organisation and fiscal year, and their quarterly progress.

Views check access, call a selector or a service, render. Evidence files are served only
through `measure_evidence`, after the same access check as the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator

from lao_integrity import confirmation, history, thai
from lao_integrity.announcements import selectors as announcement_selectors
from lao_integrity.announcements.models import Kind
from lao_integrity.downloads import pdf_attachment
from lao_integrity.fields import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation
from lao_integrity.pagecache import cached_page, owner
from lao_integrity.saving import run_action, save_form
from lao_integrity.submissions.once import once_per_submission
from lao_integrity.uploads import stored_file_response

from ..models import Measure, MeasureProgress
from . import documents, selectors, services
from .forms import MeasureForm, MeasureProgressForm


def _organisation(request, code, fiscal_year, *, edit=False) -> Organisation:
    if not FISCAL_YEAR_MIN <= fiscal_year <= FISCAL_YEAR_MAX:
        raise Http404
    return access.organisation_for(request, code, edit=edit)


def _measure(request, pk, *, edit=False) -> Measure:
    return access.get_for(request, selectors.measure_for_page, pk=pk, edit=edit)


def _list_url(measure: Measure) -> str:
    return reverse("ita:measures", args=[measure.organisation.code, measure.fiscal_year]) + f"#m{measure.pk}"


@login_required
@cached_page(organisation=owner(Organisation, argument="code", lookup="code"))
def measure_list(request, code, fiscal_year):
    """The year's measures by indicator with Q1-Q4 progress; ?pdf=1 the table PDF, ?preview=1 its HTML."""
    organisation = _organisation(request, code, fiscal_year)
    if request.GET.get("preview"):
        return HttpResponse(documents.measures_table_html(organisation, fiscal_year, request=request))
    if request.GET.get("pdf"):
        try:
            pdf = documents.measures_table_pdf(organisation, fiscal_year)
        except LookupError as error:
            messages.error(request, str(error))
            return redirect("ita:measures", code=code, fiscal_year=fiscal_year)
        return pdf_attachment(pdf, filename=f"ita-measures-{code}-{fiscal_year}.pdf")
    page = selectors.measures_page(organisation, fiscal_year, recommendations=True)
    for measure in page.measures:
        measure.delete_label = delete_label(measure)
    return render(request, "ita/measures/list.html", {
        "org": organisation, "fiscal_year": fiscal_year, "page": page,
        "announcement": announcement_selectors.latest_announcement(organisation, Kind.ITA_MEASURES, fiscal_year),
        "can_edit": access.can_edit(request.user, organisation),
        "quarters": [(q, thai.QUARTER_MONTHS_LABEL[q]) for q in selectors.QUARTERS],
        "history": _measures_history(request, organisation, fiscal_year),
    })


def _measures_history(request, organisation: Organisation, fiscal_year: int) -> list | None:
    """The audit trail of the year's measures and their quarterly progress (executives and auditors)."""
    if not access.can_see_history(request.user, organisation):
        return None
    measures = Measure.history.filter(organisation_id=organisation.pk, fiscal_year=fiscal_year)
    titles = dict(Measure.objects.filter(organisation=organisation, fiscal_year=fiscal_year).values_list("pk", "title"))

    def progress_label(record) -> str:
        title = titles.get(record.measure_id, "มาตรการที่ลบแล้ว")
        return f"{title[:80]} ไตรมาส {record.quarter}"

    return history.trail(measures, history.Source(
        MeasureProgress.history.filter(measure_id__in=measures.values("id")), label=progress_label))


@login_required
@once_per_submission
def measure_add(request, code, fiscal_year):
    organisation = _organisation(request, code, fiscal_year, edit=True)
    result = selectors.previous_result(organisation, fiscal_year)  # whose recommendations measures answer
    framework = selectors.measures_framework(organisation, fiscal_year, result)
    if framework is None:
        messages.error(request, f"ยังไม่มีกรอบการประเมิน ITA สำหรับมาตรการปีงบประมาณ {fiscal_year} โปรดแจ้งผู้ดูแลระบบ")
        return redirect("ita:measures", code=code, fiscal_year=fiscal_year)
    form = MeasureForm(request.POST or None, organisation=organisation, framework=framework, result=result)
    if request.method == "POST" and form.is_valid():
        saved = save_form(request, form, lambda: services.measure_create(
            organisation=organisation, fiscal_year=fiscal_year, user=request.user, **form.service_kwargs()),
            message="เพิ่มมาตรการแล้ว", to=_list_url)
        if saved:
            return saved
    return render(request, "ita/measures/form.html", {
        "org": organisation, "fiscal_year": fiscal_year, "framework": framework, "form": form, "measure": None})


@login_required
def measure_edit(request, pk):
    """Edit a measure; a POST with direction=up|down moves it in the year's list instead."""
    measure = _measure(request, pk, edit=True)
    if request.method == "POST" and request.POST.get("direction") in ("up", "down"):
        offset = -1 if request.POST["direction"] == "up" else 1
        services.measure_move(measure=measure, offset=offset, user=request.user)
        return redirect(_list_url(measure))
    organisation, fiscal_year = measure.organisation, measure.fiscal_year
    result = selectors.previous_result(organisation, fiscal_year)
    framework = selectors.measures_framework(organisation, fiscal_year, result)
    if framework is None:
        messages.error(request, f"ยังไม่มีกรอบการประเมิน ITA สำหรับมาตรการปีงบประมาณ {fiscal_year} โปรดแจ้งผู้ดูแลระบบ")
        return redirect(_list_url(measure))
    form = MeasureForm(request.POST or None, organisation=organisation, framework=framework, measure=measure,
                       result=result)
    if request.method == "POST" and form.is_valid():
        saved = save_form(request, form, lambda: services.measure_update(
            measure=measure, user=request.user, expected_version=form.expected_version(), **form.service_kwargs()),
            message="บันทึกมาตรการแล้ว", to=_list_url(measure))
        if saved:
            return saved
    return render(request, "ita/measures/form.html", {
        "org": organisation, "fiscal_year": fiscal_year, "framework": framework, "form": form, "measure": measure,
        "progress_count": len(measure.progress.all()), "delete_question": delete_question(measure)})


def _what_goes_with(measure: Measure) -> str:
    progress = list(measure.progress.all())
    evidence = sum(1 for p in progress if p.evidence_file or p.evidence_url)
    text = f" พร้อมผลการดำเนินงาน {len(progress)} ไตรมาส" if progress else ""
    return text + (f" และหลักฐาน {evidence} รายการ" if evidence else "")


def delete_label(measure: Measure) -> str:
    """The box beside a row's delete button: short, the row names the measure."""
    return "ยืนยันการลบมาตรการนี้" + _what_goes_with(measure)


def delete_question(measure: Measure) -> str:
    """The box on the delete page and, posted without it, the question: what goes."""
    return (f"ยืนยันการลบมาตรการ “{Truncator(measure.title).chars(80)}”{_what_goes_with(measure)} "
            "ลบแล้วกู้คืนไม่ได้")


@login_required
def measure_delete(request, pk):
    """GET asks first, naming what goes (every indicator it is listed under, its progress and evidence).
    A POST deletes only with its box ticked (saving.run_action(confirm=…)); without it, nothing is
    deleted and the question is shown on that page."""
    measure = _measure(request, pk, edit=True)
    if request.method == "POST":
        return run_action(
            request, lambda: services.measure_delete(measure=measure, user=request.user),
            message=f"ลบมาตรการ “{measure.title}” แล้ว",
            to=reverse("ita:measures", args=[measure.organisation.code, measure.fiscal_year]),
            refused=reverse("ita:measure_delete", args=[measure.pk]), confirm={"delete": delete_question(measure)})
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    progress = list(measure.progress.all())
    return render(request, "ita/measures/confirm_delete.html", {
        "org": measure.organisation, "fiscal_year": measure.fiscal_year, "measure": measure,
        "indicators": list(measure.indicators.all()), "items": list(measure.items.all()),
        "progress": progress, "evidence_count": sum(1 for p in progress if p.evidence_file or p.evidence_url),
        "question": delete_question(measure), "cancel_url": _list_url(measure),
    })


@login_required
def measure_progress(request, pk, quarter):
    measure = _measure(request, pk, edit=True)
    if quarter not in selectors.QUARTERS:
        raise Http404
    existing = next((p for p in measure.progress.all() if p.quarter == quarter), None)
    initial = {"version": existing.version if existing is not None else 0}
    if existing is not None:
        initial.update({"status": existing.status, "result": existing.result, "evidence_url": existing.evidence_url})
    form = MeasureProgressForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_form(request, form, lambda: services.progress_record(
            measure=measure, quarter=quarter, user=request.user, expected_version=form.cleaned_data["version"],
            confirmed=confirmation.confirmed(form), **form.service_kwargs()),
            message=f"บันทึกผลไตรมาส {quarter} ของมาตรการ “{measure.title}” แล้ว", to=_list_url(measure))
        if saved:
            return saved
    return render(request, "ita/measures/progress_form.html", {
        "org": measure.organisation, "fiscal_year": measure.fiscal_year, "measure": measure, "quarter": quarter,
        "quarter_label": thai.QUARTER_MONTHS_LABEL[quarter], "form": form, "existing": existing})


@login_required
def measure_evidence(request, pk, quarter):
    measure = _measure(request, pk)
    progress = MeasureProgress.objects.filter(measure=measure, quarter=quarter).first()
    if progress is None:
        raise Http404
    return stored_file_response(progress.evidence_file)

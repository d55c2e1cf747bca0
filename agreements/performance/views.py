"""Pages for unit and individual performance agreements. Each view checks access, then calls a
service or a selector and renders. Staff and executives enter and track, executives sign and
evaluate, auditors read (403 on any change); another organisation's agreement is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from lao_integrity import history, thai
from lao_integrity.downloads import pdf_attachment, pdf_or_preview, table_attachment
from lao_integrity.orgs import access
from lao_integrity.orgs.forms import many
from lao_integrity.orgs.models import Organisation
from lao_integrity.pagecache import cached_page, owner
from lao_integrity.paging import paginate
from lao_integrity.reversing import url_pattern
from lao_integrity.review import selectors as review_selectors
from lao_integrity.review import states as review_states
from lao_integrity.review import views as review_views
from lao_integrity.saving import run_action, save_form
from lao_integrity.submissions.once import once_per_submission
from lao_integrity.tabular import ImportRejected, RowProblem
from lao_integrity.uploads import TableUploadForm, stored_file_response

from . import documents, exchange, fragments, publication, reviewing, selectors, services
from .forms import (
    AgreementCreateForm,
    AgreementForm,
    EvaluateForm,
    IndicatorForm,
    LinkProjectsForm,
    OrganisationPickForm,
    ProgressForm,
)
from .models import (
    AgreementIndicator,
    AgreementKind,
    AgreementStatus,
    IndicatorProgress,
    PerformanceAgreement,
)
from .scoring import format_decimal


def _agreement(request, pk, *, edit=False, approve=False) -> PerformanceAgreement:
    return access.get_for(request, selectors.agreement_for_page, pk=pk, edit=edit, approve=approve)


def _indicator(request, pk, *, edit=False) -> AgreementIndicator:
    return access.get_for(request, selectors.indicator_for_page, pk=pk, edit=edit,
                          organisation=lambda indicator: indicator.agreement.organisation)


# Beside the buttons that cannot be undone and, posted without their box, the question.
CONFIRM = {
    "sign": "ยืนยันการลงนาม: ตัวชี้วัดและน้ำหนักจะถูกตรึง แก้ไขไม่ได้อีก",
    "delete": "ยืนยันการลบ: ข้อตกลงนี้และตัวชี้วัดทั้งหมดจะถูกลบถาวร",
}


def _button(request, agreement: PerformanceAgreement, action, *, message, to=None, confirm=None, question=None):
    """A button on the agreement's page (sign, delete): a GET just goes back to the page, and so
    does a refusal; done, to `to` (the page itself unless given). `confirm`: a kind of CONFIRM
    whose box must be ticked first (`question`: its text when it names what this button does)."""
    if request.method != "POST":
        return redirect("agreements:detail", pk=agreement.pk)
    return run_action(request, action, message=message, to=to or _detail_url(agreement),
                      refused=_detail_url(agreement),
                      confirm={confirm: question or CONFIRM[confirm]} if confirm else None)


def indicator_delete_label(indicator) -> str:
    """The box beside an indicator's delete button: short, the row names the indicator."""
    return f"ยืนยันการลบตัวชี้วัดนี้ (น้ำหนัก {format_decimal(indicator.weight)})"


def indicator_delete_question(indicator) -> str:
    """Posted without the box ticked: the question, naming what goes."""
    return (f"ยืนยันการลบตัวชี้วัด “{Truncator(indicator.name).chars(80)}” (น้ำหนัก "
            f"{format_decimal(indicator.weight)}) ออกจากข้อตกลงนี้ ลบแล้วกู้คืนไม่ได้")


def _detail_url(agreement, anchor: str = "") -> str:
    return reverse("agreements:detail", args=[agreement.pk]) + (f"#{anchor}" if anchor else "")


@login_required
@cached_page
@once_per_submission
def agreement_list(request):
    def number(name, allowed=None):
        value = request.GET.get(name, "")
        if not value.isdigit() or (allowed and int(value) not in allowed):
            return None
        return int(value)

    fiscal_year, round_number = number("year"), number("round", (1, 2))
    kind = request.GET.get("kind") if request.GET.get("kind") in AgreementKind.values else None
    agreements = selectors.agreements_for_user(request.user, fiscal_year=fiscal_year, round=round_number,
                                               kind=kind)
    editable = access.editable_organisations(request.user)
    # A user who may act for many organisations first picks one by its code (?org=): the create
    # form then lists that organisation's units and people, not the whole country's.
    pick, scope, picked = None, editable, None
    if many(editable):
        pick = OrganisationPickForm(request.GET if request.GET.get("org") else None, organisations=editable)
        picked = pick.cleaned_data["org"] if pick.is_valid() else None
        scope = Organisation.objects.filter(pk=picked.pk) if picked else None
    today = timezone.localdate()
    initial = {"fiscal_year": thai.fiscal_year(today), "round": 1 if thai.fiscal_quarter(today) <= 2 else 2}
    form = AgreementCreateForm(organisations=scope, picked=picked, initial=initial) if scope is not None else None
    if request.method == "POST":
        if not editable.exists():
            raise PermissionDenied("บทบาทของท่านอ่านได้อย่างเดียว")
        if scope is None:
            raise PermissionDenied("กรุณาเลือก อปท. ก่อน")
        form = AgreementCreateForm(request.POST, organisations=scope, picked=picked)
        if form.is_valid():
            saved = save_form(request, form, lambda: services.agreement_create(user=request.user, **form.cleaned_data),
                              message="สร้างข้อตกลงแล้ว เพิ่มตัวชี้วัดหรือนำเข้าไฟล์ได้เลย",
                              to=lambda agreement: reverse("agreements:detail", args=[agreement.pk]))
            if saved:
                return saved
    page = paginate(request, agreements)
    page.object_list = selectors.with_indicator_totals(page.object_list)
    return render(request, "agreements/performance/list.html", {
        "page": page, "agreements": page.object_list, "form": form, "pick": pick, "picked": picked,
        "can_create": editable.exists(),
        "years": selectors.agreement_years(request.user), "year": fiscal_year, "round": round_number,
        "kind": kind, "kinds": AgreementKind.choices,
    })


@login_required
@cached_page(organisation=owner(PerformanceAgreement))
def agreement_detail(request, pk):
    agreement = access.get_for(request, selectors.agreement_for_detail, pk=pk)
    detail = selectors.agreement_detail(agreement)
    for row in detail.rows:
        row.indicator.delete_label = indicator_delete_label(row.indicator)
    start, end = agreement.bounds
    context = {
        "agreement": agreement, "detail": detail, "start": start, "end": end, "confirm": CONFIRM,
        "can_edit": access.can_edit(request.user, agreement.organisation),
        "can_approve": access.can_approve(request.user, agreement.organisation),
        "is_draft": agreement.status in review_states.EDITABLE,
        "is_open": agreement.status in review_states.OPEN,
        "is_signed": agreement.status == AgreementStatus.SIGNED,
        "is_evaluated": agreement.status == AgreementStatus.EVALUATED,
        # Signed or evaluated: the kernel's publish box ({% publish_box %}) shows it, published or not.
        "can_publish": agreement.status in publication.SIGNED,
        "round_started": timezone.localdate() >= start,
        # The audit trail is a page of its own (agreement_history): linked here for those who may read it.
        "can_see_history": access.can_see_history(request.user, agreement.organisation),
        "review": review_selectors.panel(agreement, request.user, agreement.organisation, urls={
            step: url_pattern(f"agreements:{step}", None).format(agreement.pk) for step in ("submit", "withdraw", "return")}),
    }
    return render(request, "agreements/performance/detail.html", {**context, "parts": fragments.detail_parts(request, context)})


@login_required
def agreement_history(request, pk):
    """The audit trail of the agreement, its indicators and their quarterly progress: executives and
    auditors (access.can_see_history)."""
    agreement = _agreement(request, pk)
    if not access.can_see_history(request.user, agreement.organisation):
        raise PermissionDenied
    indicators = AgreementIndicator.history.filter(agreement_id=agreement.pk)
    names = dict(agreement.indicators.values_list("pk", "name"))

    def progress_label(record) -> str:
        return f"{names.get(record.indicator_id, 'ตัวชี้วัดที่ลบแล้ว')[:80]} ไตรมาส {record.quarter}"

    label = str(agreement)
    return render(request, "history_page.html", {
        "title": label, "back": _detail_url(agreement), "back_label": label,
        "history": history.trail(
            history.object_history(agreement), indicators,
            history.Source(IndicatorProgress.history.filter(indicator_id__in=indicators.values("id")),
                           label=progress_label)),
    })


@login_required
def agreement_edit(request, pk):
    """Two forms on one page: the parties (drafts only) and the linked plan projects."""
    agreement = _agreement(request, pk, edit=True)
    is_draft = agreement.status in review_states.EDITABLE
    parties = AgreementForm(agreement=agreement)
    candidates = selectors.plan_projects_for(agreement)
    links = LinkProjectsForm(queryset=candidates, initial={"projects": list(agreement.projects.all()),
                                                           "version": agreement.version})
    if request.method == "POST":
        if request.POST.get("action") == "projects":
            links = LinkProjectsForm(request.POST, queryset=candidates, initial={"version": agreement.version})
            if links.is_valid():
                saved = save_form(request, links, lambda: services.agreement_link_projects(
                    agreement=agreement, projects=links.cleaned_data["projects"], user=request.user,
                    expected_version=links.cleaned_data["version"]),
                    message="บันทึกโครงการในแผนที่เกี่ยวข้องแล้ว", to=_detail_url(agreement, "projects"))
                if saved:
                    return saved
        else:
            parties = AgreementForm(request.POST, agreement=agreement)
            if parties.is_valid():
                fields = dict(parties.cleaned_data)
                version = fields.pop("version")
                saved = save_form(request, parties, lambda: services.agreement_update(
                    agreement=agreement, user=request.user, expected_version=version, **fields),
                    message="บันทึกข้อตกลงแล้ว", to=reverse("agreements:detail", args=[agreement.pk]))
                if saved:
                    return saved
    return render(request, "agreements/performance/form.html", {
        "agreement": agreement, "form": parties, "links": links, "is_draft": is_draft,
        "has_candidates": candidates.exists(),
    })


@login_required
def agreement_delete(request, pk):
    agreement = _agreement(request, pk, edit=True)
    return _button(request, agreement, lambda: services.agreement_delete(agreement=agreement, user=request.user),
                   message=lambda _: f"ลบ “{agreement}” แล้ว", to=reverse("agreements:list"), confirm="delete")


@login_required
@require_POST
@once_per_submission
def agreement_submit(request, pk):
    agreement = _agreement(request, pk, edit=True)
    return review_views.submit(request, lambda **posted: reviewing.agreement_submit(
        agreement=agreement, user=request.user, **posted), to=_detail_url(agreement))


@login_required
@require_POST
@once_per_submission
def agreement_withdraw(request, pk):
    agreement = _agreement(request, pk, edit=True)
    return review_views.withdraw(request, lambda **posted: reviewing.agreement_withdraw(
        agreement=agreement, user=request.user, **posted), to=_detail_url(agreement))


@login_required
@require_POST
@once_per_submission
def agreement_return(request, pk):
    agreement = _agreement(request, pk, approve=True)
    return review_views.send_back(request, lambda **posted: reviewing.agreement_return(
        agreement=agreement, user=request.user, **posted), to=_detail_url(agreement))


@login_required
@once_per_submission
def agreement_sign(request, pk):
    agreement = _agreement(request, pk, approve=True)
    return _button(request, agreement, lambda: services.agreement_sign(agreement=agreement, user=request.user),
                   message="ลงนามข้อตกลงแล้ว ตัวชี้วัดและน้ำหนักจะแก้ไขไม่ได้อีก", confirm="sign")


@login_required
@once_per_submission
def agreement_evaluate(request, pk):
    agreement = _agreement(request, pk, approve=True)
    detail = selectors.agreement_detail(agreement)
    if agreement.status != AgreementStatus.SIGNED:
        messages.error(request, "ประเมินผลได้เฉพาะข้อตกลงที่ลงนามแล้วและยังไม่ได้ประเมิน")
        return redirect("agreements:detail", pk=agreement.pk)
    form = EvaluateForm(request.POST or None, rows=detail.rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_evaluate(agreement=agreement, values=form.values(), user=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"ประเมินผลแล้ว คะแนนผลสัมฤทธิ์ {agreement.score:.2f}")
            return redirect(_detail_url(agreement, "score"))
    start, end = agreement.bounds
    return render(request, "agreements/performance/evaluate_form.html", {
        "agreement": agreement, "detail": detail, "form": form, "start": start, "end": end,
    })


def _pdf_filename(agreement: PerformanceAgreement) -> str:
    return (f"performance-agreement-{agreement.organisation.code}-"
            f"{agreement.fiscal_year}-{agreement.round}-{agreement.pk}.pdf")


def _stored_pdf(request, agreement: PerformanceAgreement):
    """The PDF kept at signing, as it was signed; refused (back to the page) if its bytes changed."""
    try:
        return pdf_attachment(selectors.signed_pdf(agreement), filename=_pdf_filename(agreement))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("agreements:detail", pk=agreement.pk)


@login_required
def agreement_pdf(request, pk):
    """PDF download, or the same document as HTML with ?preview=1. A signed agreement's PDF is the
    one kept at signing (services.agreement_sign); a draft's, or an evaluated one's with its
    results, is rendered afresh."""
    agreement = _agreement(request, pk)
    if agreement.status == AgreementStatus.SIGNED and agreement.pdf and not request.GET.get("preview"):
        return _stored_pdf(request, agreement)
    return pdf_or_preview(request, html=lambda: documents.agreement_html(agreement, request=request),
                          pdf=lambda: documents.agreement_pdf(agreement), filename=_pdf_filename(agreement))


@login_required
def agreement_signed_pdf(request, pk):
    """The PDF kept at signing, signed or evaluated since (the document as the parties signed it)."""
    agreement = _agreement(request, pk)
    if not agreement.pdf:
        raise Http404
    return _stored_pdf(request, agreement)


# --- indicators ----------------------------------------------------------------------------


def _indicator_fields(form: IndicatorForm) -> dict:
    """The indicator's fields for the service (the loaded version goes as `expected_version`)."""
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


def _indicator_page(request, agreement: PerformanceAgreement, indicator: AgreementIndicator | None, *,
                    refusal: str, save, message, to):
    """The add (`indicator` None) and the edit page of an indicator; `save(form)` calls the service.
    A signed agreement's indicators are fixed: `refusal` says so."""
    if agreement.status != AgreementStatus.DRAFT:
        messages.error(request, refusal)
        return redirect("agreements:detail", pk=agreement.pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        saved = save_form(request, form, lambda: save(form), message=message, to=to)
        if saved:
            return saved
    return render(request, "agreements/performance/indicator_form.html", {
        "agreement": agreement, "form": form, "indicator": indicator,
        "detail": selectors.agreement_detail(agreement),
    })


@login_required
@once_per_submission
def indicator_add(request, pk):
    agreement = _agreement(request, pk, edit=True)
    return _indicator_page(
        request, agreement, None, refusal="ข้อตกลงนี้ลงนามแล้ว เพิ่มตัวชี้วัดไม่ได้",
        save=lambda form: services.indicator_create(agreement=agreement, user=request.user, **_indicator_fields(form)),
        message=lambda indicator: f"เพิ่มตัวชี้วัด “{indicator.name}” แล้ว",
        to=lambda indicator: (reverse("agreements:indicator_add", args=[agreement.pk]) if "another" in request.POST
                              else _detail_url(agreement, f"i{indicator.pk}")))


@login_required
def indicator_edit(request, pk):
    indicator = _indicator(request, pk, edit=True)
    agreement = indicator.agreement
    return _indicator_page(
        request, agreement, indicator, refusal="ข้อตกลงนี้ลงนามแล้ว แก้ไขตัวชี้วัดไม่ได้",
        save=lambda form: services.indicator_update(
            indicator=indicator, user=request.user, expected_version=form.cleaned_data.get("version"),
            **_indicator_fields(form)),
        message=lambda indicator: f"บันทึกตัวชี้วัด “{indicator.name}” แล้ว",
        to=_detail_url(agreement, f"i{indicator.pk}"))


@login_required
def indicator_delete(request, pk):
    indicator = _indicator(request, pk, edit=True)
    agreement = indicator.agreement
    return _button(request, agreement, lambda: services.indicator_delete(indicator=indicator, user=request.user),
                   message=lambda _: f"ลบตัวชี้วัด “{indicator.name}” แล้ว", confirm="delete",
                   question=indicator_delete_question(indicator), to=_detail_url(agreement, "indicators"))


@login_required
@once_per_submission
def indicator_import(request, pk):
    agreement = _agreement(request, pk, edit=True)
    form = TableUploadForm(request.POST or None, request.FILES or None)
    problems: list[RowProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = exchange.indicators_import(agreement=agreement, data=upload.read(), filename=upload.name,
                                               user=request.user)
        except ImportRejected as rejected:
            problems = rejected.problems
        else:
            messages.success(request, f"นำเข้าแล้ว: {count} ตัวชี้วัด")
            return redirect("agreements:detail", pk=agreement.pk)
    return render(request, "agreements/performance/import.html", {
        "agreement": agreement, "form": form, "problems": problems, "headers": exchange.HEADERS,
        "is_draft": agreement.status in review_states.EDITABLE,
    })


@login_required
def indicator_export(request, pk, fmt):
    agreement = _agreement(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    content = exchange.indicators_export(agreement=agreement, fmt=fmt)
    filename = f"agreement-{agreement.organisation.code}-{agreement.fiscal_year}-{agreement.round}-{agreement.pk}.{fmt}"
    return table_attachment(content, fmt=fmt, filename=filename)


# --- progress --------------------------------------------------------------------------------


@login_required
def progress_edit(request, pk, quarter):
    indicator = _indicator(request, pk, edit=True)
    agreement = indicator.agreement
    if quarter not in agreement.quarters:
        raise Http404
    if agreement.status != AgreementStatus.SIGNED:
        messages.error(request, "บันทึกผลรายไตรมาสได้เฉพาะข้อตกลงที่ลงนามแล้วและยังไม่ได้ประเมินผล")
        return redirect("agreements:detail", pk=agreement.pk)
    existing = IndicatorProgress.objects.filter(indicator=indicator, quarter=quarter).first()
    initial = {"version": existing.version if existing else 0}
    if existing:
        initial.update({"value": existing.value, "note": existing.note, "evidence_url": existing.evidence_url})
    form = ProgressForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version")
        saved = save_form(request, form, lambda: services.progress_record(
            indicator=indicator, quarter=quarter, user=request.user, expected_version=version, **fields),
            message=f"บันทึกผลไตรมาส {quarter} ของ “{indicator.name}” แล้ว",
            to=_detail_url(agreement, f"i{indicator.pk}"))
        if saved:
            return saved
    start, end = thai.quarter_bounds(agreement.fiscal_year, quarter)
    return render(request, "agreements/performance/progress_form.html", {
        "agreement": agreement, "indicator": indicator, "quarter": quarter, "form": form, "existing": existing,
        "start": start, "end": end,
    })


@login_required
def evidence_download(request, pk, quarter):
    indicator = _indicator(request, pk)
    progress = get_object_or_404(IndicatorProgress, indicator=indicator, quarter=quarter)
    return stored_file_response(progress.evidence_file)

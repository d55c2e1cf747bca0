"""The OIT checklist of one organisation and fiscal year (signed-in): read it, answer an item (staff),
confirm it (executive), download it as the ITAS answer sheet (xlsx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lao_integrity import tabular
from lao_integrity.downloads import table_attachment
from lao_integrity.fields import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation
from lao_integrity.saving import run_action, save_form

from . import evidence, selectors, services
from .forms import AnswerForm

ITAS_HEADERS = ["ข้อ", "ชื่อข้อ", "มี/ไม่มี", "URL", "คำอธิบาย"]


def _organisation(request, code, fiscal_year, *, edit=False, approve=False) -> Organisation:
    if not FISCAL_YEAR_MIN <= fiscal_year <= FISCAL_YEAR_MAX:
        raise Http404
    return access.organisation_for(request, code, edit=edit, approve=approve)


def _page_url(code, fiscal_year, anchor="") -> str:
    return reverse("ita:oit", args=[code, fiscal_year]) + (f"#{anchor}" if anchor else "")


def absolute(request, url: str) -> str:
    """ITAS and the assessor need whole addresses; portal documents are given as paths."""
    return request.build_absolute_uri(url) if url.startswith("/") else url


@login_required
def checklist(request, code, fiscal_year):
    organisation = _organisation(request, code, fiscal_year)
    page = selectors.checklist_page(organisation, fiscal_year)
    return render(request, "ita/oit/checklist.html", {
        "org": organisation, "fiscal_year": fiscal_year, "page": page,
        "can_edit": access.can_edit(request.user, organisation),
        "can_approve": access.can_approve(request.user, organisation),
        "public_url": (reverse("public_oit:year", args=[code, fiscal_year])
                       if page.checklist is not None and page.checklist.confirmed else ""),
    })


@login_required
def answer_edit(request, code, fiscal_year, item):
    organisation = _organisation(request, code, fiscal_year, edit=True)
    page = selectors.checklist_page(organisation, fiscal_year)
    if page.framework is None:
        messages.error(request, f"ยังไม่มีกรอบการประเมิน ITA สำหรับปีงบประมาณ {fiscal_year} โปรดแจ้งผู้ดูแลระบบ")
        return redirect(_page_url(code, fiscal_year))
    row = page.row(item)
    if row is None:
        raise Http404
    answer = row.answer
    initial = {"version": answer.version if answer is not None else 0}
    if answer is not None:
        initial.update({"state": answer.state, "evidence_kind": answer.evidence_kind,
                        "external_url": answer.external_url, "note": answer.note})
    form = AnswerForm(request.POST or None, initial=initial,
                      suggested=evidence.suggested_kinds(row.item.name))
    if request.method == "POST" and form.is_valid():
        def done(saved) -> str:
            text = f"บันทึกข้อ {row.item.code} แล้ว"
            if saved.confirmation_cleared:
                text += " การยืนยันของผู้บริหารถูกยกเลิกเพราะมีการแก้ไขหลังยืนยัน ต้องให้ผู้บริหารยืนยันอีกครั้ง"
            return text

        saved = save_form(request, form, lambda: services.answer_save(
            organisation=organisation, fiscal_year=fiscal_year, item_code=row.item.code, user=request.user,
            expected_version=form.cleaned_data["version"], **form.service_kwargs()),
            message=done, to=_page_url(code, fiscal_year, row.item.code))
        if saved:
            return saved
    return render(request, "ita/oit/answer_form.html", {
        "org": organisation, "fiscal_year": fiscal_year, "page": page, "row": row, "form": form})


@login_required
@require_POST
def confirm(request, code, fiscal_year):
    organisation = _organisation(request, code, fiscal_year, approve=True)
    try:
        seen = int(request.POST.get("seen_version", ""))
    except ValueError:
        seen = None
    return run_action(
        request, lambda: services.checklist_confirm(organisation=organisation, fiscal_year=fiscal_year,
                                                    user=request.user, expected_version=seen),
        message=f"ยืนยันรายการตรวจ OIT ปีงบประมาณ {fiscal_year} แล้ว",
        to=_page_url(code, fiscal_year), refused=_page_url(code, fiscal_year))


def itas_rows(request, page) -> list[list[str]]:
    return [[row.item.code, row.item.name, row.state_label if row.state else "", absolute(request, row.url),
             row.note] for row in page.rows]


@login_required
def export(request, code, fiscal_year):
    """The ITAS answer sheet: one row per O-item (ข้อ, ชื่อข้อ, มี/ไม่มี, URL, คำอธิบาย)."""
    organisation = _organisation(request, code, fiscal_year)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    page = selectors.checklist_page(organisation, fiscal_year)
    if page.framework is None:
        messages.error(request, f"ยังไม่มีกรอบการประเมิน ITA สำหรับปีงบประมาณ {fiscal_year} โปรดแจ้งผู้ดูแลระบบ")
        return redirect(_page_url(code, fiscal_year))
    content = tabular.write_table(ITAS_HEADERS, itas_rows(request, page), "xlsx", title=f"OIT {fiscal_year}")
    return table_attachment(content, fmt="xlsx", filename=f"itas-oit-{code}-{fiscal_year}.xlsx")

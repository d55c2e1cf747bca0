"""ITA measures documents: the measures table, and the measures announcement (a kernel
Announcement of kind "ita_measures" whose measures, grouped by indicator, are printed inside it
by the hooks registered here).

The measures are numbered per indicator group, and the announcement names no number of indicators.
"""

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from lao_integrity.announcements import kinds as announcement_kinds
from lao_integrity.announcements import selectors as announcement_selectors
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.documents.registry import register
from lao_integrity.documents.render import render_html, render_pdf
from lao_integrity.orgs.models import Organisation

from . import selectors, services

TABLE_TEMPLATE = "ita/measures/documents/table.html"


# --- the measures table ---------------------------------------------------------------------


def measures_context(organisation: Organisation, fiscal_year: int) -> dict:
    page = selectors.measures_page(organisation, fiscal_year)
    return {"org": organisation, "fiscal_year": fiscal_year, "page": page, "measure_groups": page.groups,
            "measures": page.measures, "result": page.result}


def measures_table_html(organisation: Organisation, fiscal_year: int, *, request=None) -> str:
    return render_html(TABLE_TEMPLATE, {**measures_context(organisation, fiscal_year), "preview": True},
                       request=request)


def measures_table_pdf(organisation: Organisation, fiscal_year: int) -> bytes:
    context = measures_context(organisation, fiscal_year)
    if not context["measures"]:
        raise LookupError(f"{organisation.name} ยังไม่มีมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
                          f"ปีงบประมาณ {fiscal_year}")
    return render_pdf(TABLE_TEMPLATE, context)


# --- hooks on the kernel's "ita_measures" announcement kind -------------------------------------


def _announcement_body(announcement: Announcement) -> str:
    """The measures grouped by indicator, printed inside the announcement before the closing line."""
    if not announcement.fiscal_year:
        return ""
    measures = selectors.measures_for(announcement.organisation, announcement.fiscal_year)
    return render_to_string("ita/measures/documents/_body.html",
                            {"measure_groups": selectors.group_by_indicator(measures)})


def _announcement_annex(announcement: Announcement) -> str:
    """The measures table (responsible unit, deadline, reporting) as the announcement's annex."""
    if not announcement.fiscal_year:
        return ""
    context = measures_context(announcement.organisation, announcement.fiscal_year)
    if not context["measures"]:
        return ""
    return render_to_string("ita/measures/documents/_annex.html", context)


def announcement_problems(announcement: Announcement) -> tuple[list[str], list[str]]:
    blocking, warnings = [], []
    year = announcement.fiscal_year
    if not year:
        return blocking, warnings
    page = selectors.measures_page(announcement.organisation, year)
    if not page.measures:
        blocking.append(f"ยังไม่มีมาตรการส่งเสริมคุณธรรมและความโปร่งใสของปีงบประมาณ {year} "
                        "โปรดเพิ่มมาตรการก่อนลงนามประกาศ")
    for measure in page.measures:
        # The service refuses these; rows written another way (the admin) are caught here.
        if services.has_placeholder(measure.title) or any(
                services.has_placeholder(step) for step in measure.step_list):
            blocking.append(f"มาตรการ “{measure.title[:60]}” ยังมีข้อความเว้นไว้ให้กรอก (เช่น “...”)")
        if not measure.indicators.all():
            blocking.append(f"มาตรการ “{measure.title[:60]}” ยังไม่ระบุตัวชี้วัด")
        if not measure.responsible_label:
            warnings.append(f"มาตรการ “{measure.title[:60]}” ยังไม่ระบุผู้รับผิดชอบ")
        if measure.deadline is None and not measure.deadline_text:
            warnings.append(f"มาตรการ “{measure.title[:60]}” ยังไม่ระบุกำหนดแล้วเสร็จ")
    if page.result is None:
        warnings.append(f"ยังไม่มีผลการประเมิน ITA ปีงบประมาณ {year - 1} ในระบบ "
                        "จึงตรวจไม่ได้ว่ามาตรการครอบคลุมตัวชี้วัดที่ต้องปรับปรุงหรือไม่")
    for row in page.uncovered:
        warnings.append(f"ตัวชี้วัดที่ {row.indicator.number} {row.indicator.name} ได้ {row.score} คะแนน "
                        f"ในปีงบประมาณ {year - 1} (ต่ำกว่า 85) แต่ยังไม่มีมาตรการ")
    return blocking, warnings


# --- render_pdf ---------------------------------------------------------------------------------


def measures_pdf(organisation: Organisation, fiscal_year: int) -> bytes:
    """The measures announcement in force (the signed PDF as stored, else the draft rendered);
    without an announcement, the measures table."""
    from lao_integrity.announcements import documents as announcement_documents
    from lao_integrity.announcements.services import verified_pdf

    announcement = announcement_selectors.current_announcement(organisation, Kind.ITA_MEASURES, fiscal_year)
    if announcement is None:
        return measures_table_pdf(organisation, fiscal_year)
    if announcement.is_signed:
        try:
            return verified_pdf(announcement)
        except ValidationError as error:
            raise LookupError(" ".join(error.messages)) from None
    return announcement_documents.announcement_pdf(announcement)


def register_documents() -> None:
    """Called from ItaConfig.ready(); safe to call more than once."""
    announcement_kinds.register_hooks(Kind.ITA_MEASURES, body_html=_announcement_body,
                                      annex_html=_announcement_annex, problems=announcement_problems)
    register("ita-measures", "ประกาศมาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA) หรือตารางมาตรการ",
             lambda organisation, fiscal_year, **o: measures_pdf(organisation, fiscal_year))

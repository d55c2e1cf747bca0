"""The provincial LPA table as a PDF: A4 landscape, Thai digits (the kernel's `officialise`), the
reporter's signature block and "ข้อมูล ณ วันที่ …", as the province's annex to its announcement."""

import datetime

from django.utils import timezone

from lao_integrity.documents.registry import register as register_document
from lao_integrity.documents.render import render_html, render_pdf

from ..models import Area
from .selectors import ProvinceTable, province_table

TEMPLATE = "lpa/results/documents/province.html"


def context(table: ProvinceTable) -> dict:
    reporter, position = table.reporter
    as_of = table.data_as_of or timezone.localdate()
    return {"table": table, "areas": list(Area), "data_as_of": as_of, "reporter": reporter,
            "reporter_position": position or f"ท้องถิ่นจังหวัด{table.province}",
            "printed_on": datetime.date.today()}


def province_html(table: ProvinceTable, *, request=None) -> str:
    return render_html(TEMPLATE, {**context(table), "preview": True}, request=request)


def province_pdf(table: ProvinceTable) -> bytes:
    return render_pdf(TEMPLATE, context(table))


def _build(organisation, fiscal_year, **options) -> bytes:
    """The registry's document of one organisation: its province's table (render_pdf command)."""
    from lao_integrity.orgs.access import SYSTEM

    table = province_table(options.get("user") or SYSTEM, organisation.province, fiscal_year)
    if table is None:
        raise LookupError(f"ไม่มีผล LPA ของจังหวัด{organisation.province} ปีงบประมาณ {fiscal_year}")
    return province_pdf(table)


def register() -> None:
    register_document("lpa", "บัญชีผลการประเมินประสิทธิภาพ (LPA) ของจังหวัด", _build)

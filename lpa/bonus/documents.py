"""The ก.ท.จ. summary as the province prints it: its heading, its columns and its figures, the
same for the page, the PDF (A4 landscape, Thai digits) and the xlsx download."""

from decimal import Decimal
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import mark_safe
from markupsafe import escape

from lao_integrity.documents.render import render_html, render_pdf
from lao_integrity.tabular import write_table
from lao_integrity.thai import format_date_long

from ..models import BONUS_DIMENSIONS
from .selectors import Summary

SUMMARY_TEMPLATE = "lpa/bonus/documents/summary.html"
TITLE = "สรุปคะแนนการประเมินประสิทธิภาพและประสิทธิผลการปฏิบัติราชการ"
PLACEHOLDER = "0000000"
SAFE = "!$&'()*+,;=~:@"  # what reverse() leaves unquoted in a segment
PART1_FULL = sum((full for _n, _l, full in BONUS_DIMENSIONS), Decimal(0))


def two_places(value) -> str:
    return "" if value is None else f"{value:.2f}"


def points_text(value) -> str:
    """Part 2 points as the seed prints them: "10", "8" (a fraction keeps two places)."""
    if value is None:
        return ""
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def heading(summary: Summary) -> list[str]:
    """The three heading lines; the meeting line only when the year's rule names its meeting."""
    lines = [TITLE, f"เพื่อขอรับเงินรางวัลประจำปี ปีงบประมาณ พ.ศ. {summary.fiscal_year}"]
    rule = summary.rule
    if rule and rule.meeting:
        meeting = f"ในการประชุม ก.ท.จ.{summary.province} ครั้งที่ {rule.meeting}"
        if rule.meeting_date:
            meeting += f" วันที่ {format_date_long(rule.meeting_date, era=False, thai=False)}"
        lines.append(meeting)
    return lines


def dimension_headers() -> list[str]:
    return [f"{label} ({full:.0f} คะแนน)" for _name, label, full in BONUS_DIMENSIONS]


def part2_header(summary: Summary) -> str:
    full = points_text(summary.rule.points_at_or_above) if summary.rule else "-"
    return f"Core Team หรือ LPA ปี {summary.fiscal_year} ({full} คะแนน)"


def total_header(summary: Summary) -> str:
    full = PART1_FULL + summary.rule.points_at_or_above if summary.rule else None
    return f"รวม ส่วนที่ 1 และส่วนที่ 2 ({points_text(full)} คะแนน)" if full is not None else "รวม ส่วนที่ 1 และส่วนที่ 2"


def remark(row) -> str:
    return "; ".join(filter(None, [row.remark, *row.missing]))


_EMPTY = '\n    <tr><td colspan="12" class="c">ไม่มีเทศบาลในจังหวัดนี้ที่ท่านดูได้</td></tr>\n'


def rows_html(summary: Summary, *, entry_links: bool = False) -> str:
    """The table's rows, written in Python (a province's hundred-odd municipalities by a dozen
    cells were most of the page's time in the template language, then a third in Jinja2; escaped
    as Jinja2 did, by markupsafe); `entry_links`: each name links to its part 1 entry
    (administrators, on the page only)."""
    # One reverse, then each code put in its place (a province's hundred-odd links).
    template = reverse("lpa:bonus_entry", args=[PLACEHOLDER, summary.fiscal_year]) if entry_links else ""
    out = []
    for district in summary.districts:
        span = len(district.rows)
        for index, row in enumerate(district.rows):
            code, name = row.organisation.code, escape(row.name)
            lead = (f'<td class="c" rowspan="{span}">{district.number}</td><td class="district" rowspan="{span}">'
                    f'{escape(district.name)}</td>') if index == 0 else ""
            if template:
                entry = escape(template.replace(f"/{PLACEHOLDER}/", f"/{quote(code, safe=SAFE)}/", 1))
                name = f'<a href="{entry}">{name}<span class="vh"> บันทึกส่วนที่ 1</span></a>'
            dimensions = "".join(f'<td class="num">{two_places(value) or "-"}</td>' for value in row.dimensions)
            out.append(
                f'\n    <tr id="row-{escape(code)}">\n      {lead}\n'
                f'      <td class="name" style="white-space:nowrap">{row.number} {name}</td>\n'
                f'      {dimensions}\n'
                f'      <td class="num lpa">{two_places(row.lpa_percent) or "-"}</td>\n'
                f'      <td class="c points">{points_text(row.points) or "-"}</td>\n'
                f'      <td class="num total"><strong>{two_places(row.total) or "-"}</strong></td>\n'
                f'      <td class="remark">{escape(remark(row))}</td>\n    </tr>\n')
    return mark_safe("".join(out) or _EMPTY)  # noqa: S308 (every text escaped above)


def context(summary: Summary, *, entry_links: bool = False) -> dict:
    return {
        "summary": summary,
        "heading": heading(summary),
        "dimension_headers": dimension_headers(),
        "part2_header": part2_header(summary),
        "total_header": total_header(summary),
        "rows": rows_html(summary, entry_links=entry_links),
    }


def summary_html(summary: Summary, *, request=None) -> str:
    return render_html(SUMMARY_TEMPLATE, {**context(summary), "preview": True}, request=request)


def summary_pdf(summary: Summary) -> bytes:
    return render_pdf(SUMMARY_TEMPLATE, context(summary))


# --- the xlsx: the same columns, in the same order, with numbers as numbers -------------------------


def table_headers(summary: Summary) -> list[str]:
    return ["ที่", "อำเภอ", "ลำดับ", "เทศบาล", *dimension_headers(),
            f"LPA 5 ด้าน (ร้อยละ) ปี {summary.fiscal_year}", "คะแนนที่ได้ (ส่วนที่ 2)", total_header(summary),
            "หมายเหตุ"]


def table_rows(summary: Summary):
    for district in summary.districts:
        for row in district.rows:
            yield [district.number, district.name, row.number, row.name, *row.dimensions, row.lpa_percent,
                   row.points, row.total, remark(row)]


def summary_xlsx(summary: Summary) -> bytes:
    return write_table(table_headers(summary), table_rows(summary), "xlsx",
                       title=f"เงินรางวัล {summary.fiscal_year}")


"""The province table's rows rendered with Jinja2 (issue 19): 125 rows of 18 numeric cells cost
most of the page in Django's template language (`floatformat` and variable lookups per cell).
The numbers are formatted here once (`numbers.trimmed` is `floatformat:"-2"`) and the link is
built from one `reverse` a page (links.row_link)."""

from decimal import Decimal
from typing import NamedTuple

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from markupsafe import Markup

from lao_integrity.links import row_link
from lao_integrity.numbers import trimmed

from .selectors import ProvinceTable


class Row(NamedTuple):  # attributes, not dict keys: Jinja2 tries getattr first
    code: str
    district: str
    name: str
    rank: int | str
    href: str
    areas: Markup  # each area's three cells (full marks, score, percent): numbers only, nothing to escape
    total_full: str
    total_score: str
    percent: Decimal | None


def province_rows(table: ProvinceTable) -> str:
    """The <tr>s of the province table, as lpa/results/province.html showed them."""
    history = row_link("lpa:history")
    shown = {}  # each value's text once: full marks repeat on every row, scores often

    def text(value):
        if value not in shown:
            shown[value] = trimmed(value)
        return shown[value]

    rows = []
    for row in table.rows:
        organisation = row.organisation
        areas = "".join(f'<td class="num">{text(a.full_marks)}</td><td class="num">{text(a.score)}</td>'
                        f'<td class="num pct">{a.percent}</td>' for a in row.areas)
        rows.append(Row(
            organisation.code, organisation.district, organisation.abbreviated_name,
            "—" if row.rank is None else row.rank, history(organisation.code), Markup(areas),
            trimmed(row.total_full), trimmed(row.total_score), row.percent))
    return mark_safe(render_to_string("lpa/results/_province_rows.jinja", {"rows": rows}, using="jinja2"))

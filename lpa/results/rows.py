"""The province table's rows rendered with Jinja2 (issue 19): 125 rows of 18 numeric cells cost
most of the page in Django's template language (`floatformat` and variable lookups per cell).
The numbers are formatted here once (`numbers.trimmed` is `floatformat:"-2"`) and the link is
built from one `reverse` a page (links.row_link)."""

from decimal import Decimal
from typing import NamedTuple

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from lao_integrity.links import row_link
from lao_integrity.numbers import trimmed

from .selectors import ProvinceTable


class Row(NamedTuple):  # attributes, not dict keys: Jinja2 tries getattr first
    code: str
    district: str
    name: str
    rank: int | str
    href: str
    areas: list[tuple[str, str, Decimal | None]]  # (full marks, score, percent) an area
    total_full: str
    total_score: str
    percent: Decimal | None


def province_rows(table: ProvinceTable) -> str:
    """The <tr>s of the province table, as lpa/results/province.html showed them."""
    history = row_link("lpa:history")
    rows = []
    for row in table.rows:
        organisation = row.organisation
        rows.append(Row(
            organisation.code, organisation.district, organisation.abbreviated_name,
            "—" if row.rank is None else row.rank, history(organisation.code),
            [(trimmed(a.full_marks), trimmed(a.score), a.percent) for a in row.areas],
            trimmed(row.total_full), trimmed(row.total_score), row.percent))
    return mark_safe(render_to_string("lpa/results/_province_rows.jinja", {"rows": rows}, using="jinja2"))

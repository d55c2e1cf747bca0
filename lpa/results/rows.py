"""The province table's rows written in Python (issue 19): 125 rows of 18 numeric cells cost
most of the page in Django's template language (`floatformat` and variable lookups per cell),
then still a third of it in Jinja2. Each mark's text (`numbers.trimmed` is `floatformat:"-2"`)
and each area's three cells are made once per distinct value, and the link is built from one
`reverse` a page (links.row_link)."""

from decimal import Decimal

from django.utils.safestring import mark_safe
from markupsafe import escape

from lao_integrity.links import row_link
from lao_integrity.numbers import trimmed

from ..models import percent
from .selectors import ProvinceTable


def _two_places(value: Decimal) -> str:
    """`trimmed(value)` for a mark as stored (two decimal places, not negative): its text, less a
    final ".00"; anything else through trimmed."""
    text = str(value)
    whole, dot, places = text.partition(".")
    if len(places) != 2 or not whole.isdigit():
        return trimmed(value) if dot or not whole.isdigit() else text
    return whole if places == "00" else text


def province_rows(table: ProvinceTable) -> str:
    """The <tr>s of the province table, as lpa/results/province.html showed them (what
    _province_rows.jinja wrote: the same escaping, markupsafe's)."""
    history = row_link("lpa:history")
    shown: dict = {}  # each value's text once: full marks repeat on every row, scores often
    percents: dict = {}  # each (score, full marks) pair's percentage cell once

    def text(value):
        found = shown.get(value)
        if found is None:
            found = shown[value] = _two_places(value)
        return found

    out = []
    for row in table.rows:
        organisation = row.organisation
        cells = []
        total_full = total_score = Decimal(0)
        for a in row.areas:
            full_marks, score = a.full_marks, a.score
            total_full += full_marks
            total_score += score
            cell = percents.get((score, full_marks))
            if cell is None:
                cell = percents[(score, full_marks)] = (
                    f'<td class="num">{text(full_marks)}</td><td class="num">{text(score)}</td>'
                    f'<td class="num pct">{percent(score, full_marks)}</td>')
            cells.append(cell)
        district = escape(organisation.district)
        out.append(
            f'\n    <tr id="o{escape(organisation.code)}"><td class="c">{"—" if row.rank is None else row.rank}</td>'
            f'<td>{district}</td>\n      <th scope="row" class="name"><a href="{escape(history(organisation.code))}">'
            f'{escape(organisation.abbreviated_name)}<span class="vh"> อำเภอ{district} ประวัติผล LPA</span></a></th>\n'
            f'      {"".join(cells)}\n<td class="num">{trimmed(total_full)}</td><td class="num">{trimmed(total_score)}'
            f'</td><td class="num pct total">{percent(total_score, total_full)}</td>\n</tr>\n')
    return mark_safe("".join(out))  # noqa: S308 (every text escaped above)

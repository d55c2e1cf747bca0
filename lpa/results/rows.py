"""The province table's rows written in Python (issue 19): 125 rows of 18 numeric cells cost
most of the page in Django's template language (`floatformat` and variable lookups per cell),
then still a third of it in Jinja2. A stored mark's text (`floatformat:"-2"`, as
`numbers.trimmed`) is cut from its own, and the link is built from one `reverse` a page
(links.row_link)."""

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
    if text[-3:-2] == "." and text[:-3].isdigit() and text[-2:].isdigit():
        return text[:-3] if text.endswith(".00") else text
    return trimmed(value)


def province_rows(table: ProvinceTable) -> str:
    """The <tr>s of the province table, as lpa/results/province.html showed them (what
    _province_rows.jinja wrote: the same escaping, markupsafe's)."""
    history = row_link("lpa:history")
    full_text: dict = {}  # each area's full marks repeat from row to row (the scores and percentages hardly do)
    out = []
    for row in table.rows:
        organisation = row.organisation
        cells = []
        total_full = total_score = Decimal(0)
        for _area, full_marks, score in row.areas:
            total_full += full_marks
            total_score += score
            full = full_text.get(full_marks)
            if full is None:
                full = full_text[full_marks] = f'<td class="num">{_two_places(full_marks)}</td><td class="num">'
            cells.append(f'{full}{_two_places(score)}</td><td class="num pct">{percent(score, full_marks)}</td>')
        district = escape(organisation.district)
        out.append(
            f'\n    <tr id="o{escape(organisation.code)}"><td class="c">{"—" if row.rank is None else row.rank}</td>'
            f'<td>{district}</td>\n      <th scope="row" class="name"><a href="{escape(history(organisation.code))}">'
            f'{escape(organisation.abbreviated_name)}<span class="vh"> อำเภอ{district} ประวัติผล LPA</span></a></th>\n'
            f'      {"".join(cells)}\n<td class="num">{_two_places(total_full)}</td><td class="num">{_two_places(total_score)}'
            f'</td><td class="num pct total">{percent(total_score, total_full)}</td>\n</tr>\n')
    return mark_safe("".join(out))  # noqa: S308 (every text escaped above)

"""The province table's rows written in Python (issue 19): 125 rows of 18 numeric cells cost
most of the page in Django's template language (`floatformat` and variable lookups per cell),
then still a third of it in Jinja2. A stored mark's text (`floatformat:"-2"`, as
`numbers.trimmed`) is cut from its own, and the link is built from one `reverse` a page
(reversing.row_link)."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.safestring import mark_safe
from markupsafe import escape

from lao_integrity.numbers import trimmed
from lao_integrity.reversing import row_link

from ..models import CENT, HUNDRED, percent
from .selectors import ProvinceTable

ZERO = Decimal(0)
_MARK = re.compile(r"[0-9]+\.[0-9][0-9]").fullmatch  # a mark as stored: two decimal places, not negative


def _two_places(value: Decimal) -> str:
    """`trimmed(value)` for a mark as stored (two decimal places, not negative): its text, less a
    final ".00"; anything else through trimmed."""
    text = str(value)
    if _MARK(text):
        return text[:-3] if text.endswith(".00") else text
    return trimmed(value)


def province_rows(table: ProvinceTable) -> str:
    """The <tr>s of the province table, as lpa/results/province.html showed them (what
    _province_rows.jinja wrote: the same escaping, markupsafe's)."""
    history = row_link("lpa:history")
    digits_link = str(escape(history("0")))[:-2]  # a code of digits needs neither quoting nor escaping
    # Each area's full marks repeat from row to row, and so do the districts; the scores and
    # percentages hardly do.
    full_text: dict = {}  # by the full marks' text: hashing a fresh Decimal costs more than its str
    district_text: dict = {}
    out = []
    for row in table.rows:
        organisation = row.organisation
        code = organisation.code
        if code.isdigit():
            anchor, link = code, f"{digits_link}{code}/"
        else:
            anchor, link = escape(code), escape(history(code))
        cells = ""
        total_full = total_score = ZERO
        for _area, full_marks, score in row.areas:
            total_full += full_marks
            total_score += score
            key = str(full_marks)
            full = full_text.get(key)
            if full is None:
                full = full_text[key] = f'<td class="num">{_two_places(full_marks)}</td><td class="num">'
            text = str(score)
            # _two_places inline: a Decimal's text with "." third from its end has no exponent, so
            # without a "-" it is a mark as stored (what _MARK matches, cheaper than the pattern).
            if text[-3:-2] != "." or text[0] == "-":
                text = trimmed(score)
            elif text[-2:] == "00":
                text = text[:-3]
            # percent() inline: 625 calls a page
            cells += (f'{full}{text}</td><td class="num pct">'
                      f'{(score * HUNDRED / full_marks).quantize(CENT, ROUND_HALF_UP) if full_marks else None}</td>')
        district = district_text.get(organisation.district)
        if district is None:
            district = district_text[organisation.district] = escape(organisation.district)
        out.append(
            f'\n    <tr id="o{anchor}"><td class="c">{"—" if row.rank is None else row.rank}</td>'
            f'<td>{district}</td>\n      <th scope="row" class="name"><a href="{link}">'
            f'{escape(organisation.abbreviated_name)}<span class="vh"> อำเภอ{district} ประวัติผล LPA</span></a></th>\n'
            f'      {cells}\n<td class="num">{_two_places(total_full)}</td><td class="num">{_two_places(total_score)}'
            f'</td><td class="num pct total">{percent(total_score, total_full)}</td>\n</tr>\n')
    return mark_safe("".join(out))  # noqa: S308 (every text escaped above)

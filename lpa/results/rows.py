"""The province table's rows written in Python (issue 19): 125 rows of 18 numeric cells cost
most of the page in Django's template language (`floatformat` and variable lookups per cell),
then still a third of it in Jinja2. A stored mark's text (`floatformat:"-2"`, as
`numbers.trimmed`) and percentage are worked out from its hundredths in integers (its Decimal cost
more to read and to compute with), and the link is built from one `reverse` a page
(reversing.row_link)."""

import re

from django.utils.safestring import mark_safe
from markupsafe import escape

from lao_integrity.reversing import row_link

from .selectors import ProvinceTable, percent_hundredths

# What markupsafe's escape changes: a name or district without any is written as it is (escape
# makes a Markup of every text, twice a row).
_NEEDS_ESCAPE = re.compile("[&<>\"']").search


def _hundredths_text(value: int) -> str:
    """`trimmed` of a mark in hundredths (not negative): 1250 -> "12.50", 4500 -> "45", 0 -> "0"."""
    whole, cents = divmod(value, 100)
    return f"{whole}.{cents:02d}" if cents else str(whole)


def province_rows(table: ProvinceTable) -> str:
    """The <tr>s of the province table, as lpa/results/province.html showed them (what
    _province_rows.jinja wrote: the same escaping, markupsafe's). Marks come in hundredths
    (selectors.TableRow): their texts and percentages in integers, as trimmed and percent() give
    them for a Decimal of two places."""
    history = row_link("lpa:history")
    digits_link = str(escape(history("0")))[:-2]  # a code of digits needs neither quoting nor escaping
    # Each area's full marks repeat from row to row, and so do the districts; the scores and
    # percentages hardly do.
    full_text: dict = {}
    district_text: dict = {}
    out = []
    for row in table.rows:
        organisation = row.result.organisation
        code = organisation.code
        if code.isdigit():
            anchor, link = code, f"{digits_link}{code}/"
        else:
            anchor, link = escape(code), escape(history(code))
        cells = ""
        total_full = total_score = 0
        for _result, _area, full_marks, score in row.marks:
            total_full += full_marks
            total_score += score
            full = full_text.get(full_marks)
            if full is None:
                full = full_text[full_marks] = f'<td class="num">{_hundredths_text(full_marks)}</td><td class="num">'
            whole, cents = divmod(score, 100)
            # percent() in integers (selectors.percent_hundredths inline: 625 calls a page); a
            # mark's full marks are never 0 (a constraint), and percent() was None then.
            if full_marks:
                pct_whole, pct_cents = divmod((score * 20000 + full_marks) // (2 * full_marks), 100)
                pct = f"{pct_whole}.{pct_cents:02d}"
            else:
                pct = None
            cells += (f'{full}{f"{whole}.{cents:02d}" if cents else whole}</td><td class="num pct">{pct}</td>')
        name = organisation.abbreviated_name
        if _NEEDS_ESCAPE(name):
            name = escape(name)
        district = district_text.get(organisation.district)
        if district is None:
            district = organisation.district
            district = district_text[district] = escape(district) if _NEEDS_ESCAPE(district) else district
        if total_full:
            pct_whole, pct_cents = divmod(percent_hundredths(total_score, total_full), 100)
            total_pct = f"{pct_whole}.{pct_cents:02d}"
        else:
            total_pct = None  # percent() of no marks
        out.append(
            f'\n    <tr id="o{anchor}"><td class="c">{"—" if row.rank is None else row.rank}</td>'
            f'<td>{district}</td>\n      <th scope="row" class="name"><a href="{link}">'
            f'{name}<span class="vh"> อำเภอ{district} ประวัติผล LPA</span></a></th>\n'
            f'      {cells}\n<td class="num">{_hundredths_text(total_full)}</td><td class="num">'
            f'{_hundredths_text(total_score)}</td><td class="num pct total">{total_pct}</td>\n</tr>\n')
    return mark_safe("".join(out))  # noqa: S308 (every text escaped above)

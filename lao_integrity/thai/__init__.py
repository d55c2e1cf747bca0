"""Thai formatting and parsing: digits, Buddhist-era dates, fiscal years, baht.

This is the single place for Thai number/date/money formatting in the project.
Pure Python (no Django imports) so it can be used from models, forms, templates,
exports and tests alike.

Conventions:

* Dates are ``datetime.date`` (``datetime.datetime`` is accepted wherever only
  day/month/year are read).  B.E. (พ.ศ.) = C.E. + 543.
* The Thai government fiscal year runs 1 October - 30 September and is named by
  the B.E. year in which it ends (1 Oct 2025 - 30 Sep 2026 is ปีงบประมาณ 2569).
* Money is ``decimal.Decimal`` (``int`` accepted).  ``float`` is rejected with
  ``TypeError`` everywhere money is handled.

Split by subject (``digits``, ``dates``, ``fiscal``, ``money``); import from here.
"""

from .dates import (
    BE_OFFSET,
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    be_year,
    format_date_abbr,
    format_date_long,
    format_date_short,
    month_name,
    parse_be_date,
)
from .digits import to_arabic_digits, to_thai_digits
from .fiscal import QUARTER_MONTHS_LABEL, fiscal_quarter, fiscal_year, fiscal_year_bounds, quarter_bounds
from .money import baht_text, format_baht, format_number, parse_amount, parse_baht_text

__all__ = [
    "BE_OFFSET",
    "QUARTER_MONTHS_LABEL",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "baht_text",
    "be_year",
    "fiscal_quarter",
    "fiscal_year",
    "fiscal_year_bounds",
    "format_baht",
    "format_date_abbr",
    "format_date_long",
    "format_date_short",
    "format_number",
    "month_name",
    "parse_amount",
    "parse_baht_text",
    "parse_be_date",
    "quarter_bounds",
    "to_arabic_digits",
    "to_thai_digits",
]

"""Numbers as the templates show them, computed once per cell in Python for the hot tables.

Django's `floatformat` filter costs tens of microseconds a call (it re-parses the number and looks
up the locale's formats); a province's LPA table has 1,500 such cells. `trimmed` gives the same
text as `{{ value|floatformat:"-2" }}` for the project's numbers (no thousands separator is
configured, and Thai's decimal separator is "."): tests/kernel/test_numbers.py compares the two.
"""

from decimal import ROUND_HALF_UP, Decimal


def trimmed(value, places: int = 2) -> str:
    """`value|floatformat:"-<places>"`: whole numbers without decimals, others to `places`, half up."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return str(value)
    if number == number.to_integral_value():
        return str(int(number))
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{rounded if rounded else abs(rounded):f}"  # no "-0.00", as floatformat

"""The Thai government fiscal year (ปีงบประมาณ, 1 October - 30 September, named by the B.E.
year in which it ends) and its quarters."""

from __future__ import annotations

import datetime

from .dates import BE_OFFSET, MIN_BE_YEAR, be_year

QUARTER_MONTHS_LABEL: dict[int, str] = {
    1: "ต.ค. - ธ.ค.",
    2: "ม.ค. - มี.ค.",
    3: "เม.ย. - มิ.ย.",
    4: "ก.ค. - ก.ย.",
}


def fiscal_year(d: datetime.date) -> int:
    """B.E. fiscal year of ``d`` (1 Oct 2025 - 30 Sep 2026 is 2569)."""
    return be_year(d) + (1 if d.month >= 10 else 0)


def fiscal_quarter(d: datetime.date) -> int:
    """Fiscal quarter 1-4 (1 = ต.ค.-ธ.ค., 2 = ม.ค.-มี.ค., 3 = เม.ย.-มิ.ย., 4 = ก.ค.-ก.ย.)."""
    return (d.month - 10) % 12 // 3 + 1


def _check_fiscal_year(fy: int) -> int:
    if isinstance(fy, bool) or not isinstance(fy, int):
        raise TypeError(f"fiscal year must be an int, not {type(fy).__name__}")
    if fy < MIN_BE_YEAR:
        # Guards against passing a C.E. year (2026), which would silently give 1483.
        raise ValueError(f"ปีงบประมาณไม่ถูกต้อง: {fy} (ต้องเป็นปี พ.ศ.)")
    return fy - BE_OFFSET


def fiscal_year_bounds(fy: int) -> tuple[datetime.date, datetime.date]:
    """First and last day (inclusive) of B.E. fiscal year ``fy``."""
    ce = _check_fiscal_year(fy)
    return datetime.date(ce - 1, 10, 1), datetime.date(ce, 9, 30)


def quarter_bounds(fy: int, q: int) -> tuple[datetime.date, datetime.date]:
    """First and last day (inclusive) of quarter ``q`` (1-4) of B.E. fiscal year ``fy``."""
    ce = _check_fiscal_year(fy)
    if q not in (1, 2, 3, 4):
        raise ValueError(f"ไตรมาสไม่ถูกต้อง: {q} (ต้องเป็น 1 ถึง 4)")
    if q == 1:
        return datetime.date(ce - 1, 10, 1), datetime.date(ce - 1, 12, 31)
    first_month = 3 * (q - 2) + 1
    start = datetime.date(ce, first_month, 1)
    next_start = datetime.date(ce, first_month + 3, 1) if q < 4 else datetime.date(ce, 10, 1)
    return start, next_start - datetime.timedelta(days=1)

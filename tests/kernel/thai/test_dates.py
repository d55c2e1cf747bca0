"""Tests for lao_integrity.thai: Buddhist-era dates (format, parse) and the fiscal year."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lao_integrity import thai

date = datetime.date


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

FEB27 = date(2026, 2, 27)


def test_months():
    assert len(thai.THAI_MONTHS) == len(thai.THAI_MONTHS_ABBR) == 12
    assert thai.THAI_MONTHS[0] == "มกราคม"
    assert thai.THAI_MONTHS[11] == "ธันวาคม"
    assert thai.THAI_MONTHS_ABBR == (
        "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
    )  # fmt: skip
    assert thai.month_name(2) == "กุมภาพันธ์"
    assert thai.month_name(2, abbr=True) == "ก.พ."
    with pytest.raises(ValueError):
        thai.month_name(13)


def test_be_year():
    assert thai.be_year(FEB27) == 2569
    assert thai.be_year(2026) == 2569
    assert thai.be_year(datetime.datetime(2024, 2, 29, 23, 0)) == 2567


def test_format_date_long():
    assert thai.format_date_long(FEB27) == "๒๗ กุมภาพันธ์ พ.ศ. ๒๕๖๙"
    assert thai.format_date_long(FEB27, month_word=True) == "๒๗ เดือน กุมภาพันธ์ พ.ศ. ๒๕๖๙"
    assert thai.format_date_long(FEB27, era=False) == "๒๗ กุมภาพันธ์ ๒๕๖๙"
    assert thai.format_date_long(FEB27, thai=False) == "27 กุมภาพันธ์ พ.ศ. 2569"
    assert thai.format_date_long(date(2024, 2, 29)) == "๒๙ กุมภาพันธ์ พ.ศ. ๒๕๖๗"
    assert thai.format_date_long(date(2025, 12, 31), thai=False) == "31 ธันวาคม พ.ศ. 2568"
    assert thai.format_date_long(date(2026, 1, 1), thai=False) == "1 มกราคม พ.ศ. 2569"


def test_format_date_short_and_abbr():
    assert thai.format_date_short(FEB27) == "27/02/2569"
    assert thai.format_date_short(FEB27, thai=True) == "๒๗/๐๒/๒๕๖๙"
    assert thai.format_date_short(date(2026, 1, 1)) == "01/01/2569"
    assert thai.format_date_abbr(FEB27) == "๒๗ ก.พ. ๖๙"
    assert thai.format_date_abbr(FEB27, thai=False) == "27 ก.พ. 69"
    assert thai.format_date_abbr(date(2025, 12, 31), thai=False) == "31 ธ.ค. 68"
    assert thai.format_date_abbr(date(1957, 1, 5), thai=False) == "5 ม.ค. 00"


@pytest.mark.parametrize(
    "text",
    [
        "27/02/2569",
        "27/2/2569",
        "27-02-2569",
        "27.02.2569",
        "๒๗/๐๒/๒๕๖๙",
        "27/02/69",
        "๒๗/๒/๖๙",
        "2026-02-27",
        " 27/02/2569 ",
        "27 / 02 / 2569",
        "27022569",
        "27 ก.พ. 2569",
        "27 ก.พ. 69",
        "27 กุมภาพันธ์ 2569",
        "๒๗ กุมภาพันธ์ พ.ศ. ๒๕๖๙",
        "27 เดือน กุมภาพันธ์ พ.ศ. 2569",
    ],
)
def test_parse_be_date_accepts(text):
    assert thai.parse_be_date(text) == FEB27


def test_parse_be_date_leap_years():
    assert thai.parse_be_date("29/02/2567") == date(2024, 2, 29)
    assert thai.parse_be_date("2024-02-29") == date(2024, 2, 29)
    with pytest.raises(ValueError, match="วันที่ไม่ถูกต้อง"):
        thai.parse_be_date("29/02/2570")  # 2027 is not a leap year
    with pytest.raises(ValueError, match="วันที่ไม่ถูกต้อง"):
        thai.parse_be_date("2027-02-29")


def test_parse_be_date_passes_dates_through():
    assert thai.parse_be_date(FEB27) == FEB27
    assert thai.parse_be_date(datetime.datetime(2026, 2, 27, 13, 5)) == FEB27


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2569",
        "29/02/2570",
        "00/01/2569",
        "32/01/2569",
        "15/13/2569",
        "15/00/2569",
        "27/02-2569",  # mixed separators
        "27/02/256",
        "27/02/25690",
        "garbage",
        "",
        "   ",
        "2569-02-27",  # B.E. year in ISO order: ambiguous, refused
        "27 ฟ.พ. 2569",
        "1/1",
    ],
)
def test_parse_be_date_rejects(text):
    with pytest.raises(ValueError, match="^วันที่ไม่ถูกต้อง"):
        thai.parse_be_date(text)


def test_parse_be_date_gregorian_year_asks_for_be():
    with pytest.raises(ValueError, match="พ.ศ.") as info:
        thai.parse_be_date("27/02/2026")
    assert "2569" in str(info.value)  # suggests the B.E. year
    with pytest.raises(ValueError, match="พ.ศ."):
        thai.parse_be_date("27/02/2399")


def test_parse_be_date_nonexistent_day_message():
    with pytest.raises(ValueError, match="31 กุมภาพันธ์ พ.ศ. 2569"):
        thai.parse_be_date("31/02/2569")


dates_1900_2200 = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@given(dates_1900_2200)
def test_parse_format_short_round_trip(d):
    assert thai.parse_be_date(thai.format_date_short(d)) == d
    assert thai.parse_be_date(thai.format_date_short(d, thai=True)) == d
    assert thai.parse_be_date(d.isoformat()) == d


@given(dates_1900_2200)
def test_parse_format_long_round_trip(d):
    assert thai.parse_be_date(thai.format_date_long(d)) == d
    assert thai.parse_be_date(thai.format_date_long(d, month_word=True, era=False, thai=False)) == d


@given(st.dates(min_value=date(1957, 1, 1), max_value=date(2056, 12, 31)))
def test_parse_format_abbr_round_trip(d):
    # Two-digit B.E. years cover 2500-2599, i.e. 1957-2056.
    assert thai.parse_be_date(thai.format_date_abbr(d)) == d


# ---------------------------------------------------------------------------
# Fiscal year
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "fy", "q"),
    [
        (date(2025, 10, 1), 2569, 1),
        (date(2025, 12, 31), 2569, 1),
        (date(2026, 1, 1), 2569, 2),
        (date(2026, 2, 27), 2569, 2),
        (date(2026, 3, 31), 2569, 2),
        (date(2026, 4, 1), 2569, 3),
        (date(2026, 6, 30), 2569, 3),
        (date(2026, 7, 1), 2569, 4),
        (date(2026, 9, 30), 2569, 4),
        (date(2026, 10, 1), 2570, 1),
        (date(2024, 2, 29), 2567, 2),
    ],
)
def test_fiscal_year_and_quarter(d, fy, q):
    assert thai.fiscal_year(d) == fy
    assert thai.fiscal_quarter(d) == q


def test_fiscal_bounds():
    assert thai.fiscal_year_bounds(2569) == (date(2025, 10, 1), date(2026, 9, 30))
    assert thai.quarter_bounds(2569, 1) == (date(2025, 10, 1), date(2025, 12, 31))
    assert thai.quarter_bounds(2569, 2) == (date(2026, 1, 1), date(2026, 3, 31))
    assert thai.quarter_bounds(2569, 3) == (date(2026, 4, 1), date(2026, 6, 30))
    assert thai.quarter_bounds(2569, 4) == (date(2026, 7, 1), date(2026, 9, 30))
    assert thai.QUARTER_MONTHS_LABEL == {
        1: "ต.ค. - ธ.ค.",
        2: "ม.ค. - มี.ค.",
        3: "เม.ย. - มิ.ย.",
        4: "ก.ค. - ก.ย.",
    }
    with pytest.raises(ValueError):
        thai.quarter_bounds(2569, 5)
    with pytest.raises(ValueError, match="พ.ศ."):
        thai.fiscal_year_bounds(2026)  # a C.E. year passed by mistake


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9998, 12, 31)))
def test_fiscal_consistent_with_bounds(d):
    fy, q = thai.fiscal_year(d), thai.fiscal_quarter(d)
    start, end = thai.fiscal_year_bounds(fy)
    assert start <= d <= end
    q_start, q_end = thai.quarter_bounds(fy, q)
    assert q_start <= d <= q_end
    assert start <= q_start <= q_end <= end
    assert thai.fiscal_year(q_start) == thai.fiscal_year(q_end) == fy
    assert thai.fiscal_quarter(q_start) == thai.fiscal_quarter(q_end) == q
    # Quarters tile the fiscal year without gaps.
    quarters = [thai.quarter_bounds(fy, n) for n in (1, 2, 3, 4)]
    assert quarters[0][0] == start and quarters[3][1] == end
    for (_, a_end), (b_start, _) in zip(quarters, quarters[1:], strict=False):
        assert b_start - a_end == datetime.timedelta(days=1)

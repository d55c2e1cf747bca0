"""Tests for lao_integrity.thai, its template filters and its form fields."""

import datetime
import re
import string
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from lao_integrity import thai
from lao_integrity.fields import BahtField, ThaiDateField

D = Decimal
date = datetime.date

# ---------------------------------------------------------------------------
# Digits
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("พ.ศ.2548", "พ.ศ.๒๕๔๘"),
        ("10,000.00", "๑๐,๐๐๐.๐๐"),
        ("(O29)", "(O29)"),
        ("O29", "O29"),
        ("I7", "I7"),
        ("E14", "E14"),
        ("e-Service2", "e-Service2"),
        ("ISO9001", "ISO9001"),
        ("ข้อO29", "ข้อO29"),
        ("", ""),
        ("ไม่มีตัวเลข", "ไม่มีตัวเลข"),
        ("๑๒๓", "๑๒๓"),
        ("ตัวชี้วัด O29 ข้อ 3 ปี 2569", "ตัวชี้วัด O29 ข้อ ๓ ปี ๒๕๖๙"),
        (
            "ดู https://itas.nacc.go.th/go/2569/o29 ก่อน 30 ก.ย.",
            "ดู https://itas.nacc.go.th/go/2569/o29 ก่อน ๓๐ ก.ย.",
        ),
        ("http://example.com:8080/a1?x=2 และ 3", "http://example.com:8080/a1?x=2 และ ๓"),
        ("www.abt2.go.th/news/12 หน้า 5", "www.abt2.go.th/news/12 หน้า ๕"),
        ("abt.go.th/doc/2569.pdf", "abt.go.th/doc/2569.pdf"),
        ("ติดต่อ saraban2569@abt.go.th โทร 0 2123 4567", "ติดต่อ saraban2569@abt.go.th โทร ๐ ๒๑๒๓ ๔๕๖๗"),
        ("งบ 10,000.00 บาท (O29) เผยแพร่ 27/02/2569", "งบ ๑๐,๐๐๐.๐๐ บาท (O29) เผยแพร่ ๒๗/๐๒/๒๕๖๙"),
        ("COVID-19 ระลอก 2", "COVID-19 ระลอก ๒"),
        ("it&#39;s 5", "it&#39;s ๕"),
    ],
)
def test_to_thai_digits_examples(text, expected):
    assert thai.to_thai_digits(text) == expected


def test_to_thai_digits_non_str():
    assert thai.to_thai_digits(None) == ""
    assert thai.to_thai_digits(2569) == "๒๕๖๙"
    assert thai.to_thai_digits(D("10000.50")) == "๑๐๐๐๐.๕๐"
    assert thai.to_thai_digits(D("1E+3")) == "๑๐๐๐"  # no exponent notation leaking out


def test_to_thai_digits_html_mode_keeps_attributes():
    html = '<td colspan="2" class="c3">ข้อ 4</td>'
    assert thai.to_thai_digits(html, html=True) == '<td colspan="2" class="c3">ข้อ ๔</td>'
    # Plain mode does not know about tags: "2" in the attribute would be converted.
    assert 'colspan="๒"' in thai.to_thai_digits(html)


def test_to_arabic_digits():
    assert thai.to_arabic_digits("พ.ศ.๒๕๔๘") == "พ.ศ.2548"
    assert thai.to_arabic_digits("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert thai.to_arabic_digits(None) == ""


# Text whose digits all may be converted: no Latin letters (so no codes, URLs or
# e-mails) and no "&" (HTML entities).
_plain_alphabet = st.sampled_from(
    list(string.digits) + list(" .,/-:()%\n") + [chr(c) for c in range(0x0E01, 0x0E4F)]
)
plain_text = st.text(_plain_alphabet, max_size=60)
# Any text without Thai digits (Latin, URLs, e-mails and entities included).
any_text = st.text(
    st.characters(blacklist_characters="๐๑๒๓๔๕๖๗๘๙", blacklist_categories=("Cs",)), max_size=60
)


@given(plain_text)
def test_thai_digits_round_trip_plain(s):
    converted = thai.to_thai_digits(s)
    assert not any(c in string.digits for c in converted)
    assert thai.to_arabic_digits(converted) == s
    assert len(converted) == len(s)


@given(any_text)
def test_thai_digits_round_trip_any_text(s):
    # Only digits ever change, so converting back always restores the original.
    assert thai.to_arabic_digits(thai.to_thai_digits(s)) == s
    assert thai.to_arabic_digits(thai.to_thai_digits(s, html=True)) == s


@given(st.from_regex(r"[A-Za-z]{1,3}[0-9]{1,4}", fullmatch=True))
def test_codes_never_converted(code):
    assert thai.to_thai_digits(f"ข้อ {code} ปี 1") == f"ข้อ {code} ปี ๑"


@pytest.mark.parametrize("chunk", ["-", "-.", "a%", "1@", "<a", "a.", "ก1"])
def test_to_thai_digits_linear_on_long_runs(chunk):
    # Regression: unbounded alternatives made long runs of "-" take tens of seconds.
    text = chunk * 50_000
    started = time.perf_counter()
    thai.to_thai_digits(text, html=True)
    assert time.perf_counter() - started < 2


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


# ---------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (D("10000"), "10,000.00"),
        (D("10000.5"), "10,000.50"),
        (D("0"), "0.00"),
        (D("-1000"), "-1,000.00"),
        (D("-0.00"), "0.00"),
        (D("1234567.89"), "1,234,567.89"),
        (D("999.999"), "1,000.00"),  # display rounding is half-up
        (D("0.005"), "0.01"),
        (D("1E+3"), "1,000.00"),
        (12, "12.00"),
        (D("123456789012345678901234567890.12"), "123,456,789,012,345,678,901,234,567,890.12"),
    ],
)
def test_format_baht(amount, expected):
    assert thai.format_baht(amount) == expected


def test_format_baht_thai_and_bad_input():
    assert thai.format_baht(D("10000"), thai=True) == "๑๐,๐๐๐.๐๐"
    with pytest.raises(TypeError):
        thai.format_baht(10000.0)
    with pytest.raises(TypeError):
        thai.format_baht("10000")
    with pytest.raises(ValueError):
        thai.format_baht(D("NaN"))


def test_format_number():
    assert thai.format_number(1234567) == "1,234,567"
    assert thai.format_number(-1000, thai=True) == "-๑,๐๐๐"
    assert thai.format_number(0) == "0"
    assert thai.format_number(D("1000")) == "1,000"
    with pytest.raises(ValueError):
        thai.format_number(D("1000.5"))
    with pytest.raises(TypeError):
        thai.format_number(1.0)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (D("10000"), "หนึ่งหมื่นบาทถ้วน"),
        (D("0"), "ศูนย์บาทถ้วน"),
        (D("1"), "หนึ่งบาทถ้วน"),
        (D("11"), "สิบเอ็ดบาทถ้วน"),
        (D("21"), "ยี่สิบเอ็ดบาทถ้วน"),
        (D("101"), "หนึ่งร้อยเอ็ดบาทถ้วน"),
        (D("1000000"), "หนึ่งล้านบาทถ้วน"),
        (D("11000000"), "สิบเอ็ดล้านบาทถ้วน"),
        (D("1234567.50"), "หนึ่งล้านสองแสนสามหมื่นสี่พันห้าร้อยหกสิบเจ็ดบาทห้าสิบสตางค์"),
        (D("0.25"), "ยี่สิบห้าสตางค์"),
        (D("1.01"), "หนึ่งบาทหนึ่งสตางค์"),
        (D("0.01"), "หนึ่งสตางค์"),
        (D("0.21"), "ยี่สิบเอ็ดสตางค์"),
        (D("10"), "สิบบาทถ้วน"),
        (D("20"), "ยี่สิบบาทถ้วน"),
        (D("1001"), "หนึ่งพันเอ็ดบาทถ้วน"),
        (D("1000001"), "หนึ่งล้านเอ็ดบาทถ้วน"),
        (D("1010000"), "หนึ่งล้านหนึ่งหมื่นบาทถ้วน"),
        (D("2500000.75"), "สองล้านห้าแสนบาทเจ็ดสิบห้าสตางค์"),
        (D("501741221"), "ห้าร้อยเอ็ดล้านเจ็ดแสนสี่หมื่นหนึ่งพันสองร้อยยี่สิบเอ็ดบาทถ้วน"),
        (D("1000000000000"), "หนึ่งล้านล้านบาทถ้วน"),
        (D("2300000000000"), "สองล้านสามแสนล้านบาทถ้วน"),
        (D("1000001000000"), "หนึ่งล้านเอ็ดล้านบาทถ้วน"),
        (D("-1000.50"), "ลบหนึ่งพันบาทห้าสิบสตางค์"),
        (D("10000.000"), "หนึ่งหมื่นบาทถ้วน"),  # trailing zeros are not a fraction of a satang
        (100, "หนึ่งร้อยบาทถ้วน"),
    ],
)
def test_baht_text(amount, expected):
    assert thai.baht_text(amount) == expected


def test_baht_text_rejects():
    with pytest.raises(ValueError):
        thai.baht_text(D("1.005"))
    with pytest.raises(ValueError):
        thai.baht_text(D("0.001"))
    with pytest.raises(TypeError):
        thai.baht_text(1.5)
    with pytest.raises(TypeError):
        thai.baht_text("100")
    with pytest.raises(ValueError):
        thai.baht_text(D("Infinity"))


@pytest.mark.parametrize(
    "text", ["", "บาท", "ถ้วน", "สองสามบาทถ้วน", "สิบร้อยบาทถ้วน", "หนึ่งบาทร้อยสตางค์", "abc", "ล้านบาทถ้วน"]
)
def test_parse_baht_text_rejects(text):
    with pytest.raises(ValueError):
        thai.parse_baht_text(text)


def test_parse_baht_text_lenient_forms():
    assert thai.parse_baht_text("หนึ่ง หมื่น บาท ถ้วน") == D("10000")
    assert thai.parse_baht_text("หนึ่งหมื่นบาท") == D("10000")
    assert thai.parse_baht_text("ร้อยเอ็ดบาทถ้วน") == D("101")


money = st.decimals(
    min_value=D("-100000000000000"), max_value=D("100000000000000"), places=2, allow_nan=False
)
big_money = st.integers(min_value=0, max_value=10**20).map(lambda n: D(n).scaleb(-2))


@given(money)
def test_baht_text_round_trip(x):
    assert thai.parse_baht_text(thai.baht_text(x)) == x


@given(big_money)
def test_baht_text_round_trip_huge(x):
    assert thai.parse_baht_text(thai.baht_text(x)) == x


def test_baht_text_round_trip_edges():
    for x in [D("0"), D("0.01"), D("0.99"), D("1000000000000.01"), D("999999999999999.99")]:
        assert thai.parse_baht_text(thai.baht_text(x)) == x


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10,000.00", D("10000.00")),
        ("10000", D("10000")),
        ("10,000", D("10000")),
        (" 5000.5 ", D("5000.50")),
        ("๑๐,๐๐๐.๕๐", D("10000.50")),
        ("1,234,567.89", D("1234567.89")),
        ("-1,000", D("-1000")),
        ("0", D("0")),
        (".5", D("0.50")),
        ("10,000 บาท", D("10000")),
    ],
)
def test_parse_amount(text, expected):
    result = thai.parse_amount(text)
    assert result == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("abc", "ตัวเลข"),
        ("", "ไม่ได้กรอก"),
        ("1,00,0", "จุลภาค"),
        ("1,0000", "จุลภาค"),
        (",100", "จุลภาค"),
        ("1.234", "2 ตำแหน่ง"),
        ("0.001", "2 ตำแหน่ง"),
        ("NaN", "ตัวเลข"),
        ("Infinity", "ตัวเลข"),
        ("-inf", "ตัวเลข"),
        ("1e5", "ตัวเลข"),
        ("5.", "ตัวเลข"),
        ("1.2.3", "ตัวเลข"),
        ("--5", "ตัวเลข"),
    ],
)
def test_parse_amount_rejects(text, hint):
    with pytest.raises(ValueError, match="จำนวนเงินไม่ถูกต้อง") as info:
        thai.parse_amount(text)
    assert hint in str(info.value)


@given(money)
def test_parse_amount_format_baht_round_trip(x):
    assert thai.parse_amount(thai.format_baht(x)) == x
    assert thai.parse_amount(thai.format_baht(x, thai=True)) == x


_fuzz_alphabet = st.sampled_from(
    list("0123456789๐๑๒๓๔๕๖๗๘๙ ,.-/+e")
    + ["บาท", "ถ้วน", "สตางค์", "ล้าน", "สิบ", "ยี่", "เอ็ด", "หนึ่ง", "ลบ", "ก.พ.", "มกราคม", "พ.ศ.", "NaN"]
)
fuzz_text = st.lists(_fuzz_alphabet, max_size=20).map("".join)


@given(st.one_of(fuzz_text, st.text(max_size=30)))
def test_parsers_only_raise_value_error(text):
    for parse in (thai.parse_amount, thai.parse_be_date, thai.parse_baht_text):
        try:
            parse(text)
        except ValueError:
            pass


# ---------------------------------------------------------------------------
# Template filters
# ---------------------------------------------------------------------------


def render(source, **context):
    return Template("{% load thai %}" + source).render(Context(context))


def test_filters_basic():
    ctx = {"d": FEB27, "amount": D("10000"), "code": "O29 ปี 2569"}
    assert render("{{ d|date_long }}", **ctx) == "๒๗ กุมภาพันธ์ พ.ศ. ๒๕๖๙"
    assert render('{{ d|date_long:"month_word" }}', **ctx) == "๒๗ เดือน กุมภาพันธ์ พ.ศ. ๒๕๖๙"
    assert render('{{ d|date_long:"no_era" }}', **ctx) == "๒๗ กุมภาพันธ์ ๒๕๖๙"
    assert render("{{ d|date_short }}", **ctx) == "27/02/2569"
    assert render("{{ amount|baht }}", **ctx) == "10,000.00"
    assert render("{{ code|thai_digits }}", **ctx) == "O29 ปี ๒๕๖๙"


@pytest.mark.parametrize(
    "filter_expr",
    [
        "thai_digits",
        "date_long",
        'date_long:"month_word"',
        "date_short",
        "baht",
    ],
)
@pytest.mark.parametrize("value", [None, ""])
def test_filters_tolerate_empty(filter_expr, value):
    assert render(f"[{{{{ v|{filter_expr} }}}}]", v=value) == "[]"
    assert render(f"[{{{{ missing|{filter_expr} }}}}]") == "[]"


def test_thai_digits_filter_escaping():
    # Unsafe input stays escaped after conversion.
    assert render("{{ v|thai_digits }}", v="<b>5</b>") == "&lt;b&gt;๕&lt;/b&gt;"
    # Safe HTML input stays safe; tag attributes are not touched.
    assert render("{{ v|thai_digits }}", v=mark_safe('<td colspan="2">5</td>')) == '<td colspan="2">๕</td>'
    # Entities produced by escaping survive conversion.
    assert render("{{ v|thai_digits }}", v="it's 5") == "it&#x27;s ๕"
    assert render("{{ v|escape|thai_digits }}", v="it's 5") == "it&#x27;s ๕"


def test_date_filters_use_local_time():
    # 20:00 UTC on 30 Sep is 03:00 on 1 Oct in Bangkok: a new fiscal year.
    from django.utils import timezone

    aware = datetime.datetime(2026, 9, 30, 20, 0, tzinfo=datetime.UTC)
    with timezone.override("Asia/Bangkok"):
        assert render("{{ t|date_short }}", t=aware) == "01/10/2569"


def test_every_thai_filter_is_used_by_a_template():
    """A filter only the tests call is dead code: remove it rather than keep it in step."""
    from django.apps import apps
    from django.conf import settings

    from lao_integrity.templatetags.thai import register

    folders = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs()
                if Path(app.path).resolve().is_relative_to(Path(settings.BASE_DIR).resolve())]
    text = "\n".join(p.read_text() for folder in folders for p in folder.rglob("*") if p.is_file())
    unused = [name for name in register.filters if not re.search(r"\|\s*" + name + r"\b", text)]
    assert unused == []


def test_date_long_unknown_option():
    with pytest.raises(TemplateSyntaxError):
        render('{{ d|date_long:"bogus" }}', d=FEB27)
    assert render('{{ d|date_long:"month_word,no_era" }}', d=FEB27) == "๒๗ เดือน กุมภาพันธ์ ๒๕๖๙"


def test_baht_filters_accept_typed_strings():
    assert render("{{ v|baht }}", v="10000.5") == "10,000.50"


# ---------------------------------------------------------------------------
# Form fields
# ---------------------------------------------------------------------------


class ReportForm(forms.Form):
    published = ThaiDateField()
    budget = BahtField(max_digits=14, min_value=D("0"))
    optional_date = ThaiDateField(required=False)


def test_thai_date_field_valid():
    form = ReportForm(data={"published": "๒๗/๒/๒๕๖๙", "budget": "10,000.00"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["published"] == FEB27
    assert form.cleaned_data["budget"] == D("10000.00")
    assert form.cleaned_data["optional_date"] is None


@pytest.mark.parametrize(
    ("typed", "message_part"),
    [
        ("31/02/2569", "ไม่มีวันที่ 31 กุมภาพันธ์"),
        ("27/02/2026", "พ.ศ."),
        ("เมื่อวาน", "วันที่ไม่ถูกต้อง"),
        ("50%", "วันที่ไม่ถูกต้อง"),
    ],
)
def test_thai_date_field_invalid(typed, message_part):
    form = ReportForm(data={"published": typed, "budget": "1"})
    assert not form.is_valid()
    assert message_part in form.errors["published"][0]


def test_thai_date_field_required_message():
    form = ReportForm(data={"published": "", "budget": "1"})
    assert not form.is_valid()
    assert form.errors["published"] == ["กรุณากรอกวันที่"]


def test_thai_date_field_renders_initial_be():
    form = ReportForm(initial={"published": FEB27})
    html = str(form["published"])
    assert 'value="27/02/2569"' in html
    assert 'placeholder="วว/ดด/ปปปป"' in html
    assert 'inputmode="numeric"' in html
    assert 'type="text"' in html


def test_thai_date_field_redisplays_typed_text():
    form = ReportForm(data={"published": "31/02/2569", "budget": "1"})
    assert 'value="31/02/2569"' in str(form["published"])


def test_thai_date_field_has_changed():
    field = ThaiDateField()
    assert not field.has_changed(FEB27, "27/02/2569")
    assert field.has_changed(FEB27, "28/02/2569")


def test_baht_field_valid_inputs():
    field = BahtField()
    assert field.clean("10,000.00") == D("10000.00")
    assert field.clean(" ๑๐๐๐ ") == D("1000")
    assert field.clean(D("5.5")) == D("5.5")
    assert field.clean(-5) == D("-5")


@pytest.mark.parametrize(
    ("typed", "message_part"),
    [
        ("abc", "จำนวนเงินไม่ถูกต้อง"),
        ("1,00,0", "จุลภาค"),
        ("1.234", "2 ตำแหน่ง"),
        ("NaN", "จำนวนเงินไม่ถูกต้อง"),
        ("", "กรุณากรอกจำนวนเงิน"),
        ("-1", "ไม่น้อยกว่า 0.00 บาท"),
        ("1,000,000,000,000.00", "ไม่เกิน 14 หลัก"),
    ],
)
def test_baht_field_invalid(typed, message_part):
    form = ReportForm(data={"published": "27/02/2569", "budget": typed})
    assert not form.is_valid()
    assert message_part in form.errors["budget"][0]


def test_baht_field_max_value_message():
    field = BahtField(max_value=D("500000"))
    with pytest.raises(forms.ValidationError) as info:
        field.clean("500,000.01")
    assert info.value.messages == ["จำนวนเงินต้องไม่เกิน 500,000.00 บาท"]


def test_baht_field_whole_baht():
    field = BahtField(decimal_places=0, max_digits=10)
    assert field.clean("10,000.00") == D("10000")
    with pytest.raises(forms.ValidationError) as info:
        field.clean("10,000.50")
    assert "ทศนิยม" in info.value.messages[0]


def test_baht_field_renders_value():
    form = ReportForm(initial={"budget": D("10000")})
    html = str(form["budget"])
    assert 'value="10,000.00"' in html
    assert 'inputmode="decimal"' in html
    assert 'type="text"' in html
    assert not BahtField().has_changed(D("10000.00"), "10,000")


def test_style_and_script_elements_keep_latin_digits():
    html = '<style>.a { width: 3cm; }</style><p>ปี 2569</p><script>var n = 10;</script>'
    assert thai.to_thai_digits(html, html=True) == (
        '<style>.a { width: 3cm; }</style><p>ปี ๒๕๖๙</p><script>var n = 10;</script>')


# A token that begins with Latin letters keeps all its digits, whatever joins its parts (issue 13).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ได้รับ ISO9001:2015 แล้ว", "ได้รับ ISO9001:2015 แล้ว"),
        ("มาตรฐาน ISO/IEC27001:2013 ปี 2569", "มาตรฐาน ISO/IEC27001:2013 ปี ๒๕๖๙"),
        ("ระบบ e-GP:2/2569", "ระบบ e-GP:2/2569"),
        ("ข้อ O29: 5 ข้อ", "ข้อ O29: ๕ ข้อ"),
        ("เวลา 10:30 น. วันที่ 27/02/2569", "เวลา ๑๐:๓๐ น. วันที่ ๒๗/๐๒/๒๕๖๙"),
        ("ISO 9001:2015", "ISO ๙๐๐๑:๒๐๑๕"),  # a separate number is a number
    ],
)
def test_latin_token_keeps_all_its_digits(text, expected):
    assert thai.to_thai_digits(text) == expected
    assert thai.to_thai_digits(f"<p>{text}</p>", html=True) == f"<p>{expected}</p>"


@given(st.from_regex(r"[A-Za-z]{1,4}[0-9]{0,4}([:/.\-][A-Za-z0-9]{1,4}){1,3}", fullmatch=True))
def test_latin_led_tokens_never_converted(token):
    assert thai.to_thai_digits(f"ข้อ {token} ปี 1") == f"ข้อ {token} ปี ๑"


def test_number_led_token_converts_its_number_parts_only():
    assert thai.to_thai_digits("ปี 2569/O29") == "ปี ๒๕๖๙/O29"
    assert thai.to_thai_digits("5G และ 4") == "5G และ ๔"

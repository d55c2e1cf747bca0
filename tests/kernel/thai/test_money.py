"""Tests for lao_integrity.thai: baht amounts, numbers and baht in words."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lao_integrity import thai

D = Decimal


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

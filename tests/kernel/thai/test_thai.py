"""Tests for lao_integrity.thai: Thai digits, and the tokens that keep their Latin digits."""

import string
import time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lao_integrity import thai

D = Decimal


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

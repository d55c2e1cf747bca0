"""Baht: formatting amounts and numbers, baht in words (บาทถ้วน) and parsing both back."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from .digits import SPACES_RE as _SPACES_RE
from .digits import _digits, to_arabic_digits

_CENT = Decimal("0.01")
# Enough precision that quantize() never fails for any realistic (or silly) amount.
_PREC = 200


def _money(amount: object, func: str) -> Decimal:
    if isinstance(amount, float):
        raise TypeError(f"{func}() does not accept float (use Decimal): {amount!r}")
    if isinstance(amount, bool) or not isinstance(amount, (int, Decimal)):
        raise TypeError(f"{func}() needs a Decimal or int, not {type(amount).__name__}")
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"จำนวนเงินไม่ถูกต้อง: {amount}")
    return value


def format_baht(amount: Decimal | int, *, thai: bool = False) -> str:
    """Amount as "10,000.00": thousands separators, always two decimals, "-1,000.00" for negatives.

    Sub-satang values are rounded half-up for display (Decimal arithmetic only).
    """
    value = _money(amount, "format_baht")
    with localcontext() as ctx:
        ctx.prec = _PREC
        value = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    if value == 0:
        value = abs(value)  # avoid "-0.00"
    return _digits(format(value, ",.2f"), thai)


def format_number(n: int | Decimal, *, thai: bool = False) -> str:
    """Integer with thousands separators: 1234567 -> "1,234,567"."""
    if isinstance(n, float):
        raise TypeError(f"format_number() does not accept float: {n!r}")
    if isinstance(n, Decimal):
        if not n.is_finite() or n != n.to_integral_value():
            raise ValueError(f"format_number() needs a whole number, got {n}")
        n = int(n)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"format_number() needs an int, not {type(n).__name__}")
    return _digits(format(n, ",d"), thai)


_DIGIT_WORDS = ("ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
_PLACE_WORDS = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")
_MILLION = 10**6


def _words_below_million(n: int, *, has_higher: bool) -> str:
    """Words for 0 < n < 10**6; ``has_higher``: digits precede it (it follows "ล้าน")."""
    out = []
    digits = str(n).zfill(6)
    for i, ch in enumerate(digits):
        digit = int(ch)
        place = 5 - i
        if digit == 0:
            continue
        if place == 1:
            out.append({1: "สิบ", 2: "ยี่สิบ"}.get(digit, _DIGIT_WORDS[digit] + "สิบ"))
        elif place == 0:
            # Royal Institute: a final 1 in a number of two or more digits is "เอ็ด"
            # (11, 101, 1001, 1,000,001), but 1 on its own is "หนึ่ง".
            out.append("เอ็ด" if digit == 1 and (has_higher or n >= 10) else _DIGIT_WORDS[digit])
        else:
            out.append(_DIGIT_WORDS[digit] + _PLACE_WORDS[place])
    return "".join(out)


def _int_words(n: int, *, has_higher: bool = False) -> str:
    """Thai words for a positive integer; larger numbers use repeated "ล้าน"."""
    if n >= _MILLION:
        high, low = divmod(n, _MILLION)
        words = _int_words(high, has_higher=has_higher) + "ล้าน"
        return words + (_words_below_million(low, has_higher=True) if low else "")
    return _words_below_million(n, has_higher=has_higher)


def baht_text(amount: Decimal | int) -> str:
    """Amount in Thai words as on cheques and contracts: 10000 -> "หนึ่งหมื่นบาทถ้วน".

    Raises ``ValueError`` for fractions of a satang (never rounds) and
    ``TypeError`` for floats.  Negative amounts are prefixed with "ลบ".
    """
    value = _money(amount, "baht_text")
    with localcontext() as ctx:
        ctx.prec = _PREC
        satang_total = value * 100
        if satang_total != satang_total.to_integral_value():
            raise ValueError(f"จำนวนเงินมีเศษของสตางค์ (ทศนิยมเกิน 2 ตำแหน่ง): {amount}")
        satang_total = int(satang_total)
    sign = "ลบ" if satang_total < 0 else ""
    baht, satang = divmod(abs(satang_total), 100)
    if baht == 0 and satang == 0:
        return "ศูนย์บาทถ้วน"
    words = _int_words(baht) + "บาท" if baht else ""
    words += _int_words(satang) + "สตางค์" if satang else "ถ้วน"
    return sign + words


_NUMBER_TOKENS = {
    "ศูนย์": ("digit", 0),
    "หนึ่ง": ("digit", 1),
    "เอ็ด": ("digit", 1),
    "สอง": ("digit", 2),
    "ยี่": ("digit", 2),
    "สาม": ("digit", 3),
    "สี่": ("digit", 4),
    "ห้า": ("digit", 5),
    "หก": ("digit", 6),
    "เจ็ด": ("digit", 7),
    "แปด": ("digit", 8),
    "เก้า": ("digit", 9),
    "สิบ": ("place", 10),
    "ร้อย": ("place", 100),
    "พัน": ("place", 1000),
    "หมื่น": ("place", 10_000),
    "แสน": ("place", 100_000),
    "ล้าน": ("million", _MILLION),
}
_NUMBER_TOKEN_RE = re.compile("|".join(sorted(map(re.escape, _NUMBER_TOKENS), key=len, reverse=True)))
_BAHT_TEXT_RE = re.compile(r"(ลบ)?(?:(.+?)บาท)?(?:ถ้วน|ตรง|(.+?)สตางค์)?")


def _parse_thai_int(words: str, original: str) -> int:
    error = ValueError(f"จำนวนเงินเป็นตัวอักษรไม่ถูกต้อง: {original}")
    total = 0  # everything before the last "ล้าน"
    group = 0  # the part below one million being read
    pending: int | None = None  # a digit word waiting for its place word
    last_place = _MILLION  # place words inside a group must strictly decrease
    pos = 0
    while pos < len(words):
        m = _NUMBER_TOKEN_RE.match(words, pos)
        if not m:
            raise error
        pos = m.end()
        kind, value = _NUMBER_TOKENS[m.group()]
        if kind == "digit":
            if pending is not None:
                raise error
            pending = value
        elif kind == "place":
            if value >= last_place:
                raise error
            group += (1 if pending is None else pending) * value
            pending, last_place = None, value
        else:  # ล้าน
            group += pending or 0
            if total == 0 and group == 0:
                raise error
            total = (total + group) * _MILLION
            group, pending, last_place = 0, None, _MILLION
    if pos == 0:
        raise error
    return total + group + (pending or 0)


def parse_baht_text(text: str) -> Decimal:
    """Inverse of :func:`baht_text`: "หนึ่งบาทห้าสิบสตางค์" -> Decimal("1.50")."""
    original = str(text)
    s = _SPACES_RE.sub("", original)
    m = _BAHT_TEXT_RE.fullmatch(s)
    if not s or not m or not (m.group(2) or m.group(3)):
        raise ValueError(f"จำนวนเงินเป็นตัวอักษรไม่ถูกต้อง: {original}")
    negative, baht_words, satang_words = m.groups()
    baht = _parse_thai_int(baht_words, original) if baht_words else 0
    satang = _parse_thai_int(satang_words, original) if satang_words else 0
    if satang >= 100:
        raise ValueError(f"จำนวนเงินเป็นตัวอักษรไม่ถูกต้อง: {original} (สตางค์ต้องน้อยกว่า 100)")
    value = Decimal(baht * 100 + satang).scaleb(-2)
    return -value if negative else value


_AMOUNT_RE = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?")


def parse_amount(text: object) -> Decimal:
    """Parse money as staff type it ("10,000.00", "10000", " 5000.5 ", Thai digits).

    Returns a Decimal with two places.  Raises ``ValueError`` with a Thai message
    for non-numbers, misplaced thousands separators, more than two decimals, and
    NaN/Infinity.  Negative numbers are accepted (range checks belong elsewhere).
    """
    original = "" if text is None else str(text).strip()
    s = _SPACES_RE.sub("", to_arabic_digits(original)).replace("\u2212", "-")
    s = s.removesuffix("บาท")
    if not s:
        raise ValueError("จำนวนเงินไม่ถูกต้อง: ไม่ได้กรอกจำนวนเงิน")
    m = _AMOUNT_RE.fullmatch(s)
    if not m or not (m.group(2) or m.group(3)):
        if re.fullmatch(r"[+-]?[\d,]+(?:\.\d*)?", s):
            raise ValueError(f"จำนวนเงินไม่ถูกต้อง: {original} (ใส่เครื่องหมายจุลภาคคั่นหลักพันไม่ถูกตำแหน่ง)")
        raise ValueError(f"จำนวนเงินไม่ถูกต้อง: {original} (กรุณากรอกเป็นตัวเลข เช่น 10,000.00)")
    sign, integer, fraction = m.groups()
    if fraction is not None and len(fraction) > 2:
        raise ValueError(f"จำนวนเงินไม่ถูกต้อง: {original} (ทศนิยมได้ไม่เกิน 2 ตำแหน่ง)")
    if fraction == "":
        raise ValueError(f"จำนวนเงินไม่ถูกต้อง: {original} (กรุณากรอกเป็นตัวเลข เช่น 10,000.00)")
    digits = f"{sign}{integer.replace(',', '') or '0'}.{fraction or '0'}"
    with localcontext() as ctx:
        ctx.prec = _PREC
        try:
            return Decimal(digits).quantize(_CENT)
        except InvalidOperation:  # pragma: no cover - the regex only lets digits through
            raise ValueError(f"จำนวนเงินไม่ถูกต้อง: {original}") from None

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
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

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

BE_OFFSET = 543
# Smallest B.E. year accepted from typed DD/MM/YYYY input; anything lower is almost
# certainly a C.E. year typed by mistake (2026 vs 2569).
MIN_BE_YEAR = 2400

# ---------------------------------------------------------------------------
# Digits
# ---------------------------------------------------------------------------

_ARABIC_DIGITS = "0123456789"
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans(_ARABIC_DIGITS, _THAI_DIGITS)
_TO_ARABIC = str.maketrans(_THAI_DIGITS, _ARABIC_DIGITS)

_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
# Spans whose digits must never be converted.  Order matters: the longest,
# most specific constructs first.
# Every alternative starts with a literal or an alphanumeric and has bounded
# repetition before it can fail, so scanning long runs of punctuation stays linear.
_PROTECTED_RE = re.compile(
    rf"""
      (?:https?|ftp)://{_URL_CHARS}+                          # URL with scheme
    | www\.{_URL_CHARS}+                                      # www. URL
    | [A-Za-z0-9][A-Za-z0-9._%+\-]{{0,63}}                     # e-mail address
      @[A-Za-z0-9\-]{{1,63}}(?:\.[A-Za-z0-9\-]{{1,63}}){{1,10}}
    | (?:[A-Za-z0-9][A-Za-z0-9\-]{{0,62}}\.){{1,10}}            # bare domain with a path
      [A-Za-z]{{2,63}}(?::[0-9]{{1,5}})?/{_URL_CHARS}*
    | &\#[0-9]{{1,7}};                                         # HTML numeric entity
    | [A-Za-z0-9]+(?:[\-_.:/][A-Za-z0-9]+)*                  # Latin/digit token ("ISO9001:2015")
    """,
    re.VERBOSE,
)
# A tag, or a whole <style>/<script> element: CSS and script keep their Latin digits.
_HTML_TAG_RE = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>|<[A-Za-z/!][^<>]*>", re.S | re.I)
_LATIN_RE = re.compile(r"[A-Za-z]")
_SEGMENT_RE = re.compile(r"[^:/]+")


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # str(Decimal) may use exponent notation ("1E+3"); "f" never does.
        return format(value, "f")
    return str(value)


def _convert_plain(text: str) -> str:
    out = []
    pos = 0
    for m in _PROTECTED_RE.finditer(text):
        out.append(text[pos : m.start()].translate(_TO_THAI))
        token = m.group()
        if token[0].isdigit():
            # A number such as "2548", "000.00" or "27/02/2569": convert it. Past ":" or "/" each
            # part counts alone ("2569/O29"); a part with a Latin letter is a code ("5G").
            token = _SEGMENT_RE.sub(
                lambda part: part.group() if _LATIN_RE.search(part.group()) else part.group().translate(_TO_THAI),
                token,
            )
        out.append(token)
        pos = m.end()
    out.append(text[pos:].translate(_TO_THAI))
    return "".join(out)


def to_thai_digits(text: object, *, html: bool = False) -> str:
    """Convert ASCII digits to Thai digits (๐-๙), leaving codes, URLs and e-mails alone.

    A digit run attached to a Latin letter is part of a code ("O29", "ISO9001",
    "e-Service2") and is not converted; a token that begins with Latin letters keeps all its
    digits, past "-", ".", ":" or "/" too ("ISO9001:2015", "COVID-19", "ISO/IEC27001").  ``None`` gives ``""``; other non-str
    values are ``str()``-ed.  With ``html=True`` digits inside HTML tags
    (attributes) are left alone too; HTML numeric entities are always kept.
    """
    text = _as_text(text)
    if not html:
        return _convert_plain(text)
    out = []
    pos = 0
    for m in _HTML_TAG_RE.finditer(text):
        out.append(_convert_plain(text[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(_convert_plain(text[pos:]))
    return "".join(out)


def to_arabic_digits(text: object) -> str:
    """Convert every Thai digit (๐-๙) to its ASCII digit; ``None`` gives ``""``."""
    return _as_text(text).translate(_TO_ARABIC)


def _digits(text: str, thai: bool) -> str:
    return text.translate(_TO_THAI) if thai else text


# ---------------------------------------------------------------------------
# Months and dates
# ---------------------------------------------------------------------------

THAI_MONTHS: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


def month_name(month: int, *, abbr: bool = False) -> str:
    """Thai name of ``month`` (1-12), full ("กุมภาพันธ์") or abbreviated ("ก.พ.")."""
    if not 1 <= month <= 12:
        raise ValueError(f"เดือนไม่ถูกต้อง: {month}")
    return (THAI_MONTHS_ABBR if abbr else THAI_MONTHS)[month - 1]


def be_year(d_or_year: datetime.date | int) -> int:
    """Buddhist-era year of a date, or of a C.E. year given as an int."""
    if isinstance(d_or_year, datetime.date):
        return d_or_year.year + BE_OFFSET
    if isinstance(d_or_year, bool) or not isinstance(d_or_year, int):
        raise TypeError(f"be_year() needs a date or an int, not {type(d_or_year).__name__}")
    return d_or_year + BE_OFFSET


def format_date_long(
    d: datetime.date, *, month_word: bool = False, era: bool = True, thai: bool = True
) -> str:
    """Long date "๒๗ กุมภาพันธ์ พ.ศ. ๒๕๖๙" (``month_word`` adds "เดือน ", ``era=False`` drops "พ.ศ. ")."""
    parts = [str(d.day)]
    if month_word:
        parts.append("เดือน")
    parts.append(THAI_MONTHS[d.month - 1])
    if era:
        parts.append("พ.ศ.")
    parts.append(str(be_year(d)))
    return _digits(" ".join(parts), thai)


def format_date_short(d: datetime.date, *, thai: bool = False) -> str:
    """Short date "27/02/2569": DD/MM/YYYY with the B.E. year."""
    return _digits(f"{d.day:02d}/{d.month:02d}/{be_year(d):04d}", thai)


def format_date_abbr(d: datetime.date, *, thai: bool = True) -> str:
    """Abbreviated date "๒๗ ก.พ. ๖๙": day, abbreviated month, last two digits of the B.E. year."""
    return _digits(f"{d.day} {THAI_MONTHS_ABBR[d.month - 1]} {be_year(d) % 100:02d}", thai)


_DATE_HINT = "กรุณากรอกเป็น วว/ดด/ปปปป (พ.ศ.) เช่น 27/02/2569"
_SPACES_RE = re.compile(r"[\s\u200b]+")
_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_RE = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d+)")
_COMPACT_RE = re.compile(r"(\d{2})(\d{2})(\d{2}|\d{4})")


def _month_words_re() -> re.Pattern[str]:
    names = sorted([*THAI_MONTHS, *THAI_MONTHS_ABBR], key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(\d{{1,2}})\s*(?:เดือน\s*)?({alternatives})\s*(?:พ\.\s*ศ\.\s*)?(\d+)")


_WORDS_RE = _month_words_re()
_MONTH_BY_NAME = {name: i + 1 for i, name in enumerate(THAI_MONTHS)} | {
    name: i + 1 for i, name in enumerate(THAI_MONTHS_ABBR)
}


def _be_to_ce(year_text: str, original: str) -> int:
    if len(year_text) == 2:
        # Two-digit years are B.E. 25xx ("69" -> 2569), the only plausible century.
        return 2500 + int(year_text) - BE_OFFSET
    if len(year_text) != 4:
        raise ValueError(f"วันที่ไม่ถูกต้อง: {original} (ปีต้องมี 4 หลัก เป็น พ.ศ.)")
    year = int(year_text)
    if year < MIN_BE_YEAR:
        raise ValueError(
            f"วันที่ไม่ถูกต้อง: {original} (ปี {year} ดูเหมือนเป็นปี ค.ศ. กรุณากรอกปีเป็น พ.ศ. เช่น {year + BE_OFFSET})"
        )
    return year - BE_OFFSET


def _make_date(year: int, month: int, day: int, original: str) -> datetime.date:
    if not 1 <= month <= 12:
        raise ValueError(f"วันที่ไม่ถูกต้อง: {original} (เดือนต้องอยู่ระหว่าง 1 ถึง 12)")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        if 1 <= year <= 9999:
            raise ValueError(
                f"วันที่ไม่ถูกต้อง: {original} (ไม่มีวันที่ {day} {THAI_MONTHS[month - 1]} พ.ศ. {year + BE_OFFSET})"
            ) from None
        raise ValueError(f"วันที่ไม่ถูกต้อง: {original} ({_DATE_HINT})") from None


def parse_be_date(text: object) -> datetime.date:
    """Parse a date as staff type it; raise ``ValueError`` with a Thai message.

    Accepted: "27/02/2569", "27/2/2569", "27-02-2569", "27.02.2569", Thai digits,
    two-digit B.E. years ("27/02/69"), digits only ("27022569", handy on numeric
    keypads), Thai month names ("27 ก.พ. 2569", "27 กุมภาพันธ์ พ.ศ. 2569") and
    ISO "2026-02-27" (C.E., as sent by HTML date inputs).  A ``date`` passes through.
    """
    if isinstance(text, datetime.datetime):
        return text.date()
    if isinstance(text, datetime.date):
        return text
    original = "" if text is None else str(text).strip()
    if not original:
        raise ValueError(f"วันที่ไม่ถูกต้อง: ไม่ได้กรอกวันที่ ({_DATE_HINT})")
    s = _SPACES_RE.sub(" ", to_arabic_digits(original)).strip()

    if m := _ISO_RE.fullmatch(s):
        year, month, day = (int(g) for g in m.groups())
        if year >= MIN_BE_YEAR:
            # "2569-02-27" is a B.E. year typed year-first, not a C.E. date 400 years ahead.
            raise ValueError(f"วันที่ไม่ถูกต้อง: {original} ({_DATE_HINT})")
        return _make_date(year, month, day, original)
    if m := _DMY_RE.fullmatch(s):
        day_text, _sep, month_text, year_text = m.groups()
    elif m := _COMPACT_RE.fullmatch(s):
        day_text, month_text, year_text = m.groups()
    elif m := _WORDS_RE.fullmatch(s):
        day_text, month_word, year_text = m.groups()
        month_text = str(_MONTH_BY_NAME[month_word])
    else:
        raise ValueError(f"วันที่ไม่ถูกต้อง: {original} ({_DATE_HINT})")
    year = _be_to_ce(year_text, original)
    return _make_date(year, int(month_text), int(day_text), original)


# ---------------------------------------------------------------------------
# Fiscal year (ปีงบประมาณ)
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Money and numbers
# ---------------------------------------------------------------------------

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

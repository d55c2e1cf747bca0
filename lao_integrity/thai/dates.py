"""Thai months and Buddhist-era dates: names, formatting, and parsing what people type."""

from __future__ import annotations

import datetime
import re

from .digits import SPACES_RE as _SPACES_RE
from .digits import _digits, to_arabic_digits

BE_OFFSET = 543
# Smallest B.E. year accepted from typed DD/MM/YYYY input; anything lower is almost
# certainly a C.E. year typed by mistake (2026 vs 2569).
MIN_BE_YEAR = 2400


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

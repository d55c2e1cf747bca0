"""Reading the cells of an ITA results file: the column names, and each value as typed (Thai
digits, decimal commas, xlsx numbers) read into what it means, or ValueError with a Thai message."""

import re
from decimal import Decimal

from lao_integrity.thai import to_arabic_digits

from .. import services
from .indicator_names import Label, numbered_label

CODE = "รหัส อปท."
YEAR = "ปีงบประมาณ"
INDICATOR = "ตัวชี้วัด"
SCORE = "คะแนน"
RANK = "ลำดับ"  # within the peer group of RANK_GROUP (the letter: "ลำดับที่ 1,175 ของหน่วยงานประเภท เทศบาลตำบล")
RANK_GROUP = "ประเภทหน่วยงานที่จัดลำดับ"
OLD_RANK = "ลำดับระดับประเทศ"  # files written before the group was stored: read as RANK
NAME = "ชื่อ"
ORG_TYPE = "ประเภท"
PROVINCE = "จังหวัด"
OVERALL = "คะแนนรวม"
LEVEL = "ระดับ"
OUTCOME = "ผลการประเมิน"
PASSED, FAILED = "ผ่าน", "ไม่ผ่าน"
# Wide-format columns for the parts of EIT (FY 2566 on) -> ToolPart.code.
PART_HEADERS = {"EIT ส่วนที่ 1": "public", "EIT ส่วนที่ 2": "survey"}
PART_TOOL = "EIT"

_INDICATOR_NUMBER = re.compile(r"^\d{1,2}$", re.ASCII)
_THAI_LETTER = re.compile(r"[\u0e01-\u0e2e]")
_COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d{1,2}$")
_WHOLE = re.compile(r"^\d+$", re.ASCII)
_CODE = re.compile(r"^\d{7}$", re.ASCII)
_YEAR = re.compile(r"^\d{4}$", re.ASCII)
MAX_RANK = 10_000  # about 7,850 local administrative organisations take part


def indicator_header(number: int) -> str:
    return f"ตัวชี้วัดที่ {number}"


def read_score(value) -> Decimal:
    """A score as typed: "91.47", "๙๑.๔๗", "91,47" (comma decimal) or an xlsx number -> Decimal("91.47").

    ValueError with a Thai message when it is not a number, outside 0–100 or has more than 2 decimals.
    """
    text = to_arabic_digits(str(value)).strip()
    if not text:
        raise ValueError("ไม่ได้กรอกคะแนน")
    if _COMMA_DECIMAL.match(text):
        # A score is at most 100, so a comma followed by one or two digits can only be a decimal comma.
        return services.parse_score(text.replace(",", "."))
    if "," in text:
        raise ValueError(f"คะแนน “{value}” ไม่ใช่ตัวเลข")
    return services.parse_score(value)


def read_rank(value) -> int:
    """A rank (within its peer group): a whole number from 1, Thai digits and thousands separators allowed."""
    text = to_arabic_digits(str(value)).strip().replace(",", "")
    if not _WHOLE.match(text) or not text.strip("0"):
        raise ValueError(f"ลำดับ “{value}” ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป")
    if len(text) > 6 or int(text) > MAX_RANK:  # a 40-digit rank used to reach the database: a 500
        raise ValueError(f"ลำดับ “{value}” ต้องไม่เกิน {MAX_RANK:,} (จำนวน อปท. ทั้งประเทศ)")
    return int(text)


def read_rank_group(value) -> str | None:
    """The peer group a rank is in, as typed ("เทศบาลตำบล"), spaces tidied; None when blank."""
    text = " ".join(str(value or "").split())
    if len(text) > 100:
        raise ValueError(f"ประเภทหน่วยงานที่จัดลำดับ “{text[:30]}…” ยาวเกิน 100 ตัวอักษร")
    return text or None


def _read_key(value: str, pattern: re.Pattern, missing: str, wrong: str) -> str:
    """`value` as typed (Thai digits read), matching `pattern`; else ValueError (`wrong` names the value)."""
    text = to_arabic_digits(value).strip()
    if not text:
        raise ValueError(missing)
    if not pattern.match(text):
        raise ValueError(wrong.format(value))
    return text


def read_code(value: str) -> str:
    return _read_key(value, _CODE, "ไม่ได้ระบุรหัส อปท.", "รหัส อปท. “{}” ต้องเป็นตัวเลข 7 หลัก")


def read_year(value: str) -> int:
    return int(_read_key(value, _YEAR, "ไม่ได้ระบุปีงบประมาณ", "ปีงบประมาณ “{}” ต้องเป็น พ.ศ. 4 หลัก เช่น 2566"))


def read_indicator(value: str) -> Label:
    """ "4", "ตัวชี้วัดที่ 4", "ตัวชี้วัดที่ 4 การเปิดเผยข้อมูล" or a name alone; the name is checked
    against the year's framework later (read_label)."""
    text = to_arabic_digits(value).strip()
    if not text:
        raise ValueError("ไม่ได้ระบุตัวชี้วัด")
    if _INDICATOR_NUMBER.match(text):
        return Label(text=text, number=int(text), name="")
    label = numbered_label(text)
    if label is not None:
        return label
    if _THAI_LETTER.search(text):
        return Label(text=text, number=None, name=text)
    raise ValueError(f"ตัวชี้วัด “{value}” ไม่ถูกต้อง (ใส่หมายเลขตัวชี้วัด เช่น 1)")

"""Indicator columns as people write them: "ตัวชี้วัดที่ ๔ การเปิดเผยข้อมูล", "ตัวชี้วัดที่4: การปรับปรุงการทำงาน".

Real analysis reports number indicators in their own order (a report may call การเปิดเผยข้อมูล
"ตัวชี้วัดที่ 4" while the framework numbers it 9), so a number is trusted only when the name beside
it, if any, is that indicator's name. Names are compared after normalising what varies between
documents (spaces, zero-width characters, Thai digits, doubled marks, "(OIT)" and similar
asides), through a short list of variants seen in real documents, and finally by similarity with
a threshold no two official names reach and a margin over the runner-up, so a match is never a
guess between two indicators.
"""

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from lao_integrity.thai import to_arabic_digits

# "ตัวชี้วัดที่ 4 …", "ตัวชี้วัด 4: …", "ตัวชี้วัดที่4การ…"; not a sub-indicator such as "ตัวชี้วัดที่ 9.1".
_NUMBERED = re.compile(r"^ตัวชี้วัด(?:ที่)?\s*(\d{1,2})(?![\d.,]\d)\s*[.:)\-–]?\s*(.*)$", re.DOTALL)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_TOOL_CODE = re.compile(r"(?<![A-Za-z])(?:IIT|EIT|OIT)(?![A-Za-z])", re.IGNORECASE)
_DOUBLED_MARK = re.compile(r"([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+")
_PUNCTUATION = re.compile(r"[\s.,:;\-–—_/\\\"'“”‘’*#]+")
_SCORE_WORD = re.compile(r"^(?:คะแนน)+|(?:คะแนน)+$")

# Names that real documents use for the official ones (normalised like everything else).
VARIANTS = {
    "การปรับปรุงการทำงาน": "การปรับปรุงระบบการทำงาน",  # meeting bundle, แม่สายมิตรภาพ 2566
    "การปรับปรุงระบบการปฏิบัติงาน": "การปรับปรุงระบบการทำงาน",
    "การใช้ทรัพย์สินของทางราชการ": "การใช้ทรัพย์สินของราชการ",
    "การใช้ทรัพย์สินราชการ": "การใช้ทรัพย์สินของราชการ",
    "การแก้ไขปัญหาทุจริต": "การแก้ไขปัญหาการทุจริต",
    "การเปิดเผยข้อมูลสาธารณะ": "การเปิดเผยข้อมูล",
    "การป้องกันทุจริต": "การป้องกันการทุจริต",
    "ประสิทธิภาพในการสื่อสาร": "ประสิทธิภาพการสื่อสาร",
    "คุณภาพในการดำเนินงาน": "คุณภาพการดำเนินงาน",
}
SIMILAR = 0.8  # official names are at most 0.69 alike; typos and small variants score 0.82-0.97
MARGIN = 0.15  # the best match must lead the next indicator by this much


def name_key(text: str) -> str:
    """The part of a name that says which indicator it is."""
    text = unicodedata.normalize("NFC", to_arabic_digits(text)).translate(_INVISIBLE)
    text = text.replace("\u0e4d\u0e32", "\u0e33")  # NIKHAHIT + SARA AA typed apart -> SARA AM
    text = _ASIDE.sub(" ", text)
    text = _TOOL_CODE.sub(" ", text)
    text = _DOUBLED_MARK.sub(r"\1", text)
    text = _PUNCTUATION.sub("", text)
    text = _SCORE_WORD.sub("", text)
    return VARIANTS.get(text, text)


@dataclass(frozen=True)
class Label:
    """An indicator as a header or a cell gives it: its number and the name beside it, if any."""

    text: str
    number: int | None
    name: str  # as written, "" when there is none

    @property
    def key(self) -> str:
        return name_key(self.name)


def numbered_label(text: str) -> Label | None:
    """ "ตัวชี้วัดที่ 4 การเปิดเผยข้อมูล" -> Label(number=4, name="การเปิดเผยข้อมูล"); None for other headers."""
    clean = to_arabic_digits(text).translate(_INVISIBLE).strip()
    match = _NUMBERED.match(clean)
    if not match:
        return None
    return Label(text=clean, number=int(match.group(1)), name=match.group(2).strip())


def matching(name: str, indicators: Mapping[int, str]) -> list[int]:
    """The indicators (number -> official name) this name names: one, none, or several when unsure."""
    key = name_key(name)
    if not key:
        return []
    keys = {number: name_key(official) for number, official in indicators.items()}
    exact = [number for number, official in keys.items() if official == key]
    if exact:
        return exact
    ranked = sorted(((difflib.SequenceMatcher(None, key, official).ratio(), number)
                     for number, official in keys.items()), reverse=True)
    close = [number for ratio, number in ranked if ratio >= SIMILAR]
    if len(close) == 1 and (len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= MARGIN):
        return close
    return sorted(close) if len(close) > 1 else []


@dataclass(frozen=True)
class Reading:
    """What a label means in one framework: the indicator number, a note when the name decided
    it against the number, or a problem when neither can be trusted."""

    number: int | None
    note: str = ""
    problem: str = ""


def read_label(label: Label, indicators: Mapping[int, str], fiscal_year: int) -> Reading:
    """Number and name agreed against one year's indicators (number -> official name)."""
    if not label.key:
        return Reading(label.number)
    own = indicators.get(label.number) if label.number is not None else None
    found = matching(label.name, indicators)
    if label.number in found:
        return Reading(label.number)
    quoted = f"“{label.text}”"
    if len(found) == 1:
        number = found[0]
        if label.number is None:  # a name alone says nothing against it
            return Reading(number)
        if own is None:
            said = f"ไม่มีตัวชี้วัดที่ {label.number} ในกรอบการประเมินปี {fiscal_year}"
        else:
            said = f"ในกรอบการประเมินปี {fiscal_year} ตัวชี้วัดที่ {label.number} คือ {own}"
        return Reading(number, note=f"{quoted} อ่านเป็นตัวชี้วัดที่ {number} {indicators[number]} ตามชื่อ ({said})")
    if found:
        names = ", ".join(f"ตัวชี้วัดที่ {n} {indicators[n]}" for n in sorted(found))
        return Reading(None, problem=f"{quoted}: ชื่อ “{label.name}” ใกล้เคียงกับหลายตัวชี้วัด ({names}) "
                                     f"กรุณาใช้ชื่อตามกรอบการประเมินปี {fiscal_year}")
    if own is None:
        wanted = (f"ไม่ตรงกับตัวชี้วัดใดในกรอบการประเมินปี {fiscal_year}" if label.number is None
                  else f"ไม่ตรงกับตัวชี้วัดใด และไม่มีตัวชี้วัดที่ {label.number} ในกรอบการประเมินปี {fiscal_year}")
        return Reading(None, problem=f"{quoted}: ชื่อ “{label.name}” {wanted}")
    return Reading(None, problem=f"{quoted}: ชื่อ “{label.name}” ไม่ใช่ชื่อตัวชี้วัดที่ {label.number} ({own}) "
                                 f"และไม่ตรงกับตัวชี้วัดอื่นในกรอบการประเมินปี {fiscal_year} "
                                 f"กรุณาแก้หัวคอลัมน์ให้หมายเลขและชื่อตรงกัน")

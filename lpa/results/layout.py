"""The LPA table as the province prints it: ลำดับที่, ภาค, จังหวัด, อำเภอ, ประเภทอปท., ชื่อ อปท. (and,
in our exports, รหัส อปท.), then for each of the five areas คะแนนเต็ม, คะแนนที่ได้, ร้อยละ, then the
five-area totals. The header is printed over one to three rows with merged cells, so the eighteen
score columns are read by position after the identification columns; their header text is only
checked to name the areas in order."""

import re

from ..models import Area

KINDS = ("คะแนนเต็ม", "คะแนนที่ได้", "ร้อยละ")
TOTAL_LABEL = "รวมคะแนน 5 ด้าน"
TOTAL_PERCENT_LABEL = "คิดเป็นร้อยละ"
# (key, label on the first header row, area name or None for the totals)
GROUPS = [(f"a{area.value}", f"ด้านที่ {area.value}", area.label) for area in Area] + [("total", TOTAL_LABEL, None)]
SCORE_COLUMN_COUNT = len(GROUPS) * len(KINDS)

RANK, REGION, PROVINCE, DISTRICT, ORG_TYPE, NAME, CODE = (
    "ลำดับที่", "ภาค", "จังหวัด", "อำเภอ", "ประเภทอปท.", "ชื่อ อปท.", "รหัส อปท.")
IDENTIFICATION = [RANK, REGION, PROVINCE, DISTRICT, ORG_TYPE, NAME]
EXPORT_IDENTIFICATION = [*IDENTIFICATION, CODE]


def column(key: str, kind: str) -> str:
    """The name the import gives a score column, e.g. "ด้านที่ 1 การบริหารจัดการ: คะแนนเต็ม"."""
    for group_key, label, name in GROUPS:
        if group_key == key:
            return f"{label} {name}: {kind}" if name else f"{label}: {kind}"
    raise KeyError(key)


SCORE_COLUMNS = [column(key, kind) for key, _label, _name in GROUPS for kind in KINDS]
ONE_ROW_HEADER = [*EXPORT_IDENTIFICATION, *SCORE_COLUMNS]
HEADER_WORDS = {*KINDS, TOTAL_LABEL, TOTAL_PERCENT_LABEL, *(label for _k, label, _n in GROUPS),
                *(name for _k, _l, name in GROUPS if name)}


def squash(text: str) -> str:
    """Header text compared without spaces or a final full stop ("ประเภท อปท." = "ประเภทอปท")."""
    return re.sub(r"\s+", "", str(text or "")).rstrip(".")


_IDENTIFICATION_BY_SQUASHED = {squash(name): name for name in EXPORT_IDENTIFICATION}


def printed_header_rows() -> list[list[str]]:
    """The three header rows as the province prints them (merged cells: text in the first one)."""
    first, second, third = list(EXPORT_IDENTIFICATION), [""] * len(EXPORT_IDENTIFICATION), [""] * len(EXPORT_IDENTIFICATION)
    for _key, label, name in GROUPS:
        if name:
            first += [label, "", ""]
            second += [name, "", "ร้อยละ"]
            third += ["คะแนนเต็ม", "คะแนนที่ได้", ""]
        else:
            first += [label, "", TOTAL_PERCENT_LABEL]
            second += ["", "", ""]
            third += ["คะแนนเต็ม", "คะแนนที่ได้", ""]
    return [first, second, third]


def is_header_row(cells: list[str]) -> bool:
    """A row of the header (the second or third printed row) or a page's repeated header: no rank
    and no name, and only header words; or a row that starts again with "ลำดับที่"."""
    if cells and squash(cells[0]) == squash(RANK):
        return True
    filled = [str(c).strip() for c in cells if str(c).strip()]
    return bool(filled) and all(any(word in cell for word in HEADER_WORDS) for cell in filled)


def _start(rows: list[list[str]]) -> int | None:
    """The first score column: the first one whose header names area 1."""
    first_area = (GROUPS[0][1], GROUPS[0][2])
    width = max(len(r) for r in rows)
    for index in range(width):
        texts = [row[index] for row in rows if index < len(row)]
        if any(any(word in text for word in first_area) for text in texts):
            return index
    return None


class HeaderProblem(ValueError):
    pass


def canonical(rows: list[list[str]]) -> list[str]:
    """The columns as the import names them, from the header's rows (the first one or two of the
    printed header; the third holds only the kinds). HeaderProblem (Thai) when the header is not
    the LPA table's."""
    rows = [[str(c or "").strip() for c in row] for row in rows]
    first = rows[0]
    if first[len(first) - SCORE_COLUMN_COUNT:] == SCORE_COLUMNS:  # the one-row header we write
        start = len(first) - SCORE_COLUMN_COUNT
    else:
        start = _start(rows)
    if start is None:
        raise HeaderProblem("ไม่พบคอลัมน์ของด้านที่ 1 การบริหารจัดการ: หัวตารางไม่ใช่แบบรายงานผล LPA")
    if len(first) < start + SCORE_COLUMN_COUNT:
        raise HeaderProblem(f"หัวตารางมีคอลัมน์คะแนนไม่ครบ: ต้องมี {SCORE_COLUMN_COUNT} คอลัมน์ "
                            "(คะแนนเต็ม คะแนนที่ได้ และร้อยละ ของ 5 ด้านและของคะแนนรวม)")
    for number, (_key, label, name) in enumerate(GROUPS):
        cells = " ".join(row[i] for row in rows for i in range(start + 3 * number, start + 3 * number + 3)
                         if i < len(row))
        words = (label, name) if name else (label, "รวม")
        if not any(word in cells for word in words):
            raise HeaderProblem(f"หัวตารางไม่ตรงกับแบบรายงาน: คอลัมน์ที่ {start + 3 * number + 1} ควรเป็น “{label}”")
    names = []
    for index in range(start):
        text = next((row[index] for row in rows if index < len(row) and row[index]), "")
        names.append(_IDENTIFICATION_BY_SQUASHED.get(squash(text), text))
    names += SCORE_COLUMNS
    names += first[start + SCORE_COLUMN_COUNT:]
    if NAME not in names and CODE not in names:
        raise HeaderProblem(f"ไม่พบคอลัมน์ “{NAME}” หรือ “{CODE}”")
    return names

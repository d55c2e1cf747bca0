"""Detecting a file's layout from its header row: which column holds the code, the year, the
long format's indicator and score, the wide format's indicator columns (read against each year's
framework by read_columns) and the EIT part columns. Problems with the header row are line 1."""

from dataclasses import dataclass

from lao_integrity.tabular import ImportRejected, RowProblem
from lao_integrity.thai import to_arabic_digits

from .cells import CODE, INDICATOR, OLD_RANK, PART_HEADERS, RANK, RANK_GROUP, SCORE, YEAR
from .indicator_names import Label, numbered_label, read_label
from .years import Year


@dataclass(frozen=True)
class Column:
    position: int
    label: Label


class Layout:
    """Which column holds what; problems with the header row are reported as line 1."""

    def __init__(self, headers: list[str]):
        self.index: dict[str, int] = {}
        self.columns: list[Column] = []  # "ตัวชี้วัดที่ N [name]": read per year by read_columns
        self.parts: dict[str, int] = {}
        problems = self._place(headers)
        self.long = INDICATOR in self.index and SCORE in self.index
        problems.extend(self._format_problems())
        if problems:
            raise ImportRejected([RowProblem(1, message) for message in problems])

    def _place(self, headers: list[str]) -> list[str]:
        """Each header to its place: an indicator column, an EIT part column or a named column;
        a column given twice is a problem."""
        problems = []
        seen: dict[tuple[int | None, str], str] = {}
        for position, raw in enumerate(headers):
            header = to_arabic_digits(raw).strip()
            label = numbered_label(header)
            if label is not None:
                key = (label.number, label.key)
                if key in seen:
                    problems.append(f"คอลัมน์ “{seen[key]}” ซ้ำกัน")
                seen.setdefault(key, label.text)
                self.columns.append(Column(position, label))
            elif header in PART_HEADERS:
                if PART_HEADERS[header] in self.parts:
                    problems.append(f"คอลัมน์ “{header}” ซ้ำกัน")
                self.parts[PART_HEADERS[header]] = position
            elif header:
                named = RANK if header == OLD_RANK else header  # an older file's rank column
                if named in (CODE, YEAR, INDICATOR, SCORE, RANK, RANK_GROUP) and named in self.index:
                    problems.append(f"คอลัมน์ “{header}” ซ้ำกัน" if named == header
                                    else f"คอลัมน์ “{OLD_RANK}” ซ้ำกับคอลัมน์ “{RANK}” กรุณาใช้คอลัมน์เดียว")
                self.index.setdefault(named, position)
        return problems

    def _format_problems(self) -> list[str]:
        """The key columns are there, and the file is long or wide, not both nor neither."""
        problems = []
        missing = [h for h in (CODE, YEAR) if h not in self.index]
        if missing:
            problems.append("ไม่พบคอลัมน์ " + ", ".join(f"“{h}”" for h in missing))
        if self.long and (self.columns or self.parts):
            problems.append(f"ไฟล์มีทั้งคอลัมน์ “{INDICATOR}”/“{SCORE}” (หนึ่งแถวต่อหนึ่งตัวชี้วัด) และคอลัมน์ "
                            f"“ตัวชี้วัดที่ …” หรือ “EIT ส่วนที่ …” (หนึ่งแถวต่อหนึ่ง อปท.) กรุณาใช้รูปแบบเดียว")
        elif not self.long and not (self.columns or self.parts):
            problems.append(f"ไม่พบคอลัมน์คะแนน: ใช้คอลัมน์ “{INDICATOR}” และ “{SCORE}” (หนึ่งแถวต่อหนึ่งตัวชี้วัด) "
                            f"หรือคอลัมน์ “ตัวชี้วัดที่ 1” … “ตัวชี้วัดที่ 10” (หนึ่งแถวต่อหนึ่ง อปท.)")
        return problems

    def cell(self, row, header: str) -> str:
        position = self.index.get(header)
        return "" if position is None else str(row[position]).strip()


def read_columns(columns: list[Column], year: Year, fiscal_year: int
                  ) -> tuple[dict[int, int], list[str], list[str]]:
    """The indicator columns against one year's framework: (position -> indicator number, notes, problems).

    A column whose name is its number's indicator (or that has no name) keeps its number; one whose
    name is unambiguously another indicator's is read as that one, with a note; any other column,
    and two columns that would be the same indicator, are problems.
    """
    numbers: dict[int, int] = {}
    notes: list[str] = []
    problems: list[str] = []
    readings = [(column, read_label(column.label, year.names, fiscal_year)) for column in columns]
    taken: dict[int, str] = {}
    # Columns that keep their number first, so a duplicate is blamed on the column read by name.
    for column, reading in sorted(readings, key=lambda pair: (bool(pair[1].note), pair[0].position)):
        if reading.problem:
            problems.append(f"คอลัมน์ {reading.problem}")
            continue
        number = reading.number
        if number in taken:
            problems.append(f"คอลัมน์ “{column.label.text}” เป็นตัวชี้วัดที่ {number} {year.names.get(number, '')} "
                            f"ซ้ำกับคอลัมน์ “{taken[number]}” กรุณาแก้หัวคอลัมน์ให้หมายเลขและชื่อตรงกับ"
                            f"กรอบการประเมินปี {fiscal_year}".replace("  ", " "))
            continue
        if reading.note:
            notes.append(f"คอลัมน์ {reading.note}")
        taken[number] = column.label.text
        numbers[column.position] = number
    return numbers, notes, problems

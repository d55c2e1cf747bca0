"""Parsing the rows of an ITA results file into one entry per organisation and year.

The keys (code, year) are read first, so organisations and frameworks are looked up once for the
whole file; then each row is read in the file's layout: the long format (one indicator score per
row, an entry spanning several rows) or the wide format (one entry per row). Every problem is
collected with its line; nothing is written here.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from lao_integrity.orgs.models import Organisation
from lao_integrity.tabular import RowProblem

from ... import scoring
from .cells import (
    CODE,
    INDICATOR,
    PART_HEADERS,
    RANK,
    RANK_GROUP,
    SCORE,
    YEAR,
    read_code,
    read_indicator,
    read_rank,
    read_rank_group,
    read_score,
    read_year,
)
from .indicator_names import read_label
from .layout import Layout, read_columns
from .years import Year, load_years

PART_NAMES = {code: header for header, code in PART_HEADERS.items()}
LOOKUP_CHUNK = 900  # stay under SQLite's bound-parameter limit


@dataclass
class Entry:
    """One organisation's result for one year as the file gives it (then merged with what is stored)."""

    organisation: Organisation
    fiscal_year: int
    line: int
    scores: dict[int, Decimal] = field(default_factory=dict)
    score_lines: dict[int, int] = field(default_factory=dict)  # indicator -> line (long format)
    parts: dict[str, Decimal] = field(default_factory=dict)
    rank: int | None = None
    rank_group: str | None = None  # None with a rank: the organisation's type (services.default_rank_group)
    rank_line: int | None = None
    merged: bool = False  # a stored result kept some of its scores, parts or rank
    complete: bool = True

    @property
    def lines(self) -> str:
        lines = sorted({self.line, *self.score_lines.values()})
        return ", ".join(map(str, lines))


def organisations_by_code(codes: set[str]) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        for organisation in Organisation.objects.filter(code__in=ordered[start:start + LOOKUP_CHUNK]):
            found[organisation.code] = organisation
    return found


def allowed_ids(allowed_organisations) -> set[int] | None:
    if allowed_organisations is None:
        return None
    if isinstance(allowed_organisations, QuerySet):
        return set(allowed_organisations.values_list("pk", flat=True))
    return {o.pk if hasattr(o, "pk") else o for o in allowed_organisations}


@dataclass
class _Row:
    """One row with what its key resolved to (None: not found, not allowed, or no framework)."""

    line: int
    cells: list
    key: tuple[str, int]
    organisation: Organisation | None
    year: Year | None
    rank: int | None
    rank_group: str | None = None

    @property
    def code(self) -> str:
        return self.key[0]

    @property
    def fiscal_year(self) -> int:
        return self.key[1]


class Parser:
    def __init__(self, layout: Layout, allowed: set[int] | None):
        self.layout = layout
        self.allowed = allowed
        self.problems: list[RowProblem] = []
        self.notes: dict[str, None] = {}  # in order, once each
        self.entries: dict[tuple[str, int], Entry] = {}
        self.organisations: dict[str, Organisation] = {}
        self.years: dict[int, Year] = {}
        self.columns: dict[int, dict[int, int]] = {}  # year -> indicator column position -> number
        self.unread: dict[int, int | None] = {}  # the columns by their own number (a year without framework)
        self.labels: dict[tuple[int, str], object] = {}  # (year, label text) -> Reading, for the long format
        self.sorted_columns: dict[int, list[tuple[int | None, int]]] = {}  # year -> (number, position), wide format

    def bad(self, line: int, message: str) -> None:
        self.problems.append(RowProblem(line, message))

    def take_problems(self) -> list[RowProblem]:
        """The problems found since the last call."""
        problems, self.problems = self.problems, []
        return problems

    def key(self, line: int, row) -> tuple[str, int] | None:
        code = year = None
        try:
            code = read_code(self.layout.cell(row, CODE))
        except ValueError as error:
            self.bad(line, str(error))
        try:
            year = read_year(self.layout.cell(row, YEAR))
        except ValueError as error:
            self.bad(line, str(error))
        return (code, year) if code and year else None

    def look_up(self, keys: list[tuple[str, int]]) -> None:
        """Organisations and frameworks once for the whole file, and the indicator columns read
        against each year's framework once (header problems are line 1)."""
        self.organisations = organisations_by_code({code for code, _ in keys})
        self.years = load_years({year for _, year in keys})
        for fiscal_year in sorted(self.years):
            numbers, notes, problems = read_columns(self.layout.columns, self.years[fiscal_year], fiscal_year)
            self.columns[fiscal_year] = numbers
            self.notes.update(dict.fromkeys(notes))
            self.problems.extend(RowProblem(1, message) for message in dict.fromkeys(problems))
        self.unread = {column.position: column.label.number for column in self.layout.columns}

    def row(self, line: int, cells, key: tuple[str, int]) -> None:
        code, fiscal_year = key
        organisation = self.organisations.get(code)
        year = self.years.get(fiscal_year)
        if organisation is None:
            self.bad(line, f"ไม่พบ อปท. รหัส {code}")
        elif self.allowed is not None and organisation.pk not in self.allowed:
            self.bad(line, f"ไม่มีสิทธิ์นำเข้าข้อมูลของ อปท. รหัส {code}")
            organisation = None
        if year is None:
            self.bad(line, f"ยังไม่มีกรอบการประเมิน ITA ของปีงบประมาณ {fiscal_year}")
        rank = None
        if self.layout.cell(cells, RANK):
            try:
                rank = read_rank(self.layout.cell(cells, RANK))
            except ValueError as error:
                self.bad(line, str(error))
        rank_group = None
        try:
            rank_group = read_rank_group(self.layout.cell(cells, RANK_GROUP))
        except ValueError as error:
            self.bad(line, str(error))
        if rank_group and rank is None and not self.layout.cell(cells, RANK):
            self.bad(line, f"ระบุ{RANK_GROUP} “{rank_group}” แต่ไม่ได้ระบุ{RANK} กรุณากรอก{RANK} "
                           f"หรือเว้น{RANK_GROUP}ว่าง")
        row = _Row(line=line, cells=cells, key=key, organisation=organisation, year=year, rank=rank,
                   rank_group=rank_group)
        if self.layout.long:
            self.long_row(row)
        else:
            self.wide_row(row)

    # --- long: one indicator score per row --------------------------------------------------

    def long_row(self, row: _Row) -> None:
        entry = self.entries.get(row.key)
        number = self.indicator(row)
        prefix = f"ตัวชี้วัดที่ {number}: " if number is not None else ""
        score = None
        try:
            score = read_score(self.layout.cell(row.cells, SCORE))
        except ValueError as error:
            self.bad(row.line, prefix + str(error))
        if number is not None and row.year is not None and number not in row.year.numbers:
            self.bad(row.line, f"ตัวชี้วัดที่ {number} ไม่มีในกรอบการประเมินปี {row.fiscal_year}")
            number = None
        if entry is not None and number is not None and number in entry.score_lines:
            self.bad(row.line, f"ตัวชี้วัดที่ {number} ของ อปท. รหัส {row.code} ปีงบประมาณ {row.fiscal_year} "
                               f"ซ้ำกับบรรทัดที่ {entry.score_lines[number]}")
            return
        rank = row.rank
        if (entry is not None and rank is not None and entry.rank is not None
                and (rank, row.rank_group) != (entry.rank, entry.rank_group)):
            self.bad(row.line, f"ลำดับ {rank} {row.rank_group or ''} ไม่ตรงกับบรรทัดที่ {entry.rank_line} "
                               f"({entry.rank} {entry.rank_group or ''}) ของ อปท. รหัส {row.code} "
                               f"ปีงบประมาณ {row.fiscal_year}".replace(" )", ")").replace("  ", " "))
        if row.organisation is None or row.year is None:
            return
        if entry is None:
            entry = self.entries[row.key] = Entry(organisation=row.organisation, fiscal_year=row.fiscal_year,
                                                  line=row.line)
        if number is not None:
            entry.score_lines[number] = row.line
            if score is not None:
                entry.scores[number] = score
        if rank is not None and entry.rank is None:
            entry.rank, entry.rank_group, entry.rank_line = rank, row.rank_group, row.line

    def indicator(self, row: _Row) -> int | None:
        """The row's indicator number; a name is read against the year's framework (once per text)."""
        try:
            label = read_indicator(self.layout.cell(row.cells, INDICATOR))
        except ValueError as error:
            self.bad(row.line, str(error))
            return None
        number = label.number
        if row.year is not None and label.name:
            reading = self.labels.get((row.fiscal_year, label.text))
            if reading is None:
                reading = self.labels[(row.fiscal_year, label.text)] = read_label(label, row.year.names,
                                                                                  row.fiscal_year)
            number = reading.number
            if reading.problem:
                self.bad(row.line, f"ตัวชี้วัด {reading.problem}")
            elif reading.note:
                self.notes[f"ตัวชี้วัด {reading.note}"] = None
        return number

    # --- wide: the whole result on one row ---------------------------------------------------

    def wide_row(self, row: _Row) -> None:
        entry = self.entries.get(row.key)
        if entry is not None:
            self.bad(row.line, f"อปท. รหัส {row.code} ปีงบประมาณ {row.fiscal_year} ซ้ำกับบรรทัดที่ {entry.line}")
            return
        scores, scores_ok = self.wide_scores(row)
        parts, parts_ok = self.wide_parts(row)
        row_ok = scores_ok and parts_ok
        if row_ok and not scores and not parts:
            self.bad(row.line, "ไม่มีคะแนนในแถวนี้")
            row_ok = False
        if row_ok and row.year is not None and parts:
            for tool in scoring.parts_disagree(row.year.spec, scores, parts):
                self.bad(row.line, f"คะแนน {tool} รายส่วนไม่สอดคล้องกับคะแนนรายตัวชี้วัด (ต่างกันเกินการปัดเศษ)")
        if row.organisation is None or row.year is None:
            return
        self.entries[row.key] = Entry(organisation=row.organisation, fiscal_year=row.fiscal_year, line=row.line,
                                      scores=scores, parts=parts, rank=row.rank, rank_group=row.rank_group,
                                      rank_line=row.line)

    def wide_scores(self, row: _Row) -> tuple[dict[int, Decimal], bool]:
        cells = self.sorted_columns.get(row.fiscal_year)
        if cells is None:  # once per year, not once per row
            columns = self.columns.get(row.fiscal_year, self.unread)
            cells = self.sorted_columns[row.fiscal_year] = sorted(
                ((number, position) for position, number in columns.items()), key=lambda cell: cell[0] or 0)
        return self.wide_cells(row, cells, None if row.year is None else row.year.numbers,
                               lambda n: f"ตัวชี้วัดที่ {n} ไม่มีในกรอบการประเมินปี {row.fiscal_year}",
                               lambda n: f"ตัวชี้วัดที่ {n}")

    def wide_parts(self, row: _Row) -> tuple[dict[str, Decimal], bool]:
        cells = [(code, self.layout.parts[code]) for code in PART_HEADERS.values() if code in self.layout.parts]
        return self.wide_cells(row, cells, None if row.year is None else row.year.parts,
                               lambda code: f"ปีงบประมาณ {row.fiscal_year} ไม่ได้แบ่ง EIT เป็นส่วน "
                                            f"ต้องเว้นคอลัมน์ “{PART_NAMES[code]}” ว่าง",
                               lambda code: PART_NAMES[code])

    def wide_cells(self, row: _Row, cells, allowed, refused, name) -> tuple[dict, bool]:
        """The scores of `cells` ((key, column) pairs) that are filled in; a key outside `allowed`
        (None: any) is `refused(key)`, a bad score is reported after `name(key)`. False if any is bad."""
        scores: dict = {}
        ok = True
        for key, position in cells:
            text = str(row.cells[position]).strip()
            if not text:
                continue
            if allowed is not None and key not in allowed:
                self.bad(row.line, refused(key))
                ok = False
                continue
            try:
                scores[key] = read_score(text)
            except ValueError as error:
                self.bad(row.line, f"{name(key)}: {error}")
                ok = False
        return scores, ok

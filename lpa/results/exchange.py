"""Reading the province's LPA table (csv or xlsx, header over one to three rows) through the kernel's
one import loop, and writing it back in the same layout with the computed figures.

A row names its organisation by code (when the file has a รหัส อปท. column) or by name within its
province and district: "อบต.เวียง" exists in เวียงป่าเป้า and in เทิง. Every printed percentage and
total is checked against the one computed from the scores; the printed ลำดับที่ must follow the
percentages, except that the print numbers tied rows one after the other (12 and 13 for two
90.33) where ties share a rank: that is reported as a note, not refused.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lao_integrity import thai
from lao_integrity.orgs.models import ORG_VOCABULARY, Organisation, normalise_province
from lao_integrity.table_import import Row, RowInvalid, RowProblem, TableImport
from lao_integrity.tabular import ImportRejected

from ..models import Area, percent
from . import layout
from .layout import CODE, DISTRICT, GROUPS, NAME, PROVINCE, RANK


@dataclass
class ParsedRow:
    line: int
    organisation: Organisation
    rank: int | None
    areas: dict[int, tuple[Decimal, Decimal]]  # area -> (full marks, score)
    total_full: Decimal = field(init=False)
    total_score: Decimal = field(init=False)

    def __post_init__(self):
        self.total_full = sum((full for full, _ in self.areas.values()), Decimal(0))
        self.total_score = sum((score for _, score in self.areas.values()), Decimal(0))

    @property
    def percent(self) -> Decimal:
        return percent(self.total_score, self.total_full)


@dataclass
class Imported:
    count: int
    created: int
    notes: list[RowProblem]


_MARKS = re.compile(r"([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+")


def name_key(text: str) -> str:
    """A name as compared: spaces gone, a doubled Thai mark once ("ป่าหุ่่ง" as printed = "ป่าหุ่ง"),
    an abbreviated type spelt out ("อบต.เวียง" = "องค์การบริหารส่วนตำบลเวียง")."""
    value = _MARKS.sub(r"\1", re.sub(r"\s+", "", unicodedata.normalize("NFC", str(text or ""))))
    for vocabulary in ORG_VOCABULARY.values():
        abbr = vocabulary["abbr"]
        if abbr.endswith(".") and value.startswith(abbr):
            return vocabulary["prefix"] + value.removeprefix(abbr)
    return value


def district_key(text: str) -> str:
    value = re.sub(r"\s+", "", str(text or ""))
    return value.removeprefix("อำเภอ").removeprefix("อ.")


def number(text: str, label: str, problems: list[str], *, required: bool = True) -> Decimal | None:
    value = thai.to_arabic_digits(text).replace(",", "").strip()
    if not value:
        if required:
            problems.append(f"{label}: ช่องนี้ต้องไม่ว่าง")
        return None
    try:
        result = Decimal(value)
    except InvalidOperation:
        problems.append(f"{label}: “{text}” ไม่ใช่ตัวเลข")
        return None
    if not result.is_finite() or result < 0:
        problems.append(f"{label}: “{text}” ต้องเป็นตัวเลขไม่ติดลบ")
        return None
    return result


def plain(value: Decimal) -> str:
    """445 for 445.00, 56.5 for 56.50: scores as the province prints them."""
    text = format(Decimal(value).normalize(), "f")
    return text


class LpaImport(TableImport):
    """One province's (or several provinces') LPA table for one fiscal year."""

    empty_message = "ไม่มีผลการประเมินในไฟล์"

    def __init__(self, *, fiscal_year: int, store=None):
        self.fiscal_year = fiscal_year
        self.store = store  # values -> the number of results created (services.store_results)
        self.notes: list[RowProblem] = []
        self._by_code: dict[str, Organisation] = {}
        self._by_place: dict[tuple[str, str, str], list[Organisation]] = {}
        self._by_province: dict[tuple[str, str], list[Organisation]] = {}
        self._seen: dict[int, int] = {}

    # --- the header ------------------------------------------------------------------------

    def read_headers(self, headers, below):
        if layout.is_header_row(below):
            return self._canonical([headers, below]), True
        return self._canonical([headers]), False

    def check_headers(self, headers):
        if not set(layout.SCORE_COLUMNS) <= set(headers):
            headers[:] = self._canonical([headers])  # line 2 was blank: read_headers was not asked

    def _canonical(self, rows):
        try:
            return layout.canonical(rows)
        except layout.HeaderProblem as problem:
            raise ImportRejected([RowProblem(1, str(problem))]) from None

    def skip(self, row: Row) -> bool:
        return layout.is_header_row(row.cells)  # the third header row, a page's repeated header

    # --- the organisations -----------------------------------------------------------------

    def prepare(self, rows):
        codes = {row[CODE].strip() for row in rows if row.get(CODE).strip()}
        provinces = {normalise_province(row[PROVINCE]) for row in rows if row.get(PROVINCE).strip()}
        found = Organisation.objects.filter(code__in=sorted(codes)) if codes else Organisation.objects.none()
        self._by_code = {o.code: o for o in found}
        for organisation in Organisation.objects.filter(province__in=sorted(provinces)).order_by("code"):
            key = name_key(organisation.name)
            self._by_place.setdefault((organisation.province, district_key(organisation.district), key),
                                      []).append(organisation)
            self._by_province.setdefault((organisation.province, key), []).append(organisation)
        return []

    def _organisation(self, row: Row, problems: list[str]) -> Organisation | None:
        code = thai.to_arabic_digits(row.get(CODE)).strip()
        if code.endswith(".0"):
            code = code[:-2]
        if code:
            organisation = self._by_code.get(code)
            if organisation is None:
                problems.append(f"ไม่พบ อปท. รหัส {code}")
            return organisation
        name, province, district = row.get(NAME).strip(), normalise_province(row.get(PROVINCE)), row.get(DISTRICT)
        if not name:
            problems.append(f"{NAME}: ช่องนี้ต้องไม่ว่าง")
            return None
        if not province:
            problems.append(f"{PROVINCE}: ช่องนี้ต้องไม่ว่าง (ใช้หา อปท. “{name}”)")
            return None
        if district_key(district):
            found = self._by_place.get((province, district_key(district), name_key(name)), [])
            where = f"อำเภอ{district_key(district)} จังหวัด{province}"
        else:
            found = self._by_province.get((province, name_key(name)), [])
            where = f"จังหวัด{province}"
        if not found:
            problems.append(f"ไม่พบ อปท. “{name}” ใน{where}")
            return None
        if len(found) > 1:
            places = ", ".join(f"อำเภอ{o.district} (รหัส {o.code})" for o in found)
            problems.append(f"ชื่อ “{name}” ตรงกับ อปท. {len(found)} แห่งใน{where}: {places} "
                            "ระบุอำเภอหรือรหัส อปท. ให้ชัดเจน")
            return None
        return found[0]

    # --- a row -----------------------------------------------------------------------------

    def parse(self, row: Row) -> ParsedRow:
        problems: list[str] = []
        organisation = self._organisation(row, problems)
        if organisation is not None:
            earlier = self._seen.setdefault(organisation.pk, row.line)
            if earlier != row.line:
                problems.append(f"{organisation.name} ซ้ำกับบรรทัดที่ {earlier}")
        rank_text = thai.to_arabic_digits(row.get(RANK)).strip()
        rank = None
        if rank_text:
            if rank_text.endswith(".0"):
                rank_text = rank_text[:-2]
            if not rank_text.isdigit() or int(rank_text) < 1:
                problems.append(f"{RANK}: “{row.get(RANK)}” ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป")
            else:
                rank = int(rank_text)
        areas: dict[int, tuple[Decimal, Decimal]] = {}
        for area in Area:
            key, label, name = GROUPS[area.value - 1]
            full = number(row[layout.column(key, "คะแนนเต็ม")], f"{label} คะแนนเต็ม", problems)
            score = number(row[layout.column(key, "คะแนนที่ได้")], f"{label} คะแนนที่ได้", problems)
            if full is None or score is None:
                continue
            if full == 0:
                problems.append(f"{label} {name}: คะแนนเต็มต้องมากกว่า 0")
                continue
            if score > full:
                problems.append(f"{label} {name}: คะแนนที่ได้ {plain(score)} เกินคะแนนเต็ม {plain(full)}")
                continue
            areas[area.value] = (full, score)
            self._check_percent(row, key, f"{label} {name}", score, full, problems)
        if len(areas) == len(Area):
            parsed = ParsedRow(row.line, organisation, rank, areas)
            self._check_totals(row, parsed, problems)
        if problems:
            raise RowInvalid(problems)
        return parsed

    def _check_percent(self, row, key, label, score, full, problems):
        printed = number(row[layout.column(key, "ร้อยละ")], f"{label} ร้อยละ", problems, required=False)
        computed = percent(score, full)
        if printed is not None and printed != computed:
            problems.append(f"{label}: ร้อยละที่พิมพ์ {printed} ไม่ตรงกับที่คำนวณได้ {computed} "
                            f"({plain(score)} จาก {plain(full)})")

    def _check_totals(self, row, parsed: ParsedRow, problems):
        for kind, computed in (("คะแนนเต็ม", parsed.total_full), ("คะแนนที่ได้", parsed.total_score)):
            printed = number(row[layout.column("total", kind)], f"{layout.TOTAL_LABEL} {kind}", problems,
                             required=False)
            if printed is not None and printed != computed:
                problems.append(f"{layout.TOTAL_LABEL} {kind}: ที่พิมพ์ {plain(printed)} ไม่ตรงกับผลรวม 5 ด้าน "
                                f"{plain(computed)}")
        self._check_percent(row, "total", layout.TOTAL_LABEL, parsed.total_score, parsed.total_full, problems)

    # --- the file as a whole: the printed ranks --------------------------------------------

    def check_all(self, values: list[ParsedRow]) -> list[RowProblem]:
        """The printed ลำดับที่ must not put a lower percentage before a higher one; rows printed
        with different numbers for the same percentage share a rank (a note)."""
        problems = []
        ranked = sorted((v for v in values if v.rank is not None), key=lambda v: (v.rank, v.line))
        for before, after in zip(ranked, ranked[1:], strict=False):
            if after.percent > before.percent:
                problems.append(RowProblem(after.line, f"{RANK} {after.rank} มีร้อยละ {after.percent} สูงกว่า"
                                           f"{RANK} {before.rank} (บรรทัดที่ {before.line}, ร้อยละ {before.percent}) "
                                           "ลำดับไม่ตรงกับคะแนน"))
            elif after.rank == before.rank and after.percent != before.percent:
                problems.append(RowProblem(after.line, f"{RANK} {after.rank} ซ้ำกับบรรทัดที่ {before.line} "
                                           f"แต่ร้อยละต่างกัน ({after.percent} และ {before.percent})"))
        first_of: dict[Decimal, ParsedRow] = {}
        for value in ranked:
            first = first_of.setdefault(value.percent, value)
            if first is not value and value.rank != first.rank:
                self.notes.append(RowProblem(value.line, f"{RANK} {value.rank} ได้ร้อยละ {value.percent} เท่ากับ"
                                             f"{RANK} {first.rank} (บรรทัดที่ {first.line}) จึงได้ลำดับร่วมกัน"))
        return problems

    def write(self, values: list[ParsedRow]) -> Imported:
        created = self.store(values)
        return Imported(count=len(values), created=created, notes=self.notes)


# --- writing ---------------------------------------------------------------------------------


def table_rows(table) -> list[list]:
    """The province table's rows in the printed layout (selectors.ProvinceTable), computed figures."""
    out = []
    for row in table.rows:
        organisation = row.organisation
        cells = [row.rank, "", organisation.province, organisation.district, organisation.get_org_type_display(),
                 organisation.abbreviated_name, organisation.code]
        for area in row.areas:
            cells += [_number(area.full_marks), _number(area.score), area.percent]
        cells += [_number(row.total_full), _number(row.total_score), row.percent]
        out.append(cells)
    return out


def _number(value: Decimal):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else value.normalize()


def header_and_rows(table) -> tuple[list[str], list[list]]:
    """What write_table takes: the first printed header row as the header, the other two as rows."""
    first, second, third = layout.printed_header_rows()
    return first, [second, third, *table_rows(table)]

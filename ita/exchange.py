"""ITA results as files: import (long or wide csv/xlsx, all or nothing) and export (one row per organisation).

Long format, one indicator score per row::

    รหัส อปท., ปีงบประมาณ, ตัวชี้วัด, คะแนน[, ลำดับระดับประเทศ]

Wide format, one organisation and year per row::

    รหัส อปท., ปีงบประมาณ, ตัวชี้วัดที่ 1, …, ตัวชี้วัดที่ 10[, ลำดับระดับประเทศ][, EIT ส่วนที่ 1, EIT ส่วนที่ 2]

The exported file is a wide file: its other columns (ชื่อ, ประเภท, จังหวัด and the computed IIT … ผลการประเมิน)
are ignored on import, so an export can be edited and imported back. Only indicator scores, part scores
and the national rank are read; tool scores, overall score, level and pass are computed by
services.result_save. An import replaces the results of every organisation and year in the file and
touches nothing else; one bad line rejects the whole file and every problem is reported with its line.
"""

import datetime
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from lao_integrity import bulk
from lao_integrity.history import acting_user
from lao_integrity.orgs.models import Organisation
from lao_integrity.tabular import (
    ImportRejected,
    RowProblem,
    drop_blank_rows,
    iter_table,
    read_table,
    write_table_to,
)
from lao_integrity.thai import to_arabic_digits

from . import scoring, services
from .models import Framework, IndicatorScore, PartScore, Result

CODE = "รหัส อปท."
YEAR = "ปีงบประมาณ"
INDICATOR = "ตัวชี้วัด"
SCORE = "คะแนน"
RANK = "ลำดับระดับประเทศ"
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

_INDICATOR_HEADER = re.compile(r"^ตัวชี้วัดที่\s*(\d{1,2})(?:\s.*)?$")
_INDICATOR_VALUE = re.compile(r"^(?:ตัวชี้วัดที่)?\s*(\d{1,2})$")
_COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d{1,2}$")
_WHOLE = re.compile(r"^\d+$", re.ASCII)
_CODE = re.compile(r"^\d{7}$", re.ASCII)
_YEAR = re.compile(r"^\d{4}$", re.ASCII)
_LOOKUP_CHUNK = 900  # stay under SQLite's bound-parameter limit
MAX_RANK = 10_000  # about 7,850 local administrative organisations take part


def indicator_header(number: int) -> str:
    return f"ตัวชี้วัดที่ {number}"


# --- reading values ------------------------------------------------------------------------


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
    """National rank: a whole number from 1, Thai digits and thousands separators allowed."""
    text = to_arabic_digits(str(value)).strip().replace(",", "")
    if not _WHOLE.match(text) or not text.strip("0"):
        raise ValueError(f"ลำดับระดับประเทศ “{value}” ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป")
    if len(text) > 6 or int(text) > MAX_RANK:  # a 40-digit rank used to reach the database: a 500
        raise ValueError(f"ลำดับระดับประเทศ “{value}” ต้องไม่เกิน {MAX_RANK:,} (จำนวน อปท. ทั้งประเทศ)")
    return int(text)


def _read_code(value: str) -> str:
    text = to_arabic_digits(value).strip()
    if not text:
        raise ValueError("ไม่ได้ระบุรหัส อปท.")
    if not _CODE.match(text):
        raise ValueError(f"รหัส อปท. “{value}” ต้องเป็นตัวเลข 7 หลัก")
    return text


def _read_year(value: str) -> int:
    text = to_arabic_digits(value).strip()
    if not text:
        raise ValueError("ไม่ได้ระบุปีงบประมาณ")
    if not _YEAR.match(text):
        raise ValueError(f"ปีงบประมาณ “{value}” ต้องเป็น พ.ศ. 4 หลัก เช่น 2566")
    return int(text)


def _read_indicator(value: str) -> int:
    text = to_arabic_digits(value).strip()
    if not text:
        raise ValueError("ไม่ได้ระบุตัวชี้วัด")
    match = _INDICATOR_VALUE.match(text)
    if not match:
        raise ValueError(f"ตัวชี้วัด “{value}” ไม่ถูกต้อง (ใส่หมายเลขตัวชี้วัด เช่น 1)")
    return int(match.group(1))


# --- import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    results: int
    organisations: int
    years: int
    fiscal_years: tuple[int, ...] = ()

    def __str__(self):
        return f"นำเข้าแล้ว: {self.results} ผลการประเมิน ({self.organisations} อปท., {self.years} ปีงบประมาณ)"


@dataclass
class _Entry:
    """One organisation's result for one year as the file gives it."""

    organisation: Organisation
    fiscal_year: int
    line: int
    scores: dict[int, Decimal] = field(default_factory=dict)
    score_lines: dict[int, int] = field(default_factory=dict)  # indicator -> line (long format)
    parts: dict[str, Decimal] = field(default_factory=dict)
    rank: int | None = None
    rank_line: int | None = None


@dataclass
class _Year:
    framework: Framework
    spec: scoring.FrameworkSpec
    numbers: set[int]
    parts: set[str]
    indicator_ids: dict[int, int] = field(default_factory=dict)  # indicator number -> Indicator pk
    part_ids: dict[str, int] = field(default_factory=dict)  # EIT part code -> ToolPart pk


class _Layout:
    """Which column holds what; problems with the header row are reported as line 1."""

    def __init__(self, headers: list[str]):
        self.index: dict[str, int] = {}
        self.indicators: dict[int, int] = {}
        self.parts: dict[str, int] = {}
        problems = []
        for position, raw in enumerate(headers):
            header = to_arabic_digits(raw).strip()
            match = _INDICATOR_HEADER.match(header)
            if match:
                number = int(match.group(1))
                if number in self.indicators:
                    problems.append(f"คอลัมน์ “{indicator_header(number)}” ซ้ำกัน")
                self.indicators[number] = position
            elif header in PART_HEADERS:
                if PART_HEADERS[header] in self.parts:
                    problems.append(f"คอลัมน์ “{header}” ซ้ำกัน")
                self.parts[PART_HEADERS[header]] = position
            elif header:
                if header in (CODE, YEAR, INDICATOR, SCORE, RANK) and header in self.index:
                    problems.append(f"คอลัมน์ “{header}” ซ้ำกัน")
                self.index.setdefault(header, position)
        self.long = INDICATOR in self.index and SCORE in self.index
        missing = [h for h in (CODE, YEAR) if h not in self.index]
        if missing:
            problems.append("ไม่พบคอลัมน์ " + ", ".join(f"“{h}”" for h in missing))
        if self.long and (self.indicators or self.parts):
            problems.append(f"ไฟล์มีทั้งคอลัมน์ “{INDICATOR}”/“{SCORE}” (หนึ่งแถวต่อหนึ่งตัวชี้วัด) และคอลัมน์ "
                            f"“ตัวชี้วัดที่ …” หรือ “EIT ส่วนที่ …” (หนึ่งแถวต่อหนึ่ง อปท.) กรุณาใช้รูปแบบเดียว")
        elif not self.long and not (self.indicators or self.parts):
            problems.append(f"ไม่พบคอลัมน์คะแนน: ใช้คอลัมน์ “{INDICATOR}” และ “{SCORE}” (หนึ่งแถวต่อหนึ่งตัวชี้วัด) "
                            f"หรือคอลัมน์ “ตัวชี้วัดที่ 1” … “ตัวชี้วัดที่ 10” (หนึ่งแถวต่อหนึ่ง อปท.)")
        if problems:
            raise ImportRejected([RowProblem(1, message) for message in problems])

    def cell(self, row, header: str) -> str:
        position = self.index.get(header)
        return "" if position is None else str(row[position]).strip()


def _organisations_by_code(codes: set[str]) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), _LOOKUP_CHUNK):
        for organisation in Organisation.objects.filter(code__in=ordered[start:start + _LOOKUP_CHUNK]):
            found[organisation.code] = organisation
    return found


def _years(fiscal_years: set[int]) -> dict[int, _Year]:
    years = {}
    frameworks = Framework.objects.filter(fiscal_year__in=fiscal_years).prefetch_related("indicators", "tools__parts")
    for framework in frameworks:
        # result_save reads framework.indicators.all(); the prefetch above serves it for every row.
        part_ids = {p.code: p.pk for tool in framework.tools.all() if tool.code == PART_TOOL for p in tool.parts.all()}
        indicator_ids = {i.number: i.pk for i in framework.indicators.all()}
        years[framework.fiscal_year] = _Year(
            framework=framework, spec=services.framework_spec(framework),
            numbers=set(indicator_ids), parts=set(part_ids), indicator_ids=indicator_ids, part_ids=part_ids)
    return years


def _allowed_ids(allowed_organisations) -> set[int] | None:
    if allowed_organisations is None:
        return None
    if isinstance(allowed_organisations, QuerySet):
        return set(allowed_organisations.values_list("pk", flat=True))
    return {o.pk if hasattr(o, "pk") else o for o in allowed_organisations}


def _parse(dataset, lines: list[int], layout: _Layout, allowed: set[int] | None
           ) -> tuple[dict[tuple[str, int], _Entry], dict[int, _Year], list[RowProblem]]:
    problems: list[RowProblem] = []
    rows = list(zip(lines, dataset, strict=True))

    # Keys first, so organisations and frameworks are looked up once for the whole file.
    keys: list[tuple[str, int] | None] = []
    for line, row in rows:
        code = year = None
        try:
            code = _read_code(layout.cell(row, CODE))
        except ValueError as error:
            problems.append(RowProblem(line, str(error)))
        try:
            year = _read_year(layout.cell(row, YEAR))
        except ValueError as error:
            problems.append(RowProblem(line, str(error)))
        keys.append((code, year) if code and year else None)
    present = [k for k in keys if k]
    organisations = _organisations_by_code({code for code, _ in present})
    years = _years({year for _, year in present})

    entries: dict[tuple[str, int], _Entry] = {}
    for (line, row), key in zip(rows, keys, strict=True):
        def bad(message: str, line=line):
            problems.append(RowProblem(line, message))

        if key is None:
            continue
        code, fiscal_year = key
        organisation = organisations.get(code)
        year = years.get(fiscal_year)
        if organisation is None:
            bad(f"ไม่พบ อปท. รหัส {code}")
        elif allowed is not None and organisation.pk not in allowed:
            bad(f"ไม่มีสิทธิ์นำเข้าข้อมูลของ อปท. รหัส {code}")
            organisation = None
        if year is None:
            bad(f"ยังไม่มีกรอบการประเมิน ITA ของปีงบประมาณ {fiscal_year}")

        rank = None
        if layout.cell(row, RANK):
            try:
                rank = read_rank(layout.cell(row, RANK))
            except ValueError as error:
                bad(str(error))

        entry = entries.get(key)
        if layout.long:
            number = score = None
            try:
                number = _read_indicator(layout.cell(row, INDICATOR))
            except ValueError as error:
                bad(str(error))
            label = f"ตัวชี้วัดที่ {number}: " if number is not None else ""
            try:
                score = read_score(layout.cell(row, SCORE))
            except ValueError as error:
                bad(label + str(error))
            if number is not None and year is not None and number not in year.numbers:
                bad(f"ตัวชี้วัดที่ {number} ไม่มีในกรอบการประเมินปี {fiscal_year}")
                number = None
            if entry is not None and number is not None and number in entry.score_lines:
                bad(f"ตัวชี้วัดที่ {number} ของ อปท. รหัส {code} ปีงบประมาณ {fiscal_year} "
                    f"ซ้ำกับบรรทัดที่ {entry.score_lines[number]}")
                continue
            if entry is not None and rank is not None and entry.rank is not None and rank != entry.rank:
                bad(f"ลำดับระดับประเทศ {rank} ไม่ตรงกับบรรทัดที่ {entry.rank_line} ({entry.rank}) "
                    f"ของ อปท. รหัส {code} ปีงบประมาณ {fiscal_year}")
            if organisation is None or year is None:
                continue
            if entry is None:
                entry = entries[key] = _Entry(organisation=organisation, fiscal_year=fiscal_year, line=line)
            if number is not None:
                entry.score_lines[number] = line
                if score is not None:
                    entry.scores[number] = score
            if rank is not None and entry.rank is None:
                entry.rank, entry.rank_line = rank, line
            continue

        # Wide: the whole result on this row.
        if entry is not None:
            bad(f"อปท. รหัส {code} ปีงบประมาณ {fiscal_year} ซ้ำกับบรรทัดที่ {entry.line}")
            continue
        scores: dict[int, Decimal] = {}
        parts: dict[str, Decimal] = {}
        row_ok = True
        for number, position in sorted(layout.indicators.items()):
            text = str(row[position]).strip()
            if not text:
                continue
            if year is not None and number not in year.numbers:
                bad(f"ตัวชี้วัดที่ {number} ไม่มีในกรอบการประเมินปี {fiscal_year}")
                row_ok = False
                continue
            try:
                scores[number] = read_score(text)
            except ValueError as error:
                bad(f"ตัวชี้วัดที่ {number}: {error}")
                row_ok = False
        for header, code_of_part in PART_HEADERS.items():
            position = layout.parts.get(code_of_part)
            text = "" if position is None else str(row[position]).strip()
            if not text:
                continue
            if year is not None and code_of_part not in year.parts:
                bad(f"ปีงบประมาณ {fiscal_year} ไม่ได้แบ่ง EIT เป็นส่วน ต้องเว้นคอลัมน์ “{header}” ว่าง")
                row_ok = False
                continue
            try:
                parts[code_of_part] = read_score(text)
            except ValueError as error:
                bad(f"{header}: {error}")
                row_ok = False
        if row_ok and not scores and not parts:
            bad("ไม่มีคะแนนในแถวนี้")
            row_ok = False
        if row_ok and year is not None and parts:
            for tool in scoring.parts_disagree(year.spec, scores, parts):
                bad(f"คะแนน {tool} รายส่วนไม่สอดคล้องกับคะแนนรายตัวชี้วัด (ต่างกันเกินการปัดเศษ)")
        if organisation is None or year is None:
            continue
        entries[key] = _Entry(organisation=organisation, fiscal_year=fiscal_year, line=line, scores=scores,
                              parts=parts, rank=rank, rank_line=line)
    return entries, years, problems


def _reject(problems: list[RowProblem]):
    raise ImportRejected(sorted(problems, key=lambda p: p.line or 0))


IMPORT_CHUNK = 900  # results written per round of bulk queries (under SQLite's bound-parameter limit)
Writer = Callable[[list[_Entry], dict[int, _Year], object, Callable[[int, int], None] | None], list[RowProblem]]


@transaction.atomic
def results_import(*, data: bytes, filename: str, user=None, allowed_organisations=None,
                   progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Import ITA results from csv or xlsx bytes, all or nothing.

    Every organisation and year in the file gets exactly the file's scores (and rank and EIT part
    scores); other results are untouched. With `allowed_organisations`, rows for any other
    organisation are rejected. Raises ImportRejected listing every problem by line; then nothing
    has changed. `progress(done, total)` is called after each chunk of results written (total:
    the number of results in the file), first with done 0 once the file has been read and checked.

    The results are written in bulk, IMPORT_CHUNK at a time with a fixed number of queries each,
    and store exactly what services.result_save would (tests/test_exchange_scale.py compares
    the two), audit trail included.
    """
    return _import(data=data, filename=filename, user=user, allowed_organisations=allowed_organisations,
                   progress=progress, writer=_write_bulk)


def _import(*, data: bytes, filename: str, user, allowed_organisations, progress, writer: Writer) -> ImportSummary:
    dataset = read_table(data, filename)
    layout = _Layout(list(dataset.headers or []))
    lines = drop_blank_rows(dataset)
    if not lines:
        raise ImportRejected([RowProblem(None, "ไม่มีข้อมูลในไฟล์ (มีแต่หัวตาราง)")])
    entries, years, problems = _parse(dataset, lines, layout, _allowed_ids(allowed_organisations))
    if problems:
        _reject(problems)
    ordered = sorted(entries.values(), key=lambda e: e.line)
    problems = writer(ordered, years, user, progress)
    if problems:
        _reject(problems)  # inside the transaction: everything saved above is rolled back
    return ImportSummary(
        results=len(entries),
        organisations=len({e.organisation.pk for e in entries.values()}),
        years=len({e.fiscal_year for e in entries.values()}),
        fiscal_years=tuple(sorted({e.fiscal_year for e in entries.values()})),
    )


def _write_per_row(entries: list[_Entry], years: dict[int, _Year], user, progress) -> list[RowProblem]:
    """One services.result_save per result (several queries each): the reference for _write_bulk."""
    problems: list[RowProblem] = []
    if progress is not None:
        progress(0, len(entries))
    for done, entry in enumerate(entries, 1):
        year = years[entry.fiscal_year]
        try:
            services.result_save(organisation=entry.organisation, fiscal_year=entry.fiscal_year,
                                 scores=entry.scores, part_scores=entry.parts or None, national_rank=entry.rank,
                                 user=user, spec=year.spec, framework=year.framework)
        except ValidationError as error:
            problems.extend(RowProblem(entry.line, message) for message in error.messages)
        if progress is not None and (done % IMPORT_CHUNK == 0 or done == len(entries)):
            progress(done, len(entries))
    return problems


def _check(entry: _Entry, year: _Year) -> list[str]:
    """services.result_save's validation, without the database (the file was parsed against the
    same framework, so these hold already; they are kept so the bulk path refuses what it refuses)."""
    problems = []
    fiscal_year = entry.fiscal_year
    unknown = sorted(set(entry.scores) - year.numbers)
    if unknown:
        problems.append(f"ตัวชี้วัดที่ {', '.join(map(str, unknown))} ไม่มีในกรอบการประเมินปี {fiscal_year}")
    for number, value in entry.scores.items():
        if not services.LIMITS[0] <= Decimal(value) <= services.LIMITS[1]:
            problems.append(f"คะแนนตัวชี้วัดที่ {number} ต้องอยู่ระหว่าง 0 ถึง 100")
    for code in entry.parts:
        if code not in year.part_ids:
            problems.append(f"ไม่มีส่วน {code} ในกรอบการประเมินปี {fiscal_year}")
    if not problems and entry.parts:
        for code in scoring.parts_disagree(year.spec, entry.scores, entry.parts):
            problems.append(f"คะแนน {code} รายส่วนไม่สอดคล้องกับคะแนนรายตัวชี้วัด (ต่างกันเกินการปัดเศษ)")
    return problems


# Every column of IndicatorScore, so an instance built from them is complete for its audit-trail row.
_SCORE_FIELDS = tuple(f.attname for f in IndicatorScore._meta.concrete_fields)
_RESULT_ID, _INDICATOR_ID, _SCORE = (_SCORE_FIELDS.index(name) for name in ("result_id", "indicator_id", "score"))
_RESULT_FIELDS = ["framework", "national_rank", "updated_by", "iit", "eit", "oit", "overall", "level", "passed",
                  "updated_at", "version"]
CONCURRENT_IMPORT = "มีผู้บันทึกผลการประเมินของ อปท. เดียวกันในขณะเดียวกัน ยังไม่ได้นำเข้าข้อมูลใด กรุณานำเข้าอีกครั้ง"


def _write_bulk(entries: list[_Entry], years: dict[int, _Year], user, progress) -> list[RowProblem]:
    """What _write_per_row stores, IMPORT_CHUNK results at a time in a fixed number of queries."""
    problems = [RowProblem(entry.line, message)
                for entry in entries for message in _check(entry, years[entry.fiscal_year])]
    if problems:
        return problems
    total = len(entries)
    if progress is not None:
        progress(0, total)
    with acting_user(user):
        # Who and when, as each save() would record them: the acting user (else the request's).
        trail = _Trail(now=timezone.now(), user=bulk.history_user(Result))
        for start in range(0, total, IMPORT_CHUNK):
            chunk = entries[start:start + IMPORT_CHUNK]
            try:
                with transaction.atomic():
                    _write_chunk(chunk, years, user, trail)
            except IntegrityError:
                # Someone created one of these results between our SELECT and INSERT.
                raise ImportRejected([RowProblem(None, CONCURRENT_IMPORT)]) from None
            if progress is not None:
                progress(start + len(chunk), total)
    return []


@dataclass(frozen=True)
class _Trail:
    """The moment and user of the import's audit-trail rows."""

    now: datetime.datetime
    user: object = None

    def write(self, model, objs: list, history_type: str) -> None:
        bulk.write_history(model, objs, history_type, when=self.now, user=self.user)


def _write_chunk(chunk: list[_Entry], years: dict[int, _Year], user, trail: _Trail) -> None:
    now = trail.now
    # 1. The stored results, locked (result_save's select_for_update), by year.
    by_year: dict[int, list[int]] = {}
    for entry in chunk:
        by_year.setdefault(entry.fiscal_year, []).append(entry.organisation.pk)
    stored: dict[tuple[int, int], Result] = {}
    for fiscal_year, organisation_ids in by_year.items():
        rows = (Result.objects.select_for_update().filter(fiscal_year=fiscal_year, organisation_id__in=organisation_ids)
                .order_by("pk"))
        stored.update({(r.organisation_id, fiscal_year): r for r in rows})

    # 2. Results: new ones created, the others replaced; computed as result_save's _recompute does.
    created, updated, pairs = [], [], []
    for entry in chunk:
        year = years[entry.fiscal_year]
        result = stored.get((entry.organisation.pk, entry.fiscal_year))
        if result is None:
            result = Result(organisation=entry.organisation, fiscal_year=entry.fiscal_year, framework=year.framework)
            created.append(result)
        else:
            result.version += 1  # locked above: score forms opened before the import are refused
            updated.append(result)
        outcome = scoring.compute(year.spec, entry.scores, entry.parts)
        result.framework = year.framework
        result.national_rank = entry.rank
        result.updated_by = user
        result.iit, result.eit, result.oit = (outcome.tools.get(code) for code in ("IIT", "EIT", "OIT"))
        result.overall, result.level, result.passed = outcome.overall, outcome.level, outcome.passed
        result.updated_at = now
        pairs.append((entry, result))
    if created:
        Result.objects.bulk_create(created)
        trail.write(Result, created, "+")
    if updated:
        bulk.update_rows(Result, updated, _RESULT_FIELDS)
        trail.write(Result, updated, "~")

    # 3. Indicator scores: new ones created, changed ones updated, those not in the file deleted,
    # each with its audit-trail row as a save() or delete() writes it.
    # Read as tuples (most scores of a re-import are unchanged); instances only for those written.
    existing: dict[int, dict[int, tuple]] = {}
    if updated:
        rows = (IndicatorScore.objects.filter(result_id__in=[r.pk for r in updated]).order_by()
                .values_list(*_SCORE_FIELDS))
        for row in rows:
            existing.setdefault(row[_RESULT_ID], {})[row[_INDICATOR_ID]] = row
    new_scores, changed_scores, gone_scores = [], [], []
    for entry, result in pairs:
        have = existing.pop(result.pk, {})
        indicator_ids = years[entry.fiscal_year].indicator_ids
        for number, value in entry.scores.items():
            row = have.pop(indicator_ids[number], None)
            if row is None:
                new_scores.append(IndicatorScore(result=result, indicator_id=indicator_ids[number],
                                                 score=Decimal(value)))
            elif row[_SCORE] != Decimal(value):
                changed = IndicatorScore(**dict(zip(_SCORE_FIELDS, row, strict=True)))
                changed.score = Decimal(value)
                changed_scores.append(changed)
        gone_scores.extend(IndicatorScore(**dict(zip(_SCORE_FIELDS, row, strict=True))) for row in have.values())
    if new_scores:
        IndicatorScore.objects.bulk_create(new_scores)
        trail.write(IndicatorScore, new_scores, "+")
    if changed_scores:
        bulk.update_rows(IndicatorScore, changed_scores, ["score"])
        trail.write(IndicatorScore, changed_scores, "~")
    if gone_scores:
        rows = IndicatorScore._base_manager.filter(pk__in=[row.pk for row in gone_scores])
        if IndicatorScore._meta.related_objects:
            rows.delete()  # something refers to scores now: let Django cascade (and signal) per object
        else:
            # Nothing refers to an IndicatorScore, so a raw DELETE (no per-object post_delete, which
            # would write the audit trail one row at a time) loses nothing; the rows are written here.
            trail.write(IndicatorScore, gone_scores, "-")
            rows._raw_delete(rows.db)

    # 4. Part scores (no audit trail): replaced, as result_save does.
    if updated:
        PartScore.objects.filter(result_id__in=[r.pk for r in updated]).delete()
    new_parts = [PartScore(result=result, part_id=years[entry.fiscal_year].part_ids[code], score=Decimal(value))
                 for entry, result in pairs for code, value in entry.parts.items()]
    if new_parts:
        PartScore.objects.bulk_create(new_parts)


# --- export --------------------------------------------------------------------------------


def _part_columns(framework: Framework) -> list[tuple[str, int, str]]:
    """(header, part pk, part code) for the framework's EIT parts that have a column."""
    parts = {}
    for tool in framework.tools.all():
        if tool.code == PART_TOOL:
            parts = {p.code: p.pk for p in tool.parts.all()}
    return [(header, parts[code], code) for header, code in PART_HEADERS.items() if code in parts]


def _indicators(framework: Framework) -> list[tuple[int, int]]:
    """(number, pk) of the framework's indicators in number order."""
    return sorted((i.number, i.pk) for i in framework.indicators.all())


def export_headers(framework: Framework) -> list[str]:
    """Column names of the export for a year's framework.

    ปีงบประมาณ follows the organisation so the file can be imported back as it is; the EIT part
    columns come last and only for frameworks that split EIT into parts (FY 2566).
    """
    return [CODE, NAME, ORG_TYPE, PROVINCE, YEAR,
            *(indicator_header(number) for number, _ in _indicators(framework)),
            "IIT", "EIT", "OIT", OVERALL, LEVEL, OUTCOME, RANK,
            *(header for header, _, _ in _part_columns(framework))]


_SCORES_ATTR = "_exchange_scores"
_PARTS_ATTR = "_exchange_parts"


def _prefetches():
    return [
        Prefetch("scores", queryset=IndicatorScore.objects.only("id", "result_id", "indicator_id", "score"),
                 to_attr=_SCORES_ATTR),
        Prefetch("part_scores", queryset=PartScore.objects.only("id", "result_id", "part_id", "score"),
                 to_attr=_PARTS_ATTR),
    ]


EXPORT_CHUNK = 2000  # results fetched (with their scores) per round trip while exporting


def _with_prefetch(results: Iterable[Result]) -> Iterable[Result]:
    """The results with organisation, scores and part scores loaded in a constant number of queries
    per EXPORT_CHUNK results; a queryset is read chunk by chunk, never all at once."""
    if isinstance(results, QuerySet):
        return (results.select_related("organisation").prefetch_related(*_prefetches())
                .iterator(chunk_size=EXPORT_CHUNK))
    results = list(results)
    prefetch_related_objects(results, "organisation", *_prefetches())
    return results


def _outcome_text(passed: bool | None) -> str:
    return "" if passed is None else PASSED if passed else FAILED


_RESULT_COLUMNS = ("pk", "organisation__code", "organisation__name", "organisation__org_type",
                   "organisation__province", "fiscal_year", "iit", "eit", "oit", "overall", "level", "passed",
                   "national_rank")


def _export_records(results: Iterable[Result]) -> Iterator[tuple[tuple, dict[int, Decimal], dict[int, Decimal]]]:
    """(values of _RESULT_COLUMNS, scores by indicator pk, part scores by part pk) per result.

    A queryset is read EXPORT_CHUNK results at a time as plain tuples (a server-side cursor on
    PostgreSQL) with two more queries per chunk for their scores: no model instances, and never
    more than one chunk in memory. Other iterables (a list of results) go through prefetching.
    """
    if isinstance(results, QuerySet):
        records = results.values_list(*_RESULT_COLUMNS).iterator(chunk_size=EXPORT_CHUNK)
        for chunk in iter(lambda: list(itertools.islice(records, EXPORT_CHUNK)), []):
            scores: dict[int, dict[int, Decimal]] = {}
            parts: dict[int, dict[int, Decimal]] = {}
            ids = [record[0] for record in chunk]
            for start in range(0, len(ids), _LOOKUP_CHUNK):
                some = ids[start:start + _LOOKUP_CHUNK]
                for result_id, indicator_id, score in (IndicatorScore.objects.filter(result_id__in=some).order_by()
                                                       .values_list("result_id", "indicator_id", "score")):
                    scores.setdefault(result_id, {})[indicator_id] = score
                for result_id, part_id, score in (PartScore.objects.filter(result_id__in=some).order_by()
                                                  .values_list("result_id", "part_id", "score")):
                    parts.setdefault(result_id, {})[part_id] = score
            for record in chunk:
                yield record, scores.get(record[0], {}), parts.get(record[0], {})
        return
    for result in _with_prefetch(results):
        organisation = result.organisation
        record = (result.pk, organisation.code, organisation.name, organisation.org_type, organisation.province,
                  result.fiscal_year, result.iit, result.eit, result.oit, result.overall, result.level,
                  result.passed, result.national_rank)
        yield (record, {s.indicator_id: s.score for s in getattr(result, _SCORES_ATTR)},
               {p.part_id: p.score for p in getattr(result, _PARTS_ATTR)})


def export_rows(results: Iterable[Result], framework: Framework) -> Iterator[list]:
    """One row per result under export_headers(framework), yielded as the results are read;
    numbers stay Decimal/int, blanks are None."""
    indicators = [pk for _, pk in _indicators(framework)]
    part_columns = [pk for _, pk, _ in _part_columns(framework)]
    org_types = dict(Organisation._meta.get_field("org_type").flatchoices)
    for record, scores, parts in _export_records(results):
        (_, code, name, org_type, province, fiscal_year, iit, eit, oit, overall, level, passed, rank) = record
        yield [
            code, name, str(org_types.get(org_type, org_type)), province, fiscal_year,
            *(scores.get(pk) for pk in indicators),
            iit, eit, oit, overall, level, _outcome_text(passed), rank,
            *(parts.get(pk) for pk in part_columns),
        ]


def _framework_for_export(fiscal_year: int) -> Framework:
    framework = Framework.objects.prefetch_related("indicators", "tools__parts").filter(fiscal_year=fiscal_year).first()
    if framework is None:
        raise ValidationError(f"ยังไม่มีกรอบการประเมิน ITA ของปีงบประมาณ {fiscal_year}")
    return framework


def export_title(fiscal_year: int) -> str:
    return f"ITA {fiscal_year}"


def export_results_iter(*, fiscal_year: int, results, fmt: str) -> Iterator[bytes]:
    """The export as chunks of bytes, rows read from the database as they are written (for a
    StreamingHttpResponse). The framework is looked up, and a missing one refused with
    ValidationError, before the first chunk: at the call, not at the first next()."""
    framework = _framework_for_export(fiscal_year)
    return iter_table(export_headers(framework), export_rows(results, framework), fmt,
                      title=export_title(fiscal_year))


def export_results_to(fileobj: BinaryIO, *, fiscal_year: int, results, fmt: str,
                      progress: Callable[[int, int], None] | None = None) -> int:
    """Write the export to a binary file object; returns the number of rows.

    `progress(done, total)` is called every EXPORT_CHUNK rows and at the end (total costs one
    COUNT query for a queryset). Raises ValidationError when the year has no framework.
    """
    framework = _framework_for_export(fiscal_year)
    rows = export_rows(results, framework)
    if progress is not None:
        total = results.count() if isinstance(results, QuerySet) else len(results)
        rows = _reporting(rows, total, progress)
    return write_table_to(fileobj, export_headers(framework), rows, fmt, title=export_title(fiscal_year))


def _reporting(rows: Iterable[list], total: int, progress: Callable[[int, int], None]) -> Iterator[list]:
    done = 0
    progress(0, total)
    for row in rows:
        yield row
        done += 1
        if done % EXPORT_CHUNK == 0:
            progress(done, total)
    if done % EXPORT_CHUNK:
        progress(done, total)


def export_results(*, fiscal_year: int, results, fmt: str) -> bytes:
    """The results (of `fiscal_year`, filtered and ordered by the caller) as csv or xlsx bytes.

    Raises ValidationError when the year has no framework. For all organisations of a year,
    prefer export_results_iter / export_results_to, which do not hold the file in memory.
    """
    out = io.BytesIO()
    export_results_to(out, fiscal_year=fiscal_year, results=results, fmt=fmt)
    return out.getvalue()

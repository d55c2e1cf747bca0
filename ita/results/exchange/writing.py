"""Writing an import: the merge with what is stored (the one rule of every import path), then the
results written in bulk, IMPORT_CHUNK at a time in a fixed number of queries, storing exactly what
services.result_save would (write_per_row, the reference; tests/ita/results/test_exchange_scale.py compares them).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lao_integrity import bulk
from lao_integrity.history import acting_user
from lao_integrity.orgs import access
from lao_integrity.tabular import ImportRejected, RowProblem

from ... import scoring
from ...models import IndicatorScore, PartScore, Result
from .. import services
from .parsing import LOOKUP_CHUNK, Entry
from .years import Year

IMPORT_CHUNK = 900  # results written per round of bulk queries (under SQLite's bound-parameter limit)
Writer = Callable[[list[Entry], dict[int, Year], object, Callable[[int, int], None] | None], list[RowProblem]]


# --- merging with what is stored: the one rule of every import path --------------------------


def merge_stored(entries: list[Entry], years: dict[int, Year]) -> list[RowProblem]:
    """Complete each entry with its stored result, locked until the import commits.

    An import updates the scores it carries and keeps the others: indicator scores, EIT part
    scores and the rank (with its peer group) that the file leaves out stay as stored, and the tool scores,
    overall score and level are then computed from the whole. A result that does not exist yet
    must be complete (every indicator, or the EIT parts for EIT), or the file is refused: an
    import never creates a result without an overall score. Kept EIT part scores must still agree
    with the indicator scores after the merge.
    """
    problems: list[RowProblem] = []
    by_year: dict[int, list[Entry]] = {}
    for entry in entries:
        by_year.setdefault(entry.fiscal_year, []).append(entry)
    for fiscal_year, some in by_year.items():
        year = years[fiscal_year]
        numbers = {pk: number for number, pk in year.indicator_ids.items()}
        part_codes = {pk: code for code, pk in year.part_ids.items()}
        for start in range(0, len(some), LOOKUP_CHUNK):
            chunk = some[start:start + LOOKUP_CHUNK]
            stored = {
                organisation_id: (pk, rank, group) for pk, organisation_id, rank, group in
                Result.objects.select_for_update().filter(
                    fiscal_year=fiscal_year, organisation_id__in=[e.organisation.pk for e in chunk])
                .order_by("pk").values_list("pk", "organisation_id", "rank", "rank_group")}
            ids = [pk for pk, _, _ in stored.values()]
            scores: dict[int, dict[int, Decimal]] = {}
            parts: dict[int, dict[str, Decimal]] = {}
            for result_id, indicator_id, score in (IndicatorScore.objects.filter(result_id__in=ids).order_by()
                                                   .values_list("result_id", "indicator_id", "score")):
                if indicator_id in numbers:
                    scores.setdefault(result_id, {})[numbers[indicator_id]] = score
            for result_id, part_id, score in (PartScore.objects.filter(result_id__in=ids).order_by()
                                              .values_list("result_id", "part_id", "score")):
                if part_id in part_codes:
                    parts.setdefault(result_id, {})[part_codes[part_id]] = score
            for entry in chunk:
                problems.extend(RowProblem(entry.line, message) for message in
                                _merge_one(entry, year, stored.get(entry.organisation.pk), scores, parts))
    return problems


def _merge_one(entry: Entry, year: Year, stored, scores, parts) -> list[str]:
    carried_parts = bool(entry.parts)
    if stored is not None:
        pk, rank, group = stored
        kept_scores = {n: v for n, v in scores.get(pk, {}).items() if n not in entry.scores}
        kept_parts = {c: v for c, v in parts.get(pk, {}).items() if c not in entry.parts}
        entry.merged = bool(kept_scores or kept_parts or (rank is not None and entry.rank is None))
        entry.scores = {**kept_scores, **entry.scores}
        entry.parts = {**kept_parts, **entry.parts}
        if entry.rank is None:
            entry.rank, entry.rank_group = rank, group
    if entry.rank is not None and not entry.rank_group:
        # A rank without its group, as result_save reads it: in the organisation's type.
        entry.rank_group = services.default_rank_group(entry.organisation) or None
    outcome = scoring.compute(year.spec, entry.scores, entry.parts)
    entry.complete = outcome.complete
    where = f"อปท. รหัส {entry.organisation.code} ปีงบประมาณ {entry.fiscal_year}"
    if entry.score_lines:  # long format: the result spans several lines
        where += f" (บรรทัดที่ {entry.lines})"
    if stored is None and not outcome.complete:
        missing = sorted(n for tool in year.spec.tools if outcome.tools.get(tool.code) is None
                         for n in tool.indicators if n not in entry.scores)
        return [f"ยังไม่มีผลการประเมินของ {where} และไฟล์มีคะแนนไม่ครบ ขาดตัวชี้วัดที่ "
                f"{', '.join(map(str, missing))} จึงคำนวณคะแนนรวมไม่ได้: ไม่นำเข้าผลการประเมินที่ไม่ครบ "
                f"กรุณาใส่คะแนนให้ครบทุกตัวชี้วัด"]
    problems = []
    for tool in scoring.parts_disagree(year.spec, entry.scores, entry.parts):
        if carried_parts:
            problems.append(f"คะแนน {tool} รายส่วนไม่สอดคล้องกับคะแนนรายตัวชี้วัด (ต่างกันเกินการปัดเศษ)")
        else:
            stored_parts = ", ".join(f"{c} {v}" for c, v in sorted(entry.parts.items()))
            problems.append(f"คะแนน {tool} รายส่วนที่บันทึกไว้ของ {where} ({stored_parts}) ไม่สอดคล้องกับ"
                            f"คะแนนรายตัวชี้วัดหลังนำเข้า (ต่างกันเกินการปัดเศษ): ใส่คะแนน {tool} รายส่วนใหม่ใน"
                            f"คอลัมน์ “EIT ส่วนที่ 1” และ “EIT ส่วนที่ 2” ของแถวเดียวกัน หรือแก้ที่หน้ากรอกคะแนน")
    return problems


# --- writing -------------------------------------------------------------------------------


def write_per_row(entries: list[Entry], years: dict[int, Year], user, progress) -> list[RowProblem]:
    """One services.result_save per result (several queries each): the reference for write_bulk."""
    problems: list[RowProblem] = []
    if progress is not None:
        progress(0, len(entries))
    for done, entry in enumerate(entries, 1):
        year = years[entry.fiscal_year]
        try:
            services.result_save(organisation=entry.organisation, fiscal_year=entry.fiscal_year,
                                 scores=entry.scores, part_scores=entry.parts or None, rank=entry.rank,
                                 rank_group=entry.rank_group, user=user, spec=year.spec, framework=year.framework)
        except ValidationError as error:
            problems.extend(RowProblem(entry.line, message) for message in error.messages)
        if progress is not None and (done % IMPORT_CHUNK == 0 or done == len(entries)):
            progress(done, len(entries))
    return problems


def _check(entry: Entry, year: Year) -> list[str]:
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
_RESULT_FIELDS = ["framework", "rank", "rank_group", "updated_by", "iit", "eit", "oit", "overall", "level", "passed",
                  "updated_at", "version"]
CONCURRENT_IMPORT = "มีผู้บันทึกผลการประเมินของ อปท. เดียวกันในขณะเดียวกัน ยังไม่ได้นำเข้าข้อมูลใด กรุณานำเข้าอีกครั้ง"


def write_bulk(entries: list[Entry], years: dict[int, Year], user, progress) -> list[RowProblem]:
    """What write_per_row stores, IMPORT_CHUNK results at a time in a fixed number of queries."""
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
                    write_chunk(chunk, years, user, trail)
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


def write_chunk(chunk: list[Entry], years: dict[int, Year], user, trail: _Trail) -> None:
    stored = _lock_stored(chunk)
    pairs, updated = _write_results(chunk, years, user, trail, stored)
    _write_scores(pairs, updated, years, trail)
    _write_parts(pairs, updated, years)


def _lock_stored(chunk: list[Entry]) -> dict[tuple[int, int], Result]:
    """1. The stored results, locked (result_save's select_for_update), by year."""
    by_year: dict[int, list[int]] = {}
    for entry in chunk:
        by_year.setdefault(entry.fiscal_year, []).append(entry.organisation.pk)
    stored: dict[tuple[int, int], Result] = {}
    for fiscal_year, organisation_ids in by_year.items():
        rows = (Result.objects.select_for_update().filter(fiscal_year=fiscal_year, organisation_id__in=organisation_ids)
                .order_by("pk"))
        stored.update({(r.organisation_id, fiscal_year): r for r in rows})
    return stored


def _write_results(chunk: list[Entry], years: dict[int, Year], user, trail: _Trail,
                   stored: dict[tuple[int, int], Result]) -> tuple[list[tuple[Entry, Result]], list[Result]]:
    """2. Results: new ones created, the others replaced; computed as result_save's _recompute does.
    Returns (entry, result) pairs and the results that were stored already."""
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
        result.rank, result.rank_group = entry.rank, entry.rank_group
        result.updated_by = access.person(user)
        result.iit, result.eit, result.oit = (outcome.tools.get(code) for code in ("IIT", "EIT", "OIT"))
        result.overall, result.level, result.passed = outcome.overall, outcome.level, outcome.passed
        result.updated_at = trail.now
        pairs.append((entry, result))
    if created:
        Result.objects.bulk_create(created)
        trail.write(Result, created, "+")
    if updated:
        bulk.update_rows(Result, updated, _RESULT_FIELDS)
        trail.write(Result, updated, "~")
    return pairs, updated


def _write_scores(pairs: list[tuple[Entry, Result]], updated: list[Result], years: dict[int, Year],
                  trail: _Trail) -> None:
    """3. Indicator scores: new ones created, changed ones updated, those not in the file deleted,
    each with its audit-trail row as a save() or delete() writes it."""
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
        _delete_scores(gone_scores, trail)


def _delete_scores(gone_scores: list[IndicatorScore], trail: _Trail) -> None:
    rows = IndicatorScore._base_manager.filter(pk__in=[row.pk for row in gone_scores])
    if IndicatorScore._meta.related_objects:
        rows.delete()  # something refers to scores now: let Django cascade (and signal) per object
    else:
        # Nothing refers to an IndicatorScore, so a raw DELETE (no per-object post_delete, which
        # would write the audit trail one row at a time) loses nothing; the rows are written here.
        trail.write(IndicatorScore, gone_scores, "-")
        rows._raw_delete(rows.db)


def _write_parts(pairs: list[tuple[Entry, Result]], updated: list[Result], years: dict[int, Year]) -> None:
    """4. Part scores (no audit trail): replaced, as result_save does."""
    if updated:
        PartScore.objects.filter(result_id__in=[r.pk for r in updated]).delete()
    new_parts = [PartScore(result=result, part_id=years[entry.fiscal_year].part_ids[code], score=Decimal(value))
                 for entry, result in pairs for code, value in entry.parts.items()]
    if new_parts:
        PartScore.objects.bulk_create(new_parts)

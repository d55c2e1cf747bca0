"""Importing an ITA results file, all or nothing: read the table, detect its layout, parse its
rows, merge them with what is stored and write them; any problem rejects the whole file."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from lao_integrity.orgs import access
from lao_integrity.tabular import ImportRejected, RowProblem, drop_blank_rows, read_table

from .layout import Layout
from .parsing import allowed_ids, parse
from .writing import Writer, merge_stored, write_bulk


@dataclass(frozen=True)
class ImportSummary:
    results: int
    organisations: int
    years: int
    fiscal_years: tuple[int, ...] = ()
    merged: int = 0  # stored results the file updated in part: their other scores were kept
    incomplete: int = 0  # stored results that were incomplete and still are
    notes: tuple[str, ...] = ()  # how the file was read where it said something else (header names)

    def __str__(self):
        text = f"นำเข้าแล้ว: {self.results} ผลการประเมิน ({self.organisations} อปท., {self.years} ปีงบประมาณ)"
        lines = [text]
        if self.merged:
            lines.append(f"ปรับปรุงผลที่มีอยู่แล้ว {self.merged} ผลการประเมินเฉพาะคะแนนที่มีในไฟล์ "
                         f"คะแนนตัวชี้วัดอื่น คะแนน EIT รายส่วน และลำดับที่ไม่มีในไฟล์คงเดิม")
        if self.incomplete:
            lines.append(f"ยังมีคะแนนไม่ครบทุกตัวชี้วัด {self.incomplete} ผลการประเมิน (ยังไม่มีคะแนนรวม)")
        lines.extend(f"หมายเหตุ: {note}" for note in self.notes)
        return "\n".join(lines)


def _reject(problems: list[RowProblem]):
    raise ImportRejected(sorted(problems, key=lambda p: p.line or 0))


@transaction.atomic
def results_import(*, data: bytes, filename: str, user, allowed_organisations=None,
                   progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Import ITA results from csv or xlsx bytes, all or nothing.

    Every organisation and year in the file gets the file's scores (and rank and EIT part scores)
    merged into what is stored (merge_stored); other results are untouched. With
    `allowed_organisations` (without it, those `user` may edit, unless a superuser or the
    system), rows for any other organisation are rejected. Raises ImportRejected
    listing every problem by line; then nothing has changed. `progress(done, total)` is called
    after each chunk of results written (total: the number of results in the file), first with
    done 0 once the file has been read and checked.

    The results are written in bulk, IMPORT_CHUNK at a time with a fixed number of queries each,
    and store exactly what services.result_save would (tests/ita/results/test_exchange_scale.py compares
    the two), audit trail included.
    """
    return import_table(data=data, filename=filename, user=user, allowed_organisations=allowed_organisations,
                        progress=progress, writer=write_bulk)


def import_table(*, data: bytes, filename: str, user, allowed_organisations, progress,
                 writer: Writer) -> ImportSummary:
    """results_import with another writer (write_per_row, the reference the tests compare with)."""
    if allowed_organisations is None and not user.is_superuser:
        # No limit only for who may change every organisation (a superuser, access.SYSTEM): anyone
        # else is held to the organisations they may edit, whether or not the caller said so.
        allowed_organisations = access.editable_organisations(user)
    dataset = read_table(data, filename)
    layout = Layout(list(dataset.headers or []))
    lines = drop_blank_rows(dataset)
    if not lines:
        raise ImportRejected([RowProblem(None, "ไม่มีข้อมูลในไฟล์ (มีแต่หัวตาราง)")])
    parsed = parse(dataset, lines, layout, allowed_ids(allowed_organisations))
    if parsed.problems:
        _reject(parsed.problems)
    entries, years = parsed.entries, parsed.years
    ordered = sorted(entries.values(), key=lambda e: e.line)
    problems = merge_stored(ordered, years)
    if problems:
        _reject(problems)
    problems = writer(ordered, years, user, progress)
    if problems:
        _reject(problems)  # inside the transaction: everything saved above is rolled back
    return ImportSummary(
        results=len(entries),
        organisations=len({e.organisation.pk for e in entries.values()}),
        years=len({e.fiscal_year for e in entries.values()}),
        fiscal_years=tuple(sorted({e.fiscal_year for e in entries.values()})),
        merged=sum(e.merged for e in ordered),
        incomplete=sum(not e.complete for e in ordered),
        notes=tuple(parsed.notes),
    )

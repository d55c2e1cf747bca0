"""Importing an ITA results file, all or nothing, through the portal's one import loop
(lao_integrity.table_import): the layout is detected from the header row, every row parsed, then
the entries merged with what is stored and written in bulk; any problem rejects the whole file."""

from collections.abc import Callable
from dataclasses import dataclass

from lao_integrity import table_import
from lao_integrity.orgs import access
from lao_integrity.table_import import Row, RowInvalid, TableImport, reject_if

from .layout import Layout
from .parsing import Parser, allowed_ids
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
    results = ResultsImport(allowed=allowed_ids(allowed_organisations), user=user, progress=progress, writer=writer)
    return table_import.import_table(results, data=data, filename=filename)


class ResultsImport(TableImport):
    """The rows become one entry per organisation and year (a long file's entry spans several rows);
    the entries are then merged with what is stored and written by `writer`."""

    empty_message = "ไม่มีข้อมูลในไฟล์ (มีแต่หัวตาราง)"

    def __init__(self, *, allowed: set[int] | None, user, progress, writer: Writer):
        self.allowed, self.user, self.progress, self.writer = allowed, user, progress, writer

    def check_headers(self, headers: list[str]) -> None:
        self.layout = Layout(headers)  # ImportRejected (line 1) for a header row it can't read

    def prepare(self, rows: list[Row]):
        """The keys (code, year) of every row first, so organisations and frameworks are looked up
        once for the whole file."""
        self.parser = Parser(self.layout, self.allowed)
        self.keys = [self.parser.key(row.line, row.cells) for row in rows]
        self.parser.look_up([key for key in self.keys if key])
        return self.parser.take_problems()

    def parse(self, row: Row) -> None:
        key = self.keys[row.position - 1]
        if key is not None:
            self.parser.row(row.line, row.cells, key)
        problems = self.parser.take_problems()  # all on this row's line
        if problems:
            raise RowInvalid([problem.message for problem in problems])

    def write(self, values) -> ImportSummary:
        entries, years = self.parser.entries, self.parser.years
        ordered = sorted(entries.values(), key=lambda e: e.line)
        reject_if(merge_stored(ordered, years))
        reject_if(self.writer(ordered, years, self.user, self.progress))  # rolled back with the transaction
        return ImportSummary(
            results=len(entries),
            organisations=len({e.organisation.pk for e in entries.values()}),
            years=len({e.fiscal_year for e in entries.values()}),
            fiscal_years=tuple(sorted({e.fiscal_year for e in entries.values()})),
            merged=sum(e.merged for e in ordered),
            incomplete=sum(not e.complete for e in ordered),
            notes=tuple(self.parser.notes),
        )

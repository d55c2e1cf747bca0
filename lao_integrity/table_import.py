"""The one way a csv/xlsx file is imported: every import of the portal (plans, organisations, ITA
results, agreement indicators; from a page, the admin, a command or a background job) is a
`TableImport` run by `import_table`.

One loop: the file is read (`tabular.read_table`: UTF-8 with or without BOM or windows-874, xlsx
cells as typed), its header row checked, blank rows dropped, then every row handed to the domain's
`parse`; each row's problems are collected with the row's line in the file ("บรรทัดที่ N: ...",
the header is line 1). When any row is bad nothing is written and every problem is reported
(ImportRejected); otherwise the domain's `write` stores everything, inside the same transaction,
so a problem found while writing rolls all of it back. What a domain keeps is its own: its columns,
how a row becomes values, and how the values are written (in bulk where the files are national).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from lao_integrity.tabular import (
    ImportRejected,
    RowProblem,
    drop_blank_rows,
    format_from_name,
    read_table,
    require_headers,
)


class RowInvalid(Exception):
    """Raised by a parser: the row's problems (Thai), reported with its line."""

    def __init__(self, messages: Sequence[str]):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass
class Row:
    """One row of the file as text: `line` is its line in the file, `cells` its cells in the order of
    `headers` (the file's header row, as read)."""

    line: int
    cells: list[str]
    columns: dict[str, int] = field(repr=False)
    position: int = 0  # 1 for the first row with data, 2 for the next, ...

    def __getitem__(self, column: str) -> str:
        index = self.columns.get(column)
        return "" if index is None else self.cells[index]

    def get(self, column: str, default: str = "") -> str:
        return self[column] if column in self.columns else default


def field_messages(errors: ValidationError | dict[str, list[str]], labels: dict[str, str]) -> list[str]:
    """A model's errors (a ValidationError, or messages by attribute) as row messages: "column:
    message", the column named as the file names it (`labels`: attribute -> header); whole-record
    messages and those of attributes without a column as they are."""
    if isinstance(errors, ValidationError):
        if not hasattr(errors, "error_dict"):
            return list(errors.messages)
        errors = errors.message_dict
    messages = []
    for name, texts in errors.items():
        label = labels.get(name)
        messages.extend(text if name == NON_FIELD_ERRORS or not label else f"{label}: {text}" for text in texts)
    return messages


class TableImport:
    """What a domain gives `import_table`. Override `parse` and `write`; the rest has defaults."""

    headers: Sequence[str] = ()  # the columns a file must have (a missing one is a problem on line 1)
    empty_message = "ไม่มีข้อมูลในไฟล์"  # a file with a header and no data

    def read_headers(self, headers: list[str], below: list[str]) -> tuple[list[str], bool]:
        """The columns as the import names them, from the header row and the row `below` it (the
        first row with data); True when that row belongs to the header (a header printed on two
        rows, "ดำเนินการไตรมาส" over "1 2 3 4"): it is then not read as data."""
        return headers, False

    def check_headers(self, headers: list[str]) -> None:
        """Raise ImportRejected (line 1) when the header row is not one this import reads."""
        require_headers(headers, list(self.headers))

    def skip(self, row: Row) -> bool:
        """A row that is read past (a total row the export wrote)."""
        return False

    def prepare(self, rows: list[Row]) -> list[RowProblem]:
        """Look-ups for the whole file before its rows are parsed (once, not once per row)."""
        return []

    def parse(self, row: Row):
        """The row's values; RowInvalid (or ValueError, ValidationError) with its problems."""
        raise NotImplementedError

    def check_all(self, values: list) -> list[RowProblem]:
        """Problems of the file as a whole once every row was read and good (a total row that
        disagrees with the rows above it)."""
        return []

    def write(self, values: list):
        """Store the values of every row (all rows were good); runs in the import's transaction.
        Raise ImportRejected to refuse the file after all: everything written is rolled back."""
        raise NotImplementedError


def _problems_of(error: Exception) -> list[str]:
    if isinstance(error, RowInvalid):
        return error.messages
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def read_rows(importer: TableImport, data: bytes, filename: str) -> list[Row]:
    """The file's rows with data, each with its line; ImportRejected for an unreadable file, a header
    the import does not read, or no data."""
    format_from_name(filename)
    dataset = read_table(data, filename)
    lines = drop_blank_rows(dataset)
    headers = list(dataset.headers or [])
    if lines and lines[0] == 2:
        headers, two_rows = importer.read_headers(headers, list(dataset[0]))
        if two_rows:
            del dataset[0]
            lines = lines[1:]
    importer.check_headers(headers)
    columns = {header: index for index, header in enumerate(headers)}  # a repeated header: its last column
    rows = []
    for line, cells in zip(lines, dataset, strict=True):
        row = Row(line=line, cells=list(cells), columns=columns)
        if not importer.skip(row):
            row.position = len(rows) + 1
            rows.append(row)
    if not rows:
        raise ImportRejected([RowProblem(None, importer.empty_message)])
    return rows


def reject_if(problems: list[RowProblem]) -> None:
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: p.line or 0))


@transaction.atomic
def import_table(importer: TableImport, *, data: bytes, filename: str):
    """Read, parse every row, then write all or nothing; returns what `importer.write` returns.

    Raises ImportRejected listing every problem by line (in line order; a line's problems in the
    order found); then nothing has been written.
    """
    rows = read_rows(importer, data, filename)
    problems = list(importer.prepare(rows))
    values = []
    for row in rows:
        try:
            values.append(importer.parse(row))
        except (RowInvalid, ValueError, ValidationError) as error:
            problems.extend(RowProblem(row.line, message) for message in _problems_of(error))
    if not problems:
        problems.extend(importer.check_all(values))
    reject_if(problems)
    return importer.write(values)


__all__ = ["ImportRejected", "Row", "RowInvalid", "RowProblem", "TableImport", "field_messages", "import_table",
           "reject_if", "require_headers"]

"""Reading and writing the csv/xlsx files staff exchange. Every import reads its file here and runs
through `lao_integrity.table_import` (one loop, all or nothing, every bad row by its line)."""

import csv
import datetime
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape as xml_escape

import tablib
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TIME_FORMATS
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from lao_integrity import thai
from lao_integrity.uploads import validate_table_bytes

FORMATS = ("csv", "xlsx")
# A file bigger than this is refused rather than read: no import needs more, and a tiny xlsx
# can claim a million empty rows.
MAX_ROWS = 50_000
MAX_COLUMNS = 100


@dataclass(frozen=True)
class RowProblem:
    line: int | None  # line in the file (the header is line 1); None for the whole file
    message: str

    def __str__(self):
        return f"บรรทัดที่ {self.line}: {self.message}" if self.line else self.message


class ImportRejected(Exception):
    """Nothing was imported; `problems` says why, row by row."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def format_from_name(filename: str) -> str:
    ext = Path(filename or "").suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise ImportRejected([RowProblem(None, "รองรับเฉพาะไฟล์ .csv และ .xlsx")])
    return ext


def _decode_csv(raw: bytes) -> str:
    # Excel on Thai Windows saves csv as windows-874 (TIS-620); everything else is UTF-8.
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([RowProblem(None, "อ่านไฟล์ไม่ได้: ไม่ใช่ข้อความ UTF-8 หรือ TIS-620")])


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # openpyxl gives floats for numeric cells; repr is the shortest exact decimal form.
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value).strip()


def _csv_text(cell: str) -> str:
    """A cell as typed: the apostrophe `write_table` puts before formula-like text is dropped again."""
    cell = cell.strip()
    return cell[1:].strip() if cell.startswith("'") and _is_formula_like(cell[1:].lstrip("'")) else cell


def _bounded(row: list[str], count: int) -> list[str]:
    """`row` without its trailing blanks; ImportRejected past MAX_ROWS rows or MAX_COLUMNS columns."""
    while row and not row[-1]:
        row.pop()
    if count >= MAX_ROWS:
        raise ImportRejected([RowProblem(None, f"ไฟล์มีมากกว่า {MAX_ROWS:,} แถว กรุณาแบ่งไฟล์ก่อนนำเข้า")])
    if len(row) > MAX_COLUMNS:
        raise ImportRejected([RowProblem(count + 1, f"มีมากกว่า {MAX_COLUMNS} คอลัมน์")])
    return row


def read_table(data: bytes, filename: str) -> tablib.Dataset:
    """A Dataset of strings from csv or xlsx bytes; the first row is the header."""
    fmt = format_from_name(filename)
    try:
        validate_table_bytes(data, filename)  # size, real xlsx (no zip bomb), csv text without NUL
    except ValidationError as error:
        raise ImportRejected([RowProblem(None, m) for m in error.messages]) from None
    rows: list[list[str]] = []
    if fmt == "csv":
        text = _decode_csv(data)
        try:
            for row in csv.reader(io.StringIO(text)):
                rows.append(_bounded([_csv_text(cell) for cell in row], len(rows)))
        except csv.Error:
            raise ImportRejected([RowProblem(len(rows) + 1, "อ่านไฟล์ csv ไม่ได้ (รูปแบบไม่ถูกต้องหรือช่องยาวเกินไป)")]) from None
    else:
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
            for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1, max_col=width):
                rows.append(_bounded([_cell_text(v) for v in row], len(rows)))
            workbook.close()
        except ImportRejected:
            raise
        except Exception:
            raise ImportRejected([RowProblem(None, "เปิดไฟล์ xlsx ไม่ได้ (ไฟล์เสียหรือไม่ใช่ Excel)")]) from None
    if not rows or not any(rows[0]):
        raise ImportRejected([RowProblem(None, "ไฟล์ว่าง ไม่มีหัวตาราง")])
    headers = [h.strip() for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        row = (row + [""] * len(headers))[: len(headers)]
        dataset.append(row)
    return dataset


def require_headers(headers, required: list[str]) -> None:
    """ImportRejected (line 1) naming the `required` columns missing from `headers` (a header row, or
    a Dataset)."""
    headers = list(getattr(headers, "headers", headers) or [])
    missing = [h for h in required if h not in headers]
    if missing:
        raise ImportRejected([RowProblem(1, "ไม่พบคอลัมน์ " + ", ".join(f"“{h}”" for h in missing))])


def drop_blank_rows(dataset: tablib.Dataset) -> list[int]:
    """Remove empty rows; return the file line number of each remaining row."""
    lines, keep = [], []
    for index, row in enumerate(dataset, start=2):
        if any(str(cell).strip() for cell in row):
            lines.append(index)
            keep.append(row)
    headers = dataset.headers
    dataset.wipe()
    dataset.headers = headers
    for row in keep:
        dataset.append(row)
    return lines


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d[\d,]*)?\.?\d+|-+")


def _is_formula_like(text: str) -> bool:
    """Text a spreadsheet would run as a formula (=, +, -, @ ...), but not "-5", "-1,234.50" or "-"."""
    stripped = text.strip()
    return text.startswith(_FORMULA_START) and bool(stripped) and not _PLAIN_NUMBER.fullmatch(stripped)


def _csv_cell(value):
    if isinstance(value, Decimal):
        return thai.format_baht(value)
    if value is None:
        return ""
    if isinstance(value, str):
        # A lone carriage return is not quoted by the csv module and would break the file.
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if _is_formula_like(value.lstrip("'")):
            return "'" + value  # csv injection: Excel shows the text instead of running it (read_table drops it)
    return value


_CSV_FLUSH_ROWS = 500  # rows per chunk that iter_table yields
_COPY_BLOCK = 64 * 1024
BOM = "\ufeff".encode()
NUMBER_FORMAT = "#,##0.00"


def iter_table(headers: list[str], rows: Iterable[Sequence], fmt: str, *, title: str = "Sheet1") -> Iterator[bytes]:
    """The file `write_table` makes, in chunks, reading `rows` as it goes (for a streaming response).

    csv: the BOM and header first, then a chunk every few hundred rows, never all rows at once; the
    bytes joined are exactly `write_table`'s. xlsx is a zip that can only be finished at the end:
    it is written to a temporary file (memory up to 8 MiB, then disk) and then read out in blocks.
    """
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([_csv_cell(h) for h in headers])
        yield BOM + out.getvalue().encode("utf-8")
        out.seek(0)
        out.truncate()
        pending = 0
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
            pending += 1
            if pending >= _CSV_FLUSH_ROWS:
                yield out.getvalue().encode("utf-8")
                out.seek(0)
                out.truncate()
                pending = 0
        if pending:
            yield out.getvalue().encode("utf-8")
        return
    if fmt == "xlsx":
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
            write_table_to(spool, headers, rows, fmt, title=title)
            spool.seek(0)
            while block := spool.read(_COPY_BLOCK):
                yield block
        return
    raise ValueError(f"unknown format {fmt}")


def write_table_to(fileobj: BinaryIO, headers: list[str], rows: Iterable[Sequence], fmt: str, *,
                   title: str = "Sheet1") -> int:
    """Write the table to a binary file object as `write_table` would return it; returns the number
    of rows. The rows are consumed one by one and neither format holds them all: csv is written in
    chunks, xlsx is a zip written entry by entry (see `_write_xlsx`)."""
    count = 0
    if fmt == "csv":
        def counted():
            nonlocal count
            for row in rows:
                count += 1
                yield row

        for chunk in iter_table(headers, counted(), fmt):
            fileobj.write(chunk)
        return count
    if fmt == "xlsx":
        return _write_xlsx(fileobj, headers, rows, title)
    raise ValueError(f"unknown format {fmt}")


_XLSX_FLUSH_ROWS = 200  # rows of sheet XML handed to the zip stream at a time
_MAX_CELL_TEXT = 32_767  # Excel's limit; openpyxl truncates to it too


def _write_xlsx(fileobj: BinaryIO, headers: list[str], rows: Iterable[Sequence], title: str) -> int:
    """The xlsx file: openpyxl (write-only mode) makes the workbook, its styles and the styled header
    row; the data rows are then streamed into the worksheet's XML as the file is zipped.

    openpyxl writes every cell through a pure-Python XML serializer, about 40 µs a cell: 7,850
    results of 21 columns took 7 s. The rows are the simple part of the format (a number, a text
    or a boolean per cell, `_row_xml`), so they are written here; everything else stays openpyxl's.
    Cells are typed as openpyxl would type them except that text is always text: a value beginning
    with "=" is never a formula (nor "#N/A" an error).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(8, min(80, len(str(header)) + 4))
    bold, centred = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.alignment = bold, centred
        _as_text(cell)
        if isinstance(header, str) and _is_formula_like(header):
            cell.quotePrefix = True
        header_cells.append(cell)
    sheet.append(header_cells)
    styles = _XlsxStyles(sheet)  # registered before the save below, so styles.xml has them
    template = io.BytesIO()
    workbook.save(template)

    count = 0
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(fileobj, "w", zipfile.ZIP_DEFLATED) as target:
        worksheets = [i for i in source.infolist() if i.filename.startswith("xl/worksheets/") and
                      i.filename.endswith(".xml")]
        if len(worksheets) != 1:
            raise RuntimeError("openpyxl wrote an unexpected workbook layout")
        for info in source.infolist():
            if info is not worksheets[0]:
                target.writestr(info, source.read(info))
                continue
            xml = source.read(info)
            head, tail = xml.split(b"</sheetData>", 1)  # the header row is in head
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with target.open(entry, "w") as out:
                out.write(head)
                letters: list[str] = []
                pending: list[str] = []
                for count, row in enumerate(rows, start=1):
                    if not isinstance(row, (list, tuple)):
                        row = list(row)
                    if len(row) > len(letters):
                        letters.extend(get_column_letter(i) for i in range(len(letters) + 1, len(row) + 1))
                    pending.append(_row_xml(count + 1, row, letters, styles))
                    if len(pending) >= _XLSX_FLUSH_ROWS:
                        out.write("".join(pending).encode("utf-8"))
                        pending.clear()
                out.write("".join(pending).encode("utf-8"))
                out.write(b"</sheetData>" + tail)
    return count


class _XlsxStyles:
    """Style ids (in the workbook's styles.xml) for numbers and for dates and times, as openpyxl
    formats them: a Decimal or float shows two decimals with thousands separators."""

    def __init__(self, sheet):
        def style_id(number_format: str) -> int:
            cell = WriteOnlyCell(sheet)
            cell.number_format = number_format
            return cell.style_id

        self.number = style_id(NUMBER_FORMAT)
        self.times = {kind: style_id(number_format) for kind, number_format in TIME_FORMATS.items()}
        # Excel's form of the csv apostrophe: the cell shows its text, and stays text when someone
        # edits it and presses Enter (a plain text cell "=cmd|..." would then become a formula).
        quoted = WriteOnlyCell(sheet)
        quoted.quotePrefix = True
        self.quoted = quoted.style_id

    def time(self, value) -> int:
        for kind in type(value).__mro__:
            if kind in self.times:
                return self.times[kind]
        raise ValueError(f"Cannot convert {value!r} to Excel")


def _row_xml(number: int, values: Sequence, letters: list[str], styles: _XlsxStyles) -> str:
    """One <row> of worksheet XML; a None cell is left out, as openpyxl leaves it out."""
    parts = [f'<row r="{number}">']
    for index, value in enumerate(values):
        if value is None:
            continue
        ref = f"{letters[index]}{number}"
        if value == "":
            parts.append(f'<c r="{ref}" t="inlineStr"/>')  # as openpyxl writes it: the row keeps its cells
        elif isinstance(value, str):
            # Control characters XML cannot carry (a name pasted from another program) are dropped
            # rather than failing the whole export.
            value = ILLEGAL_CHARACTERS_RE.sub("", value[:_MAX_CELL_TEXT])
            style = f' s="{styles.quoted}"' if _is_formula_like(value) else ""
            parts.append(f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{xml_escape(value)}</t>'
                         '</is></c>')
        elif isinstance(value, bool):
            parts.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int):
            parts.append(f'<c r="{ref}" t="n"><v>{value}</v></c>')
        elif isinstance(value, (Decimal, float)):
            parts.append(f'<c r="{ref}" s="{styles.number}" t="n"><v>{safe_string(value)}</v></c>')
        elif isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
            if getattr(value, "tzinfo", None) is not None:
                raise TypeError("Excel does not support timezones in datetimes.")
            parts.append(f'<c r="{ref}" s="{styles.time(value)}" t="n"><v>{safe_string(to_excel(value))}</v></c>')
        else:
            raise ValueError(f"Cannot convert {value!r} to Excel")
    parts.append("</row>")
    return "".join(parts)


def write_table(headers: list[str], rows: Iterable[Sequence], fmt: str, *, title: str = "Sheet1") -> bytes:
    """csv (UTF-8 with BOM so Excel shows Thai) or xlsx with numbers kept as numbers.

    Text that a spreadsheet would run as a formula (a name typed as "=HYPERLINK(...)") is kept
    as text: an apostrophe in front in csv, a string cell in xlsx. For many rows, prefer
    `iter_table` or `write_table_to`, which do not hold the file's text in a string as well.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt}")
    out = io.BytesIO()
    write_table_to(out, headers, rows, fmt, title=title)
    return out.getvalue()


def _as_text(cell) -> None:
    # openpyxl stores any str starting with "=" as a formula; ours are always plain text.
    if cell.data_type == "f":
        cell.data_type = "s"


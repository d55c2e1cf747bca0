"""Reading and writing the csv/xlsx files staff exchange, and all-or-nothing imports.

Every import in the portal goes through `run_import`: one transaction, and when any row is
bad nothing is kept and every bad row is reported with its line number in the file.
"""

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

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


def require_headers(dataset: tablib.Dataset, required: list[str]) -> None:
    missing = [h for h in required if h not in dataset.headers]
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


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error)]


def run_import(resource, dataset: tablib.Dataset, *, lines: list[int], field_labels: dict[str, str], **kwargs):
    """Import with django-import-export; raise ImportRejected (and keep nothing) on any error.

    `lines[i]` is the file line of dataset row i; `field_labels` maps attributes to column
    names so messages point at what the user sees.
    """
    result = resource.import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True, **kwargs
    )
    problems: list[RowProblem] = []
    for error in result.base_errors:
        problems.append(RowProblem(None, _messages(error.error)[0]))
    for invalid in result.invalid_rows:
        line = lines[invalid.number - 1] if invalid.number - 1 < len(lines) else None
        for field, messages in invalid.error_dict.items():
            label = field_labels.get(field)
            for message in messages:
                text = message if field == NON_FIELD_ERRORS or not label else f"{label}: {message}"
                problems.append(RowProblem(line, text))
    for error_row in result.error_rows:
        line = lines[error_row.number - 1] if error_row.number - 1 < len(lines) else None
        for error in error_row.errors:
            problems.append(RowProblem(line, _messages(error.error)[0]))
    if problems:
        problems.sort(key=lambda p: (p.line or 0))
        raise ImportRejected(problems)
    return result


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


def write_table(headers: list[str], rows: list[list], fmt: str, *, title: str = "Sheet1") -> bytes:
    """csv (UTF-8 with BOM so Excel shows Thai) or xlsx with numbers kept as numbers.

    Text that a spreadsheet would run as a formula (a name typed as "=HYPERLINK(...)") is kept
    as text: an apostrophe in front in csv, a string cell in xlsx.
    """
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([_csv_cell(h) for h in headers])
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = title[:31]
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            _as_text(cell)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, (Decimal, float)):
                    cell.number_format = "#,##0.00"
                _as_text(cell)
        for index, header in enumerate(headers, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(8, min(80, len(header) + 4))
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    raise ValueError(f"unknown format {fmt}")


def _as_text(cell) -> None:
    # openpyxl stores any str starting with "=" as a formula; ours are always plain text.
    if cell.data_type == "f":
        cell.data_type = "s"


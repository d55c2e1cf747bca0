"""Reading and writing the csv/xlsx files staff exchange, and all-or-nothing imports.

Every import in the portal goes through `run_import`: one transaction, and when any row is
bad nothing is kept and every bad row is reported with its line number in the file.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from lao_integrity import thai

FORMATS = ("csv", "xlsx")


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


def read_table(data: bytes, filename: str) -> tablib.Dataset:
    """A Dataset of strings from csv or xlsx bytes; the first row is the header."""
    fmt = format_from_name(filename)
    rows: list[list[str]]
    if fmt == "csv":
        text = _decode_csv(data)
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    else:
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise ImportRejected([RowProblem(None, "เปิดไฟล์ xlsx ไม่ได้ (ไฟล์เสียหรือไม่ใช่ Excel)")]) from None
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
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


def write_table(headers: list[str], rows: list[list], fmt: str, *, title: str = "Sheet1") -> bytes:
    """csv (UTF-8 with BOM so Excel shows Thai) or xlsx with numbers kept as numbers."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([thai.format_baht(v) if isinstance(v, Decimal) else ("" if v is None else v)
                             for v in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = title[:31]
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, (Decimal, float)):
                    cell.number_format = "#,##0.00"
        for index, header in enumerate(headers, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(8, min(80, len(header) + 4))
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    raise ValueError(f"unknown format {fmt}")

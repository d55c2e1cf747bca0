"""ITA results in and out: ita.results.exchange, the import_ita / export_ita commands, the import and
score-entry pages and the admin."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from ita.models import Framework, IndicatorScore, Result
from ita.results import services
from ita.results.exchange import ImportSummary, export_headers, export_results, results_import
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.tabular import ImportRejected, write_table

pytestmark = pytest.mark.django_db

SEED = "95.01 84.45 88.62 83.07 86.04 85.07 84.54 82.73 100 100".split()
SEED_DECIMALS = {n: Decimal(v).quantize(Decimal("0.01")) for n, v in enumerate(SEED, start=1)}
LONG = ["รหัส อปท.", "ปีงบประมาณ", "ตัวชี้วัด", "คะแนน"]
WIDE = ["รหัส อปท.", "ปีงบประมาณ", *(f"ตัวชี้วัดที่ {n}" for n in range(1, 11))]
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def long_rows(code, year, scores=SEED, **extra):
    return [[code, year, number, score] for number, score in enumerate(scores, start=1)]


def csv_bytes(headers, rows) -> bytes:
    return write_table(headers, [list(r) for r in rows], "csv")


def xlsx_bytes(headers, rows) -> bytes:
    """An xlsx typed the way people do: numbers as numeric cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([float(v) if isinstance(v, str) and v.replace(".", "").isdigit() and "." in v else v
                      for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def snapshot(*organisations):
    """Everything an import can change for these organisations, to compare before and after."""
    results = Result.objects.filter(organisation__in=organisations).order_by("organisation__code", "fiscal_year")
    return [
        (r.organisation.code, r.fiscal_year, r.national_rank, r.iit, r.eit, r.oit, r.overall, r.level, r.passed,
         sorted((s.indicator.number, s.score) for s in r.scores.select_related("indicator")),
         sorted((p.part.code, p.score) for p in r.part_scores.select_related("part")))
        for r in results.select_related("organisation")
    ]


def problems_of(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def assert_seed_result(result: Result):
    assert (result.iit, result.eit, result.oit) == (Decimal("87.44"), Decimal("84.11"), Decimal("100.00"))
    assert result.overall == Decimal("91.47")
    assert result.level == "A"
    assert result.passed is True
    assert {s.indicator.number: s.score for s in result.scores.select_related("indicator")} == SEED_DECIMALS


def save_seed(organisation, year=2566, *, parts=True, rank=1175):
    return services.result_save(
        organisation=organisation, fiscal_year=year, scores=SEED_DECIMALS, national_rank=rank,
        part_scores={"public": Decimal("87.60"), "survey": Decimal("80.62")} if parts else None, user=SYSTEM)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("t_root", password="t_root-pw-2569")


# --- import: the seed scores, long and wide, csv and xlsx -------------------------------------


def test_long_csv_import_of_the_seed_scores(org):
    summary = results_import(data=csv_bytes(LONG, long_rows(org.code, 2566)), filename="ita.csv", user=SYSTEM)

    assert summary == ImportSummary(results=1, organisations=1, years=1, fiscal_years=(2566,))
    assert str(summary) == "นำเข้าแล้ว: 1 ผลการประเมิน (1 อปท., 1 ปีงบประมาณ)"
    result = Result.objects.get(organisation=org, fiscal_year=2566)
    assert_seed_result(result)
    assert result.framework == Framework.objects.get(fiscal_year=2566)
    assert result.national_rank is None


def test_long_xlsx_with_numeric_cells_and_a_repeated_rank(org):
    rows = [[*row, 1175] for row in long_rows(org.code, 2566)]
    summary = results_import(data=xlsx_bytes([*LONG, "ลำดับระดับประเทศ"], rows), filename="ita.xlsx", user=SYSTEM)

    assert (summary.results, summary.organisations, summary.years) == (1, 1, 1)
    result = Result.objects.get(organisation=org, fiscal_year=2566)
    assert_seed_result(result)
    assert result.national_rank == 1175


def test_wide_xlsx_many_organisations_and_years_with_rank_and_eit_parts(org, other_org):
    # Entered in the form before, OIT still missing; an import may update it and it stays incomplete.
    services.result_save(organisation=other_org, fiscal_year=2565, scores={n: Decimal("80") for n in range(1, 9)}, user=SYSTEM)
    headers = [*WIDE, "ลำดับระดับประเทศ", "EIT ส่วนที่ 1", "EIT ส่วนที่ 2"]
    rows = [
        [org.code, 2566, *SEED, 1175, 87.60, 80.62],
        [org.code, "2565", *["80"] * 10, "", "", ""],
        [other_org.code, 2566, *["70.5"] * 10, "", "", ""],
        [other_org.code, 2565, *["90"] * 8, "", "", "", "", ""],  # OIT missing: incomplete
    ]
    summary = results_import(data=xlsx_bytes(headers, rows), filename="ita.xlsx", user=SYSTEM)

    assert (summary.results, summary.organisations, summary.years, summary.incomplete) == (4, 2, 2, 1)
    mine = Result.objects.get(organisation=org, fiscal_year=2566)
    assert_seed_result(mine)
    assert mine.national_rank == 1175
    assert sorted((p.part.code, p.score) for p in mine.part_scores.select_related("part")) == [
        ("public", Decimal("87.60")), ("survey", Decimal("80.62"))]
    assert Result.objects.get(organisation=org, fiscal_year=2565).overall == Decimal("80.00")
    theirs = Result.objects.get(organisation=other_org, fiscal_year=2566)
    assert (theirs.overall, theirs.level, theirs.passed) == (Decimal("70.50"), "C", False)
    incomplete = Result.objects.get(organisation=other_org, fiscal_year=2565)
    assert (incomplete.iit, incomplete.eit, incomplete.oit) == (Decimal("90.00"), Decimal("90.00"), None)
    assert (incomplete.overall, incomplete.level, incomplete.passed) == (None, "", None)


def test_wide_csv_with_indicator_names_in_the_headers(org):
    names = Framework.objects.get(fiscal_year=2566).indicators.order_by("number").values_list("name", flat=True)
    headers = ["รหัส อปท.", "ปีงบประมาณ", *(f"ตัวชี้วัดที่ {n} {name}" for n, name in enumerate(names, start=1))]
    summary = results_import(data=csv_bytes(headers, [[org.code, 2566, *SEED]]), filename="ITA.CSV", user=SYSTEM)
    assert summary.notes == ()
    assert_seed_result(Result.objects.get(organisation=org, fiscal_year=2566))


def test_thai_digits_and_comma_decimals_are_read(org):
    rows = [[org.code.translate(THAI), "๒๕๖๖", str(n).translate(THAI), score.translate(THAI)]
            for n, score in enumerate(SEED, start=1)]
    rows[0][3] = "95,01"
    results_import(data=csv_bytes(LONG, rows), filename="ita.csv", user=SYSTEM)
    assert_seed_result(Result.objects.get(organisation=org, fiscal_year=2566))


def test_windows_thai_csv_is_read(org):
    text = "\n".join([",".join(WIDE), ",".join([org.code, "2566", *SEED])])
    results_import(data=text.encode("cp874"), filename="ita.csv", user=SYSTEM)
    assert Result.objects.get(organisation=org, fiscal_year=2566).overall == Decimal("91.47")


# --- import: rejections, every bad line, nothing saved --------------------------------------


def test_every_bad_line_is_listed_and_nothing_is_saved(org, other_org):
    old = services.result_save(organisation=org, fiscal_year=2566, scores={n: Decimal("50") for n in range(1, 11)}, user=SYSTEM)
    before = Result.objects.count(), IndicatorScore.objects.count()
    snap = snapshot(org, other_org)
    rows = [
        *long_rows(other_org.code, 2566),              # lines 2-11: fine on their own
        ["1234567", 2566, 1, "90"],                    # 12
        [org.code, 2566, 11, "90"],                    # 13
        [org.code, 2566, 1, "100.5"],                  # 14
        [org.code, 2566, 2, "-1"],                     # 15
        [org.code, 2566, 3, "abc"],                    # 16
        [org.code, 2566, 4, "91.456"],                 # 17
        [org.code, 2566, 5, "80"],                     # 18
        [org.code, 2566, 5, "81"],                     # 19: indicator 5 again
        [org.code, 2570, 1, "90"],                     # 20
        [org.code, "", 1, "90"],                       # 21
        ["52999", 2566, 1, "90"],                      # 22
        [org.code, 2566, "", "90"],                    # 23
    ]
    with pytest.raises(ImportRejected) as excinfo:
        results_import(data=csv_bytes(LONG, rows), filename="ita.csv", user=SYSTEM)

    assert problems_of(excinfo) == [
        "บรรทัดที่ 12: ไม่พบ อปท. รหัส 1234567",
        "บรรทัดที่ 13: ตัวชี้วัดที่ 11 ไม่มีในกรอบการประเมินปี 2566",
        "บรรทัดที่ 14: ตัวชี้วัดที่ 1: คะแนน 100.5 ต้องอยู่ระหว่าง 0 ถึง 100",
        "บรรทัดที่ 15: ตัวชี้วัดที่ 2: คะแนน -1 ต้องอยู่ระหว่าง 0 ถึง 100",
        "บรรทัดที่ 16: ตัวชี้วัดที่ 3: คะแนน “abc” ไม่ใช่ตัวเลข",
        "บรรทัดที่ 17: ตัวชี้วัดที่ 4: คะแนน 91.456 มีทศนิยมเกิน 2 ตำแหน่ง",
        f"บรรทัดที่ 19: ตัวชี้วัดที่ 5 ของ อปท. รหัส {org.code} ปีงบประมาณ 2566 ซ้ำกับบรรทัดที่ 18",
        "บรรทัดที่ 20: ยังไม่มีกรอบการประเมิน ITA ของปีงบประมาณ 2570",
        "บรรทัดที่ 21: ไม่ได้ระบุปีงบประมาณ",
        "บรรทัดที่ 22: รหัส อปท. “52999” ต้องเป็นตัวเลข 7 หลัก",
        "บรรทัดที่ 23: ไม่ได้ระบุตัวชี้วัด",
    ]
    assert (Result.objects.count(), IndicatorScore.objects.count()) == before
    assert snapshot(org, other_org) == snap
    old.refresh_from_db()
    assert old.overall == Decimal("50.00")
    assert not Result.objects.filter(organisation=other_org).exists()


def test_one_bad_score_in_a_big_file_saves_nothing(org, other_org):
    rows = [*long_rows(org.code, 2566), *long_rows(other_org.code, 2566), *long_rows(other_org.code, 2565)]
    rows[-1][3] = "101"
    count = Result.objects.count()
    with pytest.raises(ImportRejected) as excinfo:
        results_import(data=csv_bytes(LONG, rows), filename="ita.csv", user=SYSTEM)
    assert problems_of(excinfo) == ["บรรทัดที่ 31: ตัวชี้วัดที่ 10: คะแนน 101 ต้องอยู่ระหว่าง 0 ถึง 100"]
    assert Result.objects.count() == count


def test_wide_rejections(org, other_org):
    headers = [*WIDE, "ตัวชี้วัดที่ 11", "EIT ส่วนที่ 1"]
    rows = [
        [org.code, 2566, *SEED, "", ""],                 # 2: fine
        [org.code, 2566, *SEED, "", ""],                 # 3: the same organisation and year again
        [other_org.code, 2566, *SEED, "50", ""],         # 4: indicator 11 does not exist
        [other_org.code, 2565, *SEED, "", "87.60"],      # 5: no EIT parts before 2566
        [other_org.code, 2564, *[""] * 10, "", ""],      # 6: nothing to import
        [other_org.code, 2563, "๙๑.๔๕๖", *SEED[1:], "", ""],  # 7
    ]
    with pytest.raises(ImportRejected) as excinfo:
        results_import(data=csv_bytes(headers, rows), filename="ita.csv", user=SYSTEM)
    assert problems_of(excinfo) == [
        f"บรรทัดที่ 3: อปท. รหัส {org.code} ปีงบประมาณ 2566 ซ้ำกับบรรทัดที่ 2",
        "บรรทัดที่ 4: ตัวชี้วัดที่ 11 ไม่มีในกรอบการประเมินปี 2566",
        "บรรทัดที่ 5: ปีงบประมาณ 2565 ไม่ได้แบ่ง EIT เป็นส่วน ต้องเว้นคอลัมน์ “EIT ส่วนที่ 1” ว่าง",
        "บรรทัดที่ 6: ไม่มีคะแนนในแถวนี้",
        "บรรทัดที่ 7: ตัวชี้วัดที่ 1: คะแนน ๙๑.๔๕๖ มีทศนิยมเกิน 2 ตำแหน่ง",
    ]
    assert not Result.objects.filter(organisation__in=[org, other_org]).exists()


def test_eit_parts_that_disagree_with_the_indicators_are_rejected(org):
    headers = [*WIDE, "EIT ส่วนที่ 1", "EIT ส่วนที่ 2"]
    with pytest.raises(ImportRejected) as excinfo:
        results_import(data=csv_bytes(headers, [[org.code, 2566, *SEED, "90", "90"]]), filename="ita.csv", user=SYSTEM)
    assert problems_of(excinfo) == [
        "บรรทัดที่ 2: คะแนน EIT รายส่วนไม่สอดคล้องกับคะแนนรายตัวชี้วัด (ต่างกันเกินการปัดเศษ)"]


def test_long_rank_must_agree_on_the_organisations_rows(org):
    rows = [[*row, 1175] for row in long_rows(org.code, 2566)]
    rows[4][4] = 1176
    rows[5][4] = "ที่หนึ่ง"
    with pytest.raises(ImportRejected) as excinfo:
        results_import(data=csv_bytes([*LONG, "ลำดับระดับประเทศ"], rows), filename="ita.csv", user=SYSTEM)
    assert problems_of(excinfo) == [
        f"บรรทัดที่ 6: ลำดับระดับประเทศ 1176 ไม่ตรงกับบรรทัดที่ 2 (1175) ของ อปท. รหัส {org.code} ปีงบประมาณ 2566",
        "บรรทัดที่ 7: ลำดับระดับประเทศ “ที่หนึ่ง” ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป",
    ]


@pytest.mark.parametrize(("headers", "message"), [
    (["รหัส อปท.", "ตัวชี้วัด", "คะแนน"], "บรรทัดที่ 1: ไม่พบคอลัมน์ “ปีงบประมาณ”"),
    (["รหัส อปท.", "ปีงบประมาณ", "คะแนนรวม"], "บรรทัดที่ 1: ไม่พบคอลัมน์คะแนน"),
    ([*LONG, "ตัวชี้วัดที่ 1"], "บรรทัดที่ 1: ไฟล์มีทั้งคอลัมน์"),
    ([*WIDE, "ตัวชี้วัดที่ ๑"], "บรรทัดที่ 1: คอลัมน์ “ตัวชี้วัดที่ 1” ซ้ำกัน"),
])
def test_bad_headers_are_rejected(org, headers, message):
    with pytest.raises(ImportRejected) as excinfo:
        results_import(data=csv_bytes(headers, [[org.code] * len(headers)]), filename="ita.csv", user=SYSTEM)
    assert problems_of(excinfo)[0].startswith(message)


def test_files_that_are_not_tables_are_rejected(org):
    with pytest.raises(ImportRejected) as excinfo:
        results_import(data=b"%PDF-1.7", filename="ita.pdf", user=SYSTEM)
    assert problems_of(excinfo) == ["รองรับเฉพาะไฟล์ .csv และ .xlsx"]
    with pytest.raises(ImportRejected) as excinfo:
        results_import(data=csv_bytes(LONG, []), filename="ita.csv", user=SYSTEM)
    assert problems_of(excinfo) == ["ไม่มีข้อมูลในไฟล์ (มีแต่หัวตาราง)"]
    with pytest.raises(ImportRejected) as excinfo:
        results_import(data=b"not a zip", filename="ita.xlsx", user=SYSTEM)
    assert problems_of(excinfo) == ["เปิดไฟล์ xlsx ไม่ได้ (ไฟล์เสียหรือไม่ใช่ Excel)"]


def test_allowed_organisations_limit_what_may_be_imported(org, other_org):
    rows = [*long_rows(org.code, 2566), *long_rows(other_org.code, 2566)[:2]]
    with pytest.raises(ImportRejected) as excinfo:
        results_import(data=csv_bytes(LONG, rows), filename="ita.csv", allowed_organisations={org}, user=SYSTEM)
    assert problems_of(excinfo) == [
        f"บรรทัดที่ {line}: ไม่มีสิทธิ์นำเข้าข้อมูลของ อปท. รหัส {other_org.code}" for line in (12, 13)]
    assert not Result.objects.filter(organisation=org).exists()


# --- import updates what the file holds and keeps the rest ----------------------------------


def test_import_updates_the_listed_results_and_leaves_the_rest(org, other_org, staff):
    save_seed(org)  # with parts and rank
    services.result_save(organisation=org, fiscal_year=2565, scores=SEED_DECIMALS, user=staff)
    save_seed(other_org)
    untouched = snapshot(other_org)
    org_2565 = snapshot(org)[0]

    rows = [[org.code, 2566, *["90"] * 5, "", "", "", "", ""]]  # IIT only: EIT, OIT, parts and rank kept
    summary = results_import(data=csv_bytes(WIDE, rows), filename="ita.csv", user=staff)

    assert summary.merged == 1
    result = Result.objects.get(organisation=org, fiscal_year=2566)
    assert {s.indicator.number: s.score for s in result.scores.select_related("indicator")} == {
        **SEED_DECIMALS, **{n: Decimal("90.00") for n in range(1, 6)}}
    assert (result.iit, result.eit, result.oit, result.overall, result.level) == (
        Decimal("90.00"), Decimal("84.11"), Decimal("100.00"), Decimal("92.23"), "A")
    assert result.national_rank == 1175 and result.part_scores.count() == 2
    assert result.updated_by == staff
    assert snapshot(org)[0] == org_2565
    assert snapshot(other_org) == untouched


# --- export ---------------------------------------------------------------------------------


def test_export_headers_follow_the_framework():
    assert export_headers(Framework.objects.get(fiscal_year=2566)) == [
        "รหัส อปท.", "ชื่อ", "ประเภท", "จังหวัด", "ปีงบประมาณ", *(f"ตัวชี้วัดที่ {n}" for n in range(1, 11)),
        "IIT", "EIT", "OIT", "คะแนนรวม", "ระดับ", "ผลการประเมิน", "ลำดับระดับประเทศ",
        "EIT ส่วนที่ 1", "EIT ส่วนที่ 2"]
    assert export_headers(Framework.objects.get(fiscal_year=2565))[-1] == "ลำดับระดับประเทศ"


def test_csv_export_columns_and_values(org, other_org):
    save_seed(org)
    services.result_save(organisation=other_org, fiscal_year=2566,
                         scores={n: Decimal("70") for n in range(1, 9)}, user=SYSTEM)  # no OIT yet
    results = Result.objects.filter(organisation__in=[org, other_org]).order_by("organisation__code")

    rows = csv_rows(export_results(fiscal_year=2566, results=results, fmt="csv"))

    assert len(rows) == 3
    assert rows[1] == ["5299901", "องค์การบริหารส่วนตำบลบ้านทดสอบ", "อบต.", "ลำปาง", "2566",
                       "95.01", "84.45", "88.62", "83.07", "86.04", "85.07", "84.54", "82.73", "100.00", "100.00",
                       "87.44", "84.11", "100.00", "91.47", "A", "ผ่าน", "1175", "87.60", "80.62"]
    assert rows[2][:4] == ["5799902", "เทศบาลตำบลทดลอง", "เทศบาลตำบล", "เชียงราย"]
    assert rows[2][5:15] == ["70.00"] * 8 + ["", ""]
    assert rows[2][15:] == ["70.00", "70.00", "", "", "", "", "", "", ""]  # incomplete: no level, no verdict


def test_failing_result_says_ไม่ผ่าน(org):
    services.result_save(organisation=org, fiscal_year=2565, scores={n: Decimal("84.99") for n in range(1, 11)}, user=SYSTEM)
    rows = csv_rows(export_results(fiscal_year=2565, results=Result.objects.filter(organisation=org), fmt="csv"))
    header = rows[0]
    assert rows[1][header.index("คะแนนรวม")] == "84.99"
    assert rows[1][header.index("ระดับ")] == "B"
    assert rows[1][header.index("ผลการประเมิน")] == "ไม่ผ่าน"


def test_xlsx_export_keeps_scores_as_numbers(org):
    save_seed(org)
    data = export_results(fiscal_year=2566, results=[Result.objects.get(organisation=org, fiscal_year=2566)],
                          fmt="xlsx")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "ITA 2566"
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[header.index("ตัวชี้วัดที่ 1")] == 95.01
    assert row[header.index("คะแนนรวม")] == 91.47
    assert row[header.index("ลำดับระดับประเทศ")] == 1175
    assert row[header.index("ปีงบประมาณ")] == 2566
    assert row[0] == "5299901"


def test_export_costs_a_constant_number_of_queries(org, other_org):
    save_seed(org)
    results = Result.objects.filter(organisation__in=[org]).order_by("organisation__code")
    with CaptureQueriesContext(connection) as one:
        export_results(fiscal_year=2566, results=results, fmt="csv")
    save_seed(other_org)
    results = Result.objects.filter(organisation__in=[org, other_org]).order_by("organisation__code")
    with CaptureQueriesContext(connection) as two:
        export_results(fiscal_year=2566, results=results, fmt="csv")
    assert len(one) == len(two) <= 8


def test_export_of_a_year_without_framework_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        export_results(fiscal_year=2570, results=Result.objects.none(), fmt="csv")
    assert excinfo.value.messages == ["ยังไม่มีกรอบการประเมิน ITA ของปีงบประมาณ 2570"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_export_then_import_gives_the_same_results(org, other_org, fmt):
    save_seed(org)
    services.result_save(organisation=other_org, fiscal_year=2566, national_rank=7,
                         scores={n: Decimal("77.3") + n for n in range(1, 9)}, user=SYSTEM)
    results = Result.objects.filter(organisation__in=[org, other_org]).order_by("organisation__code")
    before = snapshot(org, other_org)
    data = export_results(fiscal_year=2566, results=results, fmt=fmt)

    # The complete result is created again; the incomplete one (entered in the form) is updated in
    # place: an import never creates an incomplete result.
    Result.objects.filter(organisation=org).delete()
    summary = results_import(data=data, filename=f"ita-2566.{fmt}", user=SYSTEM)

    assert (summary.results, summary.organisations, summary.years) == (2, 2, 1)
    assert snapshot(org, other_org) == before
    again = export_results(fiscal_year=2566, results=results, fmt=fmt)
    if fmt == "csv":
        assert again == data


# --- the commands ----------------------------------------------------------------------------


def test_import_ita_command(org, other_org, tmp_path):
    path = tmp_path / "ita.csv"
    path.write_bytes(csv_bytes(LONG, [*long_rows(org.code, 2566), *long_rows(org.code, 2565),
                                      *long_rows(other_org.code, 2566)]))
    out = io.StringIO()
    call_command("import_ita", str(path), stdout=out)
    assert out.getvalue().strip() == "นำเข้าแล้ว: 3 ผลการประเมิน (2 อปท., 2 ปีงบประมาณ)"
    assert_seed_result(Result.objects.get(organisation=org, fiscal_year=2565))


def test_import_ita_command_lists_every_problem(org, tmp_path):
    path = tmp_path / "ita.xlsx"
    rows = long_rows(org.code, 2566)
    rows[2][3] = "abc"
    rows.append(["1234567", 2566, 1, 50])
    path.write_bytes(xlsx_bytes(LONG, rows))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_ita", str(path), stdout=io.StringIO())
    message = str(excinfo.value)
    assert "พบข้อผิดพลาด 2 รายการ" in message
    assert "บรรทัดที่ 4: ตัวชี้วัดที่ 3: คะแนน “abc” ไม่ใช่ตัวเลข" in message
    assert "บรรทัดที่ 12: ไม่พบ อปท. รหัส 1234567" in message
    assert not Result.objects.filter(organisation=org).exists()
    with pytest.raises(CommandError, match="ไม่พบไฟล์"):
        call_command("import_ita", str(tmp_path / "missing.csv"))


def test_export_ita_command_with_province_and_round_trip(org, other_org, tmp_path):
    save_seed(org)
    save_seed(other_org)
    path = tmp_path / "ita-2566.xlsx"
    out = io.StringIO()
    call_command("export_ita", "--fiscal-year", "2566", "--province", "ลำปาง", "-o", str(path), stdout=out)
    assert "ส่งออกแล้ว" in out.getvalue()
    rows = [[c.value for c in row] for row in load_workbook(path).worksheets[0].iter_rows()]
    codes = [r[0] for r in rows[1:]]
    assert org.code in codes and other_org.code not in codes
    assert {r[3] for r in rows[1:]} == {"ลำปาง"}

    Result.objects.filter(organisation=org).delete()
    call_command("import_ita", str(path), stdout=io.StringIO())
    assert_seed_result(Result.objects.get(organisation=org, fiscal_year=2566))


def test_export_ita_command_errors(tmp_path):
    with pytest.raises(CommandError, match="ยังไม่มีกรอบการประเมิน ITA ของปีงบประมาณ 2570"):
        call_command("export_ita", "--fiscal-year", "2570", "-o", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="รองรับเฉพาะไฟล์ .csv และ .xlsx"):
        call_command("export_ita", "--fiscal-year", "2566", "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.csv").exists()


# --- the import page ------------------------------------------------------------------------


def upload(rows, headers=LONG, name="ita.csv"):
    return SimpleUploadedFile(name, csv_bytes(headers, rows), content_type="text/csv")


def test_staff_imports_their_own_organisation(client_for, staff, org, django_capture_on_commit_callbacks):
    client = client_for(staff)
    assert client.get("/ita/import/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the import runs as a job once committed
        response = client.post("/ita/import/", {"file": upload(long_rows(org.code, 2566))})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    result = Result.objects.get(organisation=org, fiscal_year=2566)
    assert_seed_result(result)
    assert result.updated_by == staff


def test_staff_import_success_message(client_for, executive, org, django_capture_on_commit_callbacks):
    client = client_for(executive)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ita/import/", {"file": upload(long_rows(org.code, 2566))})
    assert response["Location"].startswith("/jobs/")
    response = client.get(response["Location"])
    assert "นำเข้าแล้ว: 1 ผลการประเมิน (1 อปท., 1 ปีงบประมาณ)" in response.content.decode()


def test_staff_cannot_import_another_organisation(client_for, staff, org, other_org,
                                                   django_capture_on_commit_callbacks):
    count = Result.objects.count()
    rows = [*long_rows(org.code, 2566), *long_rows(other_org.code, 2566)[:1]]
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ita/import/", {"file": upload(rows)})
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert response.context["job"].problems[0]["line"] == 12
    html = response.content.decode()
    assert "ไม่ได้นำเข้า ข้อมูลเดิมไม่เปลี่ยนแปลง" in html
    assert f"<td class=\"c\">12</td><td>ไม่มีสิทธิ์นำเข้าข้อมูลของ อปท. รหัส {other_org.code}</td>" in html
    assert Result.objects.count() == count


def test_import_page_rejects_bad_uploads(client_for, staff, org):
    client = client_for(staff)
    response = client.post("/ita/import/", {"file": SimpleUploadedFile("ita.pdf", b"%PDF")})
    assert response.status_code == 200
    assert "รองรับเฉพาะไฟล์ .csv และ .xlsx" in response.content.decode()
    response = client.post("/ita/import/", {})
    assert "กรุณาเลือกไฟล์" in response.content.decode()
    assert not Result.objects.filter(organisation=org).exists()


def test_auditor_may_not_import(client_for, auditor, org):
    client = client_for(auditor)
    assert client.get("/ita/import/").status_code == 403
    assert client.post("/ita/import/", {"file": upload(long_rows(org.code, 2566))}).status_code == 403
    assert not Result.objects.filter(organisation=org).exists()


def test_superuser_imports_any_organisation(client, superuser, org, other_org, django_capture_on_commit_callbacks):
    client.force_login(superuser)
    rows = [*long_rows(org.code, 2566), *long_rows(other_org.code, 2566)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ita/import/", {"file": upload(rows)})
    assert response.status_code == 302
    assert Result.objects.filter(organisation__in=[org, other_org], fiscal_year=2566, overall=Decimal("91.47")
                                 ).count() == 2


def test_anonymous_is_sent_to_login(client):
    response = client.get("/ita/import/")
    assert response.status_code == 302 and "login" in response["Location"]


# --- the score form --------------------------------------------------------------------------


def edit_url(organisation, year=2566):
    return f"/ita/org/{organisation.code}/{year}/edit/"


def form_data(scores=SEED, version=0, **extra):
    """The score form as posted; `version`: the result's as the form was loaded (0: none yet)."""
    return {**{f"score_{n}": s for n, s in enumerate(scores, start=1)}, "version": str(version), **extra}


def test_result_edit_saves_and_recomputes(client_for, staff, org):
    client = client_for(staff)
    page = client.get(edit_url(org))
    assert page.status_code == 200
    assert "ตัวชี้วัดที่ 10 การป้องกันการทุจริต" in page.content.decode()
    assert "part_public" in page.context["form"].fields

    response = client.post(edit_url(org), form_data(national_rank="๑๑๗๕", part_public="87.60",
                                                    part_survey="80.62"))
    result = Result.objects.get(organisation=org, fiscal_year=2566)
    assert response.status_code == 302 and response["Location"] == f"/ita/result/{result.pk}/"
    assert_seed_result(result)
    assert result.national_rank == 1175
    assert result.updated_by == staff

    # Editing again recomputes: indicator 10 drops, OIT and the overall follow.
    response = client.post(edit_url(org), form_data([*SEED[:9], "50"], version=result.version))
    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.oit, result.overall, result.level, result.passed) == (
        Decimal("75.00"), Decimal("81.47"), "B", False)
    assert result.national_rank is None


def test_result_edit_shows_the_current_scores(client_for, executive, org):
    save_seed(org)
    page = client_for(executive).get(edit_url(org))
    form = page.context["form"]
    assert form["score_1"].value() == "95.01"
    assert 'value="95.01"' in page.content.decode()
    assert form["national_rank"].value() == 1175


def test_result_edit_thai_digits_for_a_year_without_parts(client_for, staff, org):
    response = client_for(staff).post(edit_url(org, 2565), form_data([s.translate(THAI) for s in SEED]))
    assert response.status_code == 302
    assert_seed_result(Result.objects.get(organisation=org, fiscal_year=2565))


def test_result_edit_bad_scores_are_explained_in_thai_and_nothing_saved(client_for, staff, org):
    client = client_for(staff)
    data = form_data(["100.5", "abc", "91.456", *SEED[3:]])
    response = client.post(edit_url(org), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["score_1"] == ["คะแนน 100.5 ต้องอยู่ระหว่าง 0 ถึง 100"]
    assert errors["score_2"] == ["คะแนน “abc” ไม่ใช่ตัวเลข"]
    assert errors["score_3"] == ["คะแนน 91.456 มีทศนิยมเกิน 2 ตำแหน่ง"]
    response = client.post(edit_url(org), {"version": "0"})
    assert response.context["form"].non_field_errors() == ["กรุณากรอกคะแนนอย่างน้อยหนึ่งตัวชี้วัด"]
    response = client.post(edit_url(org), form_data(part_public="90", part_survey="90"))
    assert response.status_code == 200
    assert "คะแนน EIT รายส่วนไม่สอดคล้องกับคะแนนรายตัวชี้วัด" in response.content.decode()
    assert not Result.objects.filter(organisation=org).exists()


def test_result_edit_access(client_for, auditor, other_staff, staff, org):
    assert client_for(auditor).get(edit_url(org)).status_code == 403
    assert client_for(auditor).post(edit_url(org), form_data()).status_code == 403
    assert client_for(other_staff).get(edit_url(org)).status_code == 404
    assert client_for(other_staff).post(edit_url(org), form_data()).status_code == 404
    assert client_for(staff).get(edit_url(org, 2570)).status_code == 404
    assert client_for(staff).get("/ita/org/1234567/2566/edit/").status_code == 404
    assert not Result.objects.filter(organisation=org).exists()


# --- the admin --------------------------------------------------------------------------------


def test_admin_import_and_export(client, superuser, org, other_org):
    client.force_login(superuser)
    changelist = client.get("/admin/ita/result/")
    assert changelist.status_code == 200
    assert "/admin/ita/result/import/" in changelist.content.decode()
    assert client.get("/admin/ita/result/import/").status_code == 200

    # A bad file: listed, nothing saved.
    bad = client.post("/admin/ita/result/import/", {"file": upload([[org.code, 2566, 1, "101"]])})
    assert bad.status_code == 200
    assert "บรรทัดที่ 2: ตัวชี้วัดที่ 1: คะแนน 101 ต้องอยู่ระหว่าง 0 ถึง 100" in bad.content.decode()

    rows = [[org.code, 2566, *SEED], [other_org.code, 2565, *SEED]]
    response = client.post("/admin/ita/result/import/", {"file": upload(rows, WIDE, "ita.csv")})
    assert response.status_code == 302 and response["Location"] == "/admin/ita/result/"
    assert_seed_result(Result.objects.get(organisation=org, fiscal_year=2566))

    mine = Result.objects.get(organisation=org, fiscal_year=2566)
    response = client.post("/admin/ita/result/", {"action": "export_xlsx", "_selected_action": [mine.pk]})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ita-2566.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[2]][:5] == [org.code, org.name, "อบต.", "ลำปาง", 2566]

    theirs = Result.objects.get(organisation=other_org, fiscal_year=2565)
    response = client.post("/admin/ita/result/", {"action": "export_csv", "_selected_action": [mine.pk, theirs.pk]},
                           follow=True)
    assert "กรุณาเลือกผลการประเมินของปีงบประมาณเดียวกัน" in response.content.decode()
    assert client.get(f"/admin/ita/result/{mine.pk}/change/").status_code == 200


def test_admin_framework_recompute_action(client, superuser, org):
    client.force_login(superuser)
    result = save_seed(org)
    framework = Framework.objects.get(fiscal_year=2566)
    framework.bands.filter(level="A").update(min_score=Decimal("92"))
    response = client.post("/admin/ita/framework/", {"action": "recompute", "_selected_action": [framework.pk]},
                           follow=True)
    assert "คำนวณผลการประเมินปีงบประมาณ 2566 ใหม่แล้ว" in response.content.decode()
    result.refresh_from_db()
    assert result.level == "B"
    for url in ("/admin/ita/framework/", f"/admin/ita/framework/{framework.pk}/change/", "/admin/ita/oititem/",
                "/admin/ita/measure/", "/admin/ita/measureprogress/"):
        assert client.get(url).status_code == 200, url

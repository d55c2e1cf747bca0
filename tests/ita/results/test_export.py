"""ITA results out: the export's columns and values, its query count, the round trip, and the import_ita / export_ita commands."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ita.models import Framework, Result
from ita.results import services
from ita.results.exchange import export_headers, export_results, results_import
from lao_integrity.orgs.access import SYSTEM
from tests.ita.results.scores import assert_seed_result, csv_bytes, long_rows, save_seed, snapshot, xlsx_bytes
from tests.ita.results.seed import LONG
from tests.support.files import csv_rows

pytestmark = pytest.mark.django_db


# --- export ---------------------------------------------------------------------------------


def test_export_headers_follow_the_framework():
    assert export_headers(Framework.objects.get(fiscal_year=2566)) == [
        "รหัส อปท.", "ชื่อ", "ประเภท", "จังหวัด", "ปีงบประมาณ", *(f"ตัวชี้วัดที่ {n}" for n in range(1, 11)),
        "IIT", "EIT", "OIT", "คะแนนรวม", "ระดับ", "ผลการประเมิน", "ลำดับ", "ประเภทหน่วยงานที่จัดลำดับ",
        "EIT ส่วนที่ 1", "EIT ส่วนที่ 2"]
    assert export_headers(Framework.objects.get(fiscal_year=2565))[-2:] == ["ลำดับ", "ประเภทหน่วยงานที่จัดลำดับ"]


def test_csv_export_columns_and_values(org, other_org):
    save_seed(org)
    services.result_save(organisation=other_org, fiscal_year=2566,
                         scores={n: Decimal("70") for n in range(1, 9)}, user=SYSTEM)  # no OIT yet
    results = Result.objects.filter(organisation__in=[org, other_org]).order_by("organisation__code")

    rows = csv_rows(export_results(fiscal_year=2566, results=results, fmt="csv"))

    assert len(rows) == 3
    assert rows[1] == ["5299901", "องค์การบริหารส่วนตำบลบ้านทดสอบ", "อบต.", "ลำปาง", "2566",
                       "95.01", "84.45", "88.62", "83.07", "86.04", "85.07", "84.54", "82.73", "100.00", "100.00",
                       "87.44", "84.11", "100.00", "91.47", "A", "ผ่าน", "1175", "องค์การบริหารส่วนตำบล",
                       "87.60", "80.62"]
    assert rows[2][:4] == ["5799902", "เทศบาลตำบลทดลอง", "เทศบาลตำบล", "เชียงราย"]
    assert rows[2][5:15] == ["70.00"] * 8 + ["", ""]
    assert rows[2][15:] == ["70.00", "70.00", "", "", "", "", "", "", "", ""]  # incomplete: no level, no verdict


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
    assert row[header.index("ลำดับ")] == 1175
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
    services.result_save(organisation=other_org, fiscal_year=2566, rank=7,
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

"""The plan's project list as a file: what an import rejects (the whole file, every bad line named), the service directly, and the commands' arguments."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.tabular import ImportRejected, write_table
from plans import services
from plans.models import Plan
from plans.resources import HEADERS
from tests.plans.file_helpers import GOOD, export_cmd, import_cmd, row, table

pytestmark = pytest.mark.django_db
TOTAL = "รวมทั้งสิ้น"


# --- what an import rejects --------------------------------------------------------------------

BAD_ROWS = {
    "negative budget": (row(9, "โครงการงบติดลบ", 1, "-500.00", "✓"), "ติดลบ"),
    "budget not a number": (row(9, "โครงการงบเป็นคำ", 1, "ห้าร้อยบาท", "✓"), "จำนวนเงิน"),
    "budget with 3 decimals": (row(9, "โครงการงบทศนิยมสามตำแหน่ง", 1, "10.005", "✓"), "ทศนิยม"),
    "no quarter": (row(9, "โครงการไม่ระบุไตรมาส", 1, "0"), "ไตรมาส"),
    "bad tick": (row(9, "โครงการติ๊กผิด", 1, "0", "maybe"), "maybe"),
    "dimension 5": (row(9, "โครงการมิติห้า", 5, "0", "✓"), "มิติ"),
    "dimension *9": (row(9, "โครงการมิติดอกจันเก้า", "*9", "0", "✓"), "มิติ"),
    "dimension abc": (row(9, "โครงการมิติตัวอักษร", "abc", "0", "✓"), "abc"),
    "empty dimension": (row(9, "โครงการไม่มีมิติ", "", "0", "✓"), "มิติ"),
    "empty name": (row(9, "", 1, "0", "✓"), "รายการโครงการ"),
    "duplicate sequence": (row(2, "โครงการลำดับซ้ำ", 1, "0", "✓"), "ซ้ำ"),
    "duplicate sequence, other errors too": (row(1, "โครงการลำดับซ้ำงบติดลบ", 1, "-1", "✓"), "ซ้ำ"),
    "sequence not a number": (row("ก", "โครงการลำดับเป็นตัวอักษร", 1, "0", "✓"), "ลำดับ"),
}


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_bad_row_rejects_the_whole_file_and_names_its_line(plan, plan_file, case, ext):
    bad, hint = BAD_ROWS[case]
    # The bad row is on line 5: header, two good rows, a blank row, then the bad one.
    rows = [GOOD[0], GOOD[1], [""] * 9, bad, GOOD[2]]
    before = table(plan)

    ok, err = import_cmd(plan.organisation.code, plan_file(rows, name=f"plan.{ext}"))

    assert not ok
    assert table(plan) == before
    lines = err.splitlines()
    assert any(line.startswith("บรรทัดที่ 5:") for line in lines), lines
    assert not any(line.startswith(("บรรทัดที่ 2:", "บรรทัดที่ 3:", "บรรทัดที่ 6:")) for line in lines), lines
    assert hint in err
    # Messages are for Thai staff: apart from the quoted cell value, no English.
    assert not re.search("[A-Za-z]", re.sub("“[^”]*”", "", err)), err


def test_duplicate_sequence_names_the_other_project(plan, plan_file):
    ok, err = import_cmd(plan.organisation.code, plan_file([GOOD[0], GOOD[1], row(2, "โครงการซ้ำ", 1, "0", "✓")]))
    assert not ok
    assert err.startswith("บรรทัดที่ 4:")
    assert GOOD[1][1] in err


def test_several_bad_rows_are_all_reported(plan, plan_file):
    rows = [
        row(1, "โครงการดี", 1, "0", "✓"),                  # line 2
        row(2, "โครงการงบติดลบ", 1, "-1", "✓"),            # line 3
        row(3, "โครงการดีอีกหนึ่ง", 2, "100", "✓"),          # line 4
        row(4, "โครงการไม่ระบุไตรมาส", 2, "0"),             # line 5
        row(5, "โครงการมิติผิด", 7, "0", "✓"),               # line 6
        row(6, "", 3, "abc", "✓"),                          # line 7: two problems
    ]
    before = table(plan)
    ok, err = import_cmd(plan.organisation.code, plan_file(rows))
    assert not ok
    assert table(plan) == before
    reported = {int(line.split()[1].rstrip(":")) for line in err.splitlines() if line.startswith("บรรทัดที่")}
    assert reported == {3, 5, 6, 7}
    line7 = [line for line in err.splitlines() if line.startswith("บรรทัดที่ 7:")]
    assert len(line7) >= 2, err


def test_missing_column_is_reported_on_line_1(plan, tmp_path):
    headers = [h for h in HEADERS if h != "มิติ"]
    path = tmp_path / "plan.csv"
    path.write_bytes(write_table(headers, [["1", "โครงการ", "0", "✓", "", "", "", ""]], "csv"))
    before = table(plan)
    ok, err = import_cmd(plan.organisation.code, path)
    assert not ok
    assert err.startswith("บรรทัดที่ 1:")
    assert "มิติ" in err
    assert table(plan) == before


@pytest.mark.parametrize("name", ["plan.txt", "plan.xls", "plan"])
def test_wrong_file_type_is_refused(plan, tmp_path, name):
    path = tmp_path / name
    path.write_text(",".join(HEADERS) + "\n1,โครงการ,1,0,✓,,,,\n", encoding="utf-8")
    before = table(plan)
    ok, err = import_cmd(plan.organisation.code, path)
    assert not ok
    assert ".csv" in err and ".xlsx" in err
    assert table(plan) == before


def test_broken_xlsx_is_refused(plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"this is not a zip file")
    ok, err = import_cmd(plan.organisation.code, path)
    assert not ok
    assert "xlsx" in err


def test_failed_import_does_not_leave_a_new_plan_behind(org, dimensions, plan_file):
    ok, err = import_cmd(org.code, plan_file([row(1, "โครงการงบติดลบ", 1, "-1", "✓")]))
    assert not ok
    assert "บรรทัดที่ 2" in err
    assert not Plan.objects.filter(organisation=org).exists()


def test_empty_file_is_refused(org, dimensions, plan_file):
    ok, err = import_cmd(org.code, plan_file([["", TOTAL, "", "0", "0", "0", "0", "0", ""]]))
    assert not ok
    assert not Plan.objects.filter(organisation=org).exists()


# --- the service directly --------------------------------------------------------------------


def test_plan_import_service_reports_problems_with_line_numbers(plan):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append([1, "โครงการดี", 1, 10000, "✓", None, None, None, None])
    sheet.append([2, "โครงการงบติดลบ", 2, -5, "✓", None, None, None, None])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ImportRejected) as excinfo:
        services.plan_import(organisation=plan.organisation, fiscal_year=2569, data=out.getvalue(),
                             filename="plan.xlsx", user=SYSTEM)
    assert [p.line for p in excinfo.value.problems] == [3]


def test_plan_import_service_refuses_a_reader(plan, auditor, plan_file):
    path = plan_file(GOOD)
    with pytest.raises(PermissionDenied):
        services.plan_import(organisation=plan.organisation, fiscal_year=2569, data=path.read_bytes(),
                             filename=path.name, user=auditor)


# --- command arguments -----------------------------------------------------------------------


def test_unknown_organisation_is_a_thai_error(plan, tmp_path, plan_file):
    path = plan_file(GOOD)
    for command, args in (("import_plan", [str(path)]), ("export_plan", ["-o", str(tmp_path / "x.csv")])):
        with pytest.raises(CommandError) as excinfo:
            call_command(command, *args, "--org", "9999999", "--fiscal-year", "2569", stdout=io.StringIO(),
                         stderr=io.StringIO())
        assert "ไม่พบ" in str(excinfo.value)
    assert not (tmp_path / "x.csv").exists()


def test_import_of_a_missing_file_fails(plan, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        call_command("import_plan", str(tmp_path / "nope.csv"), "--org", plan.organisation.code,
                     "--fiscal-year", "2569", stdout=io.StringIO(), stderr=io.StringIO())
    assert "ไม่พบไฟล์" in str(excinfo.value)


def test_export_of_a_missing_plan_or_bad_extension_fails(plan, tmp_path):
    with pytest.raises(CommandError):
        export_cmd(plan.organisation.code, tmp_path / "x.csv", year=2570)
    with pytest.raises(CommandError):
        export_cmd(plan.organisation.code, tmp_path / "x.pdf")
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.pdf").exists()


def test_import_into_a_year_without_framework_fails_cleanly(org, plan_file):
    ok, err = import_cmd(org.code, plan_file(GOOD), year=2580)
    assert not ok
    assert "2580" in err
    assert not Plan.objects.filter(organisation=org).exists()

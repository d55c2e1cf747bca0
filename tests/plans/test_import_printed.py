"""The plan table as e-PlanNACC and the plan book print it imports: บ้านแหง's summary table typed
exactly as the seed prints it (tests/plans/files/, made from
shared/seeds/anti-corruption-plan-ban-haeng-2569.txt: the two-row header, "รายการโครงการ (ตั้งต้น)",
"*1"/"*2", ✓, the รวมทั้งสิ้น row and the notes under it), in csv and xlsx; Thai digits; a total
that disagrees with the rows is refused, naming its line."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lao_integrity import thai
from plans.models import Plan
from tests.plans.file_helpers import import_cmd, table

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"
PRINTED = ["ban_haeng_2569_printed.csv", "ban_haeng_2569_printed.xlsx"]
ROW_30 = "การจัดทำคู่มือเกี่ยวกับการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อนให้กับบุคลากร"
ROW_31 = ("มาตรการจัดทำคู่มือสำหรับประชาชนตามพระราชบัญญัติการอำนวยความสะดวกในการพิจารณาอนุญาตของทางราชการ "
          "พ.ศ.2548")
# (sequence, budget, quarters, dimension, added) of the rows that differ from "0.00, quarters 2-3".
SPECIAL = {1: ("10000.00", [2, 3], 1, False), 16: ("0.00", [1, 2], 2, False), 20: ("0.00", [2, 3, 4], 2, False),
           26: ("5000.00", [3, 4], 3, False), 28: ("0.00", [1, 2, 3, 4], 4, False),
           29: ("0.00", [1, 2, 3, 4], 4, False), 30: ("0.00", [2], 1, True), 31: ("0.00", [1, 2], 2, True)}
DIMENSIONS = {**{n: 1 for n in range(1, 5)}, **{n: 2 for n in range(5, 24)}, **{n: 3 for n in range(24, 28)}}


def _imported(org) -> list[tuple]:
    plan = Plan.objects.get(organisation=org, fiscal_year=2569)
    return table(plan)


def _check_ban_haeng(rows):
    assert [r[1] for r in rows] == list(range(1, 32))
    assert rows[0][2].startswith("โครงการฝึกอบรมการส่งเสริมคุณธรรมจริยธรรม")
    assert (rows[29][2], rows[30][2]) == (ROW_30, ROW_31)
    for _pk, sequence, _name, dimension, added, budget, quarters, remark in rows:
        want_budget, want_quarters, want_dimension, want_added = SPECIAL.get(
            sequence, ("0.00", [2, 3], DIMENSIONS.get(sequence), False))
        assert (dimension, added, budget, quarters, remark) == (
            want_dimension, want_added, Decimal(want_budget), want_quarters, ""), sequence
    assert sum(r[5] for r in rows) == Decimal("15000.00")
    assert [sum(q in r[6] for r in rows) for q in (1, 2, 3, 4)] == [4, 30, 28, 4]


@pytest.mark.parametrize("name", PRINTED)
def test_ban_haeng_table_as_printed_imports(org, dimensions, name):
    ok, err = import_cmd(org.code, FILES / name)
    assert ok, err
    _check_ban_haeng(_imported(org))


def test_the_fixtures_are_the_table_as_printed():
    """What the test above reads is what the seed prints, not an exchange file in disguise."""
    rows = list(csv.reader(io.StringIO((FILES / PRINTED[0]).read_text(encoding="utf-8"))))
    assert rows[0][:5] == ["ลำดับ", "รายการโครงการ (ตั้งต้น)", "มิติ", "งบประมาณ (บาท)", "ดำเนินการไตรมาส"]
    assert rows[1][4:8] == ["1", "2", "3", "4"] and rows[0][8] == "หมายเหตุ"
    assert rows[31][2] == "*1" and rows[32][2] == "*2"
    assert rows[33][:8] == ["รวมทั้งสิ้น", "", "", "15,000.00", "4", "30", "28", "4"]
    sheet = load_workbook(FILES / PRINTED[1]).active
    assert "E1:H1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]][4:8] == [1, 2, 3, 4]


def _thai_digits_csv(tmp_path) -> Path:
    text = (FILES / PRINTED[0]).read_text(encoding="utf-8")
    path = tmp_path / "thai.csv"
    path.write_text(thai.to_thai_digits(text), encoding="utf-8")
    return path


def test_thai_digits_anywhere(org, dimensions, tmp_path):
    path = _thai_digits_csv(tmp_path)
    assert "๑๐,๐๐๐.๐๐" in path.read_text(encoding="utf-8") and "*๑" in path.read_text(encoding="utf-8")
    ok, err = import_cmd(org.code, path)
    assert ok, err
    rows = _imported(org)
    # The names keep the digits as typed (พ.ศ.๒๕๔๘); everything counted is read as numbers.
    assert rows[30][2] == thai.to_thai_digits(ROW_31)
    _check_ban_haeng([(*r[:2], ROW_31 if r[1] == 31 else r[2], *r[3:]) for r in rows])


@pytest.mark.parametrize("tick", ["/", "x", "X", "✔", "๑"])
def test_other_ticks(org, dimensions, tmp_path, tick):
    text = (FILES / PRINTED[0]).read_text(encoding="utf-8").replace("✓", tick)
    path = tmp_path / "ticks.csv"
    path.write_text(text, encoding="utf-8")
    ok, err = import_cmd(org.code, path)
    assert ok, err
    _check_ban_haeng(_imported(org))


def _with_total(tmp_path, total: list[str], name="total.csv") -> Path:
    rows = list(csv.reader(io.StringIO((FILES / PRINTED[0]).read_text(encoding="utf-8"))))
    assert rows[33][0] == "รวมทั้งสิ้น"
    rows[33] = total
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize(("total", "hint"), [
    (["รวมทั้งสิ้น", "", "", "16,000.00", "4", "30", "28", "4", ""], "16,000.00 บาท ไม่ตรงกับผลรวมของโครงการ 15,000.00"),
    (["รวมทั้งสิ้น", "", "", "15,000.00", "4", "29", "28", "4", ""], "ไตรมาส 2: รวมทั้งสิ้น 29 โครงการ"),
    (["รวมทั้งสิ้น 30 โครงการ", "", "", "15,000.00", "4", "30", "28", "4", ""], "ไม่ตรงกับจำนวนโครงการในไฟล์ 31"),
    (["", "รวมทั้งสิ้น ๓๒ โครงการ", "", "๑๕,๐๐๐.๐๐", "๔", "๓๐", "๒๘", "๔", ""], "32 โครงการ"),
    (["รวมทั้งสิ้น", "", "", "15,000.00", "สี่", "30", "28", "4", ""], "ไตรมาส 1"),
])
def test_a_total_that_disagrees_is_reported_with_its_line(org, dimensions, tmp_path, total, hint):
    ok, err = import_cmd(org.code, _with_total(tmp_path, total))
    assert not ok
    assert not Plan.objects.filter(organisation=org).exists()  # nothing written, not even the plan
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and all(line.startswith("บรรทัดที่ 34:") for line in lines), lines
    assert hint in err
    assert lines[-1].endswith("(แก้แถวรวมทั้งสิ้นให้ตรงกับรายการโครงการ หรือลบแถวนี้ออกก่อนนำเข้า)")


def test_a_total_in_thai_digits_that_agrees_imports(org, dimensions, tmp_path):
    total = ["", "รวมทั้งสิ้น ๓๑ โครงการ", "", "๑๕,๐๐๐.๐๐", "๔", "๓๐", "๒๘", "๔", ""]
    ok, err = import_cmd(org.code, _with_total(tmp_path, total))
    assert ok, err
    assert len(_imported(org)) == 31


def test_bad_rows_in_the_printed_table_are_named_by_their_line(org, dimensions, tmp_path):
    """Line numbers count both header rows: project 1 is on line 3."""
    text = (FILES / PRINTED[0]).read_text(encoding="utf-8")
    text = text.replace('1,"10,000.00",,✓,✓', '9,"10,000.00",,✓,✓', 1).replace(",*2,0.00,", ",*2,-5,", 1)
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    ok, err = import_cmd(org.code, path)
    assert not ok
    assert "บรรทัดที่ 3: มิติ: มิติ “9”" in err
    assert "บรรทัดที่ 33: งบประมาณ (บาท): งบประมาณต้องไม่ติดลบ" in err
    assert not Plan.objects.filter(organisation=org).exists()


def test_a_second_row_that_is_data_is_not_taken_for_a_header(org, dimensions, tmp_path):
    """Under a one-row header with "ดำเนินการไตรมาส", a first project is still a project."""
    rows = list(csv.reader(io.StringIO((FILES / PRINTED[0]).read_text(encoding="utf-8"))))
    del rows[1]
    rows[0][4:8] = ["ไตรมาส ๑", "ไตรมาสที่ 2", "ไตรมาส3", "ไตรมาส 4"]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / "one_row.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    ok, err = import_cmd(org.code, path)
    assert ok, err
    _check_ban_haeng(_imported(org))

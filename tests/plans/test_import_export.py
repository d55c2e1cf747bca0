"""The plan's project list as a file: plan_export / plan_import, the demo plan as a file, what an import accepts, and imports at scale."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.tabular import ImportRejected, write_table
from plans import services
from plans.models import DetailSheet, Plan, PlanStatus, Project
from plans.progress import services as progress_services
from plans.projects import services as project_services
from plans.resources import HEADERS
from tests.plans.file_helpers import GOOD, export_cmd, import_cmd, row, table
from tests.support.files import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db
TOTAL = "รวมทั้งสิ้น"


# --- the demo plan as a file -----------------------------------------------------------------


def test_demo_plan_csv_ends_with_the_total_row(seeded):
    rows = csv_rows(services.plan_export(plan=seeded.plan, fmt="csv"))
    assert rows[0] == HEADERS
    assert len(rows) == 1 + 31 + 1
    assert rows[-1] == ["", TOTAL, "", "15,000.00", "4", "30", "28", "4", ""]
    # The total is the sum of the rows above it.
    body = rows[1:-1]
    assert sum(Decimal(r[3].replace(",", "")) for r in body) == Decimal("15000.00")
    for q in range(4):
        assert sum(r[4 + q] == "✓" for r in body) == int(rows[-1][4 + q])
    assert [r[2] for r in body[-2:]] == ["*1", "*2"]
    assert body[0][:4] == ["1", seeded.plan.projects.get(sequence=1).name, "1", "10,000.00"]


def test_demo_plan_xlsx_keeps_numbers_as_numbers(seeded):
    rows = xlsx_rows(services.plan_export(plan=seeded.plan, fmt="xlsx"))
    assert list(rows[0]) == HEADERS
    assert rows[-1][1] == TOTAL
    assert rows[-1][3] == 15000
    assert list(rows[-1][4:8]) == [4, 30, 28, 4]
    assert rows[1][0] == 1 and rows[1][3] == 10000
    workbook = load_workbook(io.BytesIO(services.plan_export(plan=seeded.plan, fmt="xlsx")))
    assert workbook.worksheets[0].cell(row=2, column=4).number_format == "#,##0.00"


def test_csv_export_import_export_is_byte_identical(seeded, tmp_path):
    first = export_cmd(seeded.org.code, tmp_path / "first.csv")
    sheets_before = DetailSheet.objects.filter(project__plan=seeded.plan).count()

    ok, err = import_cmd(seeded.org.code, first)
    assert ok, err

    second = export_cmd(seeded.org.code, tmp_path / "second.csv")
    assert second.read_bytes() == first.read_bytes()
    assert DetailSheet.objects.filter(project__plan=seeded.plan).count() == sheets_before == 29


def test_xlsx_export_import_export_is_identical_cell_by_cell(seeded, tmp_path):
    first = export_cmd(seeded.org.name, tmp_path / "first.xlsx")  # by full name this time
    ok, err = import_cmd(seeded.org.name, first)
    assert ok, err
    second = export_cmd(seeded.org.code, tmp_path / "second.xlsx")
    a, b = xlsx_rows(first.read_bytes()), xlsx_rows(second.read_bytes())
    assert len(a) == 33
    assert a == b


def test_demo_file_imported_into_another_organisation_creates_its_plan(seeded, org, tmp_path):
    source = export_cmd(seeded.org.code, tmp_path / "ban_haeng.xlsx")
    assert not Plan.objects.filter(organisation=org, fiscal_year=2569).exists()

    ok, err = import_cmd(org.code, source)

    assert ok, err
    plan = Plan.objects.get(organisation=org, fiscal_year=2569)
    assert plan.status == PlanStatus.DRAFT
    assert plan.projects.count() == 31
    assert list(plan.projects.filter(is_added=True).values_list("sequence", flat=True)) == [30, 31]
    copy = export_cmd(org.code, tmp_path / "copy.csv")
    original = export_cmd(seeded.org.code, tmp_path / "original.csv")
    assert copy.read_bytes() == original.read_bytes()


# --- what an import accepts ------------------------------------------------------------------


def test_import_creates_the_plan_when_none_exists(org, dimensions, plan_file):
    assert not Plan.objects.filter(organisation=org).exists()
    ok, err = import_cmd(org.code, plan_file(GOOD))
    assert ok, err
    plan = Plan.objects.get(organisation=org, fiscal_year=2569)
    assert [(s, n) for _, s, n, *_ in table(plan)] == [(r[0], r[1]) for r in GOOD]
    p3 = plan.projects.get(sequence=3)
    assert (p3.budget, p3.quarters, p3.remark, p3.dimension.number) == (Decimal("5000.50"), [3, 4], "ร่วมกับกองช่าง", 3)


def test_import_accepts_the_ways_people_write_amounts_and_ticks(org, dimensions, plan_file):
    rows = [
        row(1, "โครงการจำนวนเงินมีจุลภาค", 1, "10,000.00", "✓"),
        row(2, "โครงการจำนวนเงินไม่มีจุลภาค", 1, "10000", "", "1"),
        row(3, "โครงการจำนวนเงินว่าง", 2, "", "", "", "x"),
        row(4, "โครงการติ๊กคำว่าใช่", 2, "250.5", "", "", "", "ใช่"),
        row(5, "มาตรการเพิ่มเติมหลังแผนตั้งต้น", "*1", "0", "X", "", "", "✔"),
        row(6, "กิจกรรมเพิ่มเติมมิติสาม", " *3 ", "๑,๕๐๐", "/"),
    ]
    ok, err = import_cmd(org.code, plan_file(rows))
    assert ok, err
    plan = Plan.objects.get(organisation=org, fiscal_year=2569)
    got = {p.sequence: p for p in plan.projects.select_related("dimension")}
    assert [got[i].budget for i in range(1, 7)] == [Decimal(x) for x in
                                                      ("10000", "10000", "0", "250.50", "0", "1500")]
    assert [got[i].quarters for i in range(1, 7)] == [[1], [2], [3], [4], [1, 4], [1]]
    assert [got[i].is_added for i in range(1, 7)] == [False] * 4 + [True, True]
    assert got[5].dimension.number == 1 and got[5].dimension_label == "*1"
    assert got[6].dimension.number == 3
    assert got[5].kind == "measure" and got[6].kind == "activity" and got[1].kind == "project"


def test_import_reads_numeric_xlsx_cells(org, dimensions, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append([1, "โครงการงบมีสตางค์", 1, 1234.56, 1, None, None, None, None])
    sheet.append([2.0, "โครงการงบจำนวนเต็ม", 2.0, 20000, None, "✓", None, None, "หมายเหตุ"])
    sheet.append([3, "มาตรการงบเป็นข้อความ", "*3", "7,500.25", None, None, True, None, None])
    path = tmp_path / "numbers.xlsx"
    workbook.save(path)
    ok, err = import_cmd(org.code, path)
    assert ok, err
    plan = Plan.objects.get(organisation=org)
    assert [(p.sequence, p.budget, p.dimension.number, p.quarters) for p in plan.projects.order_by("sequence")] == [
        (1, Decimal("1234.56"), 1, [1]), (2, Decimal("20000.00"), 2, [2]), (3, Decimal("7500.25"), 3, [3])]


def test_import_into_an_approved_plan_reopens_it(seeded, tmp_path):
    assert seeded.plan.status == PlanStatus.APPROVED
    path = export_cmd(seeded.org.code, tmp_path / "plan.csv")
    rows = csv_rows(path.read_bytes())
    rows[1][3] = "12,000.00"
    rows[-1][3] = "17,000.00"  # the total row is checked: it follows the change
    path.write_bytes(write_table(rows[0], rows[1:], "csv"))
    ok, err = import_cmd(seeded.org.code, path)
    assert ok, err
    seeded.plan.refresh_from_db()
    assert seeded.plan.projects.get(sequence=1).budget == Decimal("12000.00")
    assert seeded.plan.status == PlanStatus.DRAFT
    assert seeded.plan.versions.count() == 2  # the approved versions are untouched


def test_import_reads_windows_874_csv(org, dimensions, tmp_path):
    text = "\r\n".join([
        ",".join(HEADERS),
        '1,โครงการส่งเสริมคุณธรรม,1,"2,500.00",,1,1,,หมายเหตุภาษาไทย',
        "2,มาตรการเปิดเผยข้อมูลสาธารณะ,2,0,x,,,,",
    ]) + "\r\n"
    path = tmp_path / "from_excel.csv"
    path.write_bytes(text.encode("cp874"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # really not UTF-8

    ok, err = import_cmd(org.code, path)

    assert ok, err
    plan = Plan.objects.get(organisation=org)
    assert [(p.name, p.budget, p.quarters, p.remark) for p in plan.projects.order_by("sequence")] == [
        ("โครงการส่งเสริมคุณธรรม", Decimal("2500.00"), [2, 3], "หมายเหตุภาษาไทย"),
        ("มาตรการเปิดเผยข้อมูลสาธารณะ", Decimal("0.00"), [1], ""),
    ]


def test_total_row_is_not_imported_and_is_checked(plan, plan_file):
    agrees = ["", TOTAL, "", "15,000.50", "1", "1", "2", "1", ""]
    rows = [*GOOD, agrees, [TOTAL, "", "", "", "", "", "", "", ""]]  # a blank total says nothing to check
    ok, err = import_cmd(plan.organisation.code, plan_file(rows))
    assert ok, err
    assert plan.projects.count() == 3
    assert not plan.projects.filter(name=TOTAL).exists()
    before = table(plan)
    ok, err = import_cmd(plan.organisation.code, plan_file([*GOOD, ["", TOTAL, "", "999.00", "0", "1", "2", "1", ""]]))
    assert not ok and table(plan) == before
    assert "บรรทัดที่ 5: งบประมาณ (บาท) รวมทั้งสิ้น 999.00 บาท" in err and "บรรทัดที่ 5: ไตรมาส 1:" in err


def test_blank_rows_are_skipped(plan, plan_file):
    rows = [GOOD[0], [""] * 9, GOOD[1], GOOD[2]]
    ok, err = import_cmd(plan.organisation.code, plan_file(rows))
    assert ok, err
    assert plan.projects.count() == 3


def test_reimport_keeps_sheets_of_projects_whose_names_match(plan, plan_file):
    training = plan.projects.get(sequence=1)
    project_services.detail_sheet_save(project=training, rationale="เหตุผลของโครงการอบรม", objectives=["ข้อหนึ่ง"], user=SYSTEM)
    rows = [
        row(1, GOOD[2][1], 3, "5,000.50", "", "", "✓", "✓"),
        row(2, "โครงการใหม่จากไฟล์", 4, "0", "✓"),
        row(3, GOOD[0][1], 1, "12,000.00", "", "✓"),
    ]
    ok, err = import_cmd(plan.organisation.code, plan_file(rows))
    assert ok, err

    training.refresh_from_db()
    assert training.sequence == 3
    assert training.budget == Decimal("12000.00")
    assert training.quarters == [2]
    assert training.sheet.rationale == "เหตุผลของโครงการอบรม"
    assert [o.text for o in training.sheet.objectives.all()] == ["ข้อหนึ่ง"]
    # The project without a sheet that is not in the file is gone.
    assert not plan.projects.filter(name=GOOD[1][1]).exists()
    assert [n for _, _, n, *_ in table(plan)] == [r[1] for r in rows]


def test_import_cannot_remove_a_project_that_has_a_sheet(plan, plan_file):
    project_services.detail_sheet_save(project=plan.projects.get(sequence=1), rationale="มีรายละเอียดแล้ว", user=SYSTEM)
    before = table(plan)
    ok, err = import_cmd(plan.organisation.code, plan_file(GOOD[1:]))
    assert not ok
    assert GOOD[0][1] in err
    assert table(plan) == before
    assert DetailSheet.objects.filter(project__plan=plan).count() == 1


def test_import_cannot_remove_a_project_that_has_progress(plan, plan_file):
    progress_services.progress_record(project=plan.projects.get(sequence=3), quarter=3, status="in_progress", user=SYSTEM)
    before = table(plan)
    ok, err = import_cmd(plan.organisation.code, plan_file(GOOD[:2]))
    assert not ok
    assert GOOD[2][1] in err
    assert table(plan) == before


# --- at scale: bulk writes, the audit trail, queries (issue 7) ----------------------------------------------


def many_rows(count, *, budget="1,000.00"):
    return [row(n, f"โครงการที่ {n} ส่งเสริมคุณธรรม", (n % 4) + 1, budget, "✓" if n % 2 else "", "✓")
            for n in range(1, count + 1)]


def test_import_writes_the_projects_with_their_audit_trail(plan, staff, plan_file):
    from lao_integrity import history

    kept = plan.projects.get(sequence=1)
    rows = [row(1, GOOD[0][1], 1, "20,000.00", "", "✓", "✓"), row(2, "โครงการใหม่จากไฟล์", 4, "0", "✓")]
    services.plan_import(organisation=plan.organisation, fiscal_year=2569, data=plan_file(rows).read_bytes(),
                         filename="plan.csv", user=staff)

    kept.refresh_from_db()
    assert kept.budget == Decimal("20000.00")
    new = plan.projects.get(name="โครงการใหม่จากไฟล์")
    assert new.kind == "project" and new.dimension.number == 4 and new.created_at and new.updated_at
    changed = Project.history.filter(id=kept.pk, history_user=staff)
    assert [h.history_type for h in changed] == ["~"] and changed[0].version == kept.version
    assert Project.history.filter(id=new.pk, history_type="+", history_user=staff).count() == 1
    gone = Project.history.filter(name=GOOD[1][1], history_type="-")
    assert gone.count() == 1 and gone[0].history_user == staff
    entries = history.trail(Project.history.filter(id=kept.pk))
    assert entries[0].who == history.user_name(staff)
    assert "งบประมาณ (บาท) “10,000.00” → “20,000.00”" in entries[0].summary


def test_import_queries_do_not_grow_with_the_number_of_projects(org, other_org, dimensions, plan_file):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(organisation, rows):
        with CaptureQueriesContext(connection) as captured:
            services.plan_import(organisation=organisation, fiscal_year=2569, filename="plan.csv",
                                 data=plan_file(rows).read_bytes(), user=SYSTEM)
        return len(captured)

    # Into a new plan, then again (every project matched and updated). 50 rows: on SQLite Django splits
    # an INSERT at 999 parameters, so more rows would add statements (never one per row).
    assert queries(org, many_rows(10)) == queries(other_org, many_rows(50))
    assert queries(org, many_rows(10, budget="5.00")) == queries(other_org, many_rows(50, budget="5.00"))
    assert Project.objects.filter(plan__organisation=other_org, budget=Decimal("5.00")).count() == 50


def test_a_large_plan_with_one_bad_row_names_it_and_changes_nothing(plan, plan_file):
    rows = many_rows(500)
    rows[249][2] = 7  # line 251
    rows[399][0] = 12  # line 401: the same ลำดับ as line 13
    before = table(plan)
    with pytest.raises(ImportRejected) as excinfo:
        services.plan_import(organisation=plan.organisation, fiscal_year=2569, data=plan_file(rows).read_bytes(),
                             filename="plan.csv", user=SYSTEM)
    assert [p.line for p in excinfo.value.problems] == [251, 401]
    assert "มิติ “7” ไม่มีในกรอบแผน" in str(excinfo.value.problems[0])
    assert "ลำดับ 12 ซ้ำกับโครงการ" in str(excinfo.value.problems[1])
    assert table(plan) == before

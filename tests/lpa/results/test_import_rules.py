"""The import's rules on the seed's table: a bad line is named and nothing is written (all or
nothing); the header over one, two or three rows; csv and xlsx; export then import = the same."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lao_integrity.tabular import ImportRejected, write_table
from lpa.models import LpaAreaScore, LpaResult
from lpa.results import layout

from .conftest import PROVINCE, SEED_CSV, run_import

pytestmark = pytest.mark.django_db


def file_lines() -> list[list[str]]:
    with SEED_CSV.open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def as_csv(lines) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(lines)
    return out.getvalue().encode("utf-8")


def line_of(lines, rank: int) -> int:
    return next(n for n, cells in enumerate(lines, start=1) if cells and cells[0] == str(rank))


def stored():
    return (list(LpaResult.objects.filter(organisation__province=PROVINCE).order_by("pk")
                 .values_list("organisation__code", "fiscal_year", "version")),
            list(LpaAreaScore.objects.filter(result__organisation__province=PROVINCE)
                 .order_by("result__organisation__code", "area").values_list("result__organisation__code", "area",
                                                                             "full_marks", "score")))


def rejected(lines, **options) -> list[tuple[int | None, str]]:
    before = stored()
    with pytest.raises(ImportRejected) as caught:
        run_import(data=as_csv(lines), **options)
    assert stored() == before, "a refused file wrote something"
    return [(p.line, p.message) for p in caught.value.problems]


# --- a bad line is named, nothing is written ------------------------------------------------------


def test_an_unknown_name_names_its_line(seed_orgs):
    lines = file_lines()
    line = line_of(lines, 10)
    lines[line - 1][5] = "อบต.ท่าก้อใหม่"
    assert rejected(lines) == [(line, "ไม่พบ อปท. “อบต.ท่าก้อใหม่” ในอำเภอแม่สรวย จังหวัดเชียงราย")]


def test_a_name_in_two_districts_without_its_district_is_ambiguous(seed_orgs):
    """"อบต.เวียง" is in เวียงป่าเป้า (row 3) and in เทิง (row 8): with the district, each is found."""
    lines = file_lines()
    line = line_of(lines, 8)
    lines[line - 1][3] = ""
    problems = rejected(lines)
    assert len(problems) == 1 and problems[0][0] == line
    assert problems[0][1].startswith("ชื่อ “อบต.เวียง” ตรงกับ อปท. 2 แห่งในจังหวัดเชียงราย: อำเภอเวียงป่าเป้า")
    assert "อำเภอเทิง" in problems[0][1] and "ระบุอำเภอหรือรหัส อปท." in problems[0][1]


def test_a_score_above_full_marks_names_its_line(seed_orgs):
    lines = file_lines()
    line = line_of(lines, 5)
    lines[line - 1][7] = "61"  # ด้านที่ 1: 61 of 60
    assert rejected(lines) == [(line, "ด้านที่ 1 การบริหารจัดการ: คะแนนที่ได้ 61 เกินคะแนนเต็ม 60")]


@pytest.mark.parametrize(("column", "value", "message"), [
    (8, "93.34", "ด้านที่ 1 การบริหารจัดการ: ร้อยละที่พิมพ์ 93.34 ไม่ตรงกับที่คำนวณได้ 93.33 (56 จาก 60)"),
    (23, "95.95", "รวมคะแนน 5 ด้าน: ร้อยละที่พิมพ์ 95.95 ไม่ตรงกับที่คำนวณได้ 95.96 (427 จาก 445)"),
    (21, "445.01", "รวมคะแนน 5 ด้าน คะแนนเต็ม: ที่พิมพ์ 445.01 ไม่ตรงกับผลรวม 5 ด้าน 445"),
    (22, "426.99", "รวมคะแนน 5 ด้าน คะแนนที่ได้: ที่พิมพ์ 426.99 ไม่ตรงกับผลรวม 5 ด้าน 427"),
], ids=["area percent", "total percent", "total full marks", "total score"])
def test_a_printed_figure_off_by_one_hundredth_names_its_line(seed_orgs, column, value, message):
    lines = file_lines()
    line = line_of(lines, 1)
    lines[line - 1][column] = value
    assert rejected(lines) == [(line, message)]


def test_every_bad_line_is_reported_together(seed_orgs):
    lines = file_lines()
    lines[line_of(lines, 2) - 1][5] = "เทศบาลตำบลไม่มี"
    lines[line_of(lines, 144) - 1][10] = "46"  # 46 of 45
    assert [line for line, _ in rejected(lines)] == [line_of(lines, 2), line_of(lines, 144)]


def test_a_rank_that_contradicts_the_percentages_is_refused_but_a_tie_is_a_note(seed_orgs):
    lines = file_lines()
    first, second = line_of(lines, 1), line_of(lines, 2)
    lines[first - 1][0], lines[second - 1][0] = "2", "1"  # 95.96 printed after 95.22
    assert rejected(lines) == [(first, "ลำดับที่ 2 มีร้อยละ 95.96 สูงกว่าลำดับที่ 1 (บรรทัดที่ 5, ร้อยละ 95.22) "
                                       "ลำดับไม่ตรงกับคะแนน")]


def test_an_organisation_twice_in_the_file_is_refused(seed_orgs):
    lines = file_lines()
    copy = list(lines[line_of(lines, 144) - 1])
    copy[0] = "145"
    lines.append(copy)
    assert rejected(lines) == [(len(lines), "องค์การบริหารส่วนตำบลปล้อง ซ้ำกับบรรทัดที่ 57")]


def test_the_page_header_and_the_typos_are_read_as_printed(seed_orgs):
    """The file as printed: the later pages' own header rows inside the data (skipped), rows with two
    trailing empty cells, "อบต.ป่าหุ่่ง" with a doubled tone mark (the organisation is ป่าหุ่ง)."""
    lines = file_lines()
    assert sum(1 for cells in lines if cells and cells[0] == "ลำดับที่") == 3
    imported = run_import()
    assert imported.count == 48
    pa_hung = LpaResult.objects.get(fiscal_year=2566, organisation__name="องค์การบริหารส่วนตำบลป่าหุ่ง")
    assert pa_hung.organisation.district == "พาน"


# --- the header over one, two or three rows; csv and xlsx ---------------------------------------


def data_rows():
    return [cells[:24] for cells in file_lines() if cells and cells[0].isdigit()]


def header_variants():
    first, second, third = (row[:6] + row[7:] for row in layout.printed_header_rows())  # without รหัส อปท.
    one = [*layout.IDENTIFICATION, *layout.SCORE_COLUMNS]
    return {"one row": [one], "two rows": [first, second], "three rows": [first, second, third]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("variant", ["one row", "two rows", "three rows"])
def test_the_header_may_take_one_two_or_three_rows(seed_orgs, variant, fmt):
    header, *more = header_variants()[variant]
    data = write_table(header, [*more, *data_rows()], fmt)
    imported = run_import(SEED_CSV.with_suffix(f".{fmt}"), data=data)
    assert imported.count == 48
    first = LpaResult.objects.get(fiscal_year=2566, organisation=seed_orgs[0])
    assert sorted(first.areas.values_list("area", "full_marks", "score")) == [
        (1, 60, 56), (2, 45, 45), (3, 95, 91), (4, 220, 210), (5, 25, 25)]


def test_a_header_that_is_not_the_lpa_table_is_refused_on_line_1(seed_orgs):
    data = write_table(["รหัส อปท.", "ปีงบประมาณ", "คะแนน"], [["5570701", "2566", "90"]], "csv")
    before = stored()
    with pytest.raises(ImportRejected) as caught:
        run_import(data=data)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (1, "ไม่พบคอลัมน์ของด้านที่ 1 การบริหารจัดการ: หัวตารางไม่ใช่แบบรายงานผล LPA")]
    assert stored() == before


# --- the commands; export then import is the same ------------------------------------------------


def test_import_lpa_command_reports_the_ties_and_refuses_a_bad_file(seed_orgs, tmp_path):
    out = io.StringIO()
    call_command("import_lpa", str(SEED_CSV), "--fiscal-year", "2566", "--data-as-of", "18/12/2566",
                 "--reporter", "นายเจตณรงค์ อินกัน", "--reporter-position", "ท้องถิ่นจังหวัดเชียงราย", stdout=out)
    text = out.getvalue()
    assert "นำเข้าผล LPA ปีงบประมาณ 2566 แล้ว 48 อปท." in text
    assert "หมายเหตุ บรรทัดที่ 16: ลำดับที่ 13" in text and "หมายเหตุ บรรทัดที่ 52: ลำดับที่ 139" in text
    result = LpaResult.objects.get(fiscal_year=2566, organisation=seed_orgs[0])
    assert (str(result.data_as_of), result.reporter) == ("2023-12-18", "นายเจตณรงค์ อินกัน")
    lines = file_lines()
    lines[line_of(lines, 1) - 1][8] = "93.34"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(as_csv(lines))
    before = stored()
    with pytest.raises(CommandError) as caught:
        call_command("import_lpa", str(bad), "--fiscal-year", "2566", stdout=io.StringIO())
    assert "บรรทัดที่ 4: ด้านที่ 1 การบริหารจัดการ: ร้อยละที่พิมพ์ 93.34" in str(caught.value)
    assert stored() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_the_export_is_the_same(seed_orgs, tmp_path, fmt):
    run_import()
    before = stored()
    path = tmp_path / f"lpa.{fmt}"
    call_command("export_lpa", "--province", PROVINCE, "--fiscal-year", "2566", "-o", str(path), stdout=io.StringIO())
    LpaResult.objects.filter(fiscal_year=2566, organisation__province=PROVINCE).delete()
    imported = run_import(path)  # the export's ranks share at ties: no note
    assert (imported.count, imported.created, imported.notes) == (48, 48, [])
    after = stored()
    assert after[1] == before[1]
    assert sorted(row[:2] for row in after[0]) == sorted(row[:2] for row in before[0])


def test_the_export_has_the_printed_layout_with_computed_figures(seed_orgs, tmp_path):
    run_import()
    path = tmp_path / "lpa.csv"
    call_command("export_lpa", "--province", "จังหวัดเชียงราย", "--fiscal-year", "2566", "-o", str(path),
                 stdout=io.StringIO())
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[:3] == layout.printed_header_rows()
    first = rows[3]
    assert first[:7] == ["1", "", "เชียงราย", "เมืองเชียงราย", "เทศบาลตำบล", "ทต.สันทราย", seed_orgs[0].code]
    assert first[7:] == ["60", "56", "93.33", "45", "45", "100.00", "95", "91", "95.79", "220", "210", "95.45",
                         "25", "25", "100.00", "445", "427", "95.96"]
    ranks = [row[0] for row in rows[3:]]
    assert ranks.count("12") == 2 and "13" not in ranks


def test_a_second_import_replaces_the_rows_it_names_and_moves_their_version(seed_orgs):
    run_import()
    lines = file_lines()
    only_first = [*lines[:3], lines[line_of(lines, 1) - 1]]
    only_first[3][7], only_first[3][8], only_first[3][22], only_first[3][23] = "55", "91.67", "426", "95.73"
    imported = run_import(data=as_csv(only_first))
    assert (imported.count, imported.created) == (1, 0)
    result = LpaResult.objects.get(fiscal_year=2566, organisation=seed_orgs[0])
    assert result.version == 1 and result.areas.get(area=1).score == Decimal("55")
    assert LpaResult.objects.filter(fiscal_year=2566, organisation__province=PROVINCE).count() == 48


def test_a_fiscal_year_outside_the_portal_s_bounds_is_refused(seed_orgs):
    before = stored()
    with pytest.raises(ImportRejected) as caught:
        run_import(fiscal_year=2023)
    assert [p.message for p in caught.value.problems] == [
        "ปีงบประมาณต้องเป็นปี พ.ศ. ระหว่าง 2560 ถึง 2700 เช่น 2569"]
    assert stored() == before

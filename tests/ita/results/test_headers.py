"""Indicator headers are read by name as well as number (issue 13).

Real analysis reports number indicators their own way; a wide file whose headers said
"ตัวชี้วัดที่ 4 การเปิดเผยข้อมูล" was imported by number alone, silently, with wrong scores. A
header naming another indicator is now read by that name when it is unambiguous, and the result
says so; any other mismatch refuses the file naming the column.
"""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ita import scoring
from ita.framework_data import INDICATORS
from ita.models import Framework, Result
from ita.results import exchange, services
from ita.results.exchange.indicator_names import Label, matching, name_key, numbered_label, read_label
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.tabular import ImportRejected, write_table

pytestmark = pytest.mark.django_db

OFFICIAL = {number: name for number, _, name in INDICATORS}
SEED = {n: Decimal(v) for n, v in
        enumerate("95.01 84.45 88.62 83.07 86.04 85.07 84.54 82.73 100.00 100.00".split(), start=1)}
# A report that numbers OIT first, then IIT, then EIT (its own order, with the seed's variant names).
REPORT = [(9, "การเปิดเผยข้อมูล"), (10, "การป้องกันการทุจริต"), (1, "การปฏิบัติหน้าที่"), (2, "การใช้งบประมาณ"),
          (3, "การใช้อำนาจ"), (4, "การใช้ทรัพย์สินของราชการ"), (5, "การแก้ไขปัญหาการทุจริต"),
          (6, "คุณภาพการดำเนินงาน"), (7, "ประสิทธิภาพการสื่อสาร"), (8, "การปรับปรุงการทำงาน")]


def report_file(org, scores=SEED, *, year=2566) -> bytes:
    headers = ["รหัส อปท.", "ปีงบประมาณ", *(f"ตัวชี้วัดที่ {i} {name}" for i, (_, name) in enumerate(REPORT, 1))]
    return write_table(headers, [[org.code, str(year), *(str(scores[official]) for official, _ in REPORT)]], "csv")


def wide(org, headers: list[str], values: list[str]) -> bytes:
    return write_table(["รหัส อปท.", "ปีงบประมาณ", *headers], [[org.code, "2566", *values]], "csv")


def official_headers() -> list[str]:
    return [f"ตัวชี้วัดที่ {n} {OFFICIAL[n]}" for n in range(1, 11)]


def problems_of(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


# --- reading by name ---------------------------------------------------------------------------------------


def test_a_report_numbered_its_own_way_is_read_by_name_and_says_so(org):
    summary = exchange.results_import(data=report_file(org), filename="ita.csv", user=SYSTEM)

    result = Result.objects.get(organisation=org, fiscal_year=2566)
    assert {s.indicator.number: s.score for s in result.scores.select_related("indicator")} == SEED
    assert (result.overall, result.level) == (Decimal("91.47"), "A")
    # Every column whose number is not the framework's is named in the summary.
    assert len(summary.notes) == 10
    assert summary.notes[0] == ("คอลัมน์ “ตัวชี้วัดที่ 1 การเปิดเผยข้อมูล” อ่านเป็นตัวชี้วัดที่ 9 การเปิดเผยข้อมูล "
                                "ตามชื่อ (ในกรอบการประเมินปี 2566 ตัวชี้วัดที่ 1 คือ การปฏิบัติหน้าที่)")
    assert "หมายเหตุ: คอลัมน์ “ตัวชี้วัดที่ 4 การใช้งบประมาณ” อ่านเป็นตัวชี้วัดที่ 2" in str(summary)


def test_the_issue_file_gets_the_right_level(org):
    """As in the audit (94.79 A by number instead of 95.75 AA): by number alone these headers give A."""
    scores = {1: "96.50", 2: "95.20", 3: "97.10", 4: "93.00", 5: "96.00", 6: "94.10", 7: "95.30", 8: "92.90",
              9: "97.00", 10: "96.60"}
    by_number = scoring.compute(services.framework_spec(Framework.objects.get(fiscal_year=2566)),
                                {n: Decimal(scores[o]) for n, (o, _) in enumerate(REPORT, 1)})
    exchange.results_import(data=report_file(org, scores), filename="ita.csv", user=SYSTEM)
    result = Result.objects.get(organisation=org, fiscal_year=2566)
    by_name = scoring.compute(services.framework_spec(result.framework), {n: Decimal(v) for n, v in scores.items()})
    assert (result.overall, result.level) == (by_name.overall, by_name.level) == (Decimal("95.62"), "AA")
    assert (by_number.overall, by_number.level) == (Decimal("94.89"), "A")  # what used to be stored


@pytest.mark.parametrize("header", [
    "ตัวชี้วัดที่ 8 การปรับปรุงการทำงาน",  # the meeting bundle's name
    "ตัวชี้วัดที่ ๘ การปรับปรุงระบบการทำงาน",  # Thai digit
    "ตัวชี้วัดที่8การปรับปรุง ระบบ การทำงาน",  # spaces moved
    "ตัวชี้วัดที่ 8: การปรับปรุง\u200bระบบการทำงาน (EIT)",  # colon, zero-width space, tool
    "ตัวชี้วัดที่ 8 การปรับปรุงระบบการทํางาน",  # SARA AM typed as NIKHAHIT + SARA AA
    "ตัวชี้วัด 8 การปรับปรุงระบบการทำงาน คะแนน",
    "ตัวชี้วัดที่ 8 การปรับปรุงระบบการทำงา",  # a letter short
])
def test_real_variants_of_a_name_are_accepted_without_a_note(org, header):
    headers = [*official_headers()[:7], header, *official_headers()[8:]]
    summary = exchange.results_import(data=wide(org, headers, [str(v) for v in SEED.values()]), filename="ita.csv", user=SYSTEM)
    assert summary.notes == ()
    assert Result.objects.get(organisation=org, fiscal_year=2566).overall == Decimal("91.47")


def test_long_format_values_are_read_by_name_too(org):
    rows = [[org.code, "2566", f"ตัวชี้วัดที่ {i} {name}", str(SEED[official])]
            for i, (official, name) in enumerate(REPORT, 1)]
    rows[2][2] = "การปฏิบัติหน้าที่"  # a name alone
    summary = exchange.results_import(data=write_table(["รหัส อปท.", "ปีงบประมาณ", "ตัวชี้วัด", "คะแนน"], rows, "csv"),
                                      filename="ita.csv", user=SYSTEM)
    assert summary.notes[0].startswith("ตัวชี้วัด “ตัวชี้วัดที่ 1 การเปิดเผยข้อมูล” อ่านเป็นตัวชี้วัดที่ 9")
    assert Result.objects.get(organisation=org, fiscal_year=2566).overall == Decimal("91.47")


# --- refusing what cannot be trusted ----------------------------------------------------------------------


@pytest.mark.parametrize(("column", "header", "problem"), [
    # The Tak Bai measures announcement calls indicator 8 "การปฏิบัติหน้าที่", indicator 1's name.
    pytest.param(7, "ตัวชี้วัดที่ 8 การปฏิบัติหน้าที่",
                 "บรรทัดที่ 1: คอลัมน์ “ตัวชี้วัดที่ 8 การปฏิบัติหน้าที่” เป็นตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ ซ้ำกับคอลัมน์ "
                 "“ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่” กรุณาแก้หัวคอลัมน์ให้หมายเลขและชื่อตรงกับกรอบการประเมินปี 2566",
                 id="two_columns_naming_one_indicator"),
    pytest.param(3, "ตัวชี้วัดที่ 4 ความพึงพอใจของผู้รับบริการ",
                 "บรรทัดที่ 1: คอลัมน์ “ตัวชี้วัดที่ 4 ความพึงพอใจของผู้รับบริการ”: ชื่อ “ความพึงพอใจของผู้รับบริการ” "
                 "ไม่ใช่ชื่อตัวชี้วัดที่ 4 (การใช้ทรัพย์สินของราชการ) และไม่ตรงกับตัวชี้วัดอื่นในกรอบการประเมินปี 2566 "
                 "กรุณาแก้หัวคอลัมน์ให้หมายเลขและชื่อตรงกัน",
                 id="a_name_of_no_indicator"),
])
def test_an_untrustworthy_header_refuses_the_file_naming_the_column(org, column, header, problem):
    headers = official_headers()
    headers[column] = header
    with pytest.raises(ImportRejected) as excinfo:
        exchange.results_import(data=wide(org, headers, [str(v) for v in SEED.values()]), filename="ita.csv", user=SYSTEM)
    assert problems_of(excinfo) == [problem]
    assert not Result.objects.filter(organisation=org).exists()


def test_a_name_close_to_two_indicators_is_refused():
    indicators = {1: "การใช้งบประมาณ", 2: "การใช้งบประมาณของรัฐ"}
    assert matching("การใช้งบประมาณรัฐ", indicators) == [1, 2]
    reading = read_label(Label("ตัวชี้วัดที่ 3 การใช้งบประมาณรัฐ", 3, "การใช้งบประมาณรัฐ"), indicators, 2570)
    assert reading.number is None
    assert reading.problem.startswith("“ตัวชี้วัดที่ 3 การใช้งบประมาณรัฐ”: ชื่อ “การใช้งบประมาณรัฐ” "
                                      "ใกล้เคียงกับหลายตัวชี้วัด (ตัวชี้วัดที่ 1 การใช้งบประมาณ, "
                                      "ตัวชี้วัดที่ 2 การใช้งบประมาณของรัฐ)")


def test_no_official_name_is_taken_for_another():
    """The similarity threshold is safe for the shipped names: each matches itself and only itself."""
    for framework in Framework.objects.prefetch_related("indicators"):
        names = {i.number: i.name for i in framework.indicators.all()}
        for number, name in names.items():
            assert matching(name, names) == [number]
            others = {n: v for n, v in names.items() if n != number}
            assert matching(name, others) == [], (framework.fiscal_year, name)


def test_header_forms():
    assert numbered_label("ตัวชี้วัดที่ ๔ การเปิดเผยข้อมูล") == Label("ตัวชี้วัดที่ 4 การเปิดเผยข้อมูล", 4,
                                                                          "การเปิดเผยข้อมูล")
    assert numbered_label("ตัวชี้วัดที่ 10") == Label("ตัวชี้วัดที่ 10", 10, "")
    assert numbered_label("ตัวชี้วัดที่ 9.1 ข้อมูลพื้นฐาน") is None  # a sub-indicator is not a score column
    assert numbered_label("ตัวชี้วัด") is None and numbered_label("คะแนนรวม") is None
    assert name_key("  การใช้\u200b ทรัพย์สินของ\u00adทางราชการ ") == "การใช้ทรัพย์สินของราชการ"


# --- where the user reads the note -------------------------------------------------------------------------


def test_the_job_page_shows_the_note(client_for, staff, org, django_capture_on_commit_callbacks):
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ita/import/", {"file": SimpleUploadedFile("ita.csv", report_file(org))})
    page = client.get(response["Location"]).content.decode()
    assert "หมายเหตุ: คอลัมน์ “ตัวชี้วัดที่ 1 การเปิดเผยข้อมูล” อ่านเป็นตัวชี้วัดที่ 9 การเปิดเผยข้อมูล ตามชื่อ" in page


def test_the_command_prints_the_note(org, tmp_path):
    path = tmp_path / "report.csv"
    path.write_bytes(report_file(org))
    out = io.StringIO()
    call_command("import_ita", str(path), stdout=out)
    assert "หมายเหตุ: คอลัมน์ “ตัวชี้วัดที่ 2 การป้องกันการทุจริต” อ่านเป็นตัวชี้วัดที่ 10" in out.getvalue()

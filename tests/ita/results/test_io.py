"""ITA results in: ita.results.exchange reads long and wide files (csv, xlsx), lists every bad line and saves nothing then, and updates only what a file holds."""

from decimal import Decimal

import pytest

from ita.models import Framework, IndicatorScore, Result
from ita.results import services
from ita.results.exchange import ImportSummary, results_import
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.tabular import ImportRejected
from tests.ita.results.scores import assert_seed_result, csv_bytes, long_rows, save_seed, snapshot, xlsx_bytes
from tests.ita.results.seed import LONG, SEED, SEED_DECIMALS, THAI, WIDE

pytestmark = pytest.mark.django_db


def problems_of(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


# --- import: the seed scores, long and wide, csv and xlsx -------------------------------------


def test_long_csv_import_of_the_seed_scores(org):
    summary = results_import(data=csv_bytes(LONG, long_rows(org.code, 2566)), filename="ita.csv", user=SYSTEM)

    assert summary == ImportSummary(results=1, organisations=1, years=1, fiscal_years=(2566,))
    assert str(summary) == "นำเข้าแล้ว: 1 ผลการประเมิน (1 อปท., 1 ปีงบประมาณ)"
    result = Result.objects.get(organisation=org, fiscal_year=2566)
    assert_seed_result(result)
    assert result.framework == Framework.objects.get(fiscal_year=2566)
    assert result.rank is None


def test_long_xlsx_with_numeric_cells_and_a_repeated_rank(org):
    rows = [[*row, 1175] for row in long_rows(org.code, 2566)]
    summary = results_import(data=xlsx_bytes([*LONG, "ลำดับระดับประเทศ"], rows), filename="ita.xlsx", user=SYSTEM)

    assert (summary.results, summary.organisations, summary.years) == (1, 1, 1)
    result = Result.objects.get(organisation=org, fiscal_year=2566)
    assert_seed_result(result)
    assert result.rank == 1175


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
    assert mine.rank == 1175
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
        f"บรรทัดที่ 6: ลำดับ 1176 ไม่ตรงกับบรรทัดที่ 2 (1175) ของ อปท. รหัส {org.code} ปีงบประมาณ 2566",
        "บรรทัดที่ 7: ลำดับ “ที่หนึ่ง” ต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป",
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
    assert result.rank == 1175 and result.part_scores.count() == 2
    assert result.updated_by == staff
    assert snapshot(org)[0] == org_2565
    assert snapshot(other_org) == untouched

"""Bad input, generated: every import gets random cells (Thai, formulas, huge numbers, impossible dates,
control characters) in csv and xlsx; each must end in a Thai refusal that changes nothing, or an import that
changes only what it should. And what the fuzzing found, pinned. Forms and exports: test_fuzz_forms.py."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agreements.performance import exchange as agreement_exchange
from agreements.performance.models import AgreementIndicator, Aspect, PerformanceAgreement, WorkType
from ita.models import Result
from ita.results import exchange as ita_exchange
from ita.results.exchange import cells as ita_cells
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation
from lao_integrity.orgs.resources import HEADERS as ORG_HEADERS
from lao_integrity.orgs.services import organisations_import
from lao_integrity.tabular import ImportRejected, write_table
from plans import services as plan_services
from plans.resources import HEADERS as PLAN_HEADERS
from tests.project.fuzz import FUZZ, PLAN_COLUMNS, changed_tables, run_import, snapshot, table_files

# --- the imports --------------------------------------------------------------------------------------------


tick = st.sampled_from(["✓", "✓", "", "1", "x", "ใช่"])


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
def test_a_huge_rank_is_a_thai_error_not_a_500(seeded, client_for, rank):
    """Found: a 40-digit rank went to the database (OverflowError on SQLite, integer out of range on
    PostgreSQL): a 500 on the score page and in the import."""
    before = snapshot(("ita",))
    response = client_for(seeded.staff).post(f"/ita/org/{seeded.org.code}/2566/edit/",
                                             {"score_1": "90", "rank": rank})
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

"""The LPA import fuzzed: random cells (Thai digits, formulas, huge numbers, text) in csv and xlsx
with the seed's organisations. Each file ends in a Thai refusal that changes nothing, or an import
whose stored scores are within their full marks and whose percentages recompute."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lao_integrity.orgs.access import SYSTEM
from lpa.models import LpaResult
from lpa.results import layout
from lpa.results.services import lpa_import
from tests.project.fuzz import FUZZ, run_import, table_files

NAMES = [("เมืองเชียงราย", "เทศบาลตำบล", "เทศบาลตำบลสันทราย"), ("เวียงป่าเป้า", "อบต.", "อบต.เวียง"),
         ("เทิง", "อบต.", "อบต.เวียง"), ("", "อบต.", "อบต.เวียง"), ("แม่สาย", "เทศบาลตำบล", "ทต.แม่สายมิตรภาพ"),
         ("พาน", "อบต.", "อบต.ป่าหุ่่ง"), ("เทิง", "อบต.", "อบต.ไม่มี")]
number = st.one_of(st.sampled_from(["60", "56", "45", "๔๕", "100", "0", "-1", "1e9", "=1+1", "", "93.33", "abc",
                                    "1,000", "99999999"]), st.decimals(0, 300, places=2).map(str))
HEADERS = [*layout.IDENTIFICATION, *layout.SCORE_COLUMNS]


@FUZZ
@given(file=table_files(HEADERS, [st.sampled_from(["1", "2", "", "x", "๓"]), st.just("ภาคเหนือ"),
                                  st.sampled_from(["เชียงราย", "จ.เชียงราย", ""]),
                                  st.sampled_from([n[0] for n in NAMES]), st.sampled_from(["อบต.", "เทศบาลตำบล"]),
                                  st.sampled_from([n[2] for n in NAMES]), *[number] * len(layout.SCORE_COLUMNS)]))
def test_lpa_import_fuzz(seed_orgs, file):
    name, data = file

    def consistent(imported):
        assert imported.count >= 1
        for result in LpaResult.objects.filter(fiscal_year=2566).prefetch_related("areas"):
            for area in result.areas.all():
                assert Decimal(0) <= area.score <= area.full_marks and area.full_marks > 0

    run_import(lambda: lpa_import(data=data, filename=name, fiscal_year=2566, user=SYSTEM), consistent=consistent,
               labels=("lpa",))


def _seed_data_rows():
    import csv

    from .conftest import SEED_CSV

    with SEED_CSV.open(encoding="utf-8") as handle:
        return [row[:24] for row in csv.reader(handle) if row and row[0].isdigit()]


SEED_DATA = _seed_data_rows()


@st.composite
def mutated_seed(draw):
    """The seed's rows, a few of them with one cell changed: both imports and refusals happen."""
    rows = [list(row) for row in draw(st.lists(st.sampled_from(SEED_DATA), min_size=1, max_size=6, unique_by=tuple))]
    for _ in range(draw(st.integers(0, 2))):
        row = draw(st.sampled_from(rows))
        row[draw(st.integers(0, 23))] = draw(st.one_of(number, st.sampled_from(["", "ภาคใต้", "๑"])))
    fmt = draw(st.sampled_from(["csv", "xlsx"]))
    from lao_integrity.tabular import write_table

    return f"lpa.{fmt}", write_table(HEADERS, rows, fmt)


@FUZZ
@given(file=mutated_seed())
def test_lpa_import_of_the_seed_with_mutations_fuzz(seed_orgs, file):
    name, data = file

    def consistent(imported):
        for result in LpaResult.objects.filter(fiscal_year=2566).prefetch_related("areas"):
            areas = list(result.areas.all())
            assert len(areas) == 5
            assert all(Decimal(0) <= a.score <= a.full_marks for a in areas)

    run_import(lambda: lpa_import(data=data, filename=name, fiscal_year=2566, user=SYSTEM), consistent=consistent,
               labels=("lpa",))

"""The seed's ITA scores and the files and snapshots the results tests build from them."""

import io
from decimal import Decimal

from openpyxl import Workbook

from ita.models import Result
from ita.results import services
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.tabular import write_table
from tests.ita.results.seed import SEED, SEED_DECIMALS


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


def snapshot(*organisations):
    """Everything an import can change for these organisations, to compare before and after."""
    results = Result.objects.filter(organisation__in=organisations).order_by("organisation__code", "fiscal_year")
    return [
        (r.organisation.code, r.fiscal_year, r.rank, r.iit, r.eit, r.oit, r.overall, r.level, r.passed,
         sorted((s.indicator.number, s.score) for s in r.scores.select_related("indicator")),
         sorted((p.part.code, p.score) for p in r.part_scores.select_related("part")))
        for r in results.select_related("organisation")
    ]


def assert_seed_result(result: Result):
    assert (result.iit, result.eit, result.oit) == (Decimal("87.44"), Decimal("84.11"), Decimal("100.00"))
    assert result.overall == Decimal("91.47")
    assert result.level == "A"
    assert result.passed is True
    assert {s.indicator.number: s.score for s in result.scores.select_related("indicator")} == SEED_DECIMALS


def save_seed(organisation, year=2566, *, parts=True, rank=1175):
    return services.result_save(
        organisation=organisation, fiscal_year=year, scores=SEED_DECIMALS, rank=rank,
        part_scores={"public": Decimal("87.60"), "survey": Decimal("80.62")} if parts else None, user=SYSTEM)

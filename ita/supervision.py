"""ITA's figures on the supervision dashboard (lao_integrity/supervision): the level distribution
and the pass rate of the year against the previous year, from the stored results (scoring.py
computes level and pass when scores are saved). One query for any number of organisations: the
results and the years' level bands together."""

from __future__ import annotations

from django.db.models import BigIntegerField, BooleanField, DecimalField, Value

from lao_integrity.statements import Statement
from lao_integrity.supervision import registry
from lao_integrity.supervision.registry import Figure, Group

from .models import LevelBand, Result

NO_RESULT = "ไม่มีผลการประเมิน"
_NO_ID, _NO_PASS = Value(None, output_field=BigIntegerField()), Value(None, output_field=BooleanField())
_NO_SCORE = Value(None, output_field=DecimalField(max_digits=5, decimal_places=2))


def _with_bands(results, band_years):
    """The results' rows (organisation id, year, level, passed, None) and the years' level bands
    (None, year, level, None, lowest score) in one statement: one round trip fewer."""
    bands = (LevelBand.objects.filter(framework__fiscal_year__in=band_years).order_by()
             .values_list(_NO_ID, "framework__fiscal_year", "level", _NO_PASS, "min_score"))
    return (results.order_by().values_list("organisation_id", "fiscal_year", "level", "passed", _NO_SCORE)
            .union(bands, all=True))


# Compiled once per process (lao_integrity/statements.py), one per kind of area (AreaData.filter's limits).
_NATION = Statement(lambda years, band_years: _with_bands(Result.objects.filter(fiscal_year__in=years), band_years))
_PROVINCE = Statement(lambda province, years, band_years: _with_bands(
    Result.objects.filter(fiscal_year__in=years, organisation__province=province), band_years))
_DISTRICT = Statement(lambda province, district, years, band_years: _with_bands(
    Result.objects.filter(fiscal_year__in=years, organisation__province=province, organisation__district=district),
    band_years))


def _rows(area, years: list) -> list:
    if area.province is None:
        return _NATION.rows(years, years)
    if area.district is None:
        return _PROVINCE.rows(area.province, years, years)
    return _DISTRICT.rows(area.province, area.district, years, years)


def figures(area) -> list[Group]:
    years = (area.fiscal_year, area.fiscal_year - 1)
    bands = []
    results: dict[int, dict[int, tuple[str, bool | None]]] = {year: {} for year in years}
    for organisation_id, year, level, passed, min_score in _rows(area, list(years)):
        if organisation_id is None:
            bands.append((year, -min_score, level))
        else:
            results[year][organisation_id] = (level, passed)
    levels: dict[int, list[str]] = {year: [] for year in years}
    for year, _score, level in sorted(bands, key=lambda band: band[:2]):  # by year, highest band first
        levels[year].append(level)
    if not any(results.values()):
        return []
    level_groups, pass_groups = [], []
    for year in years:
        held = results[year]
        with_level: dict[str, list[int]] = {}  # one pass over the results: by level, passed, failed
        passed_ids, failed_ids = [], []
        for pk, (got, passed) in held.items():
            with_level.setdefault(got, []).append(pk)
            if passed is True:
                passed_ids.append(pk)
            elif passed is False:
                failed_ids.append(pk)
        known = levels[year] + sorted({level for level, _ in held.values() if level and level not in levels[year]})
        by_level = [Figure(key=level, label=f"ระดับ {level}", tone=f"level-{index}",
                           ids=frozenset(with_level.get(level, ())))
                    for index, level in enumerate(known)]
        by_level.append(Figure(key="none", label=NO_RESULT, tone="none",
                               ids=frozenset(pk for pk in area.ids if not held.get(pk, ("", None))[0])))
        level_groups.append(Group(key=f"ita-level-{year}", title=f"ระดับผลการประเมิน ITA ปีงบประมาณ {year}",
                                  figures=by_level))
        current = year == area.fiscal_year
        passing = [
            Figure(key="passed", label="ผ่านเกณฑ์", tone="passed", headline="ผ่านเกณฑ์ ITA" if current else "",
                   ids=frozenset(passed_ids)),
            Figure(key="failed", label="ไม่ผ่านเกณฑ์", tone="failed", headline="ไม่ผ่านเกณฑ์ ITA" if current else "",
                   ids=frozenset(failed_ids)),
            Figure(key="none", label=NO_RESULT, tone="none",
                   ids=frozenset(pk for pk in area.ids if held.get(pk, ("", None))[1] is None)),
        ]
        pass_groups.append(Group(key=f"ita-pass-{year}", title=f"ผ่านเกณฑ์ ITA ปีงบประมาณ {year}", figures=passing,
                                 percent_of="passed",
                                 note="ร้อยละที่ผ่าน คิดจาก อปท. ที่มีผลการประเมินของปีนั้น"))
    return level_groups + pass_groups


def register_figures() -> None:
    registry.register("ita", figures, title="ผลการประเมิน ITA เทียบกับปีก่อน", order=30)

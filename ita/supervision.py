"""ITA's figures on the supervision dashboard (lao_integrity/supervision): the level distribution
and the pass rate of the year against the previous year, from the stored results (scoring.py
computes level and pass when scores are saved). Two queries for any number of organisations: the
years' level bands, then the results."""

from __future__ import annotations

from lao_integrity.statements import Statement
from lao_integrity.supervision import registry
from lao_integrity.supervision.registry import AreaStatement, Figure, Group

from .models import LevelBand, Result

NO_RESULT = "ไม่มีผลการประเมิน"
# Compiled once per process (lao_integrity/statements.py): building them cost more than running them.
_LEVELS = Statement(lambda years: LevelBand.objects.filter(framework__fiscal_year__in=years)
                    .order_by("framework__fiscal_year", "-min_score").values_list("framework__fiscal_year", "level"))
_RESULTS = AreaStatement(lambda years: Result.objects.filter(fiscal_year__in=years).order_by()
                         .values_list("organisation_id", "fiscal_year", "level", "passed"))


def figures(area) -> list[Group]:
    years = (area.fiscal_year, area.fiscal_year - 1)
    levels: dict[int, list[str]] = {year: [] for year in years}
    for year, level in _LEVELS.rows(list(years)):
        levels[year].append(level)
    results: dict[int, dict[int, tuple[str, bool | None]]] = {year: {} for year in years}
    for organisation_id, year, level, passed in _RESULTS.rows(area, list(years)):
        results[year][organisation_id] = (level, passed)
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

"""Reads of ITA improvement measures shaped for pages and documents; fixed number of queries.

Which framework a year's measures use is decided here, once, for pages, forms, services and
documents alike: see `measures_framework`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from lao_integrity.orgs.models import Organisation

from .. import scoring
from ..models import (
    Framework,
    Indicator,
    IndicatorScore,
    Measure,
    MeasureProgress,
    OitItem,
    Recommendation,
    Result,
)

QUARTERS = (1, 2, 3, 4)


def previous_result(organisation: Organisation, fiscal_year: int) -> Result | None:
    """The assessment that measures for `fiscal_year` answer: this organisation's result of the year before."""
    return (Result.objects.filter(organisation=organisation, fiscal_year=fiscal_year - 1)
            .select_related("framework")
            .prefetch_related(Prefetch("scores", queryset=IndicatorScore.objects.select_related("indicator")
                                       .order_by("indicator__number")))
            .first())


_UNSET = object()


def measures_framework(organisation: Organisation, fiscal_year: int, result=_UNSET) -> Framework | None:
    """The framework whose indicators and OIT items the measures for `fiscal_year` may name.

    Measures for year N are drawn up from the assessment of year N-1, so they use that result's
    framework; without a result, the framework of year N-1, else the one of year N. One
    organisation and year therefore always has one framework, and the announcement never mixes
    "ตัวชี้วัดที่ 1" of two frameworks.
    """
    if result is _UNSET:
        result = previous_result(organisation, fiscal_year)
    if result is not None:
        return result.framework
    frameworks = {f.fiscal_year: f for f in Framework.objects.filter(fiscal_year__in=(fiscal_year - 1, fiscal_year))}
    return frameworks.get(fiscal_year - 1) or frameworks.get(fiscal_year)


def _measures_queryset(*, recommendations: bool = False):
    """`recommendations`: with the assessor's recommendations each answers (the staff list shows them)."""
    measures = (Measure.objects.select_related("organisation", "responsible_unit", "based_on")
            .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.select_related("tool")
                                       .order_by("number")),
                              Prefetch("items", queryset=OitItem.objects.select_related("indicator")
                                       .order_by("indicator__number", "id")),
                              Prefetch("progress", queryset=MeasureProgress.objects.order_by("quarter"))))
    if recommendations:
        measures = measures.prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.select_related("tool")))
    return measures


def measures_for(organisation: Organisation, fiscal_year: int, *, created_by=None,
                 recommendations: bool = False) -> list[Measure]:
    """The year's measures in table order, with indicators, items and progress prefetched;
    `created_by` (a moment): only those that existed then (what a signed announcement announced)."""
    measures = (_measures_queryset(recommendations=recommendations)
                .filter(organisation=organisation, fiscal_year=fiscal_year))
    if created_by is not None:
        measures = measures.filter(created_at__lte=created_by)
    return list(measures.order_by("order", "id"))


def measure_for_page(pk: int) -> Measure:
    return _measures_queryset().get(pk=pk)


@dataclass
class Group:
    """One indicator's measures, numbered from 1 within the group (never typed)."""

    indicator: Indicator | None
    measures: list[Measure]
    score: Decimal | None = None
    first_seen: set[int] = field(default_factory=set)  # measures shown here for the first time

    @property
    def heading(self) -> str:
        if self.indicator is None:
            return "มาตรการที่ยังไม่ระบุตัวชี้วัด"
        return f"ตัวชี้วัดที่ {self.indicator.number} {self.indicator.name}"

    @property
    def numbered(self) -> list[tuple[int, Measure]]:
        return list(enumerate(self.measures, start=1))

    @property
    def entries(self) -> list[tuple[int, Measure, bool]]:
        """(number in group, measure, first time the measure appears on the page)."""
        return [(n, m, m.pk in self.first_seen) for n, m in enumerate(self.measures, start=1)]


def group_by_indicator(measures: list[Measure], scores: dict[int, Decimal] | None = None) -> list[Group]:
    """Groups in indicator number order; a measure linked to two indicators appears under each."""
    groups: dict[int, Group] = {}
    loose = []
    for measure in measures:
        indicators = list(measure.indicators.all())
        if not indicators:
            loose.append(measure)
        for indicator in indicators:
            group = groups.setdefault(indicator.number, Group(indicator, [], (scores or {}).get(indicator.number)))
            group.measures.append(measure)
    ordered = [groups[number] for number in sorted(groups)]
    if loose:
        ordered.append(Group(None, loose))
    seen: set[int] = set()
    for group in ordered:
        group.first_seen = {m.pk for m in group.measures if m.pk not in seen}
        seen |= group.first_seen
    return ordered


def progress_cells(measure: Measure) -> list[tuple[int, MeasureProgress | None]]:
    by_quarter = {p.quarter: p for p in measure.progress.all()}
    return [(quarter, by_quarter.get(quarter)) for quarter in QUARTERS]


@dataclass
class MeasuresPage:
    organisation: Organisation
    fiscal_year: int
    framework: Framework | None
    result: Result | None  # the previous year's result the measures answer
    measures: list[Measure]
    groups: list[Group]
    scores: dict[int, Decimal] = field(default_factory=dict)
    uncovered: list[IndicatorScore] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[Measure, list]]:
        return [(measure, progress_cells(measure)) for measure in self.measures]


def uncovered_indicators(result: Result | None, measures: list[Measure]) -> list[IndicatorScore]:
    """Indicators scored below 85 in the result that no measure addresses (matched on number)."""
    if result is None:
        return []
    rows = list(result.scores.all())
    improve = set(scoring.classify({row.indicator.number: row.score for row in rows})["improve"])
    covered = {indicator.number for measure in measures for indicator in measure.indicators.all()}
    return [row for row in rows if row.indicator.number in improve and row.indicator.number not in covered]


def measures_page(organisation: Organisation, fiscal_year: int, *, created_by=None,
                  recommendations: bool = False) -> MeasuresPage:
    result = previous_result(organisation, fiscal_year)
    measures = measures_for(organisation, fiscal_year, created_by=created_by, recommendations=recommendations)
    for measure in measures:
        measure.cells = progress_cells(measure)
    scores = {row.indicator.number: row.score for row in result.scores.all()} if result else {}
    return MeasuresPage(
        organisation=organisation, fiscal_year=fiscal_year,
        framework=measures_framework(organisation, fiscal_year, result), result=result, measures=measures,
        groups=group_by_indicator(measures, scores), scores=scores,
        uncovered=uncovered_indicators(result, measures),
    )

"""Reads behind the auditor pages: one fiscal year across organisations, one organisation across years.

The list page and its download both go through `parse_filters` and `filtered_results`, so what
is downloaded is exactly what is shown: same organisations, same filters, same order. Every
function costs a fixed number of queries whatever the number of organisations or years.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Avg, Count, F, Max, Prefetch, Q, QuerySet

from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation, OrgType
from lao_integrity.statements import Statement
from lao_integrity.thai import to_arabic_digits

from ..models import Framework, IndicatorScore, LevelBand, Result, Tool
from ..scoring import round2


def visible_results(user) -> QuerySet[Result]:
    return access.restrict(Result.objects.all(), user)


def result_for_page(pk: int) -> Result:
    """One result with its framework, scores (indicator order), parts and recommendations."""
    return (Result.objects.select_related("organisation", "framework")
            .prefetch_related(
                Prefetch("scores", queryset=IndicatorScore.objects.select_related("indicator__tool")
                         .order_by("indicator__number")),
                "part_scores__part", "recommendations__tool", "recommendations__items",
                "recommendations__measures", "framework__bands", "framework__tools",
                "framework__indicators__items")
            .get(pk=pk))


def result_by_org_year(organisation, fiscal_year: int) -> Result | None:
    return Result.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()


def history(organisation, *, complete_only: bool = False) -> list[Result]:
    """Every year's result for one organisation, oldest first, scores prefetched; `complete_only`:
    only the results entered in full (with an overall score), as the public pages show them."""
    results = Result.objects.filter(organisation=organisation)
    if complete_only:
        results = results.filter(overall__isnull=False)
    return list(results.select_related("framework")
                .prefetch_related(Prefetch("scores", queryset=IndicatorScore.objects.select_related("indicator")
                                           .order_by("indicator__number")))
                .order_by("fiscal_year"))


PASSED, FAILED = "ผ่าน", "ไม่ผ่าน"

# Every sort ends on the organisation's code so equal scores keep a stable order across pages.
SORTS: dict[str, tuple[str, list]] = {
    "-overall": ("คะแนนรวม มากไปน้อย", [F("overall").desc(nulls_last=True), "organisation__name",
                                         "organisation__code"]),
    "overall": ("คะแนนรวม น้อยไปมาก", [F("overall").asc(nulls_last=True), "organisation__name",
                                        "organisation__code"]),
    "name": ("ชื่อ ก-ฮ", ["organisation__name", "organisation__code"]),
    "-name": ("ชื่อ ฮ-ก", ["-organisation__name", "-organisation__code"]),
    "province": ("จังหวัด", ["organisation__province", "organisation__name", "organisation__code"]),
    # A rank is within its peer group (เทศบาลตำบล ...): ranks of two groups are never compared, so
    # the sort is by group, then rank within it (ita_result_year_rank_idx); unranked last.
    "rank": ("ลำดับในประเภทหน่วยงาน", [F("rank_group").asc(nulls_last=True), F("rank").asc(nulls_last=True),
                                      "organisation__name", "organisation__code"]),
}
DEFAULT_SORT = "-overall"


@dataclass(frozen=True)
class ResultFilters:
    fiscal_year: int | None
    province: str = ""
    org_type: str = ""
    level: str = ""
    passed: str = ""  # PASSED, FAILED or "" for both
    q: str = ""
    sort: str = DEFAULT_SORT
    missing_year: int | None = None  # asked for, but no framework: shown as "no data", never another year

    @property
    def active(self) -> bool:
        return bool(self.province or self.org_type or self.level or self.passed or self.q)


def default_fiscal_year(user) -> int | None:
    """The latest year with results the user may see, else the latest framework year."""
    year = visible_results(user).aggregate(year=Max("fiscal_year"))["year"]
    return year or Framework.objects.aggregate(year=Max("fiscal_year"))["year"]


def parse_filters(params: Mapping[str, str], *, user, years: list[int] | None = None) -> ResultFilters:
    """Query parameters -> filters. Unknown values are dropped, never an error: a stale link still opens.

    years: the framework years, when the caller has them already (saves a query).
    """
    if years is None:
        years = list(Framework.objects.values_list("fiscal_year", flat=True))
    raw_year = to_arabic_digits(params.get("fiscal_year") or "").strip()
    asked = int(raw_year) if raw_year.isascii() and raw_year.isdigit() and len(raw_year) == 4 else None
    fiscal_year = missing_year = None
    if asked in years:
        fiscal_year = asked
    elif asked is not None:
        # A year with no framework (FY 2569 today) has no data: say so rather than show another year.
        missing_year = asked
    else:
        fiscal_year = default_fiscal_year(user)
    org_type = params.get("org_type") or ""
    passed = (params.get("passed") or "").strip()
    sort = params.get("sort") or DEFAULT_SORT
    return ResultFilters(
        fiscal_year=fiscal_year,
        province=(params.get("province") or "").strip()[:100],
        org_type=org_type if org_type in OrgType.values else "",
        level=(params.get("level") or "").strip()[:4],
        passed=passed if passed in (PASSED, FAILED) else "",
        q=(params.get("q") or "").strip()[:100],
        sort=sort if sort in SORTS else DEFAULT_SORT,
        missing_year=missing_year,
    )


def filtered_results(user, filters: ResultFilters) -> QuerySet[Result]:
    """The results the user may see for the year, filtered and sorted. Used by the page and the download."""
    results = (visible_results(user).filter(fiscal_year=filters.fiscal_year)
               .select_related("organisation"))
    if filters.province:
        results = results.filter(organisation__province=filters.province)
    if filters.org_type:
        results = results.filter(organisation__org_type=filters.org_type)
    if filters.level:
        results = results.filter(level=filters.level)
    if filters.passed:
        results = results.filter(passed=filters.passed == PASSED)
    if filters.q:
        results = results.filter(Q(organisation__name__icontains=filters.q)
                                 | Q(organisation__code__icontains=filters.q))
    return results.order_by(*SORTS[filters.sort][1])


def result_counts(results: QuerySet[Result]) -> dict:
    """Number of results, number passed and the mean overall score (of those with one), in one query."""
    # COUNT(*) and the passed column, not the id: read from the (year, passed, overall) index alone.
    counts = results.order_by().aggregate(total=Count("*"), passed=Count("passed", filter=Q(passed=True)),
                                          mean=Avg("overall"))
    mean = counts["mean"]
    counts["mean"] = round2(Decimal(str(mean))) if mean is not None else None
    return counts


# result_counts of a whole year, compiled once (issue 19: building the aggregate cost a fifth of
# running it): one group, the year's, or no row for a year without results.
_YEAR_COUNTS = Statement(lambda fiscal_year: (
    Result.objects.filter(fiscal_year=fiscal_year).order_by().values("fiscal_year")
    .annotate(total=Count("*"), passed=Count("passed", filter=Q(passed=True)), mean=Avg("overall"))
    .values_list("total", "passed", "mean")))


def list_counts(user, filters: ResultFilters, results: QuerySet[Result]) -> dict:
    """result_counts(results) for the list page: a year unfiltered, for a user who sees every
    organisation, through the compiled statement (the same figures)."""
    if filters.fiscal_year is None or filters.active or not access.sees_every_organisation(user):
        return result_counts(results)
    rows = _YEAR_COUNTS.rows(filters.fiscal_year)
    total, passed, mean = rows[0] if rows else (0, 0, None)
    return {"total": total, "passed": passed, "mean": round2(Decimal(str(mean))) if mean is not None else None}


# Compiled once (issue 19: building the query cost more than running it).
_FRAMEWORKS_WITH_LEVELS = Statement(lambda: (
    Framework.objects.order_by("-fiscal_year", F("bands__min_score").desc())
    .values_list("fiscal_year", "provisional", "bands__level")))


def frameworks_with_levels() -> tuple[list[dict], dict[int, list[str]]]:
    """Every framework year, newest first, as {fiscal_year, provisional}, and each year's levels
    (highest first), in one query: the list page needs both."""
    frameworks: list[dict] = []
    levels: dict[int, list[str]] = {}
    for year, provisional, level in _FRAMEWORKS_WITH_LEVELS.rows():
        if year not in levels:
            frameworks.append({"fiscal_year": year, "provisional": provisional})
            levels[year] = []
        if level is not None:
            levels[year].append(level)
    return frameworks, levels


def _every_province() -> list[str]:
    """The distinct provinces of all organisations, in order, read from the province index one
    province at a time (77 index probes) rather than from all 7,850 organisations."""
    table = connection.ops.quote_name(Organisation._meta.db_table)
    column = connection.ops.quote_name(Organisation._meta.get_field("province").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE p(province) AS (SELECT MIN({column}) FROM {table} UNION ALL "
            f"SELECT (SELECT MIN(o.{column}) FROM {table} o WHERE o.{column} > p.province) FROM p "
            "WHERE p.province IS NOT NULL) SELECT province FROM p WHERE province IS NOT NULL")
        return [province for (province,) in cursor.fetchall()]


def filter_choices(user, fiscal_year: int | None, *, levels: list[str] | None = None) -> dict:
    """Options for the filter form: provinces of the organisations the user sees, the year's levels
    (`levels`: when the caller has them already, see frameworks_with_levels)."""
    if access.sees_every_organisation(user):
        provinces = _every_province()
    else:
        provinces = list(access.visible_organisations(user).order_by("province")
                         .values_list("province", flat=True).distinct())
    if levels is None:
        levels = list(LevelBand.objects.filter(framework__fiscal_year=fiscal_year).order_by("-min_score")
                      .values_list("level", flat=True))
    return {"provinces": provinces, "org_types": OrgType.choices, "levels": levels,
            "passed": [PASSED, FAILED], "sorts": [(key, label) for key, (label, _) in SORTS.items()]}


# --- one organisation across years -----------------------------------------------------------


@dataclass
class Cell:
    """One score in the history table with its change from the previous year's result."""

    value: Decimal | None
    delta: Decimal | None = None
    comparable: bool = True  # False when the indicator is not the same between the two frameworks
    total: bool = False  # the overall score, shown in bold

    @property
    def direction(self) -> str:
        if self.delta is None:
            return ""
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "same"


@dataclass
class HistoryRow:
    result: Result
    indicators: list[Cell]
    tools: dict[str, Cell]
    overall: Cell
    previous_year: int | None
    framework_notes: list[str] = field(default_factory=list)

    @property
    def fiscal_year(self) -> int:
        return self.result.fiscal_year

    @property
    def cells(self) -> list[Cell]:
        """Indicators, then IIT, EIT, OIT, then the overall score: the table's score columns in order."""
        return [*self.indicators, *self.tools.values(), self.overall]

    @property
    def gap(self) -> bool:
        """The previous result is not from the year before."""
        return self.previous_year is not None and self.previous_year != self.result.fiscal_year - 1


@dataclass
class History:
    rows: list[HistoryRow]
    indicator_numbers: list[int]
    indicator_names: dict[int, str]
    tool_codes: list[str]

    @property
    def indicator_columns(self) -> list[tuple[int, str]]:
        return [(n, self.indicator_names[n]) for n in self.indicator_numbers]

    def series(self, key) -> list[tuple[str, Decimal | None]]:
        """(year, value) points for a chart; key is "overall", a tool code or an indicator number.

        A year without a result between the first and the last is a None point: a gap in the line.
        """
        points = []
        for row in self.rows:
            if points and row.gap:
                points.extend((str(year), None) for year in range(row.previous_year + 1, row.fiscal_year))
            if key == "overall":
                cell = row.overall
            elif isinstance(key, int):
                cell = row.indicators[self.indicator_numbers.index(key)]
            else:
                cell = row.tools.get(key)
            points.append((str(row.fiscal_year), cell.value if cell else None))
        return points


def _delta(value: Decimal | None, before: Decimal | None) -> Decimal | None:
    return None if value is None or before is None else value - before


def _framework_notes(framework: Framework, before: Framework, indicators: dict, weights: dict) -> list[str]:
    """What changed in the framework between two results, in Thai; [] when nothing did.
    `indicators`: framework id -> {number: (number, name, tool code)}; `weights`: id -> {tool code: weight}."""
    if framework.pk == before.pk:
        return []
    notes = []
    now, then = indicators[framework.pk], indicators[before.pk]
    added, removed = sorted(set(now) - set(then)), sorted(set(then) - set(now))
    renamed = sorted(n for n in set(now) & set(then) if now[n] != then[n])
    if added:
        notes.append(f"เพิ่มตัวชี้วัดที่ {', '.join(map(str, added))}")
    if removed:
        notes.append(f"ไม่มีตัวชี้วัดที่ {', '.join(map(str, removed))}")
    if renamed:
        notes.append(f"ตัวชี้วัดที่ {', '.join(map(str, renamed))} เปลี่ยนชื่อหรือเครื่องมือ")
    if weights[framework.pk] != weights[before.pk]:
        notes.append("น้ำหนักเครื่องมือเปลี่ยน")
    if framework.pass_mark != before.pass_mark:
        notes.append(f"เกณฑ์ผ่านเปลี่ยนจาก {before.pass_mark} เป็น {framework.pass_mark}")
    return notes


_RESULT_FIELDS = [f.attname for f in Result._meta.concrete_fields]
_FRAMEWORK_FIELDS = [f.attname for f in Framework._meta.concrete_fields]
# Compiled once (issue 19: building a query cost more than running it).
_HISTORY_RESULTS = Statement(lambda organisation_id: (
    Result.objects.filter(organisation_id=organisation_id).order_by("fiscal_year")
    .values_list(*_RESULT_FIELDS, *(f"framework__{name}" for name in _FRAMEWORK_FIELDS))))
_BANDS = Statement(lambda framework_id: (
    LevelBand.objects.filter(framework_id=framework_id).order_by("-min_score").values_list("level", "min_score")))


def _results_with_frameworks(organisation_id: int) -> list[Result]:
    """The organisation's results, oldest first, each with its framework, as
    select_related("framework") makes them."""
    results = []
    db, at = Result.objects.db, len(_RESULT_FIELDS)
    for row in _HISTORY_RESULTS.rows(organisation_id):
        result = Result.from_db(db, _RESULT_FIELDS, row[:at])
        result.framework = None if result.framework_id is None else Framework.from_db(db, _FRAMEWORK_FIELDS, row[at:])
        results.append(result)
    return results


def organisation_history(organisation, *, complete_only: bool = False) -> History:
    """Every year's result for one organisation, oldest first, each compared with the one before it."""
    results = _results_with_frameworks(organisation.pk)
    if complete_only:
        results = [result for result in results if result.overall is not None]
    # Scores, indicators and tool weights as plain values, not model instances: a few hundred
    # objects a request were most of this page's cost (and its garbage-collection pauses).
    framework_ids = {r.framework_id for r in results}
    scores_of: dict[int, dict[int, Decimal]] = {r.pk: {} for r in results}
    # Unordered (.order_by()): the models' default orders joined the result, the organisation and
    # the framework only to sort rows that go into dictionaries.
    for result_id, number, score in (IndicatorScore.objects.filter(result_id__in=[r.pk for r in results]).order_by()
                                     .values_list("result_id", "indicator__number", "score")):
        scores_of[result_id][number] = score
    # Each framework's tools with their indicators, in one query (a tool without any: one row, None).
    indicators: dict[int, dict[int, tuple]] = {pk: {} for pk in framework_ids}
    weights: dict[int, dict[str, Decimal]] = {pk: {} for pk in framework_ids}
    for framework_id, code, weight, number, name in (
            Tool.objects.filter(framework_id__in=framework_ids).order_by()
            .values_list("framework_id", "code", "weight", "indicators__number", "indicators__name")):
        weights[framework_id][code] = weight
        if number is not None:
            indicators[framework_id][number] = (number, name, code)
    names: dict[int, str] = {}
    for result in results:  # oldest first, so the latest framework's names win
        names.update({number: key[1] for number, key in indicators[result.framework_id].items()})
    numbers = sorted(names)
    tool_codes = ["IIT", "EIT", "OIT"]
    rows: list[HistoryRow] = []
    before: Result | None = None
    before_scores: dict[int, Decimal] = {}
    for result in results:
        scores = scores_of[result.pk]
        if before is None:
            cells = [Cell(scores.get(n)) for n in numbers]
            tools = {code: Cell(getattr(result, code.lower())) for code in tool_codes}
            row = HistoryRow(result, cells, tools, Cell(result.overall, total=True), previous_year=None)
        else:
            now, then = indicators[result.framework_id], indicators[before.framework_id]
            cells = []
            for n in numbers:
                comparable = n in now and now.get(n) == then.get(n)
                delta = _delta(scores.get(n), before_scores.get(n)) if comparable else None
                cells.append(Cell(scores.get(n), delta, comparable))
            tools = {code: Cell(getattr(result, code.lower()),
                                _delta(getattr(result, code.lower()), getattr(before, code.lower())))
                     for code in tool_codes}
            row = HistoryRow(result, cells, tools, Cell(result.overall, _delta(result.overall, before.overall), total=True),
                             previous_year=before.fiscal_year,
                             framework_notes=_framework_notes(result.framework, before.framework, indicators, weights))
        rows.append(row)
        before, before_scores = result, scores
    return History(rows=rows, indicator_numbers=numbers, indicator_names=names, tool_codes=tool_codes)


def latest_bands(history: History) -> list[tuple[str, Decimal]]:
    """(level, minimum) of the latest year's framework, highest first, for shading the chart."""
    if not history.rows:
        return []
    return [tuple(row) for row in _BANDS.rows(history.rows[-1].result.framework_id)]

"""Reads of LPA results shaped for the pages, each in a fixed number of queries.

Ranks are within the province and year, over every result stored for it (a member who sees only
their own organisation still sees its place in the province); ties share a rank and the next
rank skips (two 90.33 are both 12th, the next is 14th), as "1224" ranking does.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Func, IntegerField, Q, Sum

from lao_integrity.orgs import access
from lao_integrity.orgs.models import ORG_VOCABULARY, Organisation, OrgType
from lao_integrity.statements import Statement

from ..models import Area, LpaAreaScore, LpaResult, percent


def competition_ranks(percents: dict[int, Decimal | None]) -> dict[int, int]:
    """key -> rank, highest percentage first; equal percentages share the rank (1, 2, 2, 4)."""
    ordered = sorted((p, key) for key, p in percents.items() if p is not None)
    ordered.reverse()
    ranks, previous, rank = {}, None, 0
    for position, (value, key) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return ranks


def _province_ranks(condition: Q) -> tuple[dict[int, int], dict[int, int]]:
    """Result pk -> rank within its province and year, and pk -> how many results that rank is
    among, for the results `condition` selects (one query: the five-area totals summed in the
    database)."""
    totals = (LpaResult.objects.filter(condition)
              .values("pk", "fiscal_year", "organisation__province")
              .annotate(full=Sum("areas__full_marks"), score=Sum("areas__score")))
    groups: dict[tuple, dict[int, Decimal | None]] = defaultdict(dict)
    for row in totals:
        groups[(row["fiscal_year"], row["organisation__province"])][row["pk"]] = percent(row["score"], row["full"])
    ranks: dict[int, int] = {}
    among: dict[int, int] = {}
    for percents in groups.values():
        group_ranks = competition_ranks(percents)
        ranks.update(group_ranks)
        among.update(dict.fromkeys(group_ranks, len(group_ranks)))
    return ranks, among


@dataclass
class ResultRow:
    result: LpaResult
    rank: int | None
    areas: list = field(default_factory=list)  # AreaFigures in area order
    ranked_among: int | None = None  # how many results of the province that year are ranked

    @property
    def organisation(self) -> Organisation:
        return self.result.organisation

    @property
    def total_full(self) -> Decimal:
        return sum((a.full_marks for a in self.areas), Decimal(0))

    @property
    def total_score(self) -> Decimal:
        return sum((a.score for a in self.areas), Decimal(0))

    @property
    def percent(self) -> Decimal | None:
        return percent(self.total_score, self.total_full)


@dataclass
class ProvinceTable:
    province: str
    fiscal_year: int
    rows: list  # TableRow (ResultRow for what reads the figures)
    ranked_in_province: int  # how many results the ranks are among (the rows shown may be fewer)

    @property
    def data_as_of(self):
        dates = [row.result.data_as_of for row in self.rows if row.result.data_as_of]
        return max(dates) if dates else None

    @property
    def reporter(self) -> tuple[str, str]:
        """The reporter and position of the most recent import that named one."""
        named = [row.result for row in self.rows if row.result.reporter]
        if not named:
            return "", ""
        latest = max(named, key=lambda r: (r.updated_at, r.pk))
        return latest.reporter, latest.reporter_position


class AreaFigures(NamedTuple):
    """One area's marks of a result, as the pages read them (what LpaAreaScore shows, read as
    plain values: a province table has 625 of them, and model instances were a third of it; a
    tuple is made faster than a frozen dataclass)."""
    area: int
    full_marks: Decimal
    score: Decimal

    @property
    def percent(self) -> Decimal | None:
        return percent(self.score, self.full_marks)


def _with_areas(results: list[LpaResult]) -> list[LpaResult]:
    """Each result's `figures`, its AreaFigures in area order (one query, by result id only: the
    model's ordering by result would join the result and its organisation to sort them)."""
    figures: dict[int, list[AreaFigures]] = {result.pk: [] for result in results}
    rows = (LpaAreaScore.objects.filter(result_id__in=list(figures)).order_by("area")
            .values_list("result_id", "area", "full_marks", "score"))
    for result_id, area, full_marks, score in rows:
        figures[result_id].append(AreaFigures(area, full_marks, score))
    for result in results:
        result.figures = figures[result.pk]
    return results


def _row(result, ranks, among) -> ResultRow:
    return ResultRow(result, ranks.get(result.pk), result.figures, among.get(result.pk))


def _rows(results, ranks, among) -> list[ResultRow]:
    rows = [_row(result, ranks, among) for result in results]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.organisation.name, r.organisation.code))
    return rows


ORG_TYPES = dict(OrgType.choices)
_VOCABULARY = {str(org_type.value): words for org_type, words in ORG_VOCABULARY.items()}
# org type -> (prefix, abbreviation), None for the types named in full (Organisation.abbreviated_name).
_ABBREVIATIONS = {org_type: None if org_type in (OrgType.BANGKOK, OrgType.PATTAYA) else (words["prefix"], words["abbr"])
                  for org_type, words in _VOCABULARY.items()}


class TableOrganisation:
    """An organisation as the province table, its PDF and its export read it, from plain values: 125
    organisations and their results as model instances were a third of the page (issue 19). Its
    names come from Organisation's own properties; it equals the Organisation of its pk."""
    __slots__ = ("pk", "code", "org_type", "name", "district", "province")
    # Organisation.vocabulary without making an OrgType of the text each time (twice a row).
    vocabulary = property(lambda self: _VOCABULARY[self.org_type])
    short_name = Organisation.short_name

    @property
    def abbreviated_name(self) -> str:
        """Organisation.abbreviated_name (tests/lpa compare them), from each type's prefix and
        abbreviation looked up once: a row of the table asks for it once."""
        words = _ABBREVIATIONS[self.org_type]
        if words is None:
            return self.name
        prefix, abbreviation = words
        return f"{abbreviation}{self.name.removeprefix(prefix) or self.name}"

    def __init__(self, pk, code, org_type, name, district, province):
        self.pk, self.code, self.org_type, self.name, self.district, self.province = (
            pk, code, org_type, name, district, province)

    @property
    def id(self):
        return self.pk

    def get_org_type_display(self) -> str:
        return str(ORG_TYPES.get(self.org_type, self.org_type))

    def __eq__(self, other):
        if isinstance(other, (TableOrganisation, Organisation)):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(self.pk)

    def __str__(self):
        return f"{self.name} ({self.code})"


class TableResult(NamedTuple):
    """A result as the province table reads it (see TableOrganisation)."""
    pk: int
    fiscal_year: int
    data_as_of: object
    reporter: str
    reporter_position: str
    updated_at: object
    organisation: TableOrganisation


RESULT_FIELDS = ("pk", "fiscal_year", "data_as_of", "reporter", "reporter_position", "updated_at", "organisation_id",
                 "organisation__code", "organisation__org_type", "organisation__name", "organisation__district",
                 "organisation__province")


class _Hundredths(Func):
    """A mark in hundredths, as an integer: PostgreSQL sends it as one, which the driver reads
    without making a Decimal (1,250 of them a province table, issue 19). Rounded first elsewhere:
    SQLite keeps a decimal as a float, and 0.29 * 100 is 28.999..."""
    template = "CAST(ROUND(%(expressions)s * 100) AS integer)"
    output_field = IntegerField()
    # The database gives an integer already: no int() per value (Django's converter for an
    # IntegerField expression made each row a list again and cost as much as the Decimals).
    convert_value = staticmethod(Func._convert_value_noop)

    def as_postgresql(self, compiler, connection, **extra):
        # numeric(6,2) times 100 is whole: no rounding.
        return self.as_sql(compiler, connection, template="(%(expressions)s * 100)::integer", **extra)


def _decimal(hundredths: int) -> Decimal:
    """The Decimal the database gives for a mark of `hundredths` (two decimal places: 12.50)."""
    return Decimal(hundredths).scaleb(-2)


class TableRow:
    """A row of the province table, with its marks in hundredths (`marks`: (result id, area, full
    marks, score) in area order) and their sums, which the page writes from (rows.py). Otherwise a
    ResultRow: its `areas` (AreaFigures of Decimals), totals and percentage, for the PDF and the
    export."""
    __slots__ = ("result", "rank", "ranked_among", "marks", "_areas")

    organisation = ResultRow.organisation
    total_full = ResultRow.total_full
    total_score = ResultRow.total_score
    percent = ResultRow.percent

    def __init__(self, result, rank, marks, ranked_among):
        self.result, self.rank, self.marks, self.ranked_among, self._areas = result, rank, marks, ranked_among, None

    @property
    def areas(self) -> list[AreaFigures]:
        if self._areas is None:
            self._areas = [AreaFigures(area, _decimal(full), _decimal(score)) for _, area, full, score in self.marks]
        return self._areas


def percent_hundredths(score: int, full: int) -> int:
    """percent() of marks in hundredths, in hundredths of a per cent (95.96 -> 9596): the same
    rounding, half up, in integers (marks are never negative)."""
    return (score * 20000 + full) // (2 * full)


# The province table's two reads, compiled once (issue 19: building and compiling them was a tenth
# of the page): every result's marks in the province and year, and its results with their
# organisations (for those who see every organisation; others' are limited by access.restrict).
_PROVINCE_MARKS = Statement(lambda province, fiscal_year: (
    LpaAreaScore.objects.filter(result__organisation__province=province, result__fiscal_year=fiscal_year)
    .annotate(full_hundredths=_Hundredths("full_marks"), score_hundredths=_Hundredths("score"))
    .order_by("area").values_list("result_id", "area", "full_hundredths", "score_hundredths")))
_PROVINCE_RESULTS = Statement(lambda province, fiscal_year: (
    LpaResult.objects.filter(organisation__province=province, fiscal_year=fiscal_year)
    .order_by().values_list(*RESULT_FIELDS)))  # _rows sorts them


def province_table(user, province: str, fiscal_year: int) -> ProvinceTable | None:
    """The province's results for the year that `user` may see, ranked within the province; None
    when the user sees no result there (the page is then a 404). Two queries: every result's
    marks in the province (their sums rank them, as _province_ranks does in SQL), then the
    results the user may see."""
    marks: dict[int, list] = {}
    totals: dict[int, list[int]] = {}  # result id -> [full marks, score] in hundredths, summed as they come
    for row in _PROVINCE_MARKS.rows(province, fiscal_year):
        result_id = row[0]
        total = totals.get(result_id)
        if total is None:
            marks[result_id] = [row]
            totals[result_id] = [row[2], row[3]]
        else:
            marks[result_id].append(row)
            total[0] += row[2]
            total[1] += row[3]
    # Ranked on the percentage to two places as percent() gives it, in integers.
    ranks = competition_ranks({result_id: percent_hundredths(score, full) if full else None
                               for result_id, (full, score) in totals.items()})
    among = dict.fromkeys(ranks, len(ranks))
    if access.sees_every_organisation(user):
        values = _PROVINCE_RESULTS.rows(province, fiscal_year)
    else:
        values = access.restrict(LpaResult.objects.filter(organisation__province=province, fiscal_year=fiscal_year),
                                 user).order_by().values_list(*RESULT_FIELDS)
    results = [TableResult(*row[:6], TableOrganisation(*row[6:])) for row in values]
    if not results:
        return None
    rows = [TableRow(result, ranks.get(result.pk), marks.get(result.pk, ()), among.get(result.pk))
            for result in results]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.result.organisation.name, r.result.organisation.code))
    return ProvinceTable(province, fiscal_year, rows, len(ranks))


def history(organisation: Organisation) -> list[ResultRow]:
    """The organisation's results, newest year first, each with its rank in the province that year
    (three queries)."""
    results = _with_areas(list(organisation.lpa_results.select_related("organisation").order_by("-fiscal_year")))
    if not results:
        return []
    ranks, among = _province_ranks(Q(organisation__province=organisation.province,
                                     fiscal_year__in=[r.fiscal_year for r in results]))
    return [_row(r, ranks, among) for r in results]


def percentages(fiscal_year: int, organisation_ids) -> dict[int, Decimal | None]:
    """organisation id -> its five-area LPA percentage for the year (one query), for what reads the
    LPA result elsewhere (the performance bonus's part 2)."""
    totals = (LpaResult.objects.filter(fiscal_year=fiscal_year, organisation_id__in=list(organisation_ids))
              .values("organisation_id").annotate(full=Sum("areas__full_marks"), score=Sum("areas__score")))
    return {row["organisation_id"]: percent(row["score"], row["full"]) for row in totals}


def years_and_provinces(user) -> list[dict]:
    """The (province, year) tables the user may open, with how many results they see in each."""
    visible = access.restrict(LpaResult.objects.all(), user)
    return list(visible.values("organisation__province", "fiscal_year")
                .annotate(count=Count("pk")).order_by("-fiscal_year", "organisation__province"))


AREAS = list(Area)

"""Reads shaped for the agreement pages and documents; each costs a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min, Prefetch, QuerySet, Sum

from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation, Person
from lao_integrity.signing import stored
from lao_integrity.statements import Statement

from . import scoring
from .models import (
    AgreementIndicator,
    Aspect,
    IndicatorProgress,
    PerformanceAgreement,
    WorkType,
)
from .scoring import format_decimal
from .services import sign_problems

_RELATED = ("organisation", "unit", "person", "person__unit", "executive", "signed_by")


def agreements_for_user(user, *, fiscal_year: int | None = None, round: int | None = None,
                        kind: str | None = None) -> QuerySet[PerformanceAgreement]:
    """The list page's agreements by organisation (name, then code), newest year first within
    each, ending on the id so the order is total and pages never overlap. Led by the organisation's
    name, a page is read along the organisations' name index, not sorted from every agreement.
    Indicator counts and weights: `with_indicator_totals` on one page."""
    queryset = (
        access.restrict(PerformanceAgreement.objects.all(), user)
        .select_related("organisation", "unit", "person", "executive")
        .order_by("organisation__name", "organisation__code", "-fiscal_year", "round", "kind", "unit__order",
                  "person__first_name", "pk")
    )
    if fiscal_year:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    if round:
        queryset = queryset.filter(round=round)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def with_indicator_totals(agreements) -> list[PerformanceAgreement]:
    """Sets `indicator_count` and `weight_sum` on each agreement of one page, in one query."""
    agreements = list(agreements)
    totals = {row["agreement"]: row for row in
              AgreementIndicator.objects.filter(agreement__in=[a.pk for a in agreements]).order_by()
              .values("agreement").annotate(n=Count("pk"), weight=Sum("weight"))}
    for agreement in agreements:
        row = totals.get(agreement.pk)
        agreement.indicator_count = row["n"] if row else 0
        agreement.weight_sum = row["weight"] if row else None
    return agreements


def agreement_years(user) -> list[int]:
    """The years to offer in the filter, newest first: from the first to the last year the user has
    (one query, read from the ends of an index)."""
    bounds = access.restrict(PerformanceAgreement.objects.all(), user).aggregate(
        first=Min("fiscal_year"), last=Max("fiscal_year"))
    if bounds["first"] is None:
        return []
    return list(range(bounds["last"], bounds["first"] - 1, -1))


def agreement_for_page(pk: int) -> PerformanceAgreement:
    return PerformanceAgreement.objects.select_related(*_RELATED).get(pk=pk)


# What the agreement's own page shows of its parties: the 7-table join of `_RELATED` cost more
# to plan and to compile than the page's whole read (issue 19); the signer and the person's unit
# are not on it. The read is compiled once.
_DETAIL_PARTIES = {
    "organisation": ("code", "name", "province", "district"),
    "unit": ("name",),
    **{who: ("prefix", "first_name", "last_name", "position") for who in ("person", "executive")},
}
_AGREEMENT_FIELDS = [f.attname for f in PerformanceAgreement._meta.concrete_fields]
_AGREEMENT_FOR_DETAIL = Statement(lambda pk: (
    PerformanceAgreement.objects.filter(pk=pk).order_by().select_related(*_DETAIL_PARTIES)
    .only(*_AGREEMENT_FIELDS, *(f"{who}__{name}" for who, names in _DETAIL_PARTIES.items() for name in names))))


def agreement_for_detail(pk: int) -> PerformanceAgreement:
    """The agreement for its page (views.agreement_detail): only the parties' fields it shows
    (and the organisation's place, which an auditor's scope is checked against)."""
    found = _AGREEMENT_FOR_DETAIL.objects(pk)
    if not found:
        raise PerformanceAgreement.DoesNotExist("PerformanceAgreement matching query does not exist.")
    return found[0]


def signed_pdf(agreement: PerformanceAgreement) -> bytes:
    """The PDF stored at signing, refused if its bytes no longer match the recorded SHA-256."""
    if not agreement.pdf or not agreement.pdf_sha256:
        raise ValidationError("ข้อตกลงนี้ไม่มีไฟล์ PDF ที่จัดเก็บไว้ตอนลงนาม")
    return stored.read(agreement)


def indicator_for_page(pk: int) -> AgreementIndicator:
    return AgreementIndicator.objects.select_related(*(f"agreement__{r}" for r in _RELATED)).get(pk=pk)


def plan_projects_for(agreement: PerformanceAgreement) -> QuerySet:
    """Projects of the organisation's plan of the agreement's fiscal year: what it may link to."""
    # The plans app's Project, reached through the agreement's own relation: a domain app
    # imports no other domain app.
    project = PerformanceAgreement._meta.get_field("projects").related_model
    return (project.objects.filter(plan__organisation_id=agreement.organisation_id,
                                   plan__fiscal_year=agreement.fiscal_year)
            .select_related("plan").order_by("sequence"))


# --- one agreement, grouped for the page and the document ---------------------------------


@dataclass
class IndicatorRow:
    number: int
    indicator: AgreementIndicator
    cells: list[tuple[int, IndicatorProgress | None]]

    @property
    def baseline(self) -> str:
        return format_decimal(self.indicator.baseline) or "-"

    @property
    def targets(self) -> list[str]:
        return [format_decimal(t) for t in self.indicator.targets]

    @property
    def weight(self) -> str:
        return format_decimal(self.indicator.weight)

    @property
    def achieved_value(self) -> str:
        return format_decimal(self.indicator.achieved_value)

    @property
    def weighted_score(self) -> str:
        level = self.indicator.achieved_level
        if level is None:
            return ""
        return format_decimal(scoring.weighted_score([(self.indicator.weight, level)]))

    @property
    def latest_value(self) -> Decimal | None:
        """The last quarter's cumulative value: the natural proposal for the evaluation."""
        values = [p.value for _, p in self.cells if p is not None and p.value is not None]
        return values[-1] if values else None


@dataclass
class WorkTypeGroup:
    value: str
    label: str
    rows: list[IndicatorRow] = field(default_factory=list)


@dataclass
class AspectGroup:
    value: str
    label: str
    work_types: list[WorkTypeGroup] = field(default_factory=list)

    @property
    def weight(self) -> str:
        return format_decimal(sum((r.indicator.weight for w in self.work_types for r in w.rows), Decimal(0)))


@dataclass
class AgreementDetail:
    agreement: PerformanceAgreement
    groups: list[AspectGroup]
    rows: list[IndicatorRow]
    quarters: tuple[int, int]
    weight_total: Decimal
    projects: list  # the plans app's Project rows the agreement is linked to
    sign_problems: list[str]

    @property
    def weight_ok(self) -> bool:
        return self.weight_total == scoring.WEIGHT_TOTAL

    @property
    def weight_total_text(self) -> str:
        return format_decimal(self.weight_total)

    @property
    def score_text(self) -> str:
        score = self.agreement.score
        return "" if score is None else f"{score:.2f}"


def _group(agreement: PerformanceAgreement, indicators: list[AgreementIndicator],
           progress: dict[int, list[IndicatorProgress]] | None = None) -> tuple[list, list]:
    """`progress`: each indicator's progress when read already, else its prefetched `progress`."""
    quarters = agreement.quarters
    aspect_order = {value: i for i, value in enumerate(Aspect.values)}
    type_order = {value: i for i, value in enumerate(WorkType.values)}
    ordered = sorted(indicators, key=lambda i: (aspect_order.get(i.aspect, 99), type_order.get(i.work_type, 99),
                                                i.order, i.pk or 0))
    groups: list[AspectGroup] = []
    rows: list[IndicatorRow] = []
    for number, indicator in enumerate(ordered, start=1):
        by_quarter = {p.quarter: p for p in (indicator.progress.all() if progress is None else progress[indicator.pk])}
        row = IndicatorRow(number=number, indicator=indicator, cells=[(q, by_quarter.get(q)) for q in quarters])
        rows.append(row)
        if not groups or groups[-1].value != indicator.aspect:
            groups.append(AspectGroup(indicator.aspect, indicator.get_aspect_display()))
        aspect = groups[-1]
        if not aspect.work_types or aspect.work_types[-1].value != indicator.work_type:
            aspect.work_types.append(WorkTypeGroup(indicator.work_type, indicator.get_work_type_display()))
        aspect.work_types[-1].rows.append(row)
    return groups, rows


def _indicators(queryset) -> QuerySet[AgreementIndicator]:
    return queryset.prefetch_related(Prefetch("progress", queryset=IndicatorProgress.objects.order_by("quarter")))


_OWN = [f.attname for f in AgreementIndicator._meta.concrete_fields]
_THEIRS = [f.attname for f in IndicatorProgress._meta.concrete_fields if f.attname != "indicator_id"]
_PROGRESS_NAMES = [f.attname for f in IndicatorProgress._meta.concrete_fields]
# Compiled once (issue 19: building the query cost more than running it).
_INDICATORS_WITH_PROGRESS = Statement(lambda agreement_id: (
    AgreementIndicator.objects.filter(agreement_id=agreement_id).order_by("order", "id", "progress__quarter")
    .values_list(*_OWN, *(f"progress__{name}" for name in _THEIRS))))


def _with_progress(agreement: PerformanceAgreement) -> tuple[list[AgreementIndicator], dict[int, list]]:
    """The agreement's indicators in their order (the model's, without the join to the agreement
    that ordering by "agreement" costs) and each one's progress by quarter, in one query: the
    progress joined to its indicator, both made into model instances as a query would."""
    own, theirs, names = _OWN, _THEIRS, _PROGRESS_NAMES
    at = names.index("indicator_id")
    indicators: list[AgreementIndicator] = []
    progress: dict[int, list[IndicatorProgress]] = {}
    db = AgreementIndicator.objects.db
    for row in _INDICATORS_WITH_PROGRESS.rows(agreement.pk):
        values, joined = row[:len(own)], list(row[len(own):])
        indicator_id = values[own.index("id")]
        if indicator_id not in progress:
            indicator = AgreementIndicator.from_db(db, own, values)
            indicator.agreement = agreement
            indicators.append(indicator)
            progress[indicator_id] = []
        if joined[theirs.index("id")] is not None:
            joined.insert(at, indicator_id)
            made = IndicatorProgress.from_db(db, names, joined)
            made.indicator = indicators[-1]  # rows come indicator by indicator (ordered by its id)
            progress[indicator_id].append(made)
    return indicators, progress


# The plans app's Project, reached through the agreement's own relation (a domain app
# imports no other domain app).
_PROJECT = PerformanceAgreement._meta.get_field("projects").related_model
# Of a project, what the page and the document name (its plan's year, sequence, name, link).
_LINKED_PROJECTS = Statement(lambda agreement_id: (
    _PROJECT.objects.filter(performance_agreements=agreement_id).order_by("plan__fiscal_year", "sequence")
    .select_related("plan").only("id", "plan_id", "sequence", "name", "plan__fiscal_year")))


def _linked_projects(agreement_id: int) -> list:
    """The agreement's projects with their plans (one query, compiled once)."""
    return _LINKED_PROJECTS.objects(agreement_id)


def agreement_detail(agreement: PerformanceAgreement) -> AgreementDetail:
    """Two queries: indicators with their progress, the linked projects."""
    indicators, progress = _with_progress(agreement)
    groups, rows = _group(agreement, indicators, progress)
    projects = _linked_projects(agreement.pk)
    return AgreementDetail(
        agreement=agreement, groups=groups, rows=rows, quarters=agreement.quarters,
        weight_total=scoring.weight_total(i.weight for i in indicators), projects=projects,
        sign_problems=sign_problems(agreement, indicators),
    )


def agreements_for_document(organisation: Organisation, fiscal_year: int, *, person: Person | None = None,
                            round: int | None = None) -> list[AgreementDetail]:
    """Every agreement of the organisation's year (optionally one person's / one round's), grouped."""
    queryset = (PerformanceAgreement.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
                .select_related(*_RELATED).order_by("round", "kind", "unit__order", "person__first_name"))
    if person is not None:
        queryset = queryset.filter(person=person)
    if round:
        queryset = queryset.filter(round=round)
    agreements = list(queryset)
    indicators = list(_indicators(AgreementIndicator.objects.filter(agreement__in=agreements)))
    projects = {a.pk: [] for a in agreements}
    through = PerformanceAgreement.projects.through.objects.filter(
        performanceagreement__in=agreements).select_related("project__plan")
    for link in through:
        projects[link.performanceagreement_id].append(link.project)
    details = []
    for agreement in agreements:
        own = [i for i in indicators if i.agreement_id == agreement.pk]
        groups, rows = _group(agreement, own)
        details.append(AgreementDetail(
            agreement=agreement, groups=groups, rows=rows, quarters=agreement.quarters,
            weight_total=scoring.weight_total(i.weight for i in own), projects=projects[agreement.pk],
            sign_problems=sign_problems(agreement, own)))
    return details

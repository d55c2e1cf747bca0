"""Reads of the performance bonus, shaped for its pages: the provincial summary of a year (every
municipality, part 1, the LPA percentage, part 2 by the year's rule, the total) in a fixed number
of queries, whatever the number of organisations.

The LPA percentage is read from the LPA models directly (lpa.results is a sibling being built at
the same time; lpa.bonus may import it, never the reverse): total score over total full marks of
the five areas, through lpa.models.percent. A result with fewer than five areas has no percentage
yet, so no points are invented from it."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, FilteredRelation, Q, QuerySet, Sum

from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation, OrgType
from lao_integrity.statements import Statement

from ..models import BONUS_DIMENSIONS, Area, BonusRule, BonusScore, LpaAreaScore, percent

# Only municipalities are scored by the ก.ท.จ. (อบต. by their own committee).
MUNICIPAL_TYPES = (OrgType.SUBDISTRICT_MUNI, OrgType.TOWN, OrgType.CITY)
_TYPE_PREFIXES = ("เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร")
AREA_COUNT = len(Area.choices)
SUMMARY_FIELDS = ("pk", "code", "org_type", "name", "district", "province")
_SUMMARY_ATTNAMES = ["id", *SUMMARY_FIELDS[1:]]  # what Organisation.from_db is given for them


@dataclass(frozen=True)
class Lpa:
    """One organisation's LPA of a year: the summed scores and full marks of its stored areas."""

    score: Decimal
    full: Decimal
    areas: int

    @property
    def complete(self) -> bool:
        return self.areas == AREA_COUNT

    @property
    def percent(self) -> Decimal | None:
        return percent(self.score, self.full) if self.complete else None


def lpa_by_organisation(organisations: QuerySet | Iterable[int], fiscal_year: int) -> dict[int, Lpa]:
    """Each organisation's LPA of `fiscal_year` (organisation id -> Lpa), in one query; a queryset
    of organisations is used as a sub-query, so it stays one query for a whole country."""
    rows = (LpaAreaScore.objects
            .filter(result__fiscal_year=fiscal_year, result__organisation__in=organisations)
            .values("result__organisation_id")
            .annotate(score=Sum("score"), full=Sum("full_marks"), areas=Count("id"))
            .order_by())
    return {row["result__organisation_id"]: Lpa(row["score"], row["full"], row["areas"]) for row in rows}


def lpa_percentages(organisations: QuerySet | Iterable[int], fiscal_year: int) -> dict[int, Decimal | None]:
    """Organisation id -> LPA percentage of the year (None: the result lacks an area)."""
    return {org_id: lpa.percent for org_id, lpa in lpa_by_organisation(organisations, fiscal_year).items()}


def short_name(organisation: Organisation) -> str:
    """The summary's short name: "เทศบาลตำบลบ้านดู่" -> "บ้านดู่"."""
    for prefix in _TYPE_PREFIXES:
        if organisation.name.startswith(prefix) and len(organisation.name) > len(prefix):
            return organisation.name[len(prefix):]
    return organisation.name


def short_district(district: str, province: str) -> str:
    """The summary's district: "เมืองเชียงราย" -> "เมือง", "อำเภอแม่สาย" -> "แม่สาย"."""
    name = district.removeprefix("อำเภอ").strip()
    return "เมือง" if name == f"เมือง{province}" else name


@dataclass
class Row:
    number: int  # running number over the table (the seed's "๑ บ้านดู่")
    organisation: Organisation
    name: str
    score: BonusScore | None
    lpa: Lpa | None
    points: Decimal | None

    @cached_property  # read by the table, the totals' count and the xlsx: computed once
    def dimensions(self) -> list[Decimal | None]:
        return [getattr(self.score, name) if self.score else None for name, _l, _f in BONUS_DIMENSIONS]

    @cached_property
    def part1(self) -> Decimal | None:
        return self.score.part1 if self.score else None

    @cached_property
    def lpa_percent(self) -> Decimal | None:
        return self.lpa.percent if self.lpa else None

    @cached_property
    def total(self) -> Decimal | None:
        if self.part1 is None or self.points is None:
            return None
        return self.part1 + self.points

    @property
    def missing(self) -> list[str]:
        """What keeps the row from a total, in Thai (shown in the remark column)."""
        out = []
        if self.score is None:
            out.append("ยังไม่บันทึกส่วนที่ 1")
        if self.lpa is None:
            out.append("ยังไม่มีผล LPA")
        elif not self.lpa.complete:
            out.append(f"ผล LPA ยังไม่ครบ {AREA_COUNT} ด้าน")
        return out

    @property
    def remark(self) -> str:
        return self.score.remark if self.score else ""


@dataclass
class District:
    number: int  # the seed's "ที่"
    name: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Summary:
    province: str
    fiscal_year: int
    rule: BonusRule | None
    districts: list[District]

    @property
    def rows(self) -> list[Row]:
        return [row for district in self.districts for row in district.rows]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def totals_count(self) -> int:
        return sum(1 for row in self.rows if row.total is not None)


def municipalities(user, province: str) -> QuerySet[Organisation]:
    """The municipalities of `province` the user may see (access.visible_organisations decides)."""
    return access.visible_organisations(user).filter(province=province, org_type__in=MUNICIPAL_TYPES)


def sees_province(user, province: str) -> bool:
    return access.visible_organisations(user).filter(province=province).exists()


# The summary's reads, compiled once per process (issue 19: building and compiling them cost more
# than running them): the year's rule (what .first() reads), and for those who see every
# organisation the province's municipalities with their LPA and their part 1 (others' are limited
# by access.visible_organisations, read by the ORM below).
_RULE = Statement(lambda fiscal_year: BonusRule.objects.filter(fiscal_year=fiscal_year)[:1])


def _with_lpa(organisations: QuerySet[Organisation], fiscal_year) -> QuerySet[Organisation]:
    """Each municipality with its LPA of the year summed alongside (what lpa_by_organisation gives,
    without a query of its own), in code order."""
    return (organisations
            .annotate(year_result=FilteredRelation("lpa_results", condition=Q(lpa_results__fiscal_year=fiscal_year)))
            .annotate(lpa_score=Sum("year_result__areas__score"), lpa_full=Sum("year_result__areas__full_marks"),
                      lpa_areas=Count("year_result__areas__id"))
            .order_by("code"))


_PROVINCE_LISTED = Statement(lambda province, fiscal_year: _with_lpa(
    Organisation.objects.filter(province=province, org_type__in=MUNICIPAL_TYPES), fiscal_year)
    .values_list(*SUMMARY_FIELDS, "lpa_score", "lpa_full", "lpa_areas"))
_PROVINCE_SCORES = Statement(lambda province, fiscal_year: BonusScore.objects.filter(
    organisation__province=province, organisation__org_type__in=MUNICIPAL_TYPES, fiscal_year=fiscal_year)
    .order_by())  # read into a dict by organisation


def rule_for(fiscal_year: int) -> BonusRule | None:
    found = _RULE.objects(fiscal_year)
    return found[0] if found else None


def _listed(user, province: str, fiscal_year: int) -> tuple[list[tuple[Organisation, Lpa | None]], list[BonusScore]]:
    """The municipalities the user may see, each with its LPA of the year (None: no area stored),
    and their part 1 scores of the year (two queries)."""
    if access.sees_every_organisation(user):
        rows = _PROVINCE_LISTED.rows(province, fiscal_year)
        listed = [(Organisation.from_db(DEFAULT_DB_ALIAS, _SUMMARY_ATTNAMES, row[:6]),
                   Lpa(row[6], row[7], row[8]) if row[8] else None) for row in rows]
        return listed, _PROVINCE_SCORES.objects(province, fiscal_year)
    # Only the fields the summary reads (not the emblem, a file).
    organisations = list(_with_lpa(municipalities(user, province).only(*SUMMARY_FIELDS), fiscal_year))
    listed = [(org, Lpa(org.lpa_score, org.lpa_full, org.lpa_areas) if org.lpa_areas else None)
              for org in organisations]
    ids = [org.pk for org in organisations]
    return listed, list(BonusScore.objects.filter(organisation_id__in=ids, fiscal_year=fiscal_year))


def province_summary(user, province: str, fiscal_year: int) -> Summary:
    """The ก.ท.จ. summary of `province` and `fiscal_year` as the user may see it: three queries
    (the rule, the municipalities with their LPA, their part 1), whatever their number.

    Districts come in the order of their first organisation code and organisations by code, which
    is the order the province numbers them in (the seed's เมือง, แม่ลาว, แม่สรวย…)."""
    rule = rule_for(fiscal_year)
    listed, part1 = _listed(user, province, fiscal_year)
    scores = {s.organisation_id: s for s in part1}
    by_district: dict[str, list[tuple[Organisation, Lpa | None]]] = {}
    for org, lpa in listed:
        by_district.setdefault(org.district, []).append((org, lpa))
    # Grouped first, numbered after: the running number goes down the printed table even where a
    # district's codes are not contiguous.
    districts, number = [], 0
    for index, (name, members) in enumerate(by_district.items(), start=1):
        district = District(index, short_district(name, province))
        for org, lpa in members:
            number += 1
            points = rule.points(lpa.percent) if rule and lpa else None
            district.rows.append(Row(number, org, short_name(org), scores.get(org.pk), lpa, points))
        districts.append(district)
    return Summary(province, fiscal_year, rule, districts)


def score_for(organisation: Organisation, fiscal_year: int) -> BonusScore | None:
    return BonusScore.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()


def entry_context(organisation: Organisation, fiscal_year: int) -> dict:
    """What the entry form shows beside the fields: part 2 as it stands (the LPA and the rule)."""
    rule = rule_for(fiscal_year)
    lpa = lpa_by_organisation([organisation.pk], fiscal_year).get(organisation.pk)
    return {"rule": rule, "lpa": lpa, "points": rule.points(lpa.percent) if rule and lpa else None}

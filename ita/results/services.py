"""Writes to ITA results. Scores are validated against the year's framework; the tool scores,
overall score, level and pass are recomputed here and nowhere else."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lao_integrity.concurrency import claim, save_claimed
from lao_integrity.history import records_user
from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation
from lao_integrity.pagecache.versions import scoped
from lao_integrity.thai import to_arabic_digits

from .. import scoring
from ..models import Framework, IndicatorScore, PartScore, Result, check_rank

LIMITS = (Decimal("0"), Decimal("100"))


def framework_for_year(fiscal_year: int) -> Framework:
    framework = Framework.objects.filter(fiscal_year=fiscal_year).first()
    if framework is None:
        raise ValidationError(f"ยังไม่มีกรอบการประเมิน ITA ของปีงบประมาณ {fiscal_year}")
    return framework


def framework_spec(framework: Framework) -> scoring.FrameworkSpec:
    tools = []
    for tool in framework.tools.prefetch_related("indicators", "parts").order_by("order"):
        tools.append(scoring.ToolSpec(
            code=tool.code, weight=tool.weight,
            indicators=tuple(sorted(i.number for i in tool.indicators.all())),
            parts={p.code: p.weight for p in tool.parts.all()},
        ))
    bands = tuple((b.level, b.min_score) for b in framework.bands.order_by("-min_score"))
    return scoring.FrameworkSpec(tools=tuple(tools), bands=bands, pass_mark=framework.pass_mark)


def parse_score(value) -> Decimal:
    """A score as typed ("91.47", "๙๑.๔๗", 91.47) -> Decimal with two places; ValueError in Thai."""
    text = to_arabic_digits(str(value).strip()).replace(",", "")
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"คะแนน “{value}” ไม่ใช่ตัวเลข") from None
    if not score.is_finite() or not LIMITS[0] <= score <= LIMITS[1]:
        raise ValueError(f"คะแนน {value} ต้องอยู่ระหว่าง 0 ถึง 100")
    if score != score.quantize(scoring.CENT):
        raise ValueError(f"คะแนน {value} มีทศนิยมเกิน 2 ตำแหน่ง")
    return score.quantize(scoring.CENT)


def default_rank_group(organisation: Organisation) -> str:
    """The peer group a rank is in when none is given: the organisation's type ("เทศบาลตำบล")."""
    return organisation.vocabulary["prefix"] if organisation.org_type else ""


def rank_group_for(organisation: Organisation, rank: int | None, rank_group: str | None) -> str | None:
    """The group to store with `rank`: as given (spaces tidied), else the organisation's type; None
    without a rank. ValidationError (Thai) for a group without a rank, or a rank without any group."""
    group = " ".join((rank_group or "").split()) or None
    if rank is not None and group is None:
        group = default_rank_group(organisation) or None
    if group is not None and len(group) > Result._meta.get_field("rank_group").max_length:
        raise ValidationError({"rank_group": "ประเภทหน่วยงานที่จัดลำดับยาวเกิน 100 ตัวอักษร"})
    check_rank(rank, group)
    return group


def _recompute(result: Result, spec: scoring.FrameworkSpec) -> None:
    scores = {s.indicator.number: s.score for s in result.scores.select_related("indicator")}
    parts = {p.part.code: p.score for p in result.part_scores.select_related("part")}
    outcome = scoring.compute(spec, scores, parts)
    result.iit = outcome.tools.get("IIT")
    result.eit = outcome.tools.get("EIT")
    result.oit = outcome.tools.get("OIT")
    result.overall, result.level, result.passed = outcome.overall, outcome.level, outcome.passed


@scoped("organisation")
@records_user
@transaction.atomic
def result_save(*, organisation: Organisation, fiscal_year: int, scores: Mapping[int, Decimal],
                part_scores: Mapping[str, Decimal] | None = None, rank: int | None = None,
                rank_group: str | None = None,
                user, spec: scoring.FrameworkSpec | None = None,
                framework: Framework | None = None, expected_version: int | None = None) -> Result:
    """Create or replace one organisation's result for a year (scores by indicator number).

    `expected_version`: the version the score form was loaded with (0 when there was no result
    yet); StaleEdit if it moved. Without (files, the shell), the save moves the version on, so a
    form opened before it is refused. `rank` is within `rank_group` (the peer group the letter names,
    "เทศบาลตำบล"); a rank without a group is in the organisation's type (default_rank_group), a
    group without a rank is refused.
    """
    if not access.can_edit(user, organisation):
        raise PermissionDenied(access.READ_ONLY_MESSAGE)
    framework = framework or framework_for_year(fiscal_year)
    indicators = {i.number: i for i in framework.indicators.all()}
    parts = {p.code: p for p in framework.tools.get(code="EIT").parts.all()} if part_scores else {}
    problems = []
    unknown = sorted(set(scores) - set(indicators))
    if unknown:
        problems.append(f"ตัวชี้วัดที่ {', '.join(map(str, unknown))} ไม่มีในกรอบการประเมินปี {fiscal_year}")
    for number, value in scores.items():
        if not LIMITS[0] <= Decimal(value) <= LIMITS[1]:
            problems.append(f"คะแนนตัวชี้วัดที่ {number} ต้องอยู่ระหว่าง 0 ถึง 100")
    for code in part_scores or {}:
        if code not in parts:
            problems.append(f"ไม่มีส่วน {code} ในกรอบการประเมินปี {fiscal_year}")
    spec = spec or framework_spec(framework)
    if not problems and part_scores:
        for code in scoring.parts_disagree(spec, scores, part_scores):
            problems.append(f"คะแนน {code} รายส่วนไม่สอดคล้องกับคะแนนรายตัวชี้วัด (ต่างกันเกินการปัดเศษ)")
    if problems:
        raise ValidationError(problems)
    rank_group = rank_group_for(organisation, rank, rank_group)
    result = claim(Result, expected_version, organisation=organisation, fiscal_year=fiscal_year)
    if result.pk is None:
        result.framework = framework
        save_claimed(result, expected_version, organisation=organisation, fiscal_year=fiscal_year)
    result.framework = framework
    result.rank, result.rank_group = rank, rank_group
    result.updated_by = access.person(user)
    existing = {s.indicator_id: s for s in result.scores.all()}
    for number, value in scores.items():
        indicator = indicators[number]
        row = existing.pop(indicator.pk, None)
        if row is None:
            IndicatorScore.objects.create(result=result, indicator=indicator, score=Decimal(value))
        elif row.score != Decimal(value):
            row.score = Decimal(value)
            row.save(update_fields=["score"])
    # Indicators missing from the new scores are removed, guidance with them: the result is replaced.
    IndicatorScore.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    result.part_scores.all().delete()
    for code, value in (part_scores or {}).items():
        PartScore.objects.create(result=result, part=parts[code], score=Decimal(value))
    _recompute(result, spec)
    result.save()
    return result


@transaction.atomic
def framework_recompute(*, framework: Framework) -> int:
    """After an administrator edits a framework, bring every stored result in line with it."""
    spec = framework_spec(framework)
    count = 0
    for result in Result.objects.filter(framework=framework).prefetch_related("scores__indicator",
                                                                               "part_scores__part"):
        _recompute(result, spec)
        result.save(update_fields=["iit", "eit", "oit", "overall", "level", "passed", "updated_at"])
        count += 1
    return count

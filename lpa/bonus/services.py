"""Writes of the performance bonus: part 1 of one municipality and year.

Only administrators enter the ก.ท.จ.'s scores (the province's committee decides them, not the
organisation); supervisors and the organisation's own staff read them. Part 2 and the total are
computed from the LPA and the year's rule (selectors), never stored."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lao_integrity.concurrency import claim, save_claimed
from lao_integrity.history import records_user
from lao_integrity.orgs.models import Organisation
from lao_integrity.pagecache.versions import scoped

from ..models import BONUS_DIMENSIONS, BonusScore
from .selectors import MUNICIPAL_TYPES

ADMIN_ONLY = "เฉพาะผู้ดูแลระบบเท่านั้นที่บันทึกคะแนนเพื่อขอรับเงินรางวัลได้ ผู้กำกับดูแลอ่านได้อย่างเดียว"
CENT = Decimal("0.01")


def can_enter(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def _dimension_problems(scores: Mapping[str, object]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for name, label, full in BONUS_DIMENSIONS:
        value = scores.get(name)
        try:
            number = None if value is None or value == "" else Decimal(str(value))
        except InvalidOperation:
            number = None
            problems[name] = [f"{label} ต้องเป็นตัวเลข"]
            continue
        if number is None:
            problems[name] = [f"กรุณากรอกคะแนน{label}"]
        elif not number.is_finite() or not Decimal(0) <= number <= full:
            problems[name] = [f"{label} ต้องอยู่ระหว่าง 0 ถึง {full:.0f} คะแนน"]
        elif number != number.quantize(CENT):
            problems[name] = [f"{label} มีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"]
    return problems


@scoped("organisation")
@records_user
@transaction.atomic
def bonus_score_save(*, organisation: Organisation, fiscal_year: int, scores: Mapping[str, object],
                     remark: str = "", user, expected_version: int | None = None) -> BonusScore:
    """Create or replace part 1 (d1..d4) of `organisation`'s bonus for `fiscal_year`.

    `expected_version`: the version the form was loaded with (0 when nothing was stored yet);
    StaleEdit if it moved. Each dimension must lie between 0 and its full marks; anything wrong
    is refused with the dimension named, and nothing is saved."""
    if not can_enter(user):
        raise PermissionDenied(ADMIN_ONLY)
    if organisation.org_type not in MUNICIPAL_TYPES:
        raise ValidationError("คะแนนเพื่อขอรับเงินรางวัลของ ก.ท.จ. บันทึกได้เฉพาะเทศบาล")
    problems = _dimension_problems(scores)
    if problems:
        raise ValidationError(problems)
    score = claim(BonusScore, expected_version, organisation=organisation, fiscal_year=fiscal_year)
    for name, _label, _full in BONUS_DIMENSIONS:
        setattr(score, name, Decimal(str(scores[name])))
    score.remark = (remark or "").strip()
    save_claimed(score, expected_version, organisation=organisation, fiscal_year=fiscal_year)
    return score

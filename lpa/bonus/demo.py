"""Demo data of the bonus: แม่สายมิตรภาพ's part 1 for 2566 as the ก.ท.จ. summary prints it
(29, 25, 12, 20). Its part 2 comes from its LPA 2566 result (the LPA results demo); without it
the summary says the result is missing and shows no points."""

from decimal import Decimal

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation

from . import selectors, services

MAE_SAI = "5570701"
PART1_2566 = {"d1": Decimal("29"), "d2": Decimal("25"), "d3": Decimal("12"), "d4": Decimal("20")}


def seed(*, users: dict) -> list[str]:
    organisation = Organisation.objects.filter(code=MAE_SAI).first()
    if organisation is None:
        return []
    stored = selectors.score_for(organisation, 2566)
    if stored is None:  # run again, the demo changes nothing
        services.bonus_score_save(organisation=organisation, fiscal_year=2566, scores=PART1_2566,
                                  user=SYSTEM, expected_version=0)
    return [f"เงินรางวัลประจำปี 2566: บันทึกคะแนนส่วนที่ 1 ของ {organisation.name} แล้ว"]

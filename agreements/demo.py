"""Demo agreements: องค์การบริหารส่วนตำบลบ้านม่วง's FY 2565 organisation agreement from the seed,
and เทศบาลตำบลแม่สายมิตรภาพ's FY 2567 unit agreements (round 1)."""

from .organisation.demo import seed_org_agreements
from .performance.demo import seed_performance_agreements


def seed(*, users: dict) -> list[str]:
    return seed_org_agreements(users=users) + seed_performance_agreements(users=users)

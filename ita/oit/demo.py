"""Demo: บ้านแหง's OIT checklist for FY 2569, the year of its signed plan, confirmed by its executive.

Nothing is typed for the items: O36 (the plan) and O37 (its 6-month report) turn มี by themselves
once the plan announcement and the report are published (the announcements and plans demos)."""

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation

from . import services
from .models import OitChecklist

BAN_HAENG, YEAR = "5205401", 2569


def seed(*, users: dict) -> list[str]:
    organisation = Organisation.objects.get(code=BAN_HAENG)
    if OitChecklist.objects.filter(organisation=organisation, fiscal_year=YEAR).exists():
        return []
    services.checklist_ensure(organisation=organisation, fiscal_year=YEAR, user=SYSTEM)
    services.checklist_confirm(organisation=organisation, fiscal_year=YEAR, user=users.get("executive", SYSTEM))
    return [f"รายการตรวจ OIT ปี {YEAR} {organisation.name}: ยืนยันแล้ว"]

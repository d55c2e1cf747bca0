"""Demo: อบต.บ้านม่วง's FY 2565 organisation-level agreement, from the seed's annex (corrected).

Idempotent: an existing agreement is left as it is.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from lao_integrity.orgs.models import Organisation

from . import services
from .models import OrgAgreement

BAN_MUANG_CODE = "6411201"
BAN_MUANG_YEAR = 2565


@transaction.atomic
def seed_org_agreements(*, users: dict) -> list[str]:
    organisation = Organisation.objects.filter(code=BAN_MUANG_CODE).first()
    if organisation is None:
        return []
    agreement = OrgAgreement.objects.filter(organisation=organisation, fiscal_year=BAN_MUANG_YEAR).first()
    if agreement is None:
        # The demo users belong to other organisations; the administrator enters บ้านม่วง's data.
        admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        agreement = services.org_agreement_from_text(
            organisation=organisation, fiscal_year=BAN_MUANG_YEAR, text=services.standard_annex_text(),
            user=admin)
    topics = agreement.topics.count()
    return [f"ข้อตกลงระดับองค์กร: {organisation.name} {agreement.fiscal_year} ({topics} หัวข้อ)"]

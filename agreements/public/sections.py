"""The agreements' section of an organisation's public page (lao_integrity/publication/registry.py)."""

from django.urls import reverse

from lao_integrity.announcements.models import Kind
from lao_integrity.announcements.public import none_live
from lao_integrity.publication import registry

from ..performance.publication import title as performance_title
from . import selectors


def items(organisation) -> list[registry.PublicItem]:
    """The public organisation agreements, then the published unit/individual ones: five queries."""
    announced = not none_live(organisation, Kind.AGREEMENT)
    found = [registry.PublicItem(
        kind="agreement:organisation",
        title=f"ข้อตกลงการปฏิบัติราชการระดับองค์กร ปีงบประมาณ พ.ศ. {public.agreement.fiscal_year}",
        url=reverse("public_agreements:organisation",
                    kwargs={"code": organisation.code, "fiscal_year": public.agreement.fiscal_year}),
        fiscal_year=public.agreement.fiscal_year, published_at=public.published_at)
        for public in (selectors.public_org_agreements(organisation) if announced else ())]
    found += [registry.PublicItem(
        kind="agreement:performance", title=performance_title(agreement),
        url=reverse("public_agreements:performance", kwargs={"code": organisation.code, "pk": agreement.pk}),
        fiscal_year=agreement.fiscal_year, published_at=publication.published_at)
        for agreement, publication in selectors.public_performances(organisation)]
    return sorted(found, key=lambda item: -(item.fiscal_year or 0))  # newest year first, stable


def register_sections() -> None:
    registry.register_section("agreements", title="ข้อตกลงการปฏิบัติราชการ", order=40, lister=items)

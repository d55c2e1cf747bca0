"""A unit or individual agreement is published once signed (an evaluated one was signed too):
the executive's act (lao_integrity/publication), from the agreement's page."""

from django.urls import reverse

from lao_integrity.publication import registry

from .models import AgreementStatus, PerformanceAgreement

SIGNED = (AgreementStatus.SIGNED, AgreementStatus.EVALUATED)


def title(agreement: PerformanceAgreement) -> str:
    """Names the unit, or for an individual agreement the person's position: a public title names no staff."""
    party = agreement.unit.name if agreement.unit_id else agreement.person.position
    return f"ข้อตกลงการปฏิบัติราชการ ปีงบประมาณ พ.ศ. {agreement.fiscal_year} ครั้งที่ {agreement.round} {party}"


def public_url(agreement: PerformanceAgreement) -> str:
    return reverse("public_agreements:performance", kwargs={"code": agreement.organisation.code, "pk": agreement.pk})


def register_publication() -> None:
    registry.register_publishable(PerformanceAgreement, kind=lambda agreement: "agreement:performance",
                                  is_signed=lambda agreement: agreement.status in SIGNED, title=title,
                                  public_url=public_url)

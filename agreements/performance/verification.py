"""Signed performance agreements on the verification page (/verify/): found by the SHA-256 of the
PDF stored at signing (services.agreement_sign), registered from the app's ready()."""

from __future__ import annotations

from lao_integrity.verification import registry

from . import publication as agreement_publication
from .models import AgreementStatus, PerformanceAgreement

SUBJECT = PerformanceAgreement._meta.label_lower
# An agreement is signed once and never revised: its one file is the first and the latest.
REVISION = "ฉบับที่ลงนาม"


def _issued(agreement: PerformanceAgreement) -> registry.IssuedDocument:
    organisation = agreement.organisation
    shown = registry.publicity(SUBJECT, agreement.pk)
    state = shown.state
    evaluated = " (ประเมินผลแล้ว)" if agreement.status == AgreementStatus.EVALUATED else ""
    return registry.IssuedDocument(
        organisation=organisation.name, organisation_code=organisation.code,
        kind=f"ข้อตกลงการปฏิบัติราชการ{agreement.get_kind_display()}{evaluated}",
        # The public title: the unit, or an individual agreement's position (no staff name).
        title=agreement_publication.title(agreement), fiscal_year=agreement.fiscal_year, revision=REVISION,
        signed_at=agreement.signed_at, signer_name=agreement.executive.full_name,
        signer_position=f"{agreement.executive.position} (ผู้ให้ข้อตกลง)",
        publication=state, published_at=shown.published_at, withdrawn_at=shown.withdrawn_at,
        public_url=agreement_publication.public_url(agreement) if state == registry.PUBLISHED else "",
    )


def issued(sha256: str) -> list[registry.IssuedDocument]:
    """The signed (or since evaluated) agreements whose stored PDF has this SHA-256 (an indexed equality)."""
    rows = (PerformanceAgreement.objects.filter(pdf_sha256=sha256,
                                                status__in=(AgreementStatus.SIGNED, AgreementStatus.EVALUATED))
            .select_related("organisation", "unit", "person", "executive").order_by("pk"))
    return [_issued(agreement) for agreement in rows]


def register_verification() -> None:
    registry.register_issuer("performance-agreements", issued)

"""The unit/individual agreement as an official document (บันทึกข้อตกลงการปฏิบัติราชการ).

One landscape section per agreement: the organisation, fiscal year, round and its dates, the two
parties, the indicators grouped by aspect then work type with their five target levels and
weights, the weight total, after evaluation the achieved values, levels and score, and the two
signature blocks side by side. Thai digits come from the shared renderer.
"""

from lao_integrity.documents.registry import register
from lao_integrity.documents.render import render_html, render_pdf
from lao_integrity.orgs.models import Organisation, Person

from . import selectors
from .models import LEVELS, AgreementStatus, PerformanceAgreement

TEMPLATE = "agreements/performance/documents/agreement.html"
TITLE = "บันทึกข้อตกลงการปฏิบัติราชการ"


def _section(detail: selectors.AgreementDetail) -> dict:
    agreement = detail.agreement
    start, end = agreement.bounds
    return {
        "detail": detail, "agreement": agreement, "start": start, "end": end,
        # Submitted or returned is not signed yet: no signatures, no date (as a draft).
        "signed": agreement.status in (AgreementStatus.SIGNED, AgreementStatus.EVALUATED),
        "evaluated": agreement.status == AgreementStatus.EVALUATED,
    }


def context(details: list[selectors.AgreementDetail], organisation: Organisation, fiscal_year: int) -> dict:
    return {"org": organisation, "fiscal_year": fiscal_year, "sections": [_section(d) for d in details],
            "levels": LEVELS, "title": TITLE}


def _single(agreement: PerformanceAgreement) -> dict:
    return context([selectors.agreement_detail(agreement)], agreement.organisation, agreement.fiscal_year)


def agreement_pdf(agreement: PerformanceAgreement) -> bytes:
    return render_pdf(TEMPLATE, _single(agreement))


def agreement_html(agreement: PerformanceAgreement, *, request=None) -> str:
    return render_html(TEMPLATE, {**_single(agreement), "preview": True}, request=request)


def agreements_pdf(organisation: Organisation, fiscal_year: int, *, person: Person | None = None,
                   round: int | None = None) -> bytes:
    """All of the organisation's agreements of the year (or one person's / one round's) in one PDF."""
    details = selectors.agreements_for_document(organisation, fiscal_year, person=person, round=round)
    if not details:
        raise LookupError(f"{organisation.name} ยังไม่มีข้อตกลงการปฏิบัติราชการ ปีงบประมาณ {fiscal_year}")
    return render_pdf(TEMPLATE, context(details, organisation, fiscal_year))


def _build(organisation, fiscal_year, *, person=None, round=None, **options) -> bytes:
    return agreements_pdf(organisation, fiscal_year, person=person, round=round)


def register_documents() -> None:
    register("performance-agreement", "บันทึกข้อตกลงการปฏิบัติราชการระดับหน่วยงาน/บุคคล (ทุกฉบับของปี)", _build)

"""The agreements' public pages (no login)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from lao_integrity.orgs.models import Organisation
from lao_integrity.publication.web import public_view

from ..organisation import documents as org_documents
from ..performance.models import AgreementStatus
from . import selectors


def _organisation(code: str) -> Organisation:
    return get_object_or_404(Organisation, code=code)


def _published(publication) -> dict:
    return {"published_at": publication.published_at,
            "published_days": selectors.days_since(publication.published_at)}


@public_view
def performance(request, code, pk):
    organisation = _organisation(code)
    found = selectors.public_performance(organisation, pk)
    if found is None:
        raise Http404("ข้อตกลงนี้ไม่ได้เผยแพร่ต่อสาธารณะ")
    agreement, publication = found
    start, end = agreement.bounds
    return render(request, "agreements/public/performance.html", {
        "org": organisation, "agreement": agreement, "detail": selectors.performance_detail(agreement),
        "start": start, "end": end, "is_evaluated": agreement.status == AgreementStatus.EVALUATED,
        **_published(publication)})


@public_view
def organisation_agreement(request, code, fiscal_year):
    organisation = _organisation(code)
    public = selectors.public_org_agreement(organisation, fiscal_year)
    if public is None:
        raise Http404("ข้อตกลงระดับองค์กรของปีนี้ยังไม่ได้เผยแพร่ต่อสาธารณะ")
    return render(request, "agreements/public/organisation.html", {
        "org": organisation, "fiscal_year": fiscal_year, "announcement": public.announcement,
        "changed_since_signing": public.changed_since_signing,
        "annex": org_documents.annex_context(public.agreement, subject=public.announcement.subject_text),
        **_published(public.publication)})

"""What the agreements show the public, each read a fixed number of queries.

- A unit or individual agreement (PerformanceAgreement) is public while it has a live
  publication: an executive publishes it once it is signed (performance/publication.py).
- The organisation agreement (OrgAgreement) has no signed state of its own: it is announced by
  the kernel's "agreement" announcement of its year, whose annex it is. It is public while the
  newest SIGNED revision of that announcement has a live publication.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from lao_integrity.announcements.models import Announcement, Kind, Status
from lao_integrity.publication import selectors as publication_selectors
from lao_integrity.publication.models import Publication

from ..organisation import selectors as org_selectors
from ..organisation.models import OrgAgreement
from ..performance import selectors as performance_selectors
from ..performance.models import PerformanceAgreement


def public_performance(organisation, pk: int) -> tuple[PerformanceAgreement, Publication] | None:
    """The organisation's agreement `pk` and its live publication, or None: two queries."""
    agreement = (PerformanceAgreement.objects.filter(organisation=organisation, pk=pk)
                 .select_related("organisation", "unit", "person", "executive").first())
    if agreement is None:
        return None
    publication = publication_selectors.of(agreement)
    return (agreement, publication) if publication is not None else None


def performance_detail(agreement: PerformanceAgreement) -> performance_selectors.AgreementDetail:
    """Indicators grouped by aspect and work type (the staff page's read): three queries."""
    return performance_selectors.agreement_detail(agreement)


def public_performances(organisation) -> list[tuple[PerformanceAgreement, Publication]]:
    """Every published agreement of the organisation, newest year first: two queries."""
    live = publication_selectors.live_for_organisation(PerformanceAgreement, organisation.pk)
    if not live:
        return []
    agreements = (PerformanceAgreement.objects.filter(organisation=organisation, pk__in=live)
                  .select_related("unit", "person").order_by("-fiscal_year", "round", "kind", "unit__order", "pk"))
    return [(agreement, live[agreement.pk]) for agreement in agreements]


def _signed_agreement_announcements(organisation, fiscal_year: int | None = None):
    rows = Announcement.objects.filter(organisation=organisation, kind=Kind.AGREEMENT, status=Status.SIGNED)
    if fiscal_year is not None:
        rows = rows.filter(fiscal_year=fiscal_year)
    return rows.only("pk", "organisation_id", "fiscal_year", "revision", "announced_on", "subject",
                     "signed_at").order_by(
        "fiscal_year", "-revision", "-pk")


@dataclass
class PublicOrgAgreement:
    agreement: OrgAgreement
    announcement: Announcement
    publication: Publication

    @property
    def published_at(self) -> datetime.datetime:
        return self.publication.published_at

    @property
    def changed_since_signing(self) -> bool:
        """Edited after its announcement was signed: those edits wait for the next revision."""
        signed_at = self.announcement.signed_at
        return signed_at is not None and self.agreement.updated_at > signed_at


def public_org_agreement(organisation, fiscal_year: int) -> PublicOrgAgreement | None:
    """The year's organisation agreement with its topics and items if public, else None: five queries."""
    announcement = _signed_agreement_announcements(organisation, fiscal_year).first()
    if announcement is None:
        return None
    announcement.organisation = organisation  # its subject names it: no query again
    publication = publication_selectors.of(announcement)
    if publication is None:
        return None
    agreement = org_selectors.org_agreement_by_org_year(organisation, fiscal_year)
    if agreement is None:
        return None
    return PublicOrgAgreement(agreement, announcement, publication)


def public_org_agreements(organisation) -> list[PublicOrgAgreement]:
    """Every public organisation agreement, newest year first: three queries."""
    newest: dict[int, Announcement] = {}
    for announcement in _signed_agreement_announcements(organisation):
        newest.setdefault(announcement.fiscal_year, announcement)
    live = publication_selectors.live(Announcement, [a.pk for a in newest.values()])
    published = {year: a for year, a in newest.items() if a.pk in live}
    if not published:
        return []
    agreements = (OrgAgreement.objects.filter(organisation=organisation, fiscal_year__in=published)
                  .only("pk", "organisation_id", "fiscal_year", "updated_at").order_by("-fiscal_year"))
    return [PublicOrgAgreement(a, published[a.fiscal_year], live[published[a.fiscal_year].pk]) for a in agreements]


def days_since(moment: datetime.datetime) -> int:
    return (timezone.localdate() - timezone.localtime(moment).date()).days

"""Announcements on an organisation's public page: signed, published (live) and not replaced by a
signed newer revision. The public section lists them; the public views show one of them."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from lao_integrity.publication import registry
from lao_integrity.publication import selectors as publication_selectors
from lao_integrity.publication.models import Publication
from lao_integrity.statements import Statement

from .kinds import fill
from .models import Announcement, Status

SECTION_KEY = "announcements"
SECTION_TITLE = "ประกาศ"
SUBJECT = Announcement._meta.label_lower


def _published(**where) -> QuerySet[Announcement]:
    live = Publication.objects.filter(subject=SUBJECT, object_id=OuterRef("pk"), withdrawn_at=None)
    return (Announcement.objects.filter(status=Status.SIGNED, **where)
            .filter(Q(replaced_by__isnull=True) | ~Q(replaced_by__status=Status.SIGNED))
            .annotate(published_at=Subquery(live.values("published_at")[:1]))
            .filter(published_at__isnull=False)
            .select_related("organisation"))


def public_announcements(organisation_id) -> QuerySet[Announcement]:
    """What the public may read of one organisation, newest year first, each with its
    `published_at`: one query (the live publication is a subquery)."""
    return _published(organisation_id=organisation_id).order_by("-fiscal_year", "-published_at", "-pk")


def public_announcements_of(code: str) -> QuerySet[Announcement]:
    """The same, of the organisation with this code (joined: no query of its own)."""
    return _published(organisation__code=code)


def public_url(announcement: Announcement) -> str:
    return reverse("public_announcements:detail", args=[announcement.organisation.code, announcement.pk])


def pdf_url(announcement: Announcement) -> str:
    return reverse("public_announcements:pdf", args=[announcement.organisation.code, announcement.pk])


_ID = 2147483647  # an id no announcement has: reversed once a page, then replaced by each one's


# Compiled once (lao_integrity/statements.py): the public page reads them on every request. The
# kinds of the announcements whose live publication is the organisation's (live_for_organisation's).
_LIVE_KINDS = Statement(lambda organisation_id: Announcement.objects.filter(pk__in=Publication.objects.filter(
    organisation_id=organisation_id, subject=SUBJECT, withdrawn_at=None).values("object_id"))
    .order_by().values_list("kind").distinct())
_ITEMS = Statement(lambda organisation_id: public_announcements(organisation_id).values_list(
    "pk", "kind", "subject", "fiscal_year", "number", "revision", "published_at"))


def live_kinds(organisation) -> set[str] | None:
    """While its public page lists its sections (registry.shared), the kinds of the organisation's
    announcements that have a live publication: one query for every section (none when nothing of
    the organisation is live); None elsewhere."""
    def read() -> set[str]:
        live = publication_selectors.live_for_organisation(Announcement, organisation.pk)  # shared too
        return {kind for kind, in _LIVE_KINDS.rows(organisation.pk)} if live else set()
    return registry.shared(f"announcements:live-kinds:{organisation.pk}", read)


def none_live(organisation, kind: str | None = None) -> bool:
    """Known (live_kinds) that no announcement of the organisation (of `kind`) is live: a section of
    announced documents (the plan, the measures, the organisation agreement) then lists nothing
    without a query of its own."""
    kinds = live_kinds(organisation)
    return kinds is not None and (not kinds if kind is None else kind not in kinds)


def items(organisation) -> list[registry.PublicItem]:
    """The section's items: one query of the columns they show, their addresses formatted from one
    `reverse` each (issue 19: the announcements and their organisation as models cost more than
    the query)."""
    if none_live(organisation):
        return []
    code = organisation.code
    page = reverse("public_announcements:detail", args=[code, _ID]).replace(str(_ID), "{}")
    pdf = reverse("public_announcements:pdf", args=[code, _ID]).replace(str(_ID), "{}")
    rows = _ITEMS.rows(organisation.pk)
    return [registry.PublicItem(
        kind=f"announcement:{kind}", title=f"ประกาศ เรื่อง {fill(subject, organisation=organisation, fiscal_year=year)}",
        url=page.format(pk), fiscal_year=year, published_at=published_at, pdf_url=pdf.format(pk),
        extra={"number": number, "revision": revision})
        for pk, kind, subject, year, number, revision, published_at in rows]


def register_public_section() -> None:
    registry.register_section(SECTION_KEY, title=SECTION_TITLE, order=10, lister=items)

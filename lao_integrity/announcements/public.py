"""Announcements on an organisation's public page: signed, published (live) and not replaced by a
signed newer revision. The public section lists them; the public views show one of them."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from lao_integrity.publication import registry
from lao_integrity.publication.models import Publication

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


def item(announcement: Announcement) -> registry.PublicItem:
    return registry.PublicItem(
        kind=f"announcement:{announcement.kind}", title=f"ประกาศ เรื่อง {announcement.subject_text}",
        url=public_url(announcement), fiscal_year=announcement.fiscal_year,
        published_at=announcement.published_at, pdf_url=pdf_url(announcement),
        extra={"number": announcement.number, "revision": announcement.revision})


def items(organisation) -> list[registry.PublicItem]:
    rows = public_announcements(organisation.pk).defer("body", "annex")
    return [item(row) for row in rows]


def register_public_section() -> None:
    registry.register_section(SECTION_KEY, title=SECTION_TITLE, order=10, lister=items)

"""Reads shaped for the announcement pages and for other apps' documents."""

from django.db.models import QuerySet

from lao_integrity.orgs import access

from .models import Announcement, Status


def announcements_for_user(user, *, kind: str | None = None, organisation=None) -> QuerySet[Announcement]:
    """Newest first (then by id, so the order is total and pages never overlap); the long texts
    (body, annex) are left out: the list shows the subject only."""
    queryset = (access.restrict(Announcement.objects.all(), user)
                .select_related("organisation", "replaced_by").defer("body", "annex", "replaced_by__body",
                                                                     "replaced_by__annex"))
    if kind:
        queryset = queryset.filter(kind=kind)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset.order_by("-created_at", "-pk")


def announcement_for_page(pk: int) -> Announcement:
    return (Announcement.objects
            .select_related("organisation", "signer", "replaces", "replaced_by", "created_by", "approved_by",
                            "signed_by")
            .get(pk=pk))


def current_announcement(organisation, kind: str, fiscal_year: int | None) -> Announcement | None:
    """The one in force: the newest signed revision (its replacement may still be a draft),
    else the newest draft."""
    candidates = Announcement.objects.filter(organisation=organisation, kind=kind, fiscal_year=fiscal_year)
    candidates = candidates.select_related("organisation", "signer").order_by("-revision", "-pk")
    return candidates.filter(status=Status.SIGNED).first() or candidates.first()


def latest_announcement(organisation, kind: str, fiscal_year: int | None) -> Announcement | None:
    """The newest revision, whatever its status: what staff are working on."""
    return (Announcement.objects.filter(organisation=organisation, kind=kind, fiscal_year=fiscal_year)
            .select_related("organisation", "signer").order_by("-revision", "-pk").first())

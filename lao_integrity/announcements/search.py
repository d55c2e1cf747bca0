"""Announcements in the site search (lao_integrity/search.py), found by their subject as stored
(a standard subject keeps its tokens: "{ปีงบประมาณ}" is not the year)."""

from django.urls import reverse

from lao_integrity import search
from lao_integrity.orgs import access

from .models import Announcement


def announcements_for_user(user):
    """The announcements the user may see, newest first (the list's order)."""
    return (access.restrict(Announcement.objects.all(), user).select_related("organisation")
            .only("subject", "kind", "status", "fiscal_year", "revision", "created_at",
                  "organisation", "organisation__name", "organisation__org_type")
            .order_by("-created_at", "-pk"))


def _context(announcement: Announcement) -> str:
    parts = [announcement.organisation.name, announcement.get_status_display()]
    if announcement.revision > 1:
        parts.append(f"ฉบับที่ {announcement.revision}")
    return " · ".join(parts)


def register_search() -> None:
    search.register(
        "announcement", "ประกาศ", queryset_for_user=announcements_for_user, fields=("subject",),
        url=lambda announcement: reverse("announcements:detail", args=[announcement.pk]),
        title=lambda announcement: f"ประกาศเรื่อง “{announcement.subject_text or '(ยังไม่มีเรื่อง)'}”",
        context=_context, order=30)

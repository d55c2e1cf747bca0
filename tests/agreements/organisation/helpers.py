"""The organisation agreement's structure as stored, and an announcement to print its annex in."""

import datetime

from agreements.organisation.models import OrgAgreement, Topic
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind


def structure(agreement: OrgAgreement) -> list[tuple[int, str, list[int]]]:
    """(order, title, [number of actions per sub-item]) per topic, straight from the database."""
    return [(t.order, t.title, [len(i.action_list) for i in t.items.order_by("order")])
            for t in Topic.objects.filter(agreement=agreement).order_by("order")]


def topics_of(agreement) -> list[Topic]:
    return list(Topic.objects.filter(agreement=agreement).order_by("order"))


# --- the announcement and its document ---------------------------------------------------------


def announcement_of(org, people, staff, *, annex=None):
    announcement = announcement_services.announcement_create(
        organisation=org, kind=Kind.AGREEMENT, fiscal_year=2569, user=staff, signer=people["executive"],
        announced_on=datetime.date(2025, 10, 1))
    if annex is not None:
        announcement = announcement_services.announcement_update(announcement=announcement, user=staff,
                                                                 annex=annex)
    return announcement

"""Announcements are published once signed; the plan announcement stays public at least 30 days
(the rule of announcing a plan, see obligations' "announcements.plan_kept_public")."""

from lao_integrity.publication import registry

from . import public
from .models import Announcement, Kind, Status

PLAN_MINIMUM_DAYS = 30


def register_publication() -> None:
    registry.register_publishable(
        Announcement,
        kind=lambda announcement: f"announcement:{announcement.kind}",
        is_signed=lambda announcement: announcement.status == Status.SIGNED,
        title=lambda announcement: f"ประกาศ เรื่อง {announcement.subject_text}",
        minimum_days=lambda announcement: PLAN_MINIMUM_DAYS if announcement.kind == Kind.PLAN else 0,
        public_url=public.public_url,
    )

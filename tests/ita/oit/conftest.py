"""A stand-in public section (the real ones come from the publication work): it lists the organisation's
published announcements by their live publication, and whatever a test adds as `extra` items."""

import datetime

import pytest

from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.publication import registry
from lao_integrity.publication import selectors as publication_selectors
from lao_integrity.publication import services as publication_services
from lao_integrity.publication.registry import PublicItem
from plans import services as plan_services


@pytest.fixture
def section():
    """Registers the stand-in section; `section.extra` are more items (organisation code -> items)."""
    saved = dict(registry._SECTIONS)

    class Fake:
        extra: dict[str, list[PublicItem]] = {}
        calls = 0

        @classmethod
        def lister(cls, organisation):
            cls.calls += 1
            live = publication_selectors.live_for_organisation(Announcement, organisation.pk)
            items = [PublicItem(kind=f"announcement:{a.kind}", title=f"ประกาศ {a.subject_text}",
                                url=f"/public/{organisation.code}/announcements/{a.pk}/", fiscal_year=a.fiscal_year,
                                published_at=live[a.pk].published_at)
                     for a in Announcement.objects.filter(pk__in=list(live))]
            return items + list(cls.extra.get(organisation.code, []))

    registry.register_section("test-announcements", title="ประกาศ", order=10, lister=Fake.lister)
    yield Fake
    registry._SECTIONS.clear()
    registry._SECTIONS.update(saved)


@pytest.fixture
def published_plan_announcement(org, plan, people, staff, executive):
    """The FY 2569 plan adopted, its announcement signed and published by the executive."""
    plan_services.plan_approve(plan=plan, user=executive)
    announcement = announcement_services.announcement_create(
        organisation=org, kind=Kind.PLAN, fiscal_year=2569, user=staff, signer=people["executive"],
        announced_on=datetime.date(2025, 10, 1))
    announcement_services.announcement_approve(announcement=announcement, user=executive)
    announcement = announcement_services.announcement_sign(announcement=announcement, user=executive)
    publication_services.publish(document=announcement, user=executive)
    return announcement


def six_month_report(code: str, fiscal_year: int = 2569) -> PublicItem:
    return PublicItem(kind="plan:progress:6", title=f"รายงานผลรอบ 6 เดือน {fiscal_year}",
                      url=f"/public/{code}/plans/{fiscal_year}/progress/6/", fiscal_year=fiscal_year)

"""Demo announcements from the seeds: บ้านแหง's plan announcement (signed, and published by
lao_integrity/publication/demo.py: its public page and OIT evidence), บ้านม่วง's FY 2565 performance agreement and แม่สายมิตรภาพ's FY 2567
No Gift Policy (both signed); and, for the review (lao_integrity/review), บ้านแหง's FY 2570
agreement announcement submitted by staff and No Gift Policy returned by the executive with a comment."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from lao_integrity.orgs.models import Organisation, Person

from . import selectors, services
from .models import Announcement, Kind, Status


def _announcement(*, code: str, kind: str, fiscal_year: int, signer_first_name: str, announced_on, user,
                  sign: bool = False, review: tuple = ()):
    organisation = Organisation.objects.get(code=code)
    existing = selectors.latest_announcement(organisation, kind, fiscal_year)
    if existing is not None:
        return existing
    signer = Person.objects.get(organisation=organisation, first_name=signer_first_name)
    announcement = services.announcement_create(organisation=organisation, kind=kind, fiscal_year=fiscal_year,
                                                user=user, signer=signer, announced_on=announced_on)
    if review:  # (staff, executive or None, comment): submitted, and returned when an executive is given
        staff, executive, comment = review
        services.announcement_submit(announcement=announcement, user=staff)
        if executive is not None:
            services.announcement_return(announcement=announcement, user=executive, comment=comment)
        return Announcement.objects.get(pk=announcement.pk)
    announcement = services.announcement_approve(announcement=announcement, user=user)
    if sign:
        announcement = services.announcement_sign(announcement=announcement, user=user)
    return announcement


@transaction.atomic
def seed(*, users: dict) -> list[str]:
    admin = get_user_model().objects.get(username="admin")
    made = [
        _announcement(code="5205401", kind=Kind.PLAN, fiscal_year=2569, signer_first_name="ประสิทธิ์",
                      announced_on=datetime.date(2026, 2, 27), user=users["executive"], sign=True),
        _announcement(code="6411201", kind=Kind.AGREEMENT, fiscal_year=2565, signer_first_name="ณัฐพิชร์",
                      announced_on=datetime.date(2022, 10, 1), user=admin, sign=True),
        _announcement(code="5570701", kind=Kind.NO_GIFT, fiscal_year=2567, signer_first_name="อุบล",
                      announced_on=datetime.date(2023, 10, 2), user=admin, sign=True),
        _announcement(code="5205401", kind=Kind.AGREEMENT, fiscal_year=2570, signer_first_name="ประสิทธิ์",
                      announced_on=datetime.date(2026, 10, 1), user=users["staff"],
                      review=(users["staff"], None, "")),
        _announcement(code="5205401", kind=Kind.NO_GIFT, fiscal_year=2570, signer_first_name="ประสิทธิ์",
                      announced_on=datetime.date(2026, 10, 1), user=users["staff"],
                      review=(users["staff"], users["executive"],
                              "ขอให้ระบุเลขที่ประกาศ และเพิ่มช่องทางแจ้งเบาะแสการรับของขวัญในข้อความ")),
    ]
    return [f"ประกาศ: {a.organisation.name} {a.get_kind_display()} {a.fiscal_year} ({Status(a.status).label})"
            for a in made]

"""Demo publications: every signed announcement of the demo organisations is published, so their
public pages (/public/<code>/) have something to show (บ้านแหง's: its FY 2569 plan announcement).
For the demo tour this adds บ้านแหง's FY 2569 announcement of the executive's declaration of
integrity (ประกาศเจตจำนงสุจริต, kind "other"), approved and waiting for the executive's signature.
Run after the announcements' demo; running it again makes nothing twice."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Announcement, Kind, Status
from lao_integrity.orgs.models import Organisation, Person

from . import selectors, services
from .models import Publication

BAN_HAENG = "5205401"
INTEGRITY_SUBJECT = "เจตจำนงสุจริตในการบริหารงานขององค์การบริหารส่วนตำบลบ้านแหง"
INTEGRITY_BODY = (
    "ด้วยองค์การบริหารส่วนตำบลบ้านแหง มุ่งมั่นบริหารงานด้วยความซื่อสัตย์สุจริต โปร่งใส และตรวจสอบได้ "
    "ตามหลักธรรมาภิบาล เพื่อประโยชน์สุขของประชาชน\n"
    "ข้าพเจ้า ในฐานะนายกองค์การบริหารส่วนตำบลบ้านแหง จึงขอประกาศเจตจำนงว่า จะปฏิบัติหน้าที่ด้วยความซื่อสัตย์สุจริต "
    "ไม่กระทำการอันเป็นการทุจริตหรือประพฤติมิชอบ และจะส่งเสริมให้บุคลากรทุกคนยึดถือปฏิบัติเช่นเดียวกัน\n"
    "ทั้งนี้ จะเปิดเผยข้อมูลการดำเนินงาน การใช้จ่ายงบประมาณ และการจัดซื้อจัดจ้าง ให้ประชาชนตรวจสอบได้ "
    "และเปิดช่องทางรับเรื่องร้องเรียนการทุจริตทุกช่องทาง"
)


def _integrity_announcement(organisation, staff, executive) -> Announcement | None:
    existing = Announcement.objects.filter(organisation=organisation, kind=Kind.OTHER, fiscal_year=2569,
                                           subject=INTEGRITY_SUBJECT).first()
    if existing is not None:
        return existing
    signer = Person.objects.filter(organisation=organisation, first_name="ประสิทธิ์").first()
    if signer is None:
        return None
    announcement = announcement_services.announcement_create(
        organisation=organisation, kind=Kind.OTHER, fiscal_year=2569, user=staff, signer=signer,
        announced_on=datetime.date(2025, 10, 1))
    announcement = announcement_services.announcement_update(
        announcement=announcement, user=staff, subject=INTEGRITY_SUBJECT, body=INTEGRITY_BODY)
    return announcement_services.announcement_approve(announcement=announcement, user=executive)


@transaction.atomic
def seed(*, users: dict) -> list[str]:
    admin = get_user_model().objects.filter(username="admin").first()
    ban_haeng = Organisation.objects.filter(code=BAN_HAENG).first()
    if ban_haeng is not None and users.get("executive") is not None:
        _integrity_announcement(ban_haeng, users.get("staff") or users["executive"], users["executive"])
    published = 0
    signed = (Announcement.objects.filter(status=Status.SIGNED, replaced_by__isnull=True)
              .select_related("organisation").order_by("pk"))
    for announcement in signed:
        if selectors.of(announcement) is not None:
            continue
        by = users.get("executive") if announcement.organisation.code == BAN_HAENG else admin
        if by is None:
            continue
        publication = services.publish(document=announcement, user=by)
        # Demo history: published on the day it was announced, as the organisation did.
        if announcement.announced_on and announcement.announced_on < timezone.localdate():
            when = timezone.make_aware(datetime.datetime.combine(announcement.announced_on, datetime.time(9)))
            Publication.objects.filter(pk=publication.pk).update(published_at=when)
        published += 1
    return [f"เผยแพร่ต่อสาธารณะ: ประกาศที่ลงนามแล้ว {published} ฉบับ"] if published else []

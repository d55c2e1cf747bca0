"""Publishing is an executive's act on a signed document; a plan announcement stays public 30 days."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind
from lao_integrity.publication import selectors, services
from lao_integrity.publication.models import Publication
from lao_integrity.thai import dates
from plans import services as plan_services


def test_only_a_signed_document_is_published(draft, executive):
    with pytest.raises(ValidationError, match="เฉพาะเอกสารที่ลงนามแล้ว"):
        services.publish(document=draft, user=executive)
    assert not Publication.objects.filter(organisation=draft.organisation).exists()


def test_only_an_executive_of_the_organisation_publishes(signed, draft, staff, auditor, other_staff):
    for user in (staff, auditor, other_staff):
        with pytest.raises((PermissionDenied, Http404)):  # another organisation's: not even confirmed
            services.publish(document=signed, user=user)
    assert not Publication.objects.filter(organisation=draft.organisation).exists()


def test_publish_once_then_withdraw_with_a_reason(signed, executive):
    publication = services.publish(document=signed, user=executive)
    assert selectors.of(signed) == publication and publication.published_by == executive
    assert selectors.live(type(signed), [signed.pk]) == {signed.pk: publication}
    with pytest.raises(ValidationError, match="เผยแพร่อยู่แล้ว"):
        services.publish(document=signed, user=executive)
    with pytest.raises(ValidationError):
        services.withdraw(document=signed, user=executive, reason="  ")
    withdrawn = services.withdraw(document=signed, user=executive, reason="ออกประกาศฉบับใหม่")
    assert withdrawn.withdrawn_by == executive and selectors.of(signed) is None
    # Published again: a new act, the first one kept.
    services.publish(document=signed, user=executive)
    assert [p.live for p in selectors.history(signed)] == [False, True]


def test_a_plan_announcement_is_not_withdrawn_before_30_days(org, plan, people, staff, executive):
    plan_services.plan_approve(plan=plan, user=executive)
    plan_announcement = announcement_services.announcement_create(
        organisation=org, kind=Kind.PLAN, fiscal_year=2569, user=staff, signer=people["executive"],
        announced_on=datetime.date(2025, 10, 1))
    announcement_services.announcement_approve(announcement=plan_announcement, user=executive)
    plan_announcement = announcement_services.announcement_sign(announcement=plan_announcement, user=executive)
    publication = services.publish(document=plan_announcement, user=executive)
    today = timezone.localdate()
    for days_ago, allowed in ((0, False), (29, False), (30, True)):
        Publication.objects.filter(pk=publication.pk).update(
            published_at=timezone.now() - datetime.timedelta(days=days_ago))
        if allowed:
            assert services.withdraw(document=plan_announcement, user=executive, reason="พิมพ์ผิด").withdrawn_at
            continue
        earliest = dates.format_date_long(today + datetime.timedelta(days=30 - days_ago), thai=False)
        with pytest.raises(ValidationError, match=f"ไม่น้อยกว่า 30 วัน ถอนการเผยแพร่ได้ตั้งแต่วันที่ {earliest}"):
            services.withdraw(document=plan_announcement, user=executive, reason="พิมพ์ผิด")
        assert selectors.of(plan_announcement) is not None

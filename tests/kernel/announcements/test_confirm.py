"""Announcement buttons that cannot be undone ask first (without JavaScript); a disabled button
says why; the box of problems speaks of the announcement's current state."""

import pytest

from lao_integrity.announcements import services
from lao_integrity.announcements.models import Announcement, Status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action, question", [
    ("approve", "เมื่ออนุมัติแล้ว ประกาศจะรอลงนาม"),
    ("delete", "ร่างประกาศนี้จะถูกลบถาวร"),
])
def test_a_draft_button_without_its_box_changes_nothing_and_asks(draft, executive, staff, client_for, action,
                                                                   question):
    client = client_for(executive if action == "approve" else staff)
    page = client.post(f"/announcements/{draft.pk}/{action}/", follow=True).content.decode()
    assert question in page and "กรุณาทำเครื่องหมายยืนยัน" in page
    fresh = Announcement.objects.get(pk=draft.pk)
    assert fresh.status == Status.DRAFT and fresh.version == draft.version


def test_signing_without_its_box_changes_nothing_and_says_what_is_frozen(draft, executive, client_for):
    services.announcement_approve(announcement=draft, user=executive)
    client = client_for(executive)
    page = client.post(f"/announcements/{draft.pk}/sign/", follow=True).content.decode()
    assert "เมื่อลงนามแล้ว ประกาศและ PDF จะถูกตรึง แก้ไขไม่ได้" in page
    fresh = Announcement.objects.get(pk=draft.pk)
    assert fresh.status == Status.APPROVED and not fresh.pdf
    client.post(f"/announcements/{draft.pk}/sign/", {"confirm_sign": "on"})
    assert Announcement.objects.get(pk=draft.pk).status == Status.SIGNED


def test_the_page_puts_the_box_beside_the_button(draft, executive, client_for):
    page = client_for(executive).get(f"/announcements/{draft.pk}/").content.decode()
    assert 'name="confirm_approve"' in page and "data-long" in page


def test_a_disabled_button_says_why_and_the_box_speaks_of_the_current_state(draft, executive, client_for):
    client = client_for(executive)
    Announcement.objects.filter(pk=draft.pk).update(announced_on=None)
    page = client.get(f"/announcements/{draft.pk}/").content.decode()
    assert 'id="approve-why"' in page and 'href="#blocking"' in page and "ต้องแก้ไขก่อนอนุมัติ" in page
    Announcement.objects.filter(pk=draft.pk).update(status=Status.APPROVED)
    page = client.get(f"/announcements/{draft.pk}/").content.decode()
    assert 'id="sign-why"' in page and "ต้องแก้ไขก่อนลงนาม" in page and "ต้องแก้ไขก่อนอนุมัติ" not in page

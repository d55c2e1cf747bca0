"""Publishing is a button on the document's page: the executive publishes (confirmed first) and
withdraws with a reason (not before 30 days for a plan announcement); staff and auditors see the
state but no buttons; the generic views refuse everyone else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lao_integrity.publication import selectors
from lao_integrity.publication.models import Publication
from tests.support.pages import page, strip_tags, text

pytestmark = pytest.mark.django_db
SUBJECT = "announcements.announcement"


def box_of(response) -> str:
    """The publication box's HTML (its tags kept: forms and buttons are what is checked)."""
    html = page(response)
    start = html.index('id="publication"')
    return html[start:html.index("</section>", start)]


def urls(announcement):
    detail = reverse("announcements:detail", args=[announcement.pk])
    return (detail, reverse("publishing:publish", args=[SUBJECT, announcement.pk]),
            reverse("publishing:withdraw", args=[SUBJECT, announcement.pk]))


def test_publish_and_withdraw_through_the_page(signed, executive, client_for):
    detail, publish, withdraw = urls(signed)
    client = client_for(executive)
    box = box_of(client.get(detail))
    assert "ยังไม่เผยแพร่" in box and "เผยแพร่ต่อสาธารณะ</button>" in box and 'name="confirm_publish"' in box

    asked = client.post(publish, {"next": detail}, follow=True)
    assert "ยืนยันการเผยแพร่ต่อสาธารณะ" in text(asked) and selectors.of(signed) is None  # not ticked: nothing
    done = client.post(publish, {"next": detail, "confirm_publish": "on"}, follow=True)
    assert done.redirect_chain[-1][0] == detail and "เผยแพร่ต่อสาธารณะแล้ว" in text(done)
    assert selectors.of(signed) is not None
    box = box_of(client.get(detail))
    public_url = reverse("public_announcements:detail", args=[signed.organisation.code, signed.pk])
    assert "เผยแพร่อยู่" in box and "(ผ่านมา 0 วัน)" in box and public_url in box and "ถอนการเผยแพร่</button>" in box
    assert 'name="reason"' in box

    refused = client.post(withdraw, {"next": detail, "reason": "  "}, follow=True)
    assert "กรุณาระบุเหตุผลที่ถอนการเผยแพร่" in text(refused) and selectors.of(signed) is not None
    client.post(withdraw, {"next": detail, "reason": "ออกฉบับใหม่"})
    assert selectors.of(signed) is None
    box = box_of(client.get(detail))
    assert "ยังไม่เผยแพร่" in box and "ออกฉบับใหม่" in box


def test_a_plan_announcement_is_not_withdrawn_before_30_days(seeded, client_for):
    from lao_integrity.announcements.models import Announcement, Kind

    # The demo's plan announcement: signed and published (lao_integrity/publication/demo.py), today.
    signed = Announcement.objects.get(organisation=seeded.org, kind=Kind.PLAN, fiscal_year=2569)
    Publication.objects.filter(subject=SUBJECT, object_id=signed.pk).update(published_at=timezone.now())
    detail, publish, withdraw = urls(signed)
    client = client_for(seeded.executive)
    assert selectors.of(signed) is not None
    box = box_of(client.get(detail))
    assert "ไม่น้อยกว่า 30 วัน" in strip_tags(box) and "disabled" in box and 'name="reason"' not in box
    refused = client.post(withdraw, {"next": detail, "reason": "พิมพ์ผิด"}, follow=True)
    assert "ต้องเผยแพร่ไว้ไม่น้อยกว่า 30 วัน" in text(refused) and selectors.of(signed) is not None
    Publication.objects.filter(subject=SUBJECT, object_id=signed.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=30))
    client.post(withdraw, {"next": detail, "reason": "พิมพ์ผิด"})
    assert selectors.of(signed) is None


def test_staff_and_auditors_see_the_state_without_buttons(published, staff, auditor, client_for):
    detail, publish, withdraw = urls(published)
    for user in (staff, auditor):
        box = box_of(client_for(user).get(detail))
        assert "เผยแพร่อยู่" in box and "<form" not in box and "<button" not in box
        client = client_for(user)
        assert client.post(withdraw, {"reason": "ไม่ใช่ผู้บริหาร"}).status_code == 403
        assert selectors.of(published) is not None


def test_an_unsigned_document_has_no_box_and_cannot_be_published(draft, executive, client_for):
    detail, publish, _ = urls(draft)
    assert 'id="publication"' not in page(client_for(executive).get(detail))
    done = client_for(executive).post(publish, {"next": detail, "confirm_publish": "on"}, follow=True)
    assert "เผยแพร่ได้เฉพาะเอกสารที่ลงนามแล้ว" in text(done) and selectors.of(draft) is None


def test_unknown_subject_and_foreign_next(signed, executive, client_for):
    client = client_for(executive)
    assert client.post(reverse("publishing:publish", args=["auth.user", signed.pk]),
                       {"confirm_publish": "on"}).status_code == 404
    response = client.post(reverse("publishing:publish", args=[SUBJECT, signed.pk]),
                           {"next": "https://evil.example/", "confirm_publish": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("publishing:publish", args=[SUBJECT, signed.pk])).status_code == 405

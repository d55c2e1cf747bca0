"""An announcement's review on its pages: staff submit, the executive returns it with a comment
that staff see in a box, or approves and signs; a submitted one is not edited until withdrawn."""

import pytest
from django.urls import reverse

from lao_integrity import notifications
from lao_integrity.announcements import services
from lao_integrity.announcements.models import Announcement, Status
from lao_integrity.review.workflow import LOCKED_MESSAGE
from tests.support.pages import by_id, page, text

pytestmark = pytest.mark.django_db


def status(announcement) -> str:
    return Announcement.objects.get(pk=announcement.pk).status


def test_submit_and_return_through_the_pages(draft, staff, executive, client_for, monkeypatch,
                                             django_capture_on_commit_callbacks):
    told = []
    monkeypatch.setattr(notifications, "notify", lambda **kwargs: told.append(kwargs["event"]))
    staff_client, executive_client = client_for(staff), client_for(executive)
    detail = reverse("announcements:detail", args=[draft.pk])
    assert "เสนออนุมัติ</button>" in page(staff_client.get(detail))
    with django_capture_on_commit_callbacks(execute=True):
        done = staff_client.post(reverse("announcements:submit", args=[draft.pk]), follow=True)
    assert "เสนออนุมัติแล้ว รอผู้บริหารพิจารณา" in text(done) and status(draft) == Status.SUBMITTED

    html = page(staff_client.get(detail))
    assert "ถอนเรื่อง</button>" in html and ">แก้ไข</a>" not in html and "ลบร่าง" not in html
    edit = staff_client.get(reverse("announcements:edit", args=[draft.pk]), follow=True)
    assert LOCKED_MESSAGE in text(edit)
    assert '<span class="badge submitted">' in page(staff_client.get(reverse("announcements:list")))

    html = page(executive_client.get(detail))
    assert 'name="comment"' in html and "อนุมัติ</button>" in html
    with django_capture_on_commit_callbacks(execute=True):
        executive_client.post(reverse("announcements:return", args=[draft.pk]), {"comment": "ระบุเลขที่ประกาศ"})
    assert status(draft) == Status.RETURNED and told == ["submitted", "returned"]

    html = page(staff_client.get(detail))
    box = by_id(html, "review-returned")
    assert "ระบุเลขที่ประกาศ" in box and "t_executive" in box and "ส่งกลับแก้ไข โดย" in box
    assert ">แก้ไข</a>" in html and "เสนออนุมัติ</button>" in html
    assert '<span class="badge returned">ส่งกลับแก้ไข</span>' in page(staff_client.get(reverse("announcements:list")))


def test_the_executive_approves_and_signs_a_submission(draft, staff, executive, client_for):
    services.announcement_submit(announcement=draft, user=staff)
    executive_client = client_for(executive)
    executive_client.post(reverse("announcements:approve", args=[draft.pk]), {"confirm_approve": "on"})
    assert status(draft) == Status.APPROVED
    html = page(client_for(staff).get(reverse("announcements:detail", args=[draft.pk])))
    timeline = by_id(html, "review-timeline")
    assert "เสนออนุมัติ" in timeline and "อนุมัติ" in timeline


def test_withdrawing_brings_the_draft_back(draft, staff, client_for):
    services.announcement_submit(announcement=draft, user=staff)
    client_for(staff).post(reverse("announcements:withdraw", args=[draft.pk]))
    assert status(draft) == Status.DRAFT


def test_an_auditor_and_staff_get_a_403_where_they_may_not_act(draft, staff, auditor, client_for):
    assert client_for(auditor).post(reverse("announcements:submit", args=[draft.pk])).status_code == 403
    services.announcement_submit(announcement=draft, user=staff)
    response = client_for(staff).post(reverse("announcements:return", args=[draft.pk]), {"comment": "x"})
    assert response.status_code == 403 and status(draft) == Status.SUBMITTED

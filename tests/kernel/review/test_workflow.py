"""The review steps (lao_integrity/review) on a kernel record, an announcement: who may take each,
from which state, the comment a return needs, the timeline kept, the notification sent after commit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lao_integrity import notifications
from lao_integrity.announcements import services
from lao_integrity.announcements.models import Announcement, Status
from lao_integrity.concurrency import StaleEdit
from lao_integrity.review import selectors, workflow
from lao_integrity.review.models import Action, ReviewEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(monkeypatch):
    calls = []
    monkeypatch.setattr(notifications, "notify", lambda **kwargs: calls.append(kwargs))
    return calls


def stored(announcement) -> Announcement:
    return Announcement.objects.get(pk=announcement.pk)


def test_staff_submit_a_draft_and_those_who_approve_are_told_after_commit(draft, staff, told,
                                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_submit(announcement=draft, user=staff)
        assert told == []  # not before the commit
    assert stored(draft).status == Status.SUBMITTED
    [call] = told
    assert call["event"] == "submitted" and call["organisation"] == draft.organisation and call["actor"] == staff
    assert call["url"] == f"/announcements/{draft.pk}/" and "ไม่รับของขวัญ" in call["title"]
    [event] = selectors.timeline(draft)
    assert (event.action, event.actor, event.comment) == (Action.SUBMITTED, staff, "")


def test_a_submission_moves_the_version_so_an_open_edit_form_is_refused(draft, staff):
    loaded = draft.version
    services.announcement_submit(announcement=draft, user=staff)
    services.announcement_withdraw(announcement=draft, user=staff)
    with pytest.raises(StaleEdit):
        services.announcement_update(announcement=draft, user=staff, expected_version=loaded, number="9/2569")


def test_an_auditor_may_not_submit_and_staff_may_not_return(draft, staff, auditor):
    with pytest.raises(PermissionDenied, match="ไม่มีสิทธิ์เสนออนุมัติ"):
        services.announcement_submit(announcement=draft, user=auditor)
    services.announcement_submit(announcement=draft, user=staff)
    with pytest.raises(PermissionDenied, match="เฉพาะผู้บริหาร"):
        services.announcement_return(announcement=draft, user=staff, comment="แก้ไข")
    assert stored(draft).status == Status.SUBMITTED


@pytest.mark.parametrize("comment", ["", "   \n  "])
def test_a_return_needs_a_comment(draft, staff, executive, comment):
    services.announcement_submit(announcement=draft, user=staff)
    with pytest.raises(ValidationError) as refused:
        services.announcement_return(announcement=draft, user=executive, comment=comment)
    assert refused.value.message_dict == {"comment": ["กรุณาระบุสิ่งที่ต้องแก้ไขก่อนส่งกลับ"]}
    assert stored(draft).status == Status.SUBMITTED
    assert [e.action for e in selectors.timeline(draft)] == [Action.SUBMITTED]


def test_only_a_submission_is_returned_or_withdrawn_and_only_once_submitted(draft, staff, executive):
    with pytest.raises(ValidationError, match="เฉพาะเอกสารที่เสนออนุมัติแล้ว"):
        services.announcement_return(announcement=draft, user=executive, comment="แก้ไข")
    with pytest.raises(ValidationError, match="ถอนเรื่องได้เฉพาะ"):
        services.announcement_withdraw(announcement=draft, user=staff)
    services.announcement_submit(announcement=draft, user=staff)
    with pytest.raises(ValidationError, match="เสนออนุมัติแล้ว รอผู้บริหารพิจารณา"):
        services.announcement_submit(announcement=draft, user=staff)


def test_a_submitted_record_is_not_edited_until_withdrawn(draft, staff):
    services.announcement_submit(announcement=draft, user=staff)
    with pytest.raises(ValidationError, match=workflow.LOCKED_MESSAGE):
        services.announcement_update(announcement=draft, user=staff, number="9/2569")
    with pytest.raises(ValidationError, match=workflow.LOCKED_MESSAGE):
        services.announcement_delete(announcement=draft, user=staff)
    services.announcement_withdraw(announcement=draft, user=staff)
    assert stored(draft).status == Status.DRAFT
    services.announcement_update(announcement=draft, user=staff, number="9/2569")
    assert stored(draft).number == "9/2569"


def test_a_returned_draft_keeps_its_history_through_corrections_and_a_second_submission(
        draft, staff, executive, told, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_submit(announcement=draft, user=staff)
        services.announcement_return(announcement=draft, user=executive, comment="  ระบุเลขที่ประกาศด้วย  ")
    assert stored(draft).status == Status.RETURNED
    assert told[-1]["event"] == "returned" and told[-1]["comment"] == "ระบุเลขที่ประกาศด้วย"
    services.announcement_update(announcement=draft, user=staff, number="12/2569")
    assert stored(draft).status == Status.RETURNED  # still returned while staff correct it
    services.announcement_submit(announcement=draft, user=staff)
    services.announcement_return(announcement=draft, user=executive, comment="ผู้ลงนามยังไม่ถูกต้อง")
    steps = [(e.action, e.comment) for e in selectors.timeline(draft)]
    assert steps == [(Action.SUBMITTED, ""), (Action.RETURNED, "ระบุเลขที่ประกาศด้วย"),
                     (Action.SUBMITTED, ""), (Action.RETURNED, "ผู้ลงนามยังไม่ถูกต้อง")]
    panel = selectors.panel(stored(draft), staff, draft.organisation, urls={})
    assert panel["returned"].comment == "ผู้ลงนามยังไม่ถูกต้อง" and panel["can_submit"] and not panel["can_return"]


def test_the_executive_may_still_approve_a_draft_directly_and_approving_is_told(
        draft, executive, told, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_approve(announcement=draft, user=executive)
        services.announcement_sign(announcement=draft, user=executive)
    assert [call["event"] for call in told] == ["approved", "signed"]
    assert [e.action for e in selectors.timeline(draft)] == [Action.APPROVED, Action.SIGNED]


def test_a_long_comment_is_refused():
    with pytest.raises(ValidationError, match="ไม่เกิน 2,000"):
        workflow.clean_comment("ก" * 2001)


def test_a_deleted_draft_takes_its_steps_with_it(draft, staff):
    services.announcement_submit(announcement=draft, user=staff)
    services.announcement_withdraw(announcement=draft, user=staff)
    assert ReviewEvent.objects.filter(subject="announcements.announcement", object_id=draft.pk).count() == 2
    services.announcement_delete(announcement=draft, user=staff)
    assert not ReviewEvent.objects.filter(subject="announcements.announcement", object_id=draft.pk).exists()

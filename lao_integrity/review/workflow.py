"""The review steps, once for every app: each app's service locks its record, then calls here.

``Document`` is what the kernel needs of a record: the record itself (locked by the caller, inside
its transaction), its organisation, its title and its page. Every step checks who acts
(lao_integrity/orgs/access.py), the record's state, moves its status and version, keeps a
``ReviewEvent`` and tells the people concerned once the transaction has committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lao_integrity import notifications
from lao_integrity.concurrency import check_and_bump
from lao_integrity.orgs import access

from .models import Action, ReviewEvent
from .states import DRAFT, EDITABLE, OPEN, RETURNED, SUBMITTED

__all__ = ["EDITABLE", "OPEN", "Document", "approved", "forget", "refuse_while_submitted", "send_back", "submit", "withdraw"]

LOCKED_MESSAGE = "เสนออนุมัติแล้ว ถอนเรื่องก่อนแก้ไข"
COMMENT_MAX = 2000


@dataclass(frozen=True)
class Document:
    record: Any
    organisation: Any
    title: str
    url: str


def subject_of(record) -> str:
    return record._meta.label_lower


def _status_label(record) -> str:
    return record.get_status_display()


def _move(document: Document, status: str, expected_version: int | None) -> None:
    record = document.record
    check_and_bump(record, expected_version)
    record.status = status
    record.save(update_fields=["status", "updated_at", "version"])


def _record(document: Document, action: str, user, comment: str = "", *, notify: bool = True) -> ReviewEvent:
    """The step kept on the timeline; `notify`: told (notifications.EVENTS) once committed."""
    event = ReviewEvent.objects.create(organisation=document.organisation, subject=subject_of(document.record),
                                       object_id=document.record.pk, action=action, comment=comment,
                                       actor=access.person(user))
    if notify:
        transaction.on_commit(lambda: notifications.notify(
            event=str(action), organisation=document.organisation, title=document.title, url=document.url,
            actor=user, comment=comment))
    return event


def submit(document: Document, *, user, expected_version: int | None = None) -> ReviewEvent:
    """Staff ask for approval of a draft, or of a returned draft they have corrected."""
    if not access.can_edit(user, document.organisation):
        raise PermissionDenied("ท่านไม่มีสิทธิ์เสนออนุมัติเอกสารของ อปท. นี้")
    status = document.record.status
    if status == SUBMITTED:
        raise ValidationError("เสนออนุมัติแล้ว รอผู้บริหารพิจารณา")
    if status not in EDITABLE:
        raise ValidationError(f"เอกสารนี้{_status_label(document.record)} เสนออนุมัติไม่ได้")
    _move(document, SUBMITTED, expected_version)
    return _record(document, Action.SUBMITTED, user)


def withdraw(document: Document, *, user, expected_version: int | None = None) -> ReviewEvent:
    """Staff take a submission back to edit it: a draft again."""
    if not access.can_edit(user, document.organisation):
        raise PermissionDenied("ท่านไม่มีสิทธิ์ถอนเรื่องของ อปท. นี้")
    if document.record.status != SUBMITTED:
        raise ValidationError("ถอนเรื่องได้เฉพาะเอกสารที่เสนออนุมัติแล้ว")
    _move(document, DRAFT, expected_version)
    return _record(document, Action.WITHDRAWN, user, notify=False)


def clean_comment(comment: str | None) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "กรุณาระบุสิ่งที่ต้องแก้ไขก่อนส่งกลับ"})
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": f"ความเห็นยาวได้ไม่เกิน {COMMENT_MAX:,} ตัวอักษร"})
    return comment


def send_back(document: Document, *, user, comment: str, expected_version: int | None = None) -> ReviewEvent:
    """The executive returns a submission with what to correct; staff see the comment."""
    if not access.can_approve(user, document.organisation):
        raise PermissionDenied("เฉพาะผู้บริหารของ อปท. นี้เท่านั้นที่ส่งกลับแก้ไขได้")
    comment = clean_comment(comment)
    if document.record.status != SUBMITTED:
        raise ValidationError(f"ส่งกลับแก้ไขได้เฉพาะเอกสารที่เสนออนุมัติแล้ว เอกสารนี้{_status_label(document.record)}")
    _move(document, RETURNED, expected_version)
    return _record(document, Action.RETURNED, user, comment)


def approved(document: Document, *, user, action: str = Action.APPROVED) -> ReviewEvent:
    """Called by an app's approve (or sign) service once it has saved the new status."""
    return _record(document, action, user)


def refuse_while_submitted(record) -> None:
    """In every service that edits the record: a submission is what the executive is reading."""
    if record.status == SUBMITTED:
        raise ValidationError(LOCKED_MESSAGE)


def forget(record) -> None:
    """A deleted draft's review steps go with it."""
    ReviewEvent.objects.filter(subject=subject_of(record), object_id=record.pk).delete()

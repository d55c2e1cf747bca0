"""Publishing a signed document and withdrawing it: an executive's acts, each recorded."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lao_integrity.orgs import access
from lao_integrity.thai import dates

from . import registry
from .models import Publication


def _entry(document) -> registry.Publishable:
    entry = registry.publishable(document)
    if entry is None:
        raise ValidationError("เอกสารชนิดนี้เผยแพร่ต่อสาธารณะไม่ได้", code="not_publishable")
    return entry


@transaction.atomic
def publish(*, document, user) -> Publication:
    """Publish `document` (signed) of its organisation; refused if it is not signed or already published."""
    entry = _entry(document)
    document = type(document)._default_manager.select_for_update().get(pk=document.pk)
    access.require_approve(user, document.organisation)
    if not entry.is_signed(document):
        raise ValidationError("เผยแพร่ได้เฉพาะเอกสารที่ลงนามแล้ว", code="not_signed")
    if Publication.objects.filter(subject=entry.subject, object_id=document.pk, withdrawn_at=None).exists():
        raise ValidationError("เอกสารนี้เผยแพร่อยู่แล้ว", code="published")
    try:
        with transaction.atomic():
            return Publication.objects.create(organisation=document.organisation, subject=entry.subject,
                                              object_id=document.pk, published_at=timezone.now(),
                                              published_by=access.person(user))
    except IntegrityError as error:  # published by someone else at the same moment
        raise ValidationError("เอกสารนี้เผยแพร่อยู่แล้ว", code="published") from error


def earliest_withdrawal(publication: Publication, document) -> datetime.date:
    days = _entry(document).minimum_days(document)
    return timezone.localdate(publication.published_at) + datetime.timedelta(days=days)


@transaction.atomic
def withdraw(*, document, user, reason: str) -> Publication:
    """Withdraw `document`'s live publication, with a reason; refused before its minimum days."""
    _entry(document)
    access.require_approve(user, document.organisation)
    publication = (Publication.objects.select_for_update()
                   .filter(subject=document._meta.label_lower, object_id=document.pk, withdrawn_at=None).first())
    if publication is None:
        raise ValidationError("เอกสารนี้ไม่ได้เผยแพร่อยู่", code="not_published")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["กรุณาระบุเหตุผลที่ถอนการเผยแพร่"]})
    earliest = earliest_withdrawal(publication, document)
    if timezone.localdate() < earliest:
        raise ValidationError(
            f"ต้องเผยแพร่ไว้ไม่น้อยกว่า {_entry(document).minimum_days(document)} วัน "
            f"ถอนการเผยแพร่ได้ตั้งแต่วันที่ {dates.format_date_long(earliest, thai=False)}", code="too_soon")
    publication.withdrawn_at = timezone.now()
    publication.withdrawn_by = access.person(user)
    publication.withdraw_reason = reason
    publication.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    return publication

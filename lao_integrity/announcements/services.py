"""Writes to announcements: draft, edit, approve, sign, revise. Each is one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lao_integrity.concurrency import check_and_bump
from lao_integrity.history import records_user
from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation, Person
from lao_integrity.pagecache.versions import scoped
from lao_integrity.review import workflow as review
from lao_integrity.signing import stored

from . import documents, kinds
from .models import Announcement, Kind, SignedAnnouncementError, Status

EDITABLE_FIELDS = ("number", "subject", "body", "closing", "annex", "announced_on", "signer", "fiscal_year",
                   "archive_format")


def _check_signer(organisation: Organisation, signer: Person | None) -> None:
    if signer is not None and signer.organisation_id != organisation.pk:
        raise ValidationError({"signer": "ผู้ลงนามต้องเป็นบุคลากรของ อปท. นี้"})


@scoped("organisation")
@records_user
@transaction.atomic
def announcement_create(*, organisation: Organisation, kind: str, fiscal_year: int | None, user,
                        signer: Person | None = None, announced_on: datetime.date | None = None
                        ) -> Announcement:
    """A draft filled from the kind's standard text; nothing for staff to retype."""
    template = kinds.template_for(kind)
    if template.needs_fiscal_year and not fiscal_year:
        raise ValidationError({"fiscal_year": "ประกาศชนิดนี้ต้องระบุปีงบประมาณ"})
    _check_signer(organisation, signer)
    announcement = Announcement(
        organisation=organisation, kind=kind, fiscal_year=fiscal_year, subject=template.subject or "เรื่อง",
        body=template.body, closing=template.closing, annex=template.annex, signer=signer,
        announced_on=announced_on, created_by=access.person(user),
    )
    if kind == Kind.OTHER:
        announcement.subject = ""
    announcement.full_clean(exclude=["subject", "body"])
    announcement.save()
    return announcement


def _lock(announcement: Announcement) -> Announcement:
    """Re-read under a row lock, so two signings or an edit racing a signing can't both win."""
    locked = Announcement.objects.select_for_update(of=("self",)).select_related("organisation", "signer").get(
        pk=announcement.pk)
    if locked.status == Status.SIGNED:
        raise SignedAnnouncementError()
    return locked


def _lock_ready(announcement: Announcement, statuses: tuple[str, ...], refusal: str) -> Announcement:
    """Locked, in one of `statuses` (else `refusal`) and with nothing blocking its document: the
    check before submitting, approving and signing."""
    announcement = _lock(announcement)
    if announcement.status not in statuses:
        raise ValidationError(refusal)
    blocking, _ = documents.problems(announcement)
    if blocking:
        raise ValidationError(blocking)
    return announcement


@scoped("announcement")
@records_user
@transaction.atomic
def announcement_update(*, announcement: Announcement, user, expected_version: int | None = None,
                        **changes) -> Announcement:
    """Edit a draft, a returned or an approved announcement; an approved one goes back to draft.
    A submitted one is refused (withdrawn first: lao_integrity/review).

    `expected_version`: the version the edit form was loaded with; StaleEdit if it moved.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"แก้ไขไม่ได้: {', '.join(sorted(unknown))}")
    announcement = _lock(announcement)
    review.refuse_while_submitted(announcement)
    check_and_bump(announcement, expected_version)
    _check_signer(announcement.organisation, changes.get("signer", announcement.signer))
    for name, value in changes.items():
        setattr(announcement, name, value)
    if announcement.status == Status.APPROVED:
        announcement.status = Status.DRAFT
        announcement.approved_by, announcement.approved_at = None, None
    announcement.full_clean()
    announcement.save()
    return announcement


def _advance(announcement: Announcement, status: str, user) -> Announcement:
    """Approved or signed: the new status is saved with who gave it and when."""
    by, at = access.person(user), timezone.now()
    if status == Status.APPROVED:
        announcement.approved_by, announcement.approved_at = by, at
    else:
        announcement.signed_by, announcement.signed_at = by, at
    announcement.status = status
    announcement.save()
    review.approved(_document(announcement), user=user, action=status)
    return announcement


def _document(announcement: Announcement) -> review.Document:
    return review.Document(announcement, announcement.organisation,
                           f"ประกาศ{announcement.organisation.name} เรื่อง {announcement.subject_text}",
                           reverse("announcements:detail", args=[announcement.pk]))


@scoped("announcement")
@records_user
@transaction.atomic
def announcement_approve(*, announcement: Announcement, user) -> Announcement:
    announcement = _lock_ready(announcement, review.OPEN, "ประกาศนี้อนุมัติแล้ว")
    check_and_bump(announcement)
    return _advance(announcement, Status.APPROVED, user)


@scoped("announcement")
@records_user
@transaction.atomic
def announcement_sign(*, announcement: Announcement, user) -> Announcement:
    """Freeze the signer's name and position, render the PDF once, sign it with the organisation's
    certificate when it has a valid one (PAdES, lao_integrity/signing), store it with its SHA-256."""
    announcement = _lock_ready(announcement, (Status.APPROVED,), "ต้องอนุมัติประกาศก่อนลงนาม")
    signer = announcement.signer
    announcement.signer_name = signer.full_name
    announcement.signer_position = signer.position
    announcement.signer_acting_lines = "\n".join(signer.acting_list)
    check_and_bump(announcement)  # still approved here: the signed row takes no more writes
    stored.keep(announcement, documents.announcement_pdf(announcement, signing=True),
                organisation=announcement.organisation,
                reason=f"ลงนามประกาศ เรื่อง {announcement.subject_text} โดย {announcement.signer_name}",
                name=f"{announcement.organisation.code}-{announcement.kind}-{announcement.pk}")
    return _advance(announcement, Status.SIGNED, user)


@scoped("announcement")
@records_user
@transaction.atomic
def announcement_revise(*, announcement: Announcement, user) -> Announcement:
    """A new draft that replaces a signed announcement; the signed one stays as it was."""
    original = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if original.status != Status.SIGNED:
        raise ValidationError("แก้ไขร่างนี้ได้โดยตรง ไม่ต้องจัดทำฉบับปรับปรุง")
    if Announcement.objects.filter(replaces=original).exists():
        raise ValidationError("ประกาศนี้มีฉบับปรับปรุงแล้ว")
    return Announcement.objects.create(
        organisation=original.organisation, kind=original.kind, fiscal_year=original.fiscal_year,
        number=original.number, subject=original.subject, body=original.body, closing=original.closing,
        annex=original.annex, signer=original.signer, archive_format=original.archive_format,
        replaces=original, revision=original.revision + 1, created_by=access.person(user),
    )


@scoped("announcement")
@records_user
@transaction.atomic
def announcement_delete(*, announcement: Announcement, user) -> None:
    announcement = _lock(announcement)
    review.refuse_while_submitted(announcement)
    review.forget(announcement)
    announcement.delete()


# --- review: staff submit, the executive returns with a comment (lao_integrity/review) ------------

@scoped("announcement")
@records_user
@transaction.atomic
def announcement_submit(*, announcement: Announcement, user, expected_version: int | None = None) -> Announcement:
    """Staff ask the executive to approve (a draft, or a returned one corrected); nothing may
    block its document (the same check as approving)."""
    announcement = _lock_ready(announcement, review.OPEN, "ประกาศนี้อนุมัติแล้ว")
    review.submit(_document(announcement), user=user, expected_version=expected_version)
    return announcement


@scoped("announcement")
@records_user
@transaction.atomic
def announcement_withdraw(*, announcement: Announcement, user, expected_version: int | None = None) -> Announcement:
    announcement = _lock(announcement)
    review.withdraw(_document(announcement), user=user, expected_version=expected_version)
    return announcement


@scoped("announcement")
@records_user
@transaction.atomic
def announcement_return(*, announcement: Announcement, user, comment: str,
                        expected_version: int | None = None) -> Announcement:
    announcement = _lock(announcement)
    review.send_back(_document(announcement), user=user, comment=comment, expected_version=expected_version)
    return announcement


def verified_pdf(announcement: Announcement) -> bytes:
    """The stored signed PDF, refused if its bytes no longer match the recorded SHA-256."""
    if not announcement.is_signed or not announcement.pdf:
        raise ValidationError("ประกาศนี้ยังไม่ได้ลงนาม")
    return stored.read(announcement)

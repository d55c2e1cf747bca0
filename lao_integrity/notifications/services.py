"""Writes: an event's notifications (and emails after commit), marking read, the email choice, and
the daily reminders. Each is one transaction."""

import datetime
import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lao_integrity.orgs import access

from . import emails, selectors
from .models import Notification, NotificationSettings, ReminderSent

logger = logging.getLogger(__name__)

EVENTS = ("submitted", "returned", "approved", "signed")
REMINDED_STATES = ("due_soon", "overdue")


def _user_id(user):
    if access.is_system(user) or not getattr(user, "is_authenticated", False):
        raise ValidationError("ต้องระบุผู้ใช้ที่ลงชื่อเข้าใช้")
    return user.pk


@transaction.atomic
def notify_event(*, event: str, organisation, title: str, url: str, user, comment: str = "") -> list[Notification]:
    """`user` did `event` to a document: one notification per person concerned (selectors.recipients,
    never `user`); their emails leave once the transaction that called this commits (nothing is
    sent for work that was rolled back)."""
    actor = user
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    people = selectors.recipients(event=event, organisation=organisation, actor=actor)
    if not people:
        return []
    comment = (comment or "").strip()
    created = Notification.objects.bulk_create([
        Notification(recipient=person, event=event, organisation=organisation, title=title[:300], url=url[:500],
                     comment=comment) for person in people])
    off = selectors.email_off_ids(person.pk for person in people)
    messages = [emails.event_message(event=event, recipient=person, organisation=organisation, title=title, url=url,
                                     actor=actor, comment=comment)
                for person in people if person.pk not in off and (person.email or "").strip()]
    if messages:
        transaction.on_commit(lambda: emails.send(messages))
    return created


@transaction.atomic
def mark_read(*, notification_id: int, user) -> int:
    """Mark one of `user`'s notifications read (someone else's: nothing, as if it did not exist)."""
    return Notification.objects.filter(pk=notification_id, recipient_id=_user_id(user),
                                       read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient_id=_user_id(user), read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def email_set(*, email: bool, user) -> NotificationSettings:
    """The user's own choice: notification emails on or off."""
    chosen, _ = NotificationSettings.objects.update_or_create(user_id=_user_id(user), defaults={"email": bool(email)})
    return chosen


# --- reminders -------------------------------------------------------------------------------


@dataclass
class ReminderRun:
    today: datetime.date
    digests: int = 0  # emails sent
    users: int = 0  # users reminded (in the portal, by email or both)
    items: int = 0
    skipped_today: int = 0  # users who had their digest today already
    failed: list = field(default_factory=list)


def _items_for(user, *, today, items_for):
    """The user's due-soon and overdue items of organisations they still belong to (for_user should
    give only those; a membership ended since is checked again here, through access.py)."""
    access.forget(user)
    current = set(access.grants(user).roles)
    return [item for item in items_for(user, today=today)
            if item.state in REMINDED_STATES and item.organisation_id in current]


def _remind_one(user, *, today, items_for, run: ReminderRun) -> None:
    with transaction.atomic():
        # One at a time per user: a second run started meanwhile waits here, then sees this digest.
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            return
        if ReminderSent.objects.filter(user=user, sent_on=today).exists():
            run.skipped_today += 1
            return
        items = _items_for(user, today=today, items_for=items_for)
        done = set(ReminderSent.objects.filter(user=user, key__in=[item.key for item in items])
                   .values_list("key", "state"))
        new = [item for item in items if (item.key, item.state) not in done]
        if not new:
            return
        ReminderSent.objects.bulk_create([ReminderSent(user=user, key=item.key, state=item.state, sent_on=today)
                                          for item in new])
        Notification.objects.bulk_create([
            Notification(recipient=user, event=item.state, organisation_id=item.organisation_id, title=item.title[:300],
                         url=item.url[:500]) for item in new])
        run.users += 1
        run.items += len(new)
        if selectors.email_wanted(user):
            # Sent before the commit: a mail server that refuses rolls the run back for this user,
            # and tomorrow's run (or the next) tries again; nothing is recorded as sent unsent.
            emails.send([emails.digest_message(recipient=user, items=new, today=today)], fail_silently=False)
            run.digests += 1


def send_reminders(*, today: datetime.date, user, items_for=None) -> ReminderRun:
    """Run by the portal for itself (`user` is access.SYSTEM: the command, the task). One digest per active member per day of what is due within 7 days or overdue, leaving out
    what they were reminded of already in the same state; each item also becomes a notification
    in the portal. `items_for(user, today=)` gives the items (obligations.items.for_user)."""
    if not access.is_system(user):
        raise PermissionDenied("การส่งการเตือนประจำวันเป็นงานของระบบ")
    if items_for is None:
        from lao_integrity.obligations import items as obligations

        items_for = obligations.for_user
    run = ReminderRun(today=today)
    users = (get_user_model().objects.filter(is_active=True, memberships__isnull=False)
             .distinct().order_by("pk"))
    for member in users:
        try:
            _remind_one(member, today=today, items_for=items_for, run=run)
        except Exception:  # one user's mail server refusal does not stop the others
            logger.exception("reminder for user %s not sent", member.pk)
            run.failed.append(member.get_username())
    return run

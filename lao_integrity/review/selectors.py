"""What a page shows of a record's review: its timeline, the comment of the last return, its buttons."""

from __future__ import annotations

from lao_integrity.orgs import access
from lao_integrity.statements import Statement

from .models import Action, ReviewEvent
from .states import EDITABLE, RETURNED, SUBMITTED
from .workflow import subject_of


def timeline(record) -> list[ReviewEvent]:
    """Every step of the record's review, oldest first (one query). Of the actor, only what
    `actor_name` shows: the user's other columns (password, dates...) were most of the read."""
    return _TIMELINE.objects(subject_of(record), record.pk)


_OWN = tuple(f.attname for f in ReviewEvent._meta.concrete_fields)
_ACTOR = ("actor__username", "actor__first_name", "actor__last_name")
# Compiled once (lao_integrity/statements.py): every record's page reads it on every request.
_TIMELINE = Statement(lambda subject, object_id: ReviewEvent.objects.filter(subject=subject, object_id=object_id)
                      .select_related("actor").only(*_OWN, *_ACTOR).order_by("at", "pk"))


def panel(record, user, organisation, *, urls: dict[str, str]) -> dict:
    """The context of review/_panel.html: `urls` has the record's "submit", "withdraw" and
    "return" addresses."""
    events = timeline(record)
    status = record.status
    returned = None
    if status == RETURNED:
        returned = next((e for e in reversed(events) if e.action == Action.RETURNED), None)
    can_edit, can_approve = access.can_edit(user, organisation), access.can_approve(user, organisation)
    return {
        "events": events, "returned": returned, "status": status, "urls": urls,
        "submitted": status == SUBMITTED,
        "can_submit": can_edit and status in EDITABLE,
        "can_withdraw": can_edit and status == SUBMITTED,
        "can_return": can_approve and status == SUBMITTED,
    }

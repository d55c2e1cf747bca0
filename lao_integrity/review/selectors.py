"""What a page shows of a record's review: its timeline, the comment of the last return, its buttons."""

from __future__ import annotations

from lao_integrity.orgs import access
from lao_integrity.statements import Statement

from .models import Action, ReviewEvent
from .states import EDITABLE, RETURNED, SUBMITTED
from .workflow import subject_of


def timeline(record) -> list[ReviewEvent]:
    """Every step of the record's review, oldest first (one query, compiled once: building it
    cost more than running it, issue 19). Of the actor, only what `actor_name` shows: the user's
    other columns (password, dates...) were most of the read. The events and their actors are
    made as select_related("actor").only(...) makes them."""
    user = ReviewEvent._meta.get_field("actor").related_model
    db = ReviewEvent.objects.db
    events = []
    for row in _TIMELINE.rows(subject_of(record), record.pk):
        event = ReviewEvent.from_db(db, _OWN, row[:len(_OWN)])
        event.actor = None if event.actor_id is None else user.from_db(db, _ACTOR_FIELDS, (event.actor_id, *row[len(_OWN):]))
        events.append(event)
    return events


_OWN = tuple(f.attname for f in ReviewEvent._meta.concrete_fields)
_ACTOR_FIELDS = ("id", "username", "first_name", "last_name")  # in the user model's order of fields
_TIMELINE = Statement(lambda subject, object_id: (
    ReviewEvent.objects.filter(subject=subject, object_id=object_id).order_by("at", "pk")
    .values_list(*_OWN, *(f"actor__{name}" for name in _ACTOR_FIELDS[1:]))), kinds=(str, int))


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

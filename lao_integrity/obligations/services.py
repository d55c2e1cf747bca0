"""Writes of obligations: the calendar-feed token (the rules are edited in the admin)."""

from __future__ import annotations

from django.db import transaction

from .models import CalendarFeed, new_token


@transaction.atomic
def reset_token(*, user) -> str:
    """A new token (the first one, or a replacement): the old address stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_token()
        feed.save(update_fields=["token", "created_at"])
    return feed.token

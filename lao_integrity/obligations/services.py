"""Writes of obligations: the calendar-feed token (the rules are edited in the admin)."""

from __future__ import annotations

from django.db import transaction

from .models import CalendarFeed, new_token


def token_for(*, user) -> str:
    """The user's calendar token, made on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed.token


@transaction.atomic
def reset_token(*, user) -> str:
    """A new token: the old address stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_token()
        feed.save(update_fields=["token", "created_at"])
    return feed.token


def user_for_token(token: str):
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user



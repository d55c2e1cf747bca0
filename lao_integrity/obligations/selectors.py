"""Reads of obligations: the items of a set of organisations, computed by the providers."""

from __future__ import annotations

import datetime
from collections import Counter

from lao_integrity.orgs import access
from lao_integrity.review import waiting as review_waiting
from lao_integrity.thai import fiscal

from . import registry
from .items import ObligationItem
from .models import CalendarFeed, ObligationRule

ORDER = {"overdue": 0, "due_soon": 1, "upcoming": 2, "done": 3}


def organisations_of(user) -> list:
    """The organisations whose obligations `user` follows: one query (the grants are read once
    per request). A superuser follows none here (they run the system, not an organisation)."""
    if not user.is_authenticated or user.is_superuser:
        return []
    return list(access.visible_organisations(user).only("pk", "code", "name", "province").order_by("name"))


def sort_key(item: ObligationItem):
    return (ORDER[item.state], item.due, item.organisation_name, item.title)


def items_for_organisations(organisations, *, today: datetime.date,
                            previous_year: bool = True) -> list[ObligationItem]:
    """Every active rule's items for `organisations` in today's fiscal year, plus the previous
    year's that are still overdue or fall due in this one (its 12-month report in October): one
    query for the rules, then one per read the providers share (registry.computation), whatever
    the number of rules, years and organisations."""
    organisations = list(organisations)
    if not organisations:
        return []
    year = fiscal.fiscal_year(today)
    year_start, _ = fiscal.fiscal_year_bounds(year)
    rules = list(ObligationRule.objects.filter(active=True))
    found: list[ObligationItem] = []
    with registry.computation(organisations, (year - 1, year) if previous_year else (year,)):
        for rule in rules:
            provider = registry.get(rule.provider)
            if provider is None:
                continue
            found.extend(provider.items_for(organisations, year, rule, today))
            if previous_year:
                found.extend(item for item in provider.items_for(organisations, year - 1, rule, today)
                             if item.state == "overdue" or item.due >= year_start)
    return sorted(found, key=sort_key)


def counts(items) -> Counter:
    return Counter(item.state for item in items)


def overdue_by_organisation(items) -> dict[int, int]:
    return dict(Counter(item.organisation_id for item in items if item.state == "overdue"))


UPCOMING_SHOWN = 8


def home_sections(items, *, executive_of) -> dict:
    """What a member's home page shows, in order: for an executive, what waits for them (documents
    submitted or approved for their decision or signature, then their own duties overdue or due
    soon, each once: a duty whose document already waits is not listed again); then what is
    overdue or due soon; then the next upcoming; done last."""
    executive_of = set(executive_of)
    duties = [item for item in items if item.responsible == "executive" and item.organisation_id in executive_of
              and item.pending]
    # A duty whose document already waits for them is shown once, on the decision, with its deadline.
    duty_at = {item.url: item for item in duties}
    decisions = [(decision, duty_at.get(decision.url)) for decision in review_waiting.waiting(executive_of)]
    waiting_at = {decision.url for decision, _ in decisions}
    mine = [item for item in duties if item.url not in waiting_at]
    taken = {item.key for item in duties}
    pending = [item for item in items if item.pending and item.key not in taken]
    upcoming = [item for item in items if item.state == "upcoming" and item.key not in taken]
    return {
        "decisions": decisions,
        "executive": bool(executive_of),
        "mine": mine,
        "pending": pending,
        "upcoming": upcoming[:UPCOMING_SHOWN],
        "more_upcoming": max(0, len(upcoming) - UPCOMING_SHOWN),
        "done": [item for item in items if item.state == "done"],
    }


def calendar_token(user) -> str:
    return CalendarFeed.objects.filter(user=user).values_list("token", flat=True).first() or ""


def user_for_token(token: str):
    """The active user whose calendar address holds `token`, or None."""
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user

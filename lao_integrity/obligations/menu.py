"""The count beside "หน้าหลัก" in the menu of every page: what the signed-in user has to act on.

A member (staff, executive) counts the obligations of their organisations overdue or due soon and,
for an executive, the documents waiting for their decision or signature: what their home page
lists. An auditor counts the organisations of their scope with an overdue obligation (counted
again every 10 minutes: a province's writes would otherwise recount it at every page).

The menu is on every page, kept pages included (lao_integrity/pagecache), so the template writes
a marker and lao_integrity/late_parts.py puts the count in each response as it leaves: a kept page never
shows an old count. The count itself is computed once and kept under the data versions of the
user's organisations and today's date (one query to read those versions): any write to what it
counts makes a new key."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.utils import timezone
from django.utils.html import format_html

from lao_integrity.orgs import access
from lao_integrity.pagecache import versions

MARKER = "<!--menu-count-->"
# Beyond this many organisations a member is counted as an auditor is: again every SCOPE_SECONDS.
MANY = 20
SCOPE_SECONDS = 600
KEEP_SECONDS = 24 * 3600


def _follows_a_scope(held) -> bool:
    """An auditor or supervisor (a scope of many organisations), or a member of very many."""
    return bool(held.auditor_scope or (held.roles and set(held.roles.values()) == {"auditor"})
                or len(held.roles) > MANY)


def count_of(user, items, decisions=None) -> int:
    """The count from the user's obligation items (items.for_user) and, for an executive, what waits
    for their decision (review.waiting; read here when not given)."""
    from lao_integrity.review import waiting

    from .selectors import overdue_by_organisation

    held = access.grants(user)
    if held.auditor_scope or (held.roles and set(held.roles.values()) == {"auditor"}):
        return len(overdue_by_organisation(items))
    if decisions is None:
        decisions = waiting.waiting([pk for pk, role in held.roles.items() if role == "executive"])
    waiting_at = {decision.url for decision in decisions}
    return len(decisions) + sum(1 for item in items if item.pending and item.url not in waiting_at)


def _key(user, today) -> str:
    # Read once per request: the home page keeps the count, then its menu reads it.
    memo = getattr(user, "_menu_count_key", None)
    if memo is not None and memo[0] == today:
        return memo[1]
    held = access.grants(user)
    if _follows_a_scope(held):
        # A whole province or the nation: any write anywhere would make a new key, and counting
        # costs what the auditor's home costs. Counted again every SCOPE_SECONDS instead.
        parts = (user.pk, today.isoformat(), "scope", int(time.time() // SCOPE_SECONDS))
    else:
        # Not the notifications nor the background jobs: no duty is done by them.
        apps = [app for app in versions.tracked_apps() if app not in ("notifications", "jobs")]
        names = [*apps, *(versions.org_key(app, pk) for app in apps for pk in sorted(held.roles))]
        parts = (user.pk, today.isoformat(), names, versions.current(names))
    key = "menu-count:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    user._menu_count_key = (today, key)
    return key


def count_for(user) -> int:
    """What `user` has to act on now; 0 for the system's administrators (they have no organisation)."""
    if not user.is_authenticated or user.is_superuser:
        return 0
    today = timezone.localdate()
    key = _key(user, today)
    count = cache.get(key)
    if count is None:
        from .items import for_user

        count = count_of(user, for_user(user, today=today))
        cache.set(key, count, KEEP_SECONDS)
    return count


def remember(user, items, decisions=None) -> None:
    """The home page has just computed the user's items: keep the count they give, so the page's
    menu does not count them again."""
    if user.is_authenticated and not user.is_superuser:
        cache.set(_key(user, timezone.localdate()), count_of(user, items, decisions), KEEP_SECONDS)


def badge(count: int) -> str:
    if not count:
        return ""
    # Read out as "หน้าหลัก, 3 เรื่องที่ต้องดำเนินการ"; shown as a small number beside the word.
    return format_html('<span class="menu-count"><span class="vh">, </span>{}<span class="vh"> เรื่องที่ต้องดำเนินการ</span>'
                       '</span>', f"{count:,}" if count < 100 else "99+")


def render(request) -> str:
    return badge(count_for(request.user))

"""The count beside "หน้าหลัก" in the menu of every page: what the signed-in user has to act on.

A member (staff, executive) counts the obligations of their organisations overdue or due soon and,
for an executive, the documents waiting for their decision or signature: what their home page
lists. An auditor counts the organisations of their scope with an overdue obligation.

The menu is on every page, kept pages included (lao_integrity/pagecache), so the template writes
a marker and lao_integrity/late_parts.py puts the count in each response as it leaves: a kept page never
shows an old count. The count itself is computed once and kept under the data versions of the
user's organisations and today's date (one query to read those versions): any write to what it
counts makes a new key."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils import timezone
from django.utils.html import format_html

from lao_integrity.orgs import access
from lao_integrity.pagecache import versions

MARKER = "<!--menu-count-->"
# Beyond this many organisations a member's count is keyed on every organisation's writes: one
# counter per app instead of one per app and organisation.
MANY = 20
KEEP_SECONDS = 24 * 3600


def _computed(user, today) -> int:
    from lao_integrity.review import waiting

    from .items import for_user
    from .selectors import overdue_by_organisation

    items = for_user(user, today=today)
    held = access.grants(user)
    if held.auditor_scope or (held.roles and set(held.roles.values()) == {"auditor"}):
        return len(overdue_by_organisation(items))
    executive_of = [pk for pk, role in held.roles.items() if role == "executive"]
    decisions = waiting.waiting(executive_of)
    waiting_at = {decision.url for decision in decisions}
    return len(decisions) + sum(1 for item in items if item.pending and item.url not in waiting_at)


def _counter_names(user) -> list[str]:
    held = access.grants(user)
    # Not the notifications nor the background jobs: no duty is done by them.
    apps = [app for app in versions.tracked_apps() if app not in ("notifications", "jobs")]
    if held.auditor_scope or len(held.roles) > MANY:
        return [versions.any_key(app) for app in apps]
    return [*apps, *(versions.org_key(app, pk) for app in apps for pk in sorted(held.roles))]


def count_for(user) -> int:
    """What `user` has to act on now; 0 for the system's administrators (they have no organisation)."""
    if not user.is_authenticated or user.is_superuser:
        return 0
    today = timezone.localdate()
    names = _counter_names(user)
    counters = versions.current(names)
    key = "menu-count:" + hashlib.sha256(repr((user.pk, today.isoformat(), names, counters)).encode()).hexdigest()
    count = cache.get(key)
    if count is None:
        count = _computed(user, today)
        cache.set(key, count, KEEP_SECONDS)
    return count


def badge(count: int) -> str:
    if not count:
        return ""
    # Read out as "หน้าหลัก, 3 เรื่องที่ต้องดำเนินการ"; shown as a small number beside the word.
    return format_html('<span class="menu-count"><span class="vh">, </span>{}<span class="vh"> เรื่องที่ต้องดำเนินการ</span>'
                       '</span>', f"{count:,}" if count < 100 else "99+")


def render(request) -> str:
    return badge(count_for(request.user))

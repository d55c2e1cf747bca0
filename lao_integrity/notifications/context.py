"""The bell in the header: the signed-in user's unread count, read once, only when a page shows it."""

from functools import cached_property


class Bell:
    def __init__(self, user):
        self._user = user

    @cached_property
    def unread(self) -> int:
        from .selectors import unread_count

        return unread_count(self._user)

    @property
    def label(self) -> str:
        count = self.unread
        return f"การแจ้งเตือน ยังไม่อ่าน {count:,} รายการ" if count else "การแจ้งเตือน ไม่มีรายการที่ยังไม่อ่าน"


def bell(request) -> dict:
    """Context processor: {{ bell.unread }} and {{ bell.label }} (one query, on first use)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": Bell(user)}


_SVG = ('<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" '
        'd="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 '
        '7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/></svg>')


def render_bell(request) -> str:
    """The bell link, put into every page by lao_integrity/late_parts.py as it leaves (one query).
    Written in Python: it is on every page (what notifications/_bell.html held)."""
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    from lao_integrity.reversing import reversed_once

    match = getattr(request, "resolver_match", None)
    bell = Bell(request.user)
    unread = bell.unread
    count = format_html('<span class="bell-count" aria-hidden="true">{}</span>',
                        "99+" if unread > 99 else unread) if unread else ""
    return format_html('<a class="bell{}" href="{}" aria-label="{}"{}>{}{}</a>',
                       " has-unread" if unread else "", reversed_once("notifications:list"), bell.label,
                       mark_safe(' aria-current="page"') if match is not None and match.namespace == "notifications" else "",
                       mark_safe(_SVG), count)

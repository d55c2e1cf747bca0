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


def render_bell(request) -> str:
    """The bell link, put into every page by lao_integrity/late_parts.py as it leaves (one query)."""
    from django.template.loader import render_to_string

    match = getattr(request, "resolver_match", None)
    return render_to_string("notifications/_bell.html", {
        "bell": Bell(request.user), "current": match is not None and match.namespace == "notifications"})

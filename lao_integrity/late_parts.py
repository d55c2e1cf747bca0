"""Parts of every page that change far more often than the page: the bell's unread count and the
menu's count. The template writes a marker; `LatePartsMiddleware` puts each part in as the
response leaves. A page kept by the page cache (lao_integrity/pagecache) is then never kept with
an old count, and a new notification does not throw away every kept page of its recipient."""

from __future__ import annotations

from collections.abc import Callable

_PARTS: dict[bytes, Callable] = {}


def register(marker: str, render: Callable) -> None:
    """`render(request) -> str` (safe HTML) replaces every `marker` ("<!--name-->") of a page."""
    _PARTS[marker.encode()] = render


class LatePartsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith("text/html"):
            return response
        content = response.content
        found = [(marker, render) for marker, render in _PARTS.items() if marker in content]
        if not found:
            return response
        for marker, render in found:
            user = getattr(request, "user", None)
            shown = render(request) if user is not None and user.is_authenticated else ""
            content = content.replace(marker, str(shown).encode())
        response.content = content
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(content))
        return response

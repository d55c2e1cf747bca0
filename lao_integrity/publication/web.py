"""How every public (no login) page answers: the decorator all apps' public views wear.

* GET and HEAD only (anything else: 405); no login, the same answer for everyone.
* `Cache-Control: public, max-age=300`, an ETag (a hash of the body) and, when the view gives it
  (`last_modified(response, when)`), Last-Modified; a conditional GET that matches gets a 304.
* A rate limit per client address (settings.PUBLIC_RATE_LIMIT requests a minute, counted in the
  default cache): over it, a Thai 429 page with Retry-After.
* Framing: only these pages may be framed, and only by the origins in
  settings.PUBLIC_FRAME_ANCESTORS (none by default: still 'none' and X-Frame-Options DENY).
* No cookie: the response is marked `public`, and the kernel's PrivateCache middleware (outside the
  session, CSRF and messages middleware) drops any Set-Cookie and the Vary on Cookie from it
  (lao_integrity/middleware.py). A public view may be kept with `cached_page(public=True)` worn
  inside this decorator: one copy for every visitor under its address and its data versions (the
  rate limit, the ETag and the headers here still apply to each answer).

Render public pages with `render_public` (no context processors: nothing about the visitor can
reach the page, and the session is never read)."""

from __future__ import annotations

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from lao_integrity import branding, security

MAX_AGE = 300
METHODS = ("GET", "HEAD")
RATE_WINDOW = 60  # seconds
TOO_MANY_MESSAGE = "มีการเรียกดูหน้าสาธารณะจากที่อยู่นี้ถี่เกินไป กรุณารอสักครู่แล้วลองใหม่"


def render_public(template: str, context: dict | None = None, *, status: int = 200,
                  content_type: str | None = None) -> HttpResponse:
    """A public page rendered with the product's names only (no request, no user, no session)."""
    html = render_to_string(template, {**branding.names(), **(context or {})})
    return HttpResponse(html, status=status, content_type=content_type)


def last_modified(response, when) -> HttpResponse:
    """Give `response` a Last-Modified (a datetime or a timestamp); public_view answers
    If-Modified-Since with it. Give it only when every change of the page moves it."""
    stamp = when if isinstance(when, (int, float)) else when.timestamp()
    response["Last-Modified"] = http_date(stamp)
    return response


def frame_ancestors() -> list[str]:
    return list(getattr(settings, "PUBLIC_FRAME_ANCESTORS", []) or [])


def _client_key(request) -> str:
    return f"public-rate:{security.client_ip(request) or 'unknown'}"


def over_limit(request) -> int | None:
    """Count this request for its address; the seconds to wait when it is over the limit, else None."""
    limit = getattr(settings, "PUBLIC_RATE_LIMIT", 0)
    if not limit:
        return None
    now = time.time()
    window = int(now // RATE_WINDOW)
    key = f"{_client_key(request)}:{window}"
    cache = caches["default"]
    cache.add(key, 0, timeout=RATE_WINDOW + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW + 5)
        count = 1
    if count <= limit:
        return None
    return max(1, int((window + 1) * RATE_WINDOW - now) + 1)


def _mark(response) -> HttpResponse:
    """What every public answer carries, a 304, 404, 405 or 429 included."""
    response.public = True  # read by lao_integrity.middleware.PrivateCache
    ancestors = frame_ancestors()
    if ancestors:
        # django-csp reads this at the response's way out; XFrameOptionsMiddleware honours the exemption.
        response._csp_replace = {"frame-ancestors": ancestors}
        response.xframe_options_exempt = True
    return response


def too_many(retry_after: int) -> HttpResponse:
    response = render_public("publication/too_many.html", {"message": TOO_MANY_MESSAGE,
                                                           "retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, no_store=True)
    return _mark(response)


def not_found() -> HttpResponse:
    response = render_public("publication/not_found.html", status=404)
    patch_cache_control(response, public=True, max_age=60)
    return _mark(response)


def _conditional(request, response) -> HttpResponse:
    if response.status_code != 200 or response.streaming:
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    modified = parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
    return get_conditional_response(request, etag=response["ETag"], last_modified=modified,
                                    response=response)


def public_view(view):
    """Wear this on every public view: GET/HEAD only, no login, the headers above."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in METHODS:
            return _mark(HttpResponseNotAllowed(METHODS))
        wait = over_limit(request)
        if wait is not None:
            return too_many(wait)
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found()
        return _mark(_conditional(request, response))

    wrapped.public = True
    return wrapped

"""Kernel middleware: refuse what the database cannot store, and keep signed-in pages out of caches.

`RejectControlCharacters` sits early in settings.MIDDLEWARE, before anything reads the database:
PostgreSQL refuses a NUL character in any text ("A string literal cannot contain NUL"), so a
`?q=%00`, a `/organisations/%00/` or a NUL in a form field reached a query and gave a 500 (or cut
a streamed download after its first bytes). No page of the portal has any use for it: the request
is answered 400 with a Thai page before any view runs.

`PrivateCache` marks every response to a signed-in user `Cache-Control: no-store, private`, so
neither a shared proxy nor the browser's disk keeps another organisation's pages or files after
sign-out. Static files (WhiteNoise answers them before this runs) keep their long cache headers,
and the kept pages (lao_integrity/pagecache) are the server's own, unaffected.

A public page (`response.public`, set by lao_integrity.publication.web.public_view) is the same for
everyone: since a shared cache may keep it (`Cache-Control: public` for an anonymous visitor), it
leaves with no cookie at all (not the session's, the CSRF or messages cookie) and varies on nothing
the visitor sends but the encoding. To a signed-in user it is still `no-store, private`, as every
signed-in response is.
"""

import re

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

# In the address itself every control character is refused: no URL of the portal has one.
_PATH_REFUSED = re.compile(r"[\x00-\x1f\x7f]")
# In parameters, form fields and headers only NUL: tabs and line breaks are ordinary text in a
# textarea, and PostgreSQL stores every other character.
_VALUE_REFUSED = "\x00"

BAD_REQUEST_MESSAGE = ("ที่อยู่หรือข้อมูลที่ส่งมามีอักขระควบคุม (เช่น NUL) ซึ่งระบบไม่รับ "
                       "โปรดตรวจสอบลิงก์หรือข้อความที่วางมาแล้วลองใหม่อีกครั้ง")


def _has_nul(pairs) -> bool:
    return any(_VALUE_REFUSED in key or _VALUE_REFUSED in value for key, value in pairs)


def refused_part(request) -> str | None:
    """Which part of the request carries a character the portal refuses; None when it is clean."""
    if _PATH_REFUSED.search(request.path) or _PATH_REFUSED.search(request.path_info):
        return "path"
    if _has_nul((key, value) for key, values in request.GET.lists() for value in values):
        return "query"
    for name, value in request.META.items():
        if name.startswith("HTTP_") and name != "HTTP_COOKIE" and isinstance(value, str) and _VALUE_REFUSED in value:
            return "header"
    if request.method == "POST":
        # The same parsing CsrfViewMiddleware does a moment later; the result is kept on the request.
        # (Uploaded file names need no check: Django drops their non-printable characters.)
        if _has_nul((key, value) for key, values in request.POST.lists() for value in values):
            return "form"
    return None


class RejectControlCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A cookie with a NUL (a session key looked up in the database) is dropped, not refused:
        # refusing would lock the browser out until someone cleared its cookies by hand.
        for name in [name for name, value in request.COOKIES.items()
                     if _VALUE_REFUSED in name or _VALUE_REFUSED in value]:
            del request.COOKIES[name]
        if refused_part(request) is not None:
            return bad_request(request)
        return self.get_response(request)


def bad_request(request):
    # 400.html is also the page Django shows for its own 400s (a bad Host header, too many fields).
    return HttpResponseBadRequest(render_to_string("400.html", {"message": BAD_REQUEST_MESSAGE}))


class PrivateCache:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "public", False):
            response.cookies.clear()
            response["Vary"] = "Accept-Encoding"
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class ViewUploadHandlers:
    """A view may name its own upload handlers (`view.upload_handlers(request)` -> a list: the
    verification page hashes a file as it arrives and keeps none of it). They must be in place before
    anything reads the body, and RejectControlCharacters reads it first: so this runs before it, and
    only for a multipart POST (one URL resolution; every other request passes untouched)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
            try:
                make = getattr(resolve(request.path_info).func, "upload_handlers", None)
            except Resolver404:
                make = None
            if make is not None:
                request.upload_handlers = make(request)
        return self.get_response(request)

"""/verify/: one page, open to anyone. A GET shows the form; a POST checks a file or a SHA-256 and
shows the answer on the same page (nothing is created, so there is nothing to redirect to and no
one-time token to claim). Counted in the public pages' rate limit per address."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt

from lao_integrity import branding
from lao_integrity.publication import web

from . import forms, hashing, registry, selectors

METHODS = ("GET", "HEAD", "POST")


def _page(request, form, *, result: dict | None = None, error: str = "", status: int = 200) -> HttpResponse:
    # Rendered like a public page (the product's names only, nothing of the visitor) plus the CSRF token.
    html = render_to_string("verification/verify.html", {
        **branding.names(), "form": form, "result": result, "error": error, "csrf_token": get_token(request),
        "max_mb": hashing.MAX_MB, "file_field": forms.FILE_FIELD,
        "PUBLISHED": registry.PUBLISHED, "WITHDRAWN": registry.WITHDRAWN,
    })
    response = HttpResponse(html, status=status)
    patch_cache_control(response, no_store=True, private=True)  # the form carries a CSRF token
    return response


CSRF_REFUSED = "แบบฟอร์มนี้หมดอายุหรือไม่ได้ส่งมาจากหน้านี้ โปรดเปิดหน้าตรวจสอบเอกสารใหม่แล้วส่งอีกครั้ง"


def _csrf_refused(request) -> bool:
    # Django's own check (the middleware's, as @csrf_protect runs it); its English 403 page is
    # replaced by this page with a Thai message.
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is not None


def _answer(request):
    if request.method != "POST":
        return _page(request, forms.VerifyForm())
    if _csrf_refused(request):
        return _page(request, forms.VerifyForm(), error=CSRF_REFUSED, status=403)
    form = forms.VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    upload = form.cleaned_data["upload"]
    return _page(request, forms.VerifyForm(), result={
        "sha256": form.digest, "documents": selectors.issued(form.digest), "upload": upload,
        "signature": hashing.digital_signature(upload)})


@csrf_exempt  # checked by _answer, after the size: an oversized body is refused unread, token and all
def verify(request):
    if request.method not in METHODS:
        return HttpResponseNotAllowed(METHODS)
    wait = web.over_limit(request)
    if wait is not None:
        return web.too_many(wait)
    if request.method == "POST":
        request.POST  # noqa: B018 - parses the body with this view's handler (if no middleware did)
        if hashing.too_large(request):
            return _page(request, forms.VerifyForm(), error=forms.TOO_LARGE, status=413)
    return _answer(request)


verify.upload_handlers = hashing.upload_handlers  # read by lao_integrity.middleware.ViewUploadHandlers

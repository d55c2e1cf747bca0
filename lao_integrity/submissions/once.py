"""The one-time submission token: minted per response, claimed once per accepted POST."""

from __future__ import annotations

import functools
import re
import secrets
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

FIELD = "submission_token"
TOKEN_LENGTH = 32
_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")
# What the template writes; the middleware replaces each one with a fresh token. Exactly as long
# as a token (Content-Length stays right) and never a valid one ("!"): a page rendered without
# the middleware yields forms the server refuses instead of forms sharing one token.
PLACEHOLDER = "submission-token-not-yet-minted!"
assert len(PLACEHOLDER) == TOKEN_LENGTH and not _TOKEN.fullmatch(PLACEHOLDER)
_PLACEHOLDER_BYTES = PLACEHOLDER.encode()
KEEP_DAYS = 7  # a form re-sent after this long is accepted again; older rows are deleted

DUPLICATE_MESSAGE = "แบบฟอร์มนี้ถูกส่งไปแล้ว ระบบบันทึกไว้เพียงครั้งเดียว นี่คือผลของการส่งครั้งแรก"
REFUSED_MESSAGE = ("แบบฟอร์มนี้ไม่มีรหัสการส่งที่ถูกต้อง จึงยังไม่ได้บันทึก "
                   "โปรดเปิดหน้าแบบฟอร์มใหม่อีกครั้งแล้วส่งอีกครั้ง")


def new_token() -> str:
    token = secrets.token_urlsafe(TOKEN_LENGTH * 3 // 4)
    assert len(token) == TOKEN_LENGTH
    return token


def is_token(value) -> bool:
    return isinstance(value, str) and bool(_TOKEN.fullmatch(value))


class SubmissionTokenMiddleware:
    """Replace every token placeholder in an HTML response with a token of its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (not getattr(response, "streaming", False)
                and response.get("Content-Type", "").startswith("text/html")
                and _PLACEHOLDER_BYTES in response.content):
            parts = response.content.split(_PLACEHOLDER_BYTES)
            minted = [parts[0]]
            for part in parts[1:]:
                minted += [new_token().encode(), part]
            response.content = b"".join(minted)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


# --- the server side ---------------------------------------------------------------------------


def prune() -> None:
    """Delete the records of submissions older than KEEP_DAYS (one indexed range delete)."""
    from .models import Submission

    Submission.objects.filter(created_at__lt=timezone.now() - timedelta(days=KEEP_DAYS)).delete()


def _reported_error(request) -> bool:
    """Whether the view queued an error message in this request ("ยังไม่มีโครงการ อนุมัติไม่ได้"):
    a redirect that reports a refusal did nothing, so the form may be sent again."""
    storage = getattr(request, "_messages", None)
    return any(m.level >= messages.ERROR for m in getattr(storage, "_queued_messages", ()))


def _accepted(request, response) -> bool:
    """A submission was accepted when the view answered with a redirect (post/redirect/get)
    and reported no error; a form shown again with its errors (200) or a refusal did nothing."""
    return 300 <= response.status_code < 400 and response.has_header("Location") and not _reported_error(request)


def refused(request, status: int = 400):
    """The Thai page for a POST without a usable token; nothing was saved."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = ""
    return render(request, "submissions/refused.html", {"message": REFUSED_MESSAGE, "back": back}, status=status)


def _claim(request, token: str):
    """Record the token, or None when it was recorded already (after the first's commit)."""
    from .models import Submission

    user = request.user if getattr(request, "user", None) is not None and request.user.is_authenticated else None
    try:
        with transaction.atomic():  # a savepoint: the duplicate's failure leaves the transaction usable
            return Submission.objects.create(token=token, user=user, path=request.path[:500])
    except IntegrityError:
        return None


def _duplicate(request, token: str):
    from .models import Submission

    first = Submission.objects.filter(token=token).first()
    user_id = request.user.pk if getattr(request, "user", None) is not None else None
    if first is None or first.user_id != user_id or not first.redirect_to:
        return refused(request)
    messages.warning(request, DUPLICATE_MESSAGE)
    return redirect(first.redirect_to)


def once_per_submission(view):
    """Accept each form submission (its one-time token) once; see the package's docstring.

    Put it under @login_required (and @require_POST). GETs pass straight through. The view runs
    inside one transaction with the token's record; what it returns decides whether the token
    is spent (_accepted). A response may carry `after_commit`, a callable giving the response to
    send once the transaction has committed (a job that runs on commit: jobs.views.after_start).
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        token = request.POST.get(FIELD, "")
        if not is_token(token):
            return refused(request)
        prune()
        with transaction.atomic():
            claim = _claim(request, token)
            if claim is None:
                return _duplicate(request, token)
            response = view(request, *args, **kwargs)
            from .models import Submission

            if _accepted(request, response):
                Submission.objects.filter(pk=claim.pk).update(redirect_to=response["Location"][:2000])
            else:
                Submission.objects.filter(pk=claim.pk).delete()
        after_commit = getattr(response, "after_commit", None)
        return after_commit() if callable(after_commit) else response

    wrapped.once_per_submission = True
    return wrapped

"""Helpers for the login throttling (django-axes) and the Content-Security-Policy.

Kept out of settings.py so they can be tested; settings refer to them by dotted path.
"""

import base64
import hashlib
import unicodedata

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address for counting failed logins.

    Without a proxy (TRUSTED_PROXY_COUNT = 0) it is REMOTE_ADDR and X-Forwarded-For is ignored:
    anyone can send that header. Behind N trusted reverse proxies, each appends the address it
    received the request from, so the client is the N-th address from the right; whatever the
    client itself put in the header is further left and never used.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


def login_username(request, credentials) -> str | None:
    """The username a failed login is counted against, normalised as Django normalises it
    (NFKC, surrounding spaces dropped), so " staff" and "staff" share one counter."""
    if credentials and credentials.get("username") is not None:
        value = credentials["username"]
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("username")
    if value is None:
        return None
    return unicodedata.normalize("NFKC", str(value)).strip()


def csp_hash(source: str) -> str:
    """A CSP source expression allowing exactly this inline script or event handler text."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"

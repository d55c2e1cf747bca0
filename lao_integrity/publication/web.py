"""How every public (no login) page answers: the decorator all apps' public views wear.

STUB on main, filled in by the publication work: cache headers (ETag/Last-Modified,
Cache-Control: public with a short max-age), a rate limit per address, and frame-ancestors
configurable for public pages only (every other page still refuses framing)."""

from __future__ import annotations

import functools


def public_view(view):
    """Wear this on every public view: GET/HEAD only, no login, the headers above."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.public = True
    return wrapped

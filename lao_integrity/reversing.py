"""`reverse` once per process (issue 19): a page's links are the same few kinds on every request,
and `reverse` costs tens of microseconds each, more than a list page's query once there are fifty
rows of links. Every cached address of the portal comes from here:

* `reversed_once(name, *args)`: what `reverse(name, args=args)` gives;
* `url_pattern(name, *args)`: the address with "{0}", "{1}" where its None arguments go (integers,
  filled by str.format), for a row's link;
* `row_link(name)`: a function of the one (text) argument a URL ends with.

Each is kept per script prefix (it may come from a proxy's SCRIPT_NAME), URL configuration and
language, which is all `reverse` reads; the cache is bounded (least recently used)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

MOST = 1024


def reversed_once(name: str, *args) -> str:
    """`reverse(name, args=args)`, remembered for the request's script prefix, URLconf and language."""
    return _reversed(name, args, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF, get_language())


@functools.lru_cache(maxsize=MOST)
def _reversed(name: str, args: tuple, prefix: str, urlconf, root_urlconf: str, language) -> str:
    return reverse(name, args=list(args))


_SLOTS = (2147483647, 2147483646)  # ids no row has: reversed once, then replaced by "{0}", "{1}"


def url_pattern(name: str, *args) -> str:
    """`name`'s address with "{0}", "{1}" where its None arguments go, the others fixed."""
    slots = iter(_SLOTS)
    filled = [next(slots) if arg is None else arg for arg in args]
    pattern = reversed_once(name, *filled)
    for index, slot in enumerate(_SLOTS[:sum(arg is None for arg in args)]):
        pattern = pattern.replace(str(slot), f"{{{index}}}")
    return pattern


_PLACEHOLDER = "0"
_SAFE = "!$&'()*+,;=~:@"  # what reverse() leaves unquoted in a segment (RFC 3986 sub-delims and ~:@)


def row_link(name: str) -> Callable[[object], str]:
    """f(argument) -> the URL `name` with that one argument, for URLs ending `<argument>/`."""
    url = reversed_once(name, _PLACEHOLDER)
    suffix = f"/{_PLACEHOLDER}/"
    if not url.endswith(suffix):
        raise ValueError(f"{name} does not end with its argument")
    prefix = url[: -len(suffix) + 1]
    return lambda argument: f"{prefix}{quote(str(argument), safe=_SAFE)}/"

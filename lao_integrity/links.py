"""Links of table rows: `reverse` once a page, then the row's argument appended (issue 19).

`reverse` costs tens of microseconds; a list page of fifty rows with two links each spent more on
it than on its query. `row_link("ita:history")` gives a function that builds what
`reverse("ita:history", args=[code])` would for a URL whose last segment is that one argument
(tests/kernel/test_links.py compares the two).
"""

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse

_PLACEHOLDER = "0"
_SAFE = "!$&'()*+,;=~:@"  # what reverse() leaves unquoted in a segment (RFC 3986 sub-delims and ~:@)


def row_link(name: str) -> Callable[[object], str]:
    """f(argument) -> the URL `name` with that one argument, for URLs ending `<argument>/`."""
    url = reverse(name, args=[_PLACEHOLDER])
    suffix = f"/{_PLACEHOLDER}/"
    if not url.endswith(suffix):
        raise ValueError(f"{name} does not end with its argument")
    prefix = url[: -len(suffix) + 1]
    return lambda argument: f"{prefix}{quote(str(argument), safe=_SAFE)}/"

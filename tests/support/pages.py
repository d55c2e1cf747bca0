"""Reading a page the test client returned."""

import html as html_lib
import re


def page(response) -> str:
    """The page's HTML, once it is known to have been served (200)."""
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def text(response) -> str:
    """The page's HTML with entities decoded and whitespace collapsed, for `in` checks on Thai text."""
    return " ".join(html_lib.unescape(response.content.decode()).split())


def strip_tags(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def by_id(html: str, element_id: str) -> str:
    """The text of the element with that id."""
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element #{element_id}"
    return strip_tags(match.group(2))

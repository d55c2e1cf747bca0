"""{% fixed_url 'name' %}: the address of a URL that takes no argument, reversed once per
process. The page frame (templates/base.html) names fourteen of them on every page; reversing
each every time was a noticeable share of a small page's cost.

The same text as {% url 'name' %}: the key holds everything `reverse` depends on for such a
name (the URLconf, this thread's and the settings', and the script prefix)."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_REVERSED: dict[tuple, str] = {}
# The script prefix may come from the request (a SCRIPT_NAME header through a proxy): bounded.
_MOST = 512


def reversed_once(name: str) -> str:
    """reverse(name) for a URL without arguments, once per process (and script prefix)."""
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), name)
    url = _REVERSED.get(key)
    if url is None:
        if len(_REVERSED) >= _MOST:
            _REVERSED.clear()
        url = _REVERSED[key] = reverse(name)
    return url


@register.simple_tag(takes_context=True)
def fixed_url(context, name: str) -> str:
    url = reversed_once(name)
    return conditional_escape(url) if context.autoescape else url

"""{% fixed_url 'name' %}: the address of a URL that takes no argument, reversed once per
process. The page frame (templates/base.html) names fourteen of them on every page; reversing
each every time was a noticeable share of a small page's cost.

The same text as {% url 'name' %} (lao_integrity/reversing.py keeps it per script prefix, URL
configuration and language)."""

from django import template
from django.utils.html import conditional_escape

from lao_integrity.reversing import reversed_once

register = template.Library()


@register.simple_tag(takes_context=True)
def fixed_url(context, name: str) -> str:
    url = reversed_once(name)
    return conditional_escape(url) if context.autoescape else url

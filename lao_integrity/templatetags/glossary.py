"""{% term "IIT" %}: the abbreviation as it reads, its full name on hover and a link to its glossary entry."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from lao_integrity.glossary import TERMS

register = template.Library()
_BY_TERM = {t.term: t for t in TERMS}


@register.simple_tag
def term(text: str):
    entry = _BY_TERM[text]  # a KeyError names a term missing from the glossary at once
    return format_html('<a class="term" href="{}#{}"><abbr title="{}">{}</abbr></a>',
                       reverse("glossary"), entry.slug, entry.full, entry.term)

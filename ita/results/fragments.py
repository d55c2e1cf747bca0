"""Pieces of the ITA pages' Jinja2 bodies that the Django template language wrote with tags."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from markupsafe import Markup

from lao_integrity.jinja_env import form_tokens
from lao_integrity.templatetags.glossary import term

__all__ = ["form_tokens", "terms", "year_link"]


_TERMS: dict[tuple, Markup] = {}


def terms(*names: str) -> dict[str, Markup]:
    """{% term name %} of each name: the abbreviation linked to its glossary entry (made once per
    process and script prefix, the glossary being fixed)."""
    prefix = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    made = {}
    for name in names:
        key = (*prefix, name)
        if key not in _TERMS:
            _TERMS[key] = Markup(term(name))
        made[name] = _TERMS[key]
    return made


_YEAR = 2147483647  # a year no link has: reversed once, then replaced by "{}"


def year_link(name: str, code: str) -> str:
    """`name`'s address for the organisation `code` with "{}" where the fiscal year goes (str.format)."""
    return reverse(name, args=[code, _YEAR]).replace(str(_YEAR), "{}")

"""Pieces of the ITA pages' Jinja2 bodies that the Django template language wrote with tags."""

from markupsafe import Markup

from lao_integrity.jinja_env import form_tokens
from lao_integrity.templatetags.glossary import term

__all__ = ["form_tokens", "terms"]


def terms(*names: str) -> dict[str, Markup]:
    """{% term name %} of each name: the abbreviation linked to its glossary entry."""
    return {name: Markup(term(name)) for name in names}

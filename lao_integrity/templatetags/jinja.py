"""{% jinja "app/part.jinja" name=value %}: a part written once as a Jinja2 template
(lao_integrity/jinja_env.py) shown in a Django page too, so a part both kinds of page show (the
review panel, e-PlanNACC's bands) has one template."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from lao_integrity.jinja_env import form_tokens

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, name: str, **values):
    """The template rendered with `values` and, for its forms, the page request's `tokens`."""
    request = context.get("request")
    tokens = form_tokens(request) if request is not None else ""
    return mark_safe(render_to_string(name, {**values, "tokens": tokens}, request=request, using="jinja2"))  # noqa: S308 (Jinja2 escapes)

"""The admin list's action form (the "คำสั่ง" select and its hidden field) written out in Python.

Django renders each widget through the form renderer's templates: the select, an included template
per option, another per attribute list; for the one select above every admin list that was a
tenth of the page's render (issue 19's profile). These widgets write Django's own markup (the
templates of django/forms/widgets, whitespace included); when the templates in use are not
Django's (a renderer or an app overriding them) or the select has option groups, Django renders.
"""

import functools
from pathlib import Path

from django import forms
from django.apps import apps
from django.contrib.admin import helpers
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

_AUTOESCAPE = Context(autoescape=True)


@functools.cache
def _djangos_templates(renderer) -> bool:
    """Django's default renderer, and no installed app overriding its form templates."""
    return type(renderer) is DjangoTemplates and not any(
        (Path(app.path) / "templates" / "django" / "forms").exists() for app in apps.get_app_configs())


def _usable(renderer) -> bool:
    return _djangos_templates(renderer or get_default_renderer())


def _value(value) -> str:
    """`{{ value|stringformat:'s' }}`."""
    return conditional_escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(f" {conditional_escape(name)}" + ("" if value is True else f'="{_value(value)}"')
                   for name, value in attrs.items() if value is not False)


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        if (self.template_name != forms.Select.template_name
                or self.option_template_name != forms.Select.option_template_name or not _usable(renderer)):
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _, _ in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = "".join(
            f'\n  <option value="{_value(option["value"])}"{_attrs(option["attrs"])}>'
            f'{render_value_in_context(option["label"], _AUTOESCAPE)}</option>\n'
            for _, group, _ in widget["optgroups"] for option in group)
        return mark_safe(f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>{options}\n</select>')


class FastHiddenInput(forms.HiddenInput):
    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != forms.HiddenInput.template_name or not _usable(renderer):
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{_value(widget["value"])}"'
        return mark_safe(f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
                         f'{shown}{_attrs(widget["attrs"])}>')


class ActionForm(helpers.ActionForm):
    """Django's ActionForm (the same fields, labels and markup) with the widgets above."""

    action = forms.ChoiceField(label=gettext_lazy("Action:"), widget=FastSelect)
    select_across = forms.BooleanField(label="", required=False, initial=0,
                                       widget=FastHiddenInput({"class": "select-across"}))

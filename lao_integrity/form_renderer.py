"""The form renderer: Django's own widget, field and error templates (`django/forms/…`) through
Jinja2, every other form template (the admin's widgets) through Django's template language.

Each widget, each option of a select, each error list is a template render; with Django's template
language a select of fifty organisations was most of a small page's render (issue 19). Django ships
the same templates for Jinja2 (django/forms/jinja2) and tests that both give the same HTML; the
admin's widget templates exist only for Django's language, hence the split by name."""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2

_JINJA2_PREFIX = "django/forms/"


class FormRenderer(BaseRenderer):
    def __init__(self):
        self._jinja2, self._django = Jinja2(), DjangoTemplates()

    def get_template(self, template_name):
        renderer = self._jinja2 if template_name.startswith(_JINJA2_PREFIX) else self._django
        return renderer.get_template(template_name)

"""The form renderer (lao_integrity/form_renderer.py): Django's own form templates through Jinja2,
the admin's widget templates through Django's template language, the same HTML as Django's
default renderer but for whitespace between tags."""

import re

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template

from lao_integrity.fields import BahtField, ThaiDateField
from lao_integrity.form_renderer import FormRenderer


class Everything(forms.Form):
    name = forms.CharField(label="ชื่อ", max_length=10, help_text="ชื่อเต็ม")
    kind = forms.ChoiceField(label="ประเภท", choices=[("a", "ก"), ("b", "ข <ค>")])
    quarters = forms.MultipleChoiceField(label="ไตรมาส", choices=[(1, "1"), (2, "2")],
                                         widget=forms.CheckboxSelectMultiple)
    status = forms.ChoiceField(label="สถานะ", choices=[("x", "เสร็จ"), ("y", "ยัง")], widget=forms.RadioSelect)
    done = forms.BooleanField(label="เสร็จแล้ว", required=False)
    note = forms.CharField(label="หมายเหตุ", widget=forms.Textarea, required=False)
    amount = BahtField(label="งบประมาณ")
    day = ThaiDateField(label="วันที่")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def test_the_settings_use_it():
    assert isinstance(get_default_renderer(), FormRenderer)


def test_django_form_templates_go_through_jinja2_and_the_admins_through_django():
    renderer = FormRenderer()
    assert isinstance(renderer.get_template("django/forms/widgets/select.html"), Jinja2Template)
    assert isinstance(renderer.get_template("admin/widgets/date.html"), DjangoTemplate)


def test_same_html_as_djangos_renderer_bound_unbound_and_with_errors():
    data = {"name": "ยาวเกินสิบตัวอักษรแน่นอน", "kind": "b", "quarters": ["2"], "status": "x", "amount": "abc"}
    for form_of in (lambda: Everything(), lambda: Everything(data=data)):
        ours, theirs = form_of(), form_of()
        ours.renderer, theirs.renderer = FormRenderer(), DjangoTemplates()
        mine, django_s = ours.as_div(), theirs.as_div()
        assert "<select" in mine and 'type="radio"' in mine and "<textarea" in mine
        assert squeeze(mine) == squeeze(django_s)
        for name in ours.fields:
            assert squeeze(str(ours[name])) == squeeze(str(theirs[name]))
            assert squeeze(str(ours[name].errors)) == squeeze(str(theirs[name].errors))
    assert "errorlist" in squeeze(Everything(data=data).as_div())


def test_an_admin_widget_renders():
    html = AdminDateWidget().render("day", None, renderer=FormRenderer())
    assert 'class="vDateField"' in html

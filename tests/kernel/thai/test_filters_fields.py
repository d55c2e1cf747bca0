"""Tests for lao_integrity.thai's template filters and its form fields (ThaiDateField, BahtField)."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError
from django.utils.safestring import mark_safe

from lao_integrity.fields import BahtField, ThaiDateField

D = Decimal
date = datetime.date


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

FEB27 = date(2026, 2, 27)


# ---------------------------------------------------------------------------
# Template filters
# ---------------------------------------------------------------------------


def render(source, **context):
    return Template("{% load thai %}" + source).render(Context(context))


def test_filters_basic():
    ctx = {"d": FEB27, "amount": D("10000"), "code": "O29 ปี 2569"}
    assert render("{{ d|date_long }}", **ctx) == "๒๗ กุมภาพันธ์ พ.ศ. ๒๕๖๙"
    assert render('{{ d|date_long:"month_word" }}', **ctx) == "๒๗ เดือน กุมภาพันธ์ พ.ศ. ๒๕๖๙"
    assert render('{{ d|date_long:"no_era" }}', **ctx) == "๒๗ กุมภาพันธ์ ๒๕๖๙"
    assert render("{{ d|date_short }}", **ctx) == "27/02/2569"
    assert render("{{ amount|baht }}", **ctx) == "10,000.00"
    assert render("{{ code|thai_digits }}", **ctx) == "O29 ปี ๒๕๖๙"


@pytest.mark.parametrize(
    "filter_expr",
    [
        "thai_digits",
        "date_long",
        'date_long:"month_word"',
        "date_short",
        "baht",
    ],
)
@pytest.mark.parametrize("value", [None, ""])
def test_filters_tolerate_empty(filter_expr, value):
    assert render(f"[{{{{ v|{filter_expr} }}}}]", v=value) == "[]"
    assert render(f"[{{{{ missing|{filter_expr} }}}}]") == "[]"


def test_thai_digits_filter_escaping():
    # Unsafe input stays escaped after conversion.
    assert render("{{ v|thai_digits }}", v="<b>5</b>") == "&lt;b&gt;๕&lt;/b&gt;"
    # Safe HTML input stays safe; tag attributes are not touched.
    assert render("{{ v|thai_digits }}", v=mark_safe('<td colspan="2">5</td>')) == '<td colspan="2">๕</td>'
    # Entities produced by escaping survive conversion.
    assert render("{{ v|thai_digits }}", v="it's 5") == "it&#x27;s ๕"
    assert render("{{ v|escape|thai_digits }}", v="it's 5") == "it&#x27;s ๕"


def test_date_filters_use_local_time():
    # 20:00 UTC on 30 Sep is 03:00 on 1 Oct in Bangkok: a new fiscal year.
    from django.utils import timezone

    aware = datetime.datetime(2026, 9, 30, 20, 0, tzinfo=datetime.UTC)
    with timezone.override("Asia/Bangkok"):
        assert render("{{ t|date_short }}", t=aware) == "01/10/2569"


def test_every_thai_filter_is_used_by_a_template():
    """A filter only the tests call is dead code: remove it rather than keep it in step."""
    from django.apps import apps
    from django.conf import settings

    from lao_integrity.templatetags.thai import register

    folders = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs()
                if Path(app.path).resolve().is_relative_to(Path(settings.BASE_DIR).resolve())]
    text = "\n".join(p.read_text() for folder in folders for p in folder.rglob("*") if p.is_file())
    unused = [name for name in register.filters if not re.search(r"\|\s*" + name + r"\b", text)]
    assert unused == []


def test_date_long_unknown_option():
    with pytest.raises(TemplateSyntaxError):
        render('{{ d|date_long:"bogus" }}', d=FEB27)
    assert render('{{ d|date_long:"month_word,no_era" }}', d=FEB27) == "๒๗ เดือน กุมภาพันธ์ ๒๕๖๙"


def test_baht_filters_accept_typed_strings():
    assert render("{{ v|baht }}", v="10000.5") == "10,000.50"


# ---------------------------------------------------------------------------
# Form fields
# ---------------------------------------------------------------------------


class ReportForm(forms.Form):
    published = ThaiDateField()
    budget = BahtField(max_digits=14, min_value=D("0"))
    optional_date = ThaiDateField(required=False)


def test_thai_date_field_valid():
    form = ReportForm(data={"published": "๒๗/๒/๒๕๖๙", "budget": "10,000.00"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["published"] == FEB27
    assert form.cleaned_data["budget"] == D("10000.00")
    assert form.cleaned_data["optional_date"] is None


@pytest.mark.parametrize(
    ("typed", "message_part"),
    [
        ("31/02/2569", "ไม่มีวันที่ 31 กุมภาพันธ์"),
        ("27/02/2026", "พ.ศ."),
        ("เมื่อวาน", "วันที่ไม่ถูกต้อง"),
        ("50%", "วันที่ไม่ถูกต้อง"),
    ],
)
def test_thai_date_field_invalid(typed, message_part):
    form = ReportForm(data={"published": typed, "budget": "1"})
    assert not form.is_valid()
    assert message_part in form.errors["published"][0]


def test_thai_date_field_required_message():
    form = ReportForm(data={"published": "", "budget": "1"})
    assert not form.is_valid()
    assert form.errors["published"] == ["กรุณากรอกวันที่"]


def test_thai_date_field_renders_initial_be():
    form = ReportForm(initial={"published": FEB27})
    html = str(form["published"])
    assert 'value="27/02/2569"' in html
    assert 'placeholder="วว/ดด/ปปปป"' in html
    assert 'inputmode="numeric"' in html
    assert 'type="text"' in html


def test_thai_date_field_redisplays_typed_text():
    form = ReportForm(data={"published": "31/02/2569", "budget": "1"})
    assert 'value="31/02/2569"' in str(form["published"])


def test_thai_date_field_has_changed():
    field = ThaiDateField()
    assert not field.has_changed(FEB27, "27/02/2569")
    assert field.has_changed(FEB27, "28/02/2569")


def test_baht_field_valid_inputs():
    field = BahtField()
    assert field.clean("10,000.00") == D("10000.00")
    assert field.clean(" ๑๐๐๐ ") == D("1000")
    assert field.clean(D("5.5")) == D("5.5")
    assert field.clean(-5) == D("-5")


@pytest.mark.parametrize(
    ("typed", "message_part"),
    [
        ("abc", "จำนวนเงินไม่ถูกต้อง"),
        ("1,00,0", "จุลภาค"),
        ("1.234", "2 ตำแหน่ง"),
        ("NaN", "จำนวนเงินไม่ถูกต้อง"),
        ("", "กรุณากรอกจำนวนเงิน"),
        ("-1", "ไม่น้อยกว่า 0.00 บาท"),
        ("1,000,000,000,000.00", "ไม่เกิน 14 หลัก"),
    ],
)
def test_baht_field_invalid(typed, message_part):
    form = ReportForm(data={"published": "27/02/2569", "budget": typed})
    assert not form.is_valid()
    assert message_part in form.errors["budget"][0]


def test_baht_field_max_value_message():
    field = BahtField(max_value=D("500000"))
    with pytest.raises(forms.ValidationError) as info:
        field.clean("500,000.01")
    assert info.value.messages == ["จำนวนเงินต้องไม่เกิน 500,000.00 บาท"]


def test_baht_field_whole_baht():
    field = BahtField(decimal_places=0, max_digits=10)
    assert field.clean("10,000.00") == D("10000")
    with pytest.raises(forms.ValidationError) as info:
        field.clean("10,000.50")
    assert "ทศนิยม" in info.value.messages[0]


def test_baht_field_renders_value():
    form = ReportForm(initial={"budget": D("10000")})
    html = str(form["budget"])
    assert 'value="10,000.00"' in html
    assert 'inputmode="decimal"' in html
    assert 'type="text"' in html
    assert not BahtField().has_changed(D("10000.00"), "10,000")

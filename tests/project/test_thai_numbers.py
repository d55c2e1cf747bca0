"""Every number box takes Thai digits, numeric model fields get the Thai number fields, and fiscal years
have one definition (lao_integrity/fields.py). The forms are found as in test_thai_messages.py."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from tests.project.project_forms import form_fields, form_model, latin_words, project_apps

BASE_DIR = Path(settings.BASE_DIR).resolve()


# Latin words a Thai user is expected to read: file formats and names of standards. Codes with
# digits (O29, ISO9001) and web addresses are allowed without listing.
ALLOWED_LATIN = {"ITA", "OIT", "IIT", "EIT", "PDF", "csv", "CSV", "xlsx", "URL", "PNG", "JPEG", "MB", "KB"}
_ADDRESS_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_LATIN_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")


# --- Thai digits in every number box -------------------------------------------------------------

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)


def _sample(field) -> Decimal:
    """A value the field accepts, 1,000 or more when its limits allow it (to try the separator)."""
    low = Decimal(str(field.min_value)) if field.min_value is not None else Decimal(0)
    high = Decimal(str(field.max_value)) if field.max_value is not None else None
    places = getattr(field, "decimal_places", None)
    max_digits = getattr(field, "max_digits", None)
    if max_digits is not None:
        whole_max = Decimal(10) ** (max_digits - (places or 0)) - 1
        high = whole_max if high is None else min(high, whole_max)
    value = Decimal(1000)
    if high is not None and value > high:
        value = Decimal(int(high))
    value = max(value, low)
    if not isinstance(field, forms.IntegerField) and places != 0 and (high is None or value + Decimal("0.5") <= high):
        value += Decimal("0.5")
    return value


def _typed_forms(value: Decimal) -> list[str]:
    whole, _, fraction = f"{value}".partition(".")
    grouped = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return [f"{value}".translate(THAI), grouped.translate(THAI)]


def test_every_number_box_takes_thai_digits(every_form):
    refused = []
    checked = 0
    with translation.override("th"):
        for name, form in every_form:
            for field_name, field in form_fields(form).items():
                if not isinstance(field, NUMBER_FIELDS) or field.widget.is_hidden:
                    continue  # hidden numbers (the loaded version) are never typed
                checked += 1
                where = f"{name}.{field_name}"
                if 'type="number"' in field.widget.render(field_name, None):
                    refused.append(f'{where}: type="number" (the browser drops Thai digits)')
                value = _sample(field)
                for typed in _typed_forms(value):
                    try:
                        cleaned = field.clean(typed)
                    except forms.ValidationError as error:
                        refused.append(f"{where}: {typed!r} refused: {error.messages}")
                        continue
                    if Decimal(str(cleaned)) != value:
                        refused.append(f"{where}: {typed!r} read as {cleaned!r}")
    assert checked >= 15  # years, counts, targets, weights, budgets, the admin's numbers
    assert not refused, "\n".join(refused)


def test_misplaced_thousands_separators_are_refused_in_thai():
    from lao_integrity.fields import ThaiDecimalField, ThaiIntegerField

    with translation.override("th"):
        for field in (ThaiIntegerField(), ThaiDecimalField(max_digits=10, decimal_places=2)):
            with pytest.raises(forms.ValidationError) as raised:
                field.clean("๑,๐๐")
            assert not latin_words(" ".join(raised.value.messages))
        assert ThaiIntegerField().clean(" ๑ ๒๓๔ ") == 1234
        assert ThaiDecimalField(max_digits=10, decimal_places=2).clean("−๑,๐๐๐.๕๐") == Decimal("-1000.50")


def test_no_plain_django_number_field_in_the_project_source():
    """Fields built inside a form's __init__ (one per indicator...) escape the walk above."""
    offenders = []
    for config in project_apps():
        for path in Path(config.path).rglob("*.py"):
            if "migrations" in path.parts or ".venv" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for match in re.finditer(r"forms\.(?:IntegerField|DecimalField|FloatField|NumberInput)\(", text):
                line = text[: match.start()].count("\n") + 1
                offenders.append(f"{path.relative_to(BASE_DIR)}:{line}")
    assert not offenders, "use lao_integrity.fields' Thai number fields: " + ", ".join(offenders)


def test_numeric_model_fields_get_the_thai_number_fields():
    from lao_integrity.fields import ThaiDecimalField, ThaiIntegerField, thai_formfield

    assert isinstance(thai_formfield(models.PositiveIntegerField()), ThaiIntegerField)
    assert isinstance(thai_formfield(models.DecimalField(max_digits=5, decimal_places=2)), ThaiDecimalField)
    assert not isinstance(thai_formfield(models.IntegerField(choices=[(1, "หนึ่ง")])), ThaiIntegerField)


# --- fiscal years: one definition, in lao_integrity/fields.py ------------------------------------

# Apps not yet on the kernel bounds (none left: keep it empty; the test fails for a new copy).
FISCAL_YEAR_PENDING: tuple[str, ...] = ()


def _fiscal_year_pending(name: str) -> bool:
    return name.removeprefix("admin ").split(".")[0] in FISCAL_YEAR_PENDING


def test_every_fiscal_year_box_and_record_takes_the_kernel_bounds(every_form):
    from lao_integrity.fields import FISCAL_YEAR_MAX, FISCAL_YEAR_MESSAGE, FISCAL_YEAR_MIN

    def messages(field, model_field, typed: str) -> list[str]:
        try:
            cleaned = field.clean(typed)
            if model_field is not None and cleaned is not None:
                model_field.run_validators(cleaned)  # what ModelForm._post_clean adds
        except forms.ValidationError as error:
            return error.messages
        return []

    wrong, checked = [], 0
    with translation.override("th"):
        for name, form in every_form:
            field = form_fields(form).get("fiscal_year")
            if field is None or _fiscal_year_pending(name):
                continue
            model = form_model(form)
            model_field = model._meta.get_field("fiscal_year") if model is not None else None
            checked += 1
            for year in (FISCAL_YEAR_MIN - 1, FISCAL_YEAR_MAX + 1, 2026):  # 2026: a C.E. year
                if messages(field, model_field, str(year)) != [FISCAL_YEAR_MESSAGE]:
                    wrong.append(f"{name}: {year} gives {messages(field, model_field, str(year))}")
            for year in (FISCAL_YEAR_MIN, FISCAL_YEAR_MAX):
                if messages(field, model_field, str(year).translate(THAI)):
                    wrong.append(f"{name}: {year} refused")
        for model in apps.get_models():
            if model._meta.app_label in FISCAL_YEAR_PENDING or not any(
                    f.name == "fiscal_year" for f in model._meta.get_fields()):
                continue
            checked += 1
            for year in (FISCAL_YEAR_MIN - 1, FISCAL_YEAR_MAX + 1):
                given = messages(forms.IntegerField(), model._meta.get_field("fiscal_year"), str(year))
                if given != [FISCAL_YEAR_MESSAGE]:
                    wrong.append(f"{model._meta.label}: {year} gives {given}")
    assert checked >= 8  # plan create/import, announcement create/edit, the admin's, the models
    assert not wrong, "\n".join(wrong)


def test_fiscal_year_bounds_are_written_once():
    """A bound typed again elsewhere (min_value=2560, MinValueValidator(2500), 2560 <= year)
    drifts: two lower limits, 2500 and 2560, lived side by side before."""
    offenders = []
    bound = r"(?:2500|2560|2600|2700)"  # the limits used so far; domain years (EIT parts from 2566) pass
    pattern = re.compile(rf"(?:min_value=|max_value=|ValueValidator\(|[<>]=?\s*){bound}\b|\b{bound}\s*[<>]")
    for config in project_apps():  # "-> 2569" in a comment is an arrow, not a bound
        if config.name.split(".")[0] in FISCAL_YEAR_PENDING:
            continue
        for path in Path(config.path).rglob("*.py"):
            if "migrations" in path.parts or path.name == "fields.py":
                continue
            text = path.read_text(encoding="utf-8")
            for match in pattern.finditer(text):
                if text[match.start() - 1: match.start() + 1] == "->":
                    continue
                offenders.append(f"{path.relative_to(BASE_DIR)}:{text[: match.start()].count(chr(10)) + 1}")
    assert not offenders, "use lao_integrity.fields' FISCAL_YEAR_MIN/MAX: " + ", ".join(offenders)

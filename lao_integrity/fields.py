"""Form fields for Thai input: B.E. dates, baht amounts and every other number.

Parsing and formatting are delegated to :mod:`lao_integrity.thai`, so what a form
accepts is exactly what the rest of the project displays.

Numbers (years, counts, quarters, scores, targets) use ``ThaiIntegerField`` /
``ThaiDecimalField`` / ``ThaiFloatField``: Thai digits and thousands separators are accepted
("๒๕๖๙", "๑,๐๐๐.๕๐") and the input is a text box, never ``type="number"``, which the browser
would empty on Thai digits and guard with its own English tooltips. ModelForms get them through
``Meta.formfield_callback = thai_formfield``, the admin through ``ThaiNumbersAdmin`` (added to
every ModelAdmin by the portal's admin site); tests/project/test_thai_numbers.py walks every form.

Fiscal years are bounded here once (FISCAL_YEAR_MIN/MAX): ``validate_fiscal_year`` on model fields,
``FiscalYearField`` in forms.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import connections, models

from lao_integrity.thai import format_baht, format_date_short, parse_amount, parse_be_date, to_arabic_digits

__all__ = ["FISCAL_YEAR_MAX", "FISCAL_YEAR_MESSAGE", "FISCAL_YEAR_MIN", "BahtField", "BahtInput", "KeysChoiceField",
           "FiscalYearField", "ThaiDateField", "ThaiDateInput", "ThaiDecimalField", "ThaiDecimalInput",
           "ThaiFloatField", "ThaiIntegerField", "ThaiNumberInput", "ThaiNumbersAdmin", "normalise_number",
           "thai_formfield", "validate_fiscal_year"]


class ThaiDateInput(forms.TextInput):
    """Text input showing dates as "27/02/2569" (B.E.)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"placeholder": "วว/ดด/ปปปป", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return format_date_short(value)
        # Anything else is what the user typed: show it back unchanged.
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """Date typed as DD/MM/YYYY in B.E. (and the other forms ``parse_be_date`` accepts)."""

    widget = ThaiDateInput
    default_error_messages = {
        "required": "กรุณากรอกวันที่",
        "invalid": "วันที่ไม่ถูกต้อง กรุณากรอกเป็น วว/ดด/ปปปป (พ.ศ.) เช่น 27/02/2569",
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_be_date(str(value))
        except ValueError as exc:
            # The parser's message says what exactly is wrong (no such day, C.E. year...).
            # No params: the message contains user input, which may contain "%".
            raise ValidationError(str(exc) or self.error_messages["invalid"], code="invalid") from exc


class BahtInput(forms.TextInput):
    """Text input showing amounts as "10,000.00"."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # "decimal", not "numeric": phone keypads must offer the decimal point.
        defaults = {"inputmode": "decimal", "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            if not isinstance(value, Decimal) or value.is_finite():
                return format_baht(value)
        return super().format_value(value)


class _ThaiDecimalValidator(validators.DecimalValidator):
    messages = {
        "invalid": "จำนวนเงินไม่ถูกต้อง",
        "max_digits": "จำนวนเงินต้องมีตัวเลขรวมไม่เกิน %(max)s หลัก",
        "max_decimal_places": "จำนวนเงินมีทศนิยมได้ไม่เกิน %(max)s ตำแหน่ง",
        "max_whole_digits": "จำนวนเงินมีตัวเลขหน้าจุดทศนิยมได้ไม่เกิน %(max)s หลัก",
    }


def _limit_text(limit: Any) -> str:
    if isinstance(limit, (Decimal, int)) and not isinstance(limit, bool):
        return format_baht(limit)
    return "%(limit_value)s"


class BahtField(forms.DecimalField):
    """Money in baht: accepts "10,000.00", "10000", Thai digits; at most 2 decimals."""

    widget = BahtInput
    default_error_messages = {
        "required": "กรุณากรอกจำนวนเงิน",
        "invalid": "จำนวนเงินไม่ถูกต้อง กรุณากรอกเป็นตัวเลข เช่น 10,000.00",
    }

    def __init__(self, *, decimal_places: int | None = 2, **kwargs: Any) -> None:
        if decimal_places is None or decimal_places > 2:
            decimal_places = 2
        super().__init__(decimal_places=decimal_places, **kwargs)
        # Swap Django's English validators for Thai ones with the same limits.
        thai_validators = []
        for v in self.validators:
            if isinstance(v, validators.DecimalValidator):
                v = _ThaiDecimalValidator(v.max_digits, v.decimal_places)
            elif isinstance(v, validators.MaxValueValidator):
                v = validators.MaxValueValidator(
                    v.limit_value, message=f"จำนวนเงินต้องไม่เกิน {_limit_text(v.limit_value)} บาท"
                )
            elif isinstance(v, validators.MinValueValidator):
                v = validators.MinValueValidator(
                    v.limit_value, message=f"จำนวนเงินต้องไม่น้อยกว่า {_limit_text(v.limit_value)} บาท"
                )
            thai_validators.append(v)
        self.validators = thai_validators

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, float):
            value = str(value)  # e.g. JSON data: parse the text, never compute with the float
        if isinstance(value, Decimal):
            amount = value
        elif isinstance(value, int) and not isinstance(value, bool):
            amount = Decimal(value)
        else:
            try:
                amount = parse_amount(str(value))
            except ValueError as exc:
                # No params: the message contains user input, which may contain "%".
                raise ValidationError(str(exc) or self.error_messages["invalid"], code="invalid") from exc
        if self.decimal_places is not None and self.decimal_places < 2 and amount.is_finite():
            # parse_amount always gives 2 places; drop zero decimals so "10000.00" passes
            # a whole-baht field (decimal_places=0).
            try:
                exact = amount.quantize(Decimal(1).scaleb(-self.decimal_places))
            except InvalidOperation:  # too many digits to requantize: let validators report it
                exact = None
            if exact == amount:
                amount = exact
        return amount


# --- every other number ------------------------------------------------------------------------

_NUMBER_SPACES_RE = re.compile(r"[\s\u200b]+")
_GROUPED_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def normalise_number(value: object) -> str:
    """A number as typed ("๑,๐๐๐.๕๐", " 2 569 ", "−5") in the form Python parses ("1000.50").

    Thai digits become ASCII, spaces go, a Unicode minus becomes "-", and thousands separators
    are dropped only where they group thousands ("1,0000" is refused, not read as 10000).
    Anything else is returned as is for the field to refuse.
    """
    text = _NUMBER_SPACES_RE.sub("", to_arabic_digits(value)).replace("\u2212", "-")
    if "," in text:
        if not _GROUPED_RE.fullmatch(text):
            raise ValidationError("ใส่เครื่องหมายจุลภาคคั่นหลักพันไม่ถูกตำแหน่ง เช่น 1,000 หรือ ๑,๐๐๐",
                                  code="invalid")
        text = text.replace(",", "")
    return text


class ThaiNumberInput(forms.TextInput):
    """A text box for whole numbers: phones show the digit keypad, Thai digits can be typed."""

    input_mode = "numeric"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"inputmode": self.input_mode, "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})


class ThaiDecimalInput(ThaiNumberInput):
    input_mode = "decimal"  # phone keypads must offer the decimal point


class _ThaiNumberMixin:
    """Normalise the typed text before the Django field parses it; a text box, not type="number"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        widget = kwargs.get("widget")
        if widget is not None and (widget is forms.NumberInput or isinstance(widget, forms.NumberInput)
                                   or (isinstance(widget, type) and issubclass(widget, forms.NumberInput))):
            # A NumberInput (the admin's default for integers) would bring back type="number", which
            # empties Thai digits and shows the browser's English tooltips: the caller's
            # attributes (the admin's CSS class) move to the text box.
            attrs = widget.attrs if isinstance(widget, forms.Widget) else None
            kwargs["widget"] = self.widget(attrs)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = normalise_number(value)
        return super().to_python(value)


class ThaiIntegerField(_ThaiNumberMixin, forms.IntegerField):
    widget = ThaiNumberInput
    default_error_messages = {"invalid": "กรุณากรอกเป็นจำนวนเต็ม เช่น 25 หรือ ๒๕"}


class ThaiDecimalField(_ThaiNumberMixin, forms.DecimalField):
    widget = ThaiDecimalInput
    default_error_messages = {"invalid": "กรุณากรอกเป็นตัวเลข เช่น 1,000.50 หรือ ๑,๐๐๐.๕๐"}


class ThaiFloatField(_ThaiNumberMixin, forms.FloatField):
    widget = ThaiDecimalInput
    default_error_messages = {"invalid": "กรุณากรอกเป็นตัวเลข เช่น 12.5 หรือ ๑๒.๕"}


def _thai_number_field(db_field: models.Field) -> type[forms.Field] | None:
    """The Thai form field for a numeric model field (None for other fields and for choices)."""
    if db_field.choices:
        return None
    if isinstance(db_field, models.DecimalField):
        return ThaiDecimalField
    if isinstance(db_field, models.FloatField):
        return ThaiFloatField
    if isinstance(db_field, models.IntegerField):
        return ThaiIntegerField
    return None


def thai_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """``Meta.formfield_callback`` for ModelForms: numeric model fields get the Thai number fields."""
    form_class = _thai_number_field(db_field)
    if form_class is not None:
        kwargs.setdefault("form_class", form_class)
    return db_field.formfield(**kwargs)


class ThaiNumbersAdmin:
    """ModelAdmin mixin: numeric fields as Thai number fields (the field swaps the admin's
    ``type="number"`` widget for a text box)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        form_class = _thai_number_field(db_field)
        if form_class is not None:
            kwargs.setdefault("form_class", form_class)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# --- fiscal years ------------------------------------------------------------------------------

# The fiscal years (B.E.) the portal accepts, for every record and form: the one definition
# (a C.E. year such as 2026, or a typo such as 2506, is refused rather than stored).
FISCAL_YEAR_MIN = 2560
FISCAL_YEAR_MAX = 2700
FISCAL_YEAR_MESSAGE = f"ปีงบประมาณต้องเป็นปี พ.ศ. ระหว่าง {FISCAL_YEAR_MIN} ถึง {FISCAL_YEAR_MAX} เช่น 2569"


def validate_fiscal_year(value: int | None) -> None:
    """Model field validator: ``validators=[validate_fiscal_year]`` on every fiscal_year field
    (migrations keep the reference, so the bounds can change without one)."""
    if value is not None and not FISCAL_YEAR_MIN <= value <= FISCAL_YEAR_MAX:
        raise ValidationError(FISCAL_YEAR_MESSAGE, code="fiscal_year")


class FiscalYearField(ThaiIntegerField):
    """The form field for a fiscal year: Thai digits accepted, the bounds above, one Thai message."""

    def __init__(self, *, label: str = "ปีงบประมาณ (พ.ศ.)", **kwargs: Any) -> None:
        kwargs.setdefault("min_value", FISCAL_YEAR_MIN)
        kwargs.setdefault("max_value", FISCAL_YEAR_MAX)
        messages = {"min_value": FISCAL_YEAR_MESSAGE, "max_value": FISCAL_YEAR_MESSAGE}
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(label=label, **kwargs)


class KeysChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of records by key. A key outside the key column's range is refused as an
    unknown choice before any query: Django checks the range for `=` but not for `IN`, where
    SQLite raised OverflowError and PostgreSQL "out of range" (a 500 the forms fuzz found)."""

    def _check_values(self, value):
        key = self.queryset.model._meta.get_field(self.to_field_name) if self.to_field_name \
            else self.queryset.model._meta.pk
        if isinstance(key, models.IntegerField) and isinstance(value, list | tuple | set | frozenset):
            low, high = connections[self.queryset.db].ops.integer_field_range(key.get_internal_type())
            for item in value:
                try:
                    number = int(str(item).strip())
                except ValueError:
                    continue  # the parent refuses it as it always did
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                          params={"pk": item})
        return super()._check_values(value)

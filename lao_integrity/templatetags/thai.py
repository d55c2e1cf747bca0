"""Thai formatting filters: ``{% load thai %}`` (also registered as a builtin in settings).

All filters return "" for None and "".  Formatting itself lives in
:mod:`lao_integrity.thai`; this module only adapts template values.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.template import TemplateSyntaxError
from django.utils import timezone
from django.utils.safestring import SafeData

from lao_integrity import thai

register = template.Library()

_EMPTY = (None, "")


def _as_date(value: object) -> datetime.date | None:
    """A date for formatting; aware datetimes are shown in the local time zone."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return None


def _as_money(value: object) -> Decimal | int | None:
    if value in _EMPTY:
        return None
    if isinstance(value, str):
        # Raw form data or a str-typed value: accept exactly what staff may type.
        return thai.parse_amount(value)
    # Decimals and ints pass; floats are left to raise TypeError in thai.py.
    return value  # type: ignore[return-value]


@register.filter(is_safe=True)
def thai_digits(value: object) -> str:
    """Arabic digits -> Thai digits, except in codes (O29), URLs and e-mails."""
    if value in _EMPTY:
        return ""
    # Safe input may be HTML: keep digits in tags/attributes intact.
    return thai.to_thai_digits(value, html=isinstance(value, SafeData))


_DATE_LONG_OPTIONS = {"month_word", "no_era", "arabic"}


@register.filter(is_safe=True)
def date_long(value: object, arg: str | None = None) -> str:
    """Long date "๒๗ กุมภาพันธ์ พ.ศ. ๒๕๖๙"; arg: "month_word", "no_era", "arabic" (comma-combinable)."""
    d = _as_date(value)
    if d is None:
        return ""
    options = {o.strip() for o in (arg or "").split(",") if o.strip()}
    if unknown := options - _DATE_LONG_OPTIONS:
        raise TemplateSyntaxError(f"date_long: unknown option(s) {sorted(unknown)}")
    return thai.format_date_long(
        d, month_word="month_word" in options, era="no_era" not in options, thai="arabic" not in options
    )


@register.filter(is_safe=True)
def date_short(value: object) -> str:
    """Short date "27/02/2569" (Arabic digits, B.E. year)."""
    d = _as_date(value)
    return "" if d is None else thai.format_date_short(d)


@register.filter(is_safe=True)
def baht(value: object) -> str:
    """Amount "10,000.00" (Arabic digits)."""
    amount = _as_money(value)
    return "" if amount is None else thai.format_baht(amount)


@register.filter(is_safe=True)
def published_since(value: object) -> str:
    """"เผยแพร่เมื่อ 6 ธันวาคม พ.ศ. 2569 (ผ่านมา 3 วัน)" for a publication's date and time (Arabic
    digits, counted in whole days in the local time zone up to today)."""
    d = _as_date(value)
    if d is None:
        return ""
    days = max(0, (timezone.localdate() - d).days)
    return f"เผยแพร่เมื่อ {thai.format_date_long(d, thai=False)} (ผ่านมา {days:,} วัน)"

"""Reads of the organisation registry."""

from lao_integrity import thai

from .models import Organisation


def organisation_by_code_or_name(text: str) -> Organisation | None:
    """The organisation whose 7-digit code or exact full name is `text`, else None."""
    value = (text or "").strip()
    if not value:
        return None
    code = thai.to_arabic_digits(value)
    if code.isdigit():
        return Organisation.objects.filter(code=code).first()
    return Organisation.objects.filter(name=value).first()

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
    matches = list(Organisation.objects.filter(name=value)[:2])
    if len(matches) > 1:
        # Names are not unique (two อบต.เวียง in one province): only the code is unambiguous.
        raise ValueError(f"มี อปท. ชื่อ “{value}” มากกว่าหนึ่งแห่ง กรุณาระบุรหัส อปท. 7 หลักแทน")
    return matches[0] if matches else None


def organisation_for_command(text: str) -> Organisation:
    """The --org argument of a management command, or CommandError in Thai."""
    from django.core.management.base import CommandError

    try:
        organisation = organisation_by_code_or_name(text)
    except ValueError as error:
        raise CommandError(str(error)) from None
    if organisation is None:
        raise CommandError(f"ไม่พบ อปท. “{text}” (ระบุรหัส 7 หลัก หรือชื่อเต็ม)")
    return organisation

"""Writes to the organisation registry. Like every service, each is told who acts (`user=`): the
registry itself (organisations) is kept by administrators, an organisation's units and people
by those who may edit its data; commands and the demo act as ``access.SYSTEM``."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from lao_integrity.concurrency import check_and_bump
from lao_integrity.history import records_user
from lao_integrity.pagecache.versions import scoped
from lao_integrity.table_import import import_table
from lao_integrity.uploads import validate_image

from . import access
from .exchange import OrganisationImport
from .models import AuditorScope, Membership, Organisation, Person, Role, Unit

REGISTRY_ADMINS_ONLY = "เฉพาะผู้ดูแลระบบเท่านั้นที่แก้ไขทะเบียน อปท. และบัญชีผู้ใช้ได้"


def _check_registry(user) -> None:
    if not user.is_superuser:  # access.SYSTEM acts as a superuser
        raise PermissionDenied(REGISTRY_ADMINS_ONLY)


def _check_edit(user, organisation: Organisation) -> None:
    if not access.can_edit(user, organisation):
        raise PermissionDenied(access.READ_ONLY_MESSAGE)


@records_user
@transaction.atomic
def organisations_import(*, data: bytes, filename: str, user) -> int:
    """Create or update organisations by code; all rows or none. Returns the row count."""
    _check_registry(user)
    return import_table(OrganisationImport(), data=data, filename=filename)


@records_user
@transaction.atomic
def organisation_upsert(*, code: str, org_type: str, name: str, district: str, province: str,
                        user) -> Organisation:
    _check_registry(user)
    org = Organisation.objects.filter(code=code).first() or Organisation(code=code)
    org.org_type, org.name, org.district, org.province = org_type, name, district, province
    org.full_clean()
    org.save()
    return org


@scoped("organisation")
@records_user
@transaction.atomic
def unit_ensure(*, organisation: Organisation, name: str, order: int = 0, user) -> Unit:
    _check_edit(user, organisation)
    unit, _ = Unit.objects.get_or_create(organisation=organisation, name=name, defaults={"order": order})
    return unit


@scoped("organisation")
@records_user
@transaction.atomic
def person_ensure(*, organisation: Organisation, prefix: str, first_name: str, last_name: str,
                  position: str, acting_lines: str = "", unit: Unit | None = None, user) -> Person:
    _check_edit(user, organisation)
    person, _ = Person.objects.update_or_create(
        organisation=organisation, first_name=first_name, last_name=last_name,
        defaults={"prefix": prefix, "position": position, "acting_lines": acting_lines, "unit": unit},
    )
    return person


@scoped("organisation")
@transaction.atomic
def membership_grant(*, account, organisation: Organisation, role: str, user) -> Membership:
    """Give `account` (a user) `role` in `organisation`; `user` acts (an administrator)."""
    _check_registry(user)
    if role not in Role.values:
        raise ValueError(f"unknown role {role}")
    membership = Membership.objects.filter(user=account, organisation=organisation).first() or Membership(
        user=account, organisation=organisation)
    membership.role = role
    membership.full_clean()  # a read-only auditor cannot be made staff or executive
    membership.save()
    access.forget(account)
    return membership


@transaction.atomic
def auditor_scope_set(*, account, all_organisations: bool = False, provinces: list[str] | None = None,
                      districts: list[str] | None = None, user) -> AuditorScope:
    """Make `account` a read-only auditor (a supervisor) of every organisation or of the
    organisations of `provinces` and `districts` ("จังหวัด/อำเภอ"); `user` acts (an administrator)."""
    _check_registry(user)
    scope = AuditorScope.objects.filter(user=account).first() or AuditorScope(user=account)
    scope.all_organisations = all_organisations
    scope.provinces = list(provinces or [])
    scope.districts = list(districts or [])
    scope.full_clean()
    scope.save()
    access.forget(account)
    return scope


def _store_image(field, upload, extension: str) -> None:
    old = field.name
    field.save(f"upload{extension}", upload, save=False)
    if old and old != field.name:
        field.storage.delete(old)


@scoped("organisation")
@records_user
@transaction.atomic
def organisation_update_profile(*, organisation: Organisation, phone: str, emblem=None,
                                remove_emblem: bool = False, user,
                                expected_version: int | None = None) -> Organisation:
    """Contact line and emblem; the emblem is checked by content before it is kept.

    `expected_version`: the version the form was loaded with; StaleEdit if it moved (checked
    before the new emblem is stored, so a refused save leaves no file behind)."""
    _check_edit(user, organisation)
    check_and_bump(organisation, expected_version)
    organisation.phone = phone.strip()
    if emblem is not None:
        _store_image(organisation.emblem, emblem, validate_image(emblem))
    elif remove_emblem and organisation.emblem:
        organisation.emblem.delete(save=False)
    organisation.full_clean()
    organisation.save()
    return organisation


@scoped("person")
@records_user
@transaction.atomic
def person_set_signature(*, person: Person, image=None, remove: bool = False, user,
                         expected_version: int | None = None) -> Person:
    """`expected_version`: the version the form was loaded with; StaleEdit if it moved."""
    if not access.can_approve(user, person.organisation):
        raise PermissionDenied("เฉพาะผู้บริหารเท่านั้นที่เปลี่ยนลายมือชื่อได้")
    check_and_bump(person, expected_version)
    if image is not None:
        _store_image(person.signature_image, image, validate_image(image))
    elif remove and person.signature_image:
        person.signature_image.delete(save=False)
    person.save(update_fields=["signature_image", "version"])
    return person


@transaction.atomic
def user_deactivate(*, account, user) -> bool:
    """Close `account` for good without deleting it (what an administrator, `user`, does instead
    of deleting someone who signed, approved or recorded something: the records keep naming them).
    An inactive user cannot sign in, and an open session ends at its next request. Returns
    whether the account was active."""
    _check_registry(user)
    was_active = account.is_active
    if was_active:
        account.is_active = False
        account.save(update_fields=["is_active"])
    return was_active

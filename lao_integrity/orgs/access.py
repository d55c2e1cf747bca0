"""Who may see and change which organisation's data.

Every view asks here; nothing else decides. The roles:

- administrator (superuser): everything, and the only one allowed into /admin/;
- staff (Membership role staff): read and change their organisations' data, prepare drafts;
- executive (Membership role executive): as staff, and approve and sign for their organisations;
- auditor: read only. Reads the organisations they are a member of (role auditor) and, with an
  AuditorScope, every organisation or those of some provinces or districts (a supervisor: national,
  ท้องถิ่นจังหวัด, ท้องถิ่นอำเภอ). A user with an AuditorScope never changes or approves anything,
  whatever memberships they hold. `supervises` says which areas' dashboards they open.

Who may read an organisation's audit trail (``can_see_history``) is decided here too: executives,
auditors and superusers, not staff.

Another organisation's data is a 404 (not even confirmed to exist); a permitted reader who may not
change or approve gets a 403.

Every service takes its actor explicitly (``user=``, no default). Work the portal does for itself,
run by an administrator from the command line (imports, the demo, migrations), passes ``SYSTEM``:
allowed everything, as a superuser, and recorded as nobody ("ระบบ") on the audit trail and in
``updated_by``/``signed_by`` fields (``person``).
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.http import Http404

from lao_integrity.statements import Statement

from .models import AuditorScope, Membership, Organisation, Role, split_district

WRITE_ROLES = {Role.STAFF, Role.EXECUTIVE}
APPROVE_ROLES = {Role.EXECUTIVE}
READ_ONLY_MESSAGE = "บทบาทของท่านอ่านได้อย่างเดียว"


class SystemActor:
    """The portal acting for itself (commands, the demo, migrations): never a request's user.

    It answers the questions a User answers here as a superuser would, so every access check
    passes; it is no database row, so whoever records "who" (the audit trail, ``updated_by``)
    records no one for it: use ``person(user)``. An omitted actor is a TypeError, not the system."""

    __slots__ = ()
    is_system = True
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = False
    is_anonymous = False
    pk = None
    id = None

    def get_username(self) -> str:
        return "ระบบ"

    def get_full_name(self) -> str:
        return "ระบบ"

    def __repr__(self) -> str:
        return "SYSTEM"

    __str__ = get_username


SYSTEM = SystemActor()


def is_system(user) -> bool:
    return isinstance(user, SystemActor)


def person(user):
    """The User to record as having acted (``updated_by``, ``signed_by``...): None for the system."""
    return None if is_system(user) or not user.is_authenticated else user


@dataclass(frozen=True)
class Grants:
    """What one user holds: roles by organisation id, and the auditor scope if any."""

    roles: dict
    auditor_scope: bool = False
    all_organisations: bool = False
    provinces: frozenset = frozenset()
    districts: frozenset = frozenset()  # (province, district) pairs

    def scope_covers(self, province: str, district: str | None = None) -> bool:
        """Does the scope cover the province (`district` None: all of it) or that district of it?"""
        if not self.auditor_scope:
            return False
        if self.all_organisations or province in self.provinces:
            return True
        return district is not None and (province, district) in self.districts

    def district_condition(self, via: str = "") -> Q:
        """The organisations of the scope's districts (a Q matching none when it has none)."""
        condition = Q(pk__in=[]) if not via else Q(**{f"{via}_id__in": []})
        for province, district in sorted(self.districts):
            condition |= Q(**{f"{via}__province" if via else "province": province,
                              f"{via}__district" if via else "district": district})
        return condition


def _read_grants(user_id) -> tuple[dict, tuple | None]:
    """The user's memberships {organisation_id: role} and scope row (all, provinces, districts)
    or None: one plain statement, read on every page of a member (the ORM's building of the two
    queries it replaces cost more than running them)."""
    connection = connections[router.db_for_read(Membership)]
    quote = connection.ops.quote_name
    member, scope = Membership._meta, AuditorScope._meta
    sql = (f"SELECT {quote(member.get_field('organisation').column)}, {quote('role')}, NULL, NULL, NULL"
           f" FROM {quote(member.db_table)} WHERE {quote(member.get_field('user').column)} = %s"
           f" UNION ALL SELECT NULL, NULL, {quote('all_organisations')}, {quote('provinces')}, {quote('districts')}"
           f" FROM {quote(scope.db_table)} WHERE {quote(scope.get_field('user').column)} = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id])
        rows = cursor.fetchall()
    roles = {row[0]: row[1] for row in rows if row[0] is not None}
    found = next((row[2:] for row in rows if row[0] is None), None)
    if found is None:
        return roles, None
    json_of = [scope.get_field(name) for name in ("provinces", "districts")]
    return roles, (found[0], *(field.from_db_value(value, None, connection)
                               for field, value in zip(json_of, found[1:], strict=True)))


def grants(user) -> Grants:
    """Memberships and scope of `user`, read once per user object (so once per request)."""
    if is_system(user):
        return Grants(roles={})  # no memberships: it passes as a superuser
    cached = getattr(user, "_access_grants", None)
    if cached is not None:
        return cached
    roles, scope = _read_grants(user.pk)
    if scope is None:
        result = Grants(roles=roles)
    else:
        all_organisations, provinces, districts = scope
        pairs = (split_district(text) for text in (districts if isinstance(districts, list) else []))
        result = Grants(roles=roles, auditor_scope=True, all_organisations=bool(all_organisations),
                        provinces=frozenset(p for p in provinces or [] if isinstance(p, str)),
                        districts=frozenset(pair for pair in pairs if pair))
    user._access_grants = result
    return result


def forget(user) -> None:
    """Drop the cached grants, after memberships or scope changed during the same request."""
    try:
        del user._access_grants
    except AttributeError:
        pass


def role_for(user, organisation) -> str | None:
    """The user's role for one organisation (an Organisation or its pk), None if they may not see it."""
    if not user.is_authenticated:
        return None
    held = grants(user)
    org_id = organisation.pk if hasattr(organisation, "pk") else organisation
    role = held.roles.get(org_id)
    if held.auditor_scope:
        if role is not None:
            return Role.AUDITOR
        if held.all_organisations:
            return Role.AUDITOR
        loaded = organisation.get_deferred_fields() if isinstance(organisation, Organisation) else None
        if loaded is not None and "province" not in loaded and (not held.districts or "district" not in loaded):
            place = (organisation.province, organisation.district if held.districts else None)
        else:  # a pk, or a row loaded without what the scope needs: one query
            place = Organisation.objects.filter(pk=org_id).values_list("province", "district").first()
        return Role.AUDITOR if place is not None and held.scope_covers(*place) else None
    return role


def _settled_by_account(user) -> QuerySet[Organisation] | None:
    """No organisation for an anonymous user, every one for a superuser (whatever either holds);
    None when what the user holds decides."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return None


def visible_organisations(user) -> QuerySet[Organisation]:
    settled = _settled_by_account(user)
    if settled is not None:
        return settled
    held = grants(user)
    if held.auditor_scope and held.all_organisations:
        return Organisation.objects.all()
    condition = Q(pk__in=list(held.roles))
    if held.auditor_scope and held.provinces:
        condition |= Q(province__in=sorted(held.provinces))
    if held.auditor_scope and held.districts:
        condition |= held.district_condition()
    return Organisation.objects.filter(condition)


def sees_every_organisation(user) -> bool:
    """Superusers and auditors of every organisation: their lists need no organisation filter
    (an `organisation IN (every organisation)` sub-query only slows a national list down)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    held = grants(user)
    return held.auditor_scope and held.all_organisations


def restrict(queryset: QuerySet, user, *, via: str = "organisation") -> QuerySet:
    """`queryset` limited to the rows of organisations the user may see; `via` is the path from
    its model to Organisation. Shaped for large lists: no filter at all for those who see every
    organisation, a plain `organisation_id IN (ids)` for members, a join on the province only
    for provincial auditors."""
    if sees_every_organisation(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    held = grants(user)
    condition = Q(**{f"{via}_id__in": list(held.roles)}) if held.roles else Q(pk__in=[])
    if held.auditor_scope and held.provinces:
        condition |= Q(**{f"{via}__province__in": sorted(held.provinces)})
    if held.auditor_scope and held.districts:
        condition |= held.district_condition(via)
    return queryset.filter(condition)


def scope_snapshot(user) -> dict:
    """What `user` may see now, as JSON, for a file made of every organisation they see (the ITA
    export of a year): kept with the file, and a later download needs `covers_scope` again."""
    if sees_every_organisation(user):
        return {"all": True}
    held = grants(user)
    return {"organisations": sorted(held.roles),
            "provinces": sorted(held.provinces) if held.auditor_scope else [],
            "districts": [list(pair) for pair in sorted(held.districts)] if held.auditor_scope else []}


def restrict_to_scope(queryset: QuerySet, scope: dict | None, *, via: str = "organisation") -> QuerySet:
    """`queryset` limited to a `scope_snapshot` (no limit for None or "all")."""
    if not scope or scope.get("all"):
        return queryset
    condition = Q(**{f"{via}_id__in": list(scope.get("organisations") or [])})
    if scope.get("provinces"):
        condition |= Q(**{f"{via}__province__in": list(scope["provinces"])})
    for province, district in scope.get("districts") or []:
        condition |= Q(**{f"{via}__province": province, f"{via}__district": district})
    return queryset.filter(condition)


def covers_scope(user, scope: dict | None) -> bool:
    """Does `user` still see everything `scope` (a scope_snapshot) covered? A lost membership, a
    narrower auditor scope or a superuser made an ordinary user: no. No scope at all: only those
    who see every organisation."""
    if not user.is_authenticated or not user.is_active:
        return False
    if sees_every_organisation(user):
        return True
    if not scope or scope.get("all"):
        return False
    held = grants(user)
    if not all(held.scope_covers(province) for province in scope.get("provinces") or []):
        return False
    if not all(held.scope_covers(province, district) for province, district in scope.get("districts") or []):
        return False
    wanted = set(scope.get("organisations") or [])
    return not wanted or visible_organisations(user).filter(pk__in=wanted).count() == len(wanted)


def is_supervisor(user) -> bool:
    """May open the supervision pages at all: superusers and users with an auditor scope."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or grants(user).auditor_scope)


def supervises(user, province: str | None = None, district: str | None = None) -> bool:
    """May `user` read the dashboard of the nation (no province), a province or a district of it?
    Superusers everywhere; a scope: the nation only when it covers every organisation, a province
    when it covers the whole province, a district when it covers the province or that district."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    held = grants(user)
    if not held.auditor_scope:
        return False
    if province is None:
        return held.all_organisations
    return held.scope_covers(province, district)


def editable_organisations(user) -> QuerySet[Organisation]:
    settled = _settled_by_account(user)
    if settled is not None:
        return settled
    held = grants(user)
    if held.auditor_scope:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=[pk for pk, role in held.roles.items() if role in WRITE_ROLES])


def can_view(user, organisation) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or role_for(user, organisation)))


def can_edit(user, organisation) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or role_for(user, organisation) in WRITE_ROLES))


def can_approve(user, organisation) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or role_for(user, organisation) in APPROVE_ROLES))


def can_see_history(user, organisation) -> bool:
    """The audit trail (lao_integrity/history.py): executives and auditors of the organisation, and
    superusers; not staff (the issue: "shown to executives and auditors"). A reader who is no
    member at all but may still view the organisation is an auditor with a wider scope."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    role = role_for(user, organisation)
    if role is None:
        return can_view(user, organisation)
    return role in (Role.EXECUTIVE, Role.AUDITOR)


def can_manage_certificates(user) -> bool:
    """Upload or replace an organisation's signing certificate (lao_integrity/signing): its private
    key signs in the organisation's name, so administrators (superusers) only, or the system
    (commands, the demo); never the organisation's own members, executives included."""
    return bool(is_system(user) or (user.is_authenticated and user.is_superuser))


def can_edit_any(user) -> bool:
    """May the user create something for at least one organisation (a plan, an import...)?"""
    return bool(user.is_authenticated and (user.is_superuser or editable_organisations(user).exists()))


def require_view(user, organisation) -> None:
    # 404, not 403: another organisation's plan must not even be confirmed to exist.
    if not can_view(user, organisation):
        raise Http404


def require_edit(user, organisation) -> None:
    require_view(user, organisation)
    if not can_edit(user, organisation):
        raise PermissionDenied(READ_ONLY_MESSAGE)


def require_approve(user, organisation) -> None:
    require_view(user, organisation)
    if not can_approve(user, organisation):
        raise PermissionDenied("เฉพาะผู้บริหารเท่านั้นที่อนุมัติได้")


def require_edit_any(user) -> None:
    """For pages that create: read-only users (auditors) get a 403."""
    if not can_edit_any(user):
        raise PermissionDenied(READ_ONLY_MESSAGE)


def _own_organisation(obj):
    return obj.organisation


def get_for(request, source, *, edit: bool = False, approve: bool = False, organisation=_own_organisation,
            **lookup):
    """The object a page is about, or the answer this module gives instead.

    `source` is a selector (called with `lookup`) or a queryset (`.get(**lookup)`); a missing
    object is a 404, and so is one of an organisation the user may not read; a reader who may
    not change (`edit`) or approve (`approve`) it gets a 403. `organisation(obj)` says whose
    it is (a project's is its plan's).
    """
    try:
        obj = source.get(**lookup) if isinstance(source, QuerySet) else source(**lookup)
    except ObjectDoesNotExist:
        raise Http404 from None
    require = require_approve if approve else require_edit if edit else require_view
    require(request.user, organisation(obj))
    return obj


def organisation_for(request, code: str, *, edit: bool = False, approve: bool = False) -> Organisation:
    """An organisation's page by its code (404, 403 as `get_for`)."""
    return get_for(request, _organisation_by_code, edit=edit, approve=approve,
                   organisation=lambda organisation: organisation, code=code)


# Compiled once: every organisation's page reads it first (issue 19).
_BY_CODE = Statement(lambda code: Organisation.objects.filter(code=code).order_by())


def _organisation_by_code(code: str) -> Organisation:
    found = _BY_CODE.objects(str(code))
    if not found:
        raise Organisation.DoesNotExist("Organisation matching query does not exist.")
    return found[0]

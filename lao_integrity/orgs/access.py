"""Who may see and change which organisation's data.

Every view asks here; nothing else decides. Superusers see everything. Staff and
executives change their own organisations' data; executives also approve; auditors read.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Membership, Organisation, Role

WRITE_ROLES = {Role.STAFF, Role.EXECUTIVE}
APPROVE_ROLES = {Role.EXECUTIVE}


def role_for(user, organisation) -> str | None:
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_org_roles", None)
    if cache is None:
        cache = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        user._org_roles = cache
    return cache.get(organisation.pk if hasattr(organisation, "pk") else organisation)


def visible_organisations(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user).distinct()


def editable_organisations(user) -> QuerySet[Organisation]:
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=WRITE_ROLES).distinct()


def can_view(user, organisation) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or role_for(user, organisation)))


def can_edit(user, organisation) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or role_for(user, organisation) in WRITE_ROLES))


def can_approve(user, organisation) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or role_for(user, organisation) in APPROVE_ROLES))


def require_view(user, organisation) -> None:
    # 404, not 403: another organisation's plan must not even be confirmed to exist.
    if not can_view(user, organisation):
        raise Http404


def require_edit(user, organisation) -> None:
    require_view(user, organisation)
    if not can_edit(user, organisation):
        raise PermissionDenied("บทบาทของท่านอ่านได้อย่างเดียว")


def require_approve(user, organisation) -> None:
    require_view(user, organisation)
    if not can_approve(user, organisation):
        raise PermissionDenied("เฉพาะผู้บริหารเท่านั้นที่อนุมัติได้")

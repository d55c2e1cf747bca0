"""Reads: who is told of an event, a user's notifications, the bell's count, the email choice."""

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import QuerySet

from lao_integrity.orgs import access
from lao_integrity.statements import Prepared

from .models import Notification, NotificationSettings

PER_PAGE = 50  # the list shows the newest; older ones stay read or unread in the database

# Who is concerned by each event: those who may approve a submitted document, those who prepare it
# (may edit) for the rest. The check itself is access.py's.
_ROLES = {"submitted": access.APPROVE_ROLES}
_CHECK = {"submitted": access.can_approve}


def recipients(*, event: str, organisation, actor) -> list:
    """The active members of `organisation` concerned by `event`, without the actor, in a fixed
    order. Auditors (and anyone access.py refuses) are never among them."""
    roles = _ROLES.get(event, access.WRITE_ROLES)
    check = _CHECK.get(event, access.can_edit)
    candidates = (get_user_model().objects
                  .filter(is_active=True, memberships__organisation=organisation, memberships__role__in=list(roles))
                  .distinct().order_by("pk"))
    actor_pk = getattr(actor, "pk", None)
    if actor_pk is not None:
        candidates = candidates.exclude(pk=actor_pk)
    return [user for user in candidates if check(user, organisation)]


def email_wanted(user) -> bool:
    """Email on (the default) and an address to send to."""
    if not user.is_active or not (user.email or "").strip():
        return False
    return not NotificationSettings.objects.filter(user=user, email=False).exists()


def email_off_ids(user_ids) -> set:
    return set(NotificationSettings.objects.filter(user_id__in=list(user_ids), email=False)
               .values_list("user_id", flat=True))


def email_on(user) -> bool:
    """The user's choice, for the settings page (no row: on)."""
    return not NotificationSettings.objects.filter(user=user, email=False).exists()


def for_user(user) -> QuerySet[Notification]:
    """The user's newest notifications, newest first (one query)."""
    return Notification.objects.filter(recipient=user).select_related("organisation")[:PER_PAGE]


def unread_count(user) -> int:
    """The bell's count, on every page: one plain statement (the ORM's building of this one
    query cost more than running it on its partial index; on PostgreSQL a prepared statement, as
    planning it cost more too)."""
    connection = connections[router.db_for_read(Notification)]
    statement = _UNREAD.get(connection.vendor)
    if statement is None:
        quote, meta = connection.ops.quote_name, Notification._meta
        statement = _UNREAD[connection.vendor] = Prepared(
            f"SELECT COUNT(*) FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('recipient').column)} = %s"
            f" AND {quote(meta.get_field('read_at').column)} IS NULL", 1)
    with connection.cursor() as cursor:
        statement.run(connection, cursor, [user.pk])
        return cursor.fetchone()[0]


_UNREAD: dict[str, Prepared] = {}

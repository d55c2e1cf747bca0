"""Row locks that serialise "read the last number, write the next one" within one parent.

A service that numbers children (a plan's projects, an agreement's topics, an organisation's
measures for a year) reads the highest number and writes the next. Two of them at once read the
same number: the second then breaks a unique constraint (HTTP 500, the user's input lost) or,
without one, two rows share a number. Locking the parent's row first, inside the service's
transaction, makes the second wait until the first has committed and then read its number.
PostgreSQL takes the lock (SELECT ... FOR UPDATE); SQLite ignores it, and serialises writers anyway.
"""

from django.db import transaction

from lao_integrity.orgs.models import Organisation


def lock_row(model, pk) -> None:
    """Lock one row of `model` until the surrounding transaction ends (inside a service only)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_row() outside a transaction would release the lock at once")
    # Only the primary key is read: the caller's own copy of the row stays as it is.
    list(model._base_manager.select_for_update().filter(pk=pk).values_list("pk", flat=True))


def lock_organisation(organisation: Organisation | int) -> None:
    """Serialise one organisation's writes that number or check-then-create (a new plan or
    agreement for a year, a measure's place in the year's list)."""
    lock_row(Organisation, getattr(organisation, "pk", organisation))

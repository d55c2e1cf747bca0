"""What a kept page was rendered from: counters per app ("domain") whose tables pages read.

The tracked apps, their tables and which of their rows belong to one organisation are what the
apps declare (declarations.py). Every statement that writes to a tracked app's table raises
that app's counter once the transaction commits, whatever issued it: a service's save,
QuerySet.update, bulk_create, the raw SQL of lao_integrity.bulk, an import job in a worker
process. The statements themselves are
watched (an execute wrapper on every connection) rather than model signals, because the bulk
paths send no signals. The counters live in the database, so every gunicorn worker and every
job process sees one truth.

Three counters per app, so that one organisation's edits do not throw away every other
organisation's pages:

* ``plans@42``: organisation 42's data, raised by writes inside ``organisation_scope(42)`` (the
  services that change one organisation's records open it, see ``scoped``) to a table whose
  rows belong to one organisation;
* ``plans``: raised by every other write (an admin edit, a national import, a migration, a
  national table), which may touch any organisation;
* ``plans*``: raised by every write, for the pages that list many organisations.

A page of one organisation reads ``plans`` and ``plans@42``; a list reads ``plans*``.

Raising the counter after the commit, not inside the transaction, matters twice over: a reader
can never see the new counter with the old data (and keep that under the new key), and writers
never queue behind one another on the counter's row.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import re
import secrets

from django.db import DatabaseError, connections, transaction

from . import declarations

logger = logging.getLogger(__name__)

TABLE = "pagecache_dataversion"

_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+(?:TABLE\s+)?"?(\w+)', re.IGNORECASE)
# Django writes auth_user.last_login at every sign-in; no page shows it.
_LAST_LOGIN = re.compile(r'^\s*UPDATE\s+"auth_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE\s+"auth_user"\."id"\s*=\s*%s\s*$',
                         re.IGNORECASE)


def tracked_apps() -> tuple[str, ...]:
    """The apps whose data pages show: those that declare their models (declarations.py)."""
    return declarations.tracked_apps()


def _written(sql) -> tuple[declarations.Table, ...]:
    """The tracked tables (as declared) an SQL statement writes to: none for reads and untracked tables."""
    if not isinstance(sql, str):
        return ()
    match = _WRITE.match(sql)
    if not match:
        return ()
    if match.group(1).upper() == "TRUNCATE":  # flush: several tables in one statement
        return tuple(declarations.Table(app, False) for app in tracked_apps())
    table = declarations.tables().get(match.group(2))
    if table is None or (table.app == "auth" and _LAST_LOGIN.match(sql)):
        return ()
    return (table,)


def written_domains(sql) -> frozenset[str]:
    """The domains (app labels) an SQL statement writes to (empty for reads and for untracked tables)."""
    return frozenset(table.app for table in _written(sql))


# The organisation whose records the running code writes (organisation_scope), or None.
_scope: contextvars.ContextVar[int | None] = contextvars.ContextVar("pagecache_scope", default=None)


def org_key(domain: str, organisation_id) -> str:
    return f"{domain}@{organisation_id}"


def any_key(domain: str) -> str:
    return f"{domain}*"


def all_keys() -> list[str]:
    """Every page's counters at once: each app's own and its "any organisation" counter."""
    return [*tracked_apps(), *(any_key(domain) for domain in tracked_apps())]


@contextlib.contextmanager
def organisation_scope(organisation_id):
    """Writes inside touch only this organisation's records: they refresh its pages and the
    lists, and leave other organisations' pages kept. None: no scope (every page refreshes)."""
    token = _scope.set(organisation_id)
    try:
        yield
    finally:
        _scope.reset(token)


def scoped(argument: str):
    """Decorate a keyword-only service that changes the records of one organisation, the one of
    its `argument` (a record: plan=, project=, organisation=...): its writes refresh only that
    organisation's pages. Without an organisation to find, the writes count for every page."""

    def decorator(service):
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            with organisation_scope(declarations.organisation_id_of(kwargs.get(argument))):
                return service(*args, **kwargs)

        return wrapper

    return decorator


def _pending(connection) -> set[str]:
    """The domains this connection wrote to since its last flush (the connection is per thread)."""
    try:
        return connection._pagecache_pending
    except AttributeError:
        connection._pagecache_pending = set()
        return connection._pagecache_pending


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    written = _written(sql)
    if written:
        connection = context["connection"]
        pending = _pending(connection)
        organisation_id = _scope.get()
        for table in written:
            pending.add(any_key(table.app))
            # Only a row of one organisation (as its app declares) counts for the scope's alone.
            scoped_here = organisation_id is not None and table.per_organisation
            pending.add(org_key(table.app, organisation_id) if scoped_here else table.app)
        if connection.in_atomic_block:
            # One callback per write; the first after the commit raises every pending domain and
            # the rest find nothing left. A rolled-back write leaves its domain pending: raised at
            # the next commit, which costs a re-render and nothing else.
            transaction.on_commit(functools.partial(flush, connection), using=connection.alias)
        elif connection.get_autocommit():
            flush(connection)
        # With autocommit off and no atomic block (nothing in the portal does that) the domain
        # waits for the next write that commits.
    return result


def watch_connection(sender, connection, **kwargs):
    """connection_created: watch this connection's writes (once, however often it reconnects)."""
    if _watch not in connection.execute_wrappers:
        # First, so that a `with connection.execute_wrapper(...)` block pops its own wrapper.
        connection.execute_wrappers.insert(0, _watch)


def flush(connection) -> None:
    """Raise the counters of the domains this connection wrote to since the last flush."""
    pending = _pending(connection)
    if not pending:
        return
    names = _collapsed(pending)
    pending.clear()
    bump(names, using=connection.alias)


# More organisations than this written in one transaction (an import row by row): raise the
# app's own counter instead, which refreshes every organisation's pages in one row.
COLLAPSE_ABOVE = 50


def _collapsed(names: set[str]) -> set[str]:
    by_domain: dict[str, list[str]] = {}
    for name in names:
        if "@" in name:
            by_domain.setdefault(name.split("@", 1)[0], []).append(name)
    names = set(names)
    for domain, scoped_names in by_domain.items():
        if len(scoped_names) > COLLAPSE_ABOVE:
            names.difference_update(scoped_names)
            names.add(domain)
    return names


def bump(domains=None, *, using: str = "default") -> None:
    """Raise these counters now (by default every page's: data written around Django, such as
    generate_scale_data's COPY or psql by hand)."""
    domains = sorted(set(all_keys() if domains is None else domains))
    connection = connections[using]
    values = ", ".join(["(%s, %s)"] * len(domains))
    # A domain's first counter is random, not 1: after a restore into an empty database (the
    # backup leaves these counters out) no key can meet a page a running worker kept from before.
    params = [value for domain in domains for value in (domain, secrets.randbits(48))]
    # In a transaction, a savepoint keeps a failure here from breaking the caller's transaction;
    # after a commit (the usual case) the one statement needs none.
    guard = transaction.atomic(using=using) if connection.in_atomic_block else contextlib.nullcontext()
    try:
        with guard, connection.cursor() as cursor:
            cursor.execute(f'INSERT INTO "{TABLE}" ("name", "counter") VALUES {values} '
                           f'ON CONFLICT ("name") DO UPDATE SET "counter" = "{TABLE}"."counter" + 1', params)
    except DatabaseError:
        # During the first `migrate` other apps' migrations write before this table exists; with
        # no table nothing can have been kept either.
        if TABLE in connection.introspection.table_names():
            logger.warning("data versions not raised (%s); kept pages expire on their own", ", ".join(domains),
                           exc_info=True)


def current(keys, *, using: str = "default") -> tuple[int, ...]:
    """The counters of `keys`, in that order (0 for one never raised)."""
    keys = list(keys)
    connection = connections[using]
    if connection.in_atomic_block and _pending(connection):
        # Read inside the transaction that wrote (a test's, which never commits): it sees its own
        # writes, so they count now.
        flush(connection)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "name", "counter" FROM "{TABLE}" WHERE "name" IN ({", ".join(["%s"] * len(keys))})',
                       keys)
        found = dict(cursor.fetchall())
    return tuple(found.get(key, 0) for key in keys)

"""What a cached page was rendered from: one counter per app ("domain") whose tables pages read.

Every statement that writes to a tracked app's table raises that app's counter once the
transaction commits, whatever issued it: a service's save, QuerySet.update, bulk_create, the raw
SQL of lao_integrity.bulk, an import job in a worker process. The statements themselves are
watched (an execute wrapper on every connection) rather than model signals, because the bulk
paths send no signals. The counters live in the database, so every gunicorn worker and every
job process sees one truth.

Raising the counter after the commit, not inside the transaction, matters twice over: a reader
can never see the new counter with the old data (and keep that under the new key), and writers
never queue behind one another on the counter's row.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import secrets

from django.db import DatabaseError, connections, transaction

logger = logging.getLogger(__name__)

# The apps whose data the portal's pages show; auth too, because who may see what lives there.
TRACKED_APPS = ("auth", "orgs", "announcements", "plans", "ita", "agreements", "jobs")
TABLE = "pagecache_dataversion"

_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+(?:TABLE\s+)?"?(\w+)', re.IGNORECASE)
# Django writes auth_user.last_login at every sign-in; no page shows it.
_LAST_LOGIN = re.compile(r'^\s*UPDATE\s+"auth_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE\s+"auth_user"\."id"\s*=\s*%s\s*$',
                         re.IGNORECASE)


@functools.cache
def table_domains() -> dict[str, str]:
    """db_table -> app label, for every model (historical and m2m tables included) of TRACKED_APPS."""
    from django.apps import apps

    return {model._meta.db_table: model._meta.app_label
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in TRACKED_APPS}


def written_domains(sql) -> frozenset[str]:
    """The domains an SQL statement writes to (empty for reads and for untracked tables)."""
    if not isinstance(sql, str):
        return frozenset()
    match = _WRITE.match(sql)
    if not match:
        return frozenset()
    if match.group(1).upper() == "TRUNCATE":  # flush: several tables in one statement
        return frozenset(TRACKED_APPS)
    domain = table_domains().get(match.group(2))
    if domain is None or (domain == "auth" and _LAST_LOGIN.match(sql)):
        return frozenset()
    return frozenset((domain,))


def _pending(connection) -> set[str]:
    """The domains this connection wrote to since its last flush (the connection is per thread)."""
    try:
        return connection._pagecache_pending
    except AttributeError:
        connection._pagecache_pending = set()
        return connection._pagecache_pending


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    domains = written_domains(sql)
    if domains:
        connection = context["connection"]
        pending = _pending(connection)
        pending |= domains
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
    domains = sorted(pending)  # one order for everyone: no deadlock between two flushes
    pending.clear()
    bump(domains, using=connection.alias)


def bump(domains=TRACKED_APPS, *, using: str = "default") -> None:
    """Raise these domains' counters now (all of them by default: after a restore, or data
    written around Django such as generate_scale_data's COPY)."""
    domains = sorted(set(domains))
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
            cursor.execute(f'INSERT INTO "{TABLE}" ("domain", "counter") VALUES {values} '
                           f'ON CONFLICT ("domain") DO UPDATE SET "counter" = "{TABLE}"."counter" + 1', params)
    except DatabaseError:
        # During the first `migrate` other apps' migrations write before this table exists; with
        # no table nothing can have been kept either.
        if TABLE in connection.introspection.table_names():
            logger.warning("data versions not raised (%s); kept pages expire on their own", ", ".join(domains),
                           exc_info=True)


def current(domains, *, using: str = "default") -> tuple[int, ...]:
    """The counters of `domains`, in that order (0 for a domain never written)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f'SELECT "domain", "counter" FROM "{TABLE}"')
        found = dict(cursor.fetchall())
    return tuple(found.get(domain, 0) for domain in domains)

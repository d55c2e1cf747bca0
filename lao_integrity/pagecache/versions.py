"""What a kept page was rendered from: counters per app ("domain") whose tables pages read.

Every statement that writes to a tracked app's table raises that app's counter once the
transaction commits, whatever issued it: a service's save, QuerySet.update, bulk_create, the raw
SQL of lao_integrity.bulk, an import job in a worker process. The statements themselves are
watched (an execute wrapper on every connection) rather than model signals, because the bulk
paths send no signals. The counters live in the database, so every gunicorn worker and every
job process sees one truth.

Three counters per app, so that one organisation's edits do not throw away every other
organisation's pages:

* ``plans@42``: organisation 42's data, raised by writes inside ``organisation_scope(42)`` (the
  services that change one organisation's records open it, see ``scoped``);
* ``plans``: raised by every write outside a scope (an admin edit, a national import, a
  migration), which may touch any organisation;
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


# The organisation whose records the running code writes (organisation_scope), or None.
_scope: contextvars.ContextVar[int | None] = contextvars.ContextVar("pagecache_scope", default=None)


def org_key(domain: str, organisation_id) -> str:
    return f"{domain}@{organisation_id}"


def any_key(domain: str) -> str:
    return f"{domain}*"


def all_keys() -> list[str]:
    """Every page's counters at once: each app's own and its "any organisation" counter."""
    return [*TRACKED_APPS, *(any_key(domain) for domain in TRACKED_APPS)]


@contextlib.contextmanager
def organisation_scope(organisation_id):
    """Writes inside touch only this organisation's records: they refresh its pages and the
    lists, and leave other organisations' pages kept. None: no scope (every page refreshes)."""
    token = _scope.set(organisation_id)
    try:
        yield
    finally:
        _scope.reset(token)


def organisation_id_of(value) -> int | None:
    """The organisation a record belongs to: its own `organisation`, or its plan's, project's,
    agreement's... (up to three links); None when there is none to follow."""
    from lao_integrity.orgs.models import Organisation  # models are not ready when this module loads

    for _ in range(4):
        if value is None:
            return None
        if isinstance(value, Organisation):
            return value.pk
        organisation_id = getattr(value, "organisation_id", None)
        if organisation_id is not None:
            return organisation_id
        for link in _LINKS:
            if any(field.name == link and field.many_to_one for field in value._meta.get_fields()):
                value = getattr(value, link)
                break
        else:
            return None
    return None


# The links followed from a record to its organisation, in this order.
_LINKS = ("plan", "project", "agreement", "result", "measure", "sheet", "indicator", "topic", "announcement")


def scoped(argument: str):
    """Decorate a keyword-only service that changes the records of one organisation, the one of
    its `argument` (a record: plan=, project=, organisation=...): its writes refresh only that
    organisation's pages. Without an organisation to find, the writes count for every page."""

    def decorator(service):
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            with organisation_scope(organisation_id_of(kwargs.get(argument))):
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
    domains = written_domains(sql)
    if domains:
        connection = context["connection"]
        pending = _pending(connection)
        organisation_id = _scope.get()
        for domain in domains:
            pending.add(any_key(domain))
            # A user's row serves every organisation they belong to: never scoped.
            scoped_here = organisation_id is not None and domain != "auth"
            pending.add(org_key(domain, organisation_id) if scoped_here else domain)
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
    with connections[using].cursor() as cursor:
        cursor.execute(f'SELECT "name", "counter" FROM "{TABLE}" WHERE "name" IN ({", ".join(["%s"] * len(keys))})',
                       keys)
        found = dict(cursor.fetchall())
    return tuple(found.get(key, 0) for key in keys)

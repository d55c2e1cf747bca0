"""Bulk writes for imports: what save() and delete() store for many rows, in a few statements,
audit trail included.

Django's QuerySet.bulk_update builds a CASE WHEN expression per object and field, which costs
more Python time than the database spends on the rows (70 s for 7,850 ITA results of 10
fields); bulk_create prepares each value of each object through the ORM. These helpers send the
same values as plain multi-row statements:

- ``update_rows(model, objs, fields)``: UPDATE … FROM (VALUES …) (PostgreSQL, SQLite 3.33+;
  any other database falls back to bulk_update).
- ``insert_rows(model, fields, rows)``: INSERT … VALUES (…), (…) without model instances.
- ``write_history(model, objs, history_type, when=, user=)``: the audit-trail rows
  (lao_integrity.history, django-simple-history) that save() ("+" created, "~" changed) or
  delete() ("-") would write for each object, in bulk.

Nothing here validates: callers validate first, as their per-row path does.
"""

from __future__ import annotations

import datetime
import itertools
import sqlite3
from collections.abc import Iterable

from django.conf import settings
from django.db import connections, router

MAX_ROWS = 1000  # rows per statement
SQLITE_PARAMS = 900  # bound parameters per statement on an SQLite that cannot say its limit (999 before 3.32)
POSTGRES_PARAMS = 60_000  # PostgreSQL allows 65,535
_FALLBACK_BATCH = 250  # rows per UPDATE … CASE where UPDATE … FROM is not available

# Values of these fields go to the database driver as they are; others (a datetime on SQLite, a
# UUID, JSON…) are prepared by the field.
_PLAIN = {"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DecimalField",
          "ForeignKey", "IntegerField", "OneToOneField", "PositiveBigIntegerField", "PositiveIntegerField",
          "PositiveSmallIntegerField", "SmallAutoField", "SmallIntegerField", "TextField"}


def _connection(model):
    return connections[router.db_for_write(model)]


def _params_limit(connection) -> int:
    if connection.vendor != "sqlite":
        return POSTGRES_PARAMS
    connection.ensure_connection()
    try:  # the limit this SQLite was built with: 32,766 since 3.32, 999 before
        return max(SQLITE_PARAMS, connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - 100)
    except AttributeError:  # Python before 3.11
        return SQLITE_PARAMS


def _batch(connection, columns: int) -> int:
    return max(1, min(MAX_ROWS, _params_limit(connection) // max(1, columns)))


def update_rows(model, objs: list, fields: list[str]) -> None:
    """Store each object's values of `fields` in its row (by primary key), as bulk_update would.

    No signals, no auto_now: set such values on the objects first.
    """
    if not objs:
        return
    connection = _connection(model)
    meta = model._meta
    targets = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # The rows of VALUES carry no column types: cast each value to its column's type.
        casts = ["::" + field.db_type(connection) for field in targets]
        names = [quote(field.column) for field in targets]
        alias = "v(" + ", ".join(names) + ")"
    elif connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 33):
        casts = [""] * len(targets)
        names = [f"column{number}" for number in range(1, len(targets) + 1)]
        alias = "v"
    else:
        model._base_manager.bulk_update(objs, fields, batch_size=_FALLBACK_BATCH)
        return
    table = quote(meta.db_table)
    assignments = ", ".join(f"{quote(field.column)} = v.{name}" for field, name in zip(targets[1:], names[1:],
                                                                                       strict=True))
    placeholder = "(" + ", ".join(f"%s{cast}" for cast in casts) + ")"
    size = _batch(connection, len(targets))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            some = objs[start:start + size]
            params = [field.get_db_prep_save(getattr(obj, field.attname), connection)
                      for obj in some for field in targets]
            cursor.execute(f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([placeholder] * len(some))}) "
                           f"AS {alias} WHERE {table}.{quote(meta.pk.column)} = v.{names[0]}", params)


def insert_rows(model, fields: list, rows: Iterable[list]) -> None:
    """INSERT `rows` (each the values of `fields`, in that order), without model instances."""
    connection = _connection(model)
    quote = connection.ops.quote_name
    prepare = [None if field.get_internal_type() in _PLAIN else field for field in fields]
    statement = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = _batch(connection, len(fields))
    rows = iter(rows)
    with connection.cursor() as cursor:
        while some := list(itertools.islice(rows, size)):
            params = []
            for row in some:
                params.extend(value if field is None else field.get_db_prep_save(value, connection)
                              for field, value in zip(prepare, row, strict=True))
            cursor.execute(statement + ", ".join([placeholder] * len(some)), params)


def history_user(model):
    """The user save() would record on an audit-trail row now: the acting user (history.acting_user,
    @records_user), else the request's; None for the system."""
    return model.history.model.get_default_history_user(model())


def write_history(model, objs: list, history_type: str, *, when: datetime.datetime, user=None) -> None:
    """The audit-trail rows of `objs` (each as it is now, so after a change, before a delete),
    as simple_history writes them on save() ("+" or "~") or delete() ("-")."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historical = model.history.model
    tracked = [f.attname for f in historical.tracked_fields]
    columns = {"history_date": when, "history_change_reason": None, "history_type": history_type,
               "history_user_id": getattr(user, "pk", None)}
    fields = [f for f in historical._meta.concrete_fields if f.attname != "history_id"]
    if {f.attname for f in fields} != {*tracked, *columns}:
        # A history with fields of its own (history_relation, custom ones): let its model fill them.
        historical.objects.bulk_create([
            historical(history_type=history_type, history_date=when, history_user_id=columns["history_user_id"],
                       **{name: getattr(obj, name) for name in tracked}) for obj in objs
        ], batch_size=MAX_ROWS)
        return
    insert_rows(historical, fields, ([columns[f.attname] if f.attname in columns else getattr(obj, f.attname)
                                      for f in fields] for obj in objs))

"""Reads a page makes on every request (the plan page first), compiled by the ORM once per process and then run
with each request's values (issue 19: compiling a queryset cost more than running it; the page
cache's `owner` does the same). They return what the queryset would: its rows of values
(values_list) or its model instances (with their select_related ones), through the database's
converters (SQLite's booleans, decimals and dates). On PostgreSQL each is also a prepared
statement of the database session, planned once (see Statement._execute_prepared)."""

import itertools
import re
from collections.abc import Callable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# Given to `build` for its arguments (never run): where they land in the compiled parameters is
# where each request's values go. In every integer field's range (Django compiles a lookup out
# of range to no query at all), and unlike any constant of the reads.
_MARKERS = (32767, 32766, 32765)
_NAMES = itertools.count(1)
_QUOTED = re.compile(r'"(\w+)"')


class _Slot:
    """Where an argument goes in a PostgreSQL prepared statement: psycopg2 writes it as `$n`."""

    def __init__(self, number: int):
        self.number = number

    def __conform__(self, protocol):
        return self

    def getquoted(self) -> bytes:
        return f"${self.number}".encode()


class Statement:
    def __init__(self, build: Callable[..., QuerySet]):
        """`build(*arguments)`: the queryset, filtered on its arguments (integers, or texts compared
        with a text field: the field gives the marker as its text); a values_list or a plain model
        queryset (its select_related too, not its annotations)."""
        self.build = build
        self._compiled: dict[str, tuple] = {}
        # Its prepared statement's name on PostgreSQL, which tells where it was built (what
        # EXECUTE shows in a query log), unique within the process.
        self._name = f"s{next(_NAMES)}_{build.__module__.replace('.', '_')}_{build.__code__.co_firstlineno}"[:63]

    def _compile(self, connection) -> tuple:
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            markers = _MARKERS[:self.build.__code__.co_argcount]
            queryset = self.build(*markers)
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            params = list(params)
            # A text field's lookup holds the marker as its text (an organisation's code).
            markers = [str(marker) if marker not in params and str(marker) in params else marker
                       for marker in markers]
            if any(params.count(marker) != 1 for marker in markers):
                raise ValueError(f"{self.build}: each argument once in the parameters, got {params!r}")
            columns = compiler.select[:compiler.col_count]
            converters = list(compiler.get_converters([column for column, _, _ in columns]).items())
            model = None
            if queryset._iterable_class is ModelIterable:
                info = compiler.klass_info
                if compiler.annotation_col_map:
                    raise ValueError(f"{self.build}: a model queryset without annotations")
                start, end = info["select_fields"][0], info["select_fields"][-1] + 1
                # The select_related instances by Django's own populators: the columns' places are fixed.
                related = get_related_populators(info, compiler.select, DEFAULT_DB_ALIAS)
                model = (info["model"], [column.target.attname for column, _, _ in columns[start:end]],
                         (start, end) if related else None, related)
            elif queryset._iterable_class is not ValuesListIterable:
                raise ValueError(f"{self.build}: a values_list or a model queryset")
            compiled = self._compiled[connection.vendor] = (sql, params, [params.index(m) for m in markers],
                                                            converters, model)
        return compiled

    def rows(self, *arguments) -> list:
        connection = connections[DEFAULT_DB_ALIAS]
        sql, params, slots, converters, _model = self._compile(connection)
        params = list(params)
        for slot, value in zip(slots, arguments, strict=True):
            params[slot] = value
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                self._execute_prepared(connection, cursor, sql, params, slots, arguments)
            else:
                cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return rows
        rows = [list(row) for row in rows]
        for row in rows:
            for position, (functions, expression) in converters:
                value = row[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[position] = value
        return rows

    def _execute_prepared(self, connection, cursor, sql, params, slots, arguments) -> None:
        """On PostgreSQL (psycopg2), prepared once per database session: planning the larger reads
        cost as much as running them. PREPARE with the constants written in and `$n` for the
        arguments, on the driver's cursor (set-up of the session, as Django's own time zone: not a
        query of the page's count), then EXECUTE with each request's values. A prepared statement
        outlives a rolled-back transaction; a new session (Django reconnects) prepares again."""
        raw = connection.connection
        prepared = getattr(connection, "_lao_prepared", None)
        if prepared is None or prepared[0] is not raw:
            prepared = connection._lao_prepared = (raw, set())
        if self._name not in prepared[1]:
            template = list(params)
            for number, slot in enumerate(slots, 1):
                template[slot] = _Slot(number)
            with connection.wrap_database_errors:
                body = cursor.cursor.mogrify(sql, template).decode()
                cursor.cursor.execute(f"PREPARE {self._name} AS {body}")
            prepared[1].add(self._name)
        cursor.execute(self._execute_sql(sql, len(slots)), list(arguments) or None)

    def _execute_sql(self, sql: str, count: int) -> str:
        """EXECUTE, with the tables the statement reads named in a comment: whoever reads the SQL a
        page runs (the page cache's dependencies, lao_integrity/pagecache) finds them there."""
        try:
            return self._execute
        except AttributeError:
            tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
            named = " ".join(dict.fromkeys(f'"{name}"' for name in _QUOTED.findall(sql) if name in tables))
            arguments = f"({', '.join(['%s'] * count)})" if count else ""  # none: no parentheses
            self._execute = f"EXECUTE {self._name}{arguments} /* {named} */"
            return self._execute

    def objects(self, *arguments) -> list:
        model, fields, span, related = self._compile(connections[DEFAULT_DB_ALIAS])[4]
        if span is None:
            return [model.from_db(DEFAULT_DB_ALIAS, fields, row) for row in self.rows(*arguments)]
        found = []
        for row in self.rows(*arguments):
            instance = model.from_db(DEFAULT_DB_ALIAS, fields, row[span[0]:span[1]])
            for populator in related:
                populator.populate(row, instance)
            found.append(instance)
        return found

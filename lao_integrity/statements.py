"""Reads a page makes on every request (the plan page first), compiled by the ORM once per process and then run
with each request's values (issue 19: compiling a queryset cost more than running it; the page
cache's `owner` does the same). They return what the queryset would: its rows of values
(values_list) or its model instances, through the database's converters (SQLite's booleans,
decimals and dates)."""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable

# Given to `build` for its arguments (never run): where they land in the compiled parameters is
# where each request's values go. In every integer field's range (Django compiles a lookup out
# of range to no query at all), and unlike any constant of the reads.
_MARKERS = (32767, 32766, 32765)
# The same for text arguments (`kinds`), unlike any text a read names.
_TEXT_MARKERS = ("\u2063statement-argument-0", "\u2063statement-argument-1", "\u2063statement-argument-2")


class Statement:
    def __init__(self, build: Callable[..., QuerySet], kinds: tuple[type, ...] | None = None):
        """`build(*arguments)`: the queryset, filtered on its arguments; a values_list or a plain
        model queryset (no select_related). The arguments are integers unless `kinds` says
        which are text (str), e.g. (str, int); each must be compared as given (an exact match)."""
        self.build = build
        self.kinds = kinds
        self._compiled: dict[str, tuple] = {}

    def _compile(self, connection) -> tuple:
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            markers = _MARKERS[:self.build.__code__.co_argcount]
            if self.kinds is not None:
                markers = tuple(_TEXT_MARKERS[i] if kind is str else _MARKERS[i] for i, kind in enumerate(self.kinds))
            queryset = self.build(*markers)
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            params = list(params)
            if any(params.count(marker) != 1 for marker in markers):
                raise ValueError(f"{self.build}: each argument once in the parameters, got {params!r}")
            columns = compiler.select[:compiler.col_count]
            converters = list(compiler.get_converters([column for column, _, _ in columns]).items())
            model = None
            if queryset._iterable_class is ModelIterable:
                info = compiler.klass_info
                if info.get("related_klass_infos") or compiler.annotation_col_map:
                    raise ValueError(f"{self.build}: only a plain model queryset")
                model = (info["model"], [column.target.attname for column, _, _ in columns])
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

    def objects(self, *arguments) -> list:
        model, fields = self._compile(connections[DEFAULT_DB_ALIAS])[4]
        return [model.from_db(DEFAULT_DB_ALIAS, fields, row) for row in self.rows(*arguments)]

"""Reads a page makes on every request (the plan page first), compiled by the ORM once per process and then run
with each request's values (issue 19: compiling a queryset cost more than running it; the page
cache's `owner` does the same). They return what the queryset would: its rows of values
(values_list) or its model instances (with their select_related ones), through the database's
converters (SQLite's booleans, decimals and dates)."""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# Given to `build` for its arguments (never run): where they land in the compiled parameters is
# where each request's values go. In every integer field's range (Django compiles a lookup out
# of range to no query at all), and unlike any constant of the reads.
_MARKERS = (32767, 32766, 32765)


class Statement:
    def __init__(self, build: Callable[..., QuerySet]):
        """`build(*arguments)`: the queryset, filtered on its arguments (integers, or texts compared
        with a text field: the field gives the marker as its text); a values_list or a plain model
        queryset (its select_related too, not its annotations)."""
        self.build = build
        self._compiled: dict[str, tuple] = {}

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

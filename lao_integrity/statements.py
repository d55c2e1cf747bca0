"""Reads a page makes on every request (the plan page first), compiled by the ORM once per process and then run
with each request's values (issue 19: compiling a queryset cost more than running it; the page
cache's `owner` does the same). They return what the queryset would: its rows of values
(values_list) or its model instances, through the database's converters (SQLite's booleans,
decimals and dates)."""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable
from django.db.models.sql import Query
from django.db.models.sql.datastructures import BaseTable

# Given to `build` for its arguments (never run): where they land in the compiled parameters is
# where each request's values go. In every integer field's range (Django compiles a lookup out
# of range to no query at all), and unlike any constant of the reads.
_MARKERS = (32767, 32766, 32765)


class Statement:
    def __init__(self, build: Callable[..., QuerySet]):
        """`build(*arguments)`: the queryset, filtered on its (integer) arguments; a values_list
        or a plain model queryset (no select_related)."""
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


# Query attributes that name what an unfiltered read selects (its model, parents read with it,
# order and slice); `plain_key` keys its compiled SQL on them.
_KEYED = ("model", "alias_cols", "select_related", "order_by", "low_mark", "high_mark", "default_ordering",
          "standard_ordering", "max_depth", "deferred_loading")
# Bookkeeping that the SQL does not depend on, or that is checked below.
_IGNORED = frozenset({"alias_refcount", "table_map", "used_aliases", "filter_is_sticky", "_annotation_select_cache",
                      "_extra_select_cache", "alias_map", *_KEYED})
_MISSING = object()


def plain_key(query: Query) -> tuple | None:
    """A key of `query`'s SQL when it reads a model's rows with no condition, annotation, values(),
    distinct, extra, grouping or lock (a list page with no filter or search): its model, the
    parents it reads with it (select_related), its order, slice and fields (only/defer). None for any other query
    (anything set that is not one of those), whose SQL may depend on more than its key."""
    if type(query) is not Query:
        return None
    for name, value in vars(query).items():
        if name in _IGNORED:
            continue
        default = getattr(Query, name, _MISSING)
        if default is _MISSING:
            if value:  # where, annotations, extra, external_aliases ... : empty or not plain
                return None
        elif value != default:
            return None
    if any(not isinstance(join, BaseTable) for join in query.alias_map.values()):
        return None
    if not all(isinstance(item, str) for item in query.order_by):
        return None
    return tuple(_frozen(getattr(query, name)) for name in _KEYED)


def _frozen(value):
    if isinstance(value, dict):
        return tuple(sorted((name, _frozen(inner)) for name, inner in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(inner) for inner in value)
    if isinstance(value, set):
        return frozenset(value)
    return value

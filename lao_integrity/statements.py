"""Reads a page makes on every request, compiled by the ORM once per process and then run with each
request's values (issue 19: compiling a queryset cost more than running it; the page cache's
`owner` does the same). They return what the queryset would: its rows of values (values_list) or
its model instances (with their select_related ones), through the database's converters
(SQLite's booleans, decimals and dates). On PostgreSQL a statement is also a prepared statement of
the database session, planned once (Statement._execute_prepared); a list goes as one array
(`= ANY($n)`), so one prepared statement serves every length."""

import itertools
import re
from collections import OrderedDict
from collections.abc import Callable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql import Query
from django.db.models.sql.datastructures import BaseTable

# Given to `build` for its arguments (never run): where they land in the compiled parameters is
# where each request's values go. In every integer field's range (Django compiles a lookup out
# of range to no query at all), and unlike any constant of the reads.
_MARKERS = (32767, 32766, 32765, 32764, 32763, 32762)
# A list's items (an `__in` lookup): a range of its own per argument, in a 32-bit field's range.
_LIST_MARKER, _LIST_STEP = 1_000_000_000, 10_000_000
# A compiled form per shape (kinds of the arguments, each list's length): a list's SQL has one
# placeholder per item, so only the few shapes in use are kept.
_SHAPES = 32
_NAMES = itertools.count(1)
_QUOTED = re.compile(r'"(\w+)"')
_PLACEHOLDER = re.compile(r"%[%s]")  # a parameter's place (%s), or a percent sign written %%
# A list's length in a statement's shape when it goes as one array (PostgreSQL).
ARRAY = -1


def _text_marker(position: int) -> str:
    return f"\x1fstatement argument {position}\x1f"


def _kind(value):
    """The shape of an argument: "i" (an integer, or None as given), "s" (a text), or a list's
    ("i" or "s", its length)."""
    if isinstance(value, str):
        return "s"
    if value is None or isinstance(value, int):
        return "i"
    return ("s" if value and isinstance(value[0], str) else "i", len(value))


def _as_arrays(sql: str, params: list, markers: list) -> str | None:
    """`sql` with the `IN (%s)` of each marker's parameter written `= ANY(%s)` (PostgreSQL): the
    list then goes as one array, whatever its length. None when a marker's placeholder is not an
    IN list's only item (the statement keeps one form per length)."""
    places = [found.start() for found in _PLACEHOLDER.finditer(sql) if found.group() == "%s"]
    if len(places) != len(params):
        return None
    for position in sorted((params.index(marker) for marker in markers), reverse=True):
        start = places[position]
        if not (sql.endswith(" IN (", 0, start) and sql.startswith(")", start + 2)):
            return None
        sql = f"{sql[:start - 5]} = ANY(%s{sql[start + 2:]}"
    return sql


def _array(items: list) -> str:
    """A list as PostgreSQL's array literal ('{1,2}', '{"a","b"}'), which the statement's parameter
    takes as its column's array type: psycopg2's ARRAY[...] of a province's hundred ids cost 0.12 ms
    to write, a nation's eight thousand 8 ms."""
    if all(type(item) is int for item in items):
        return "{" + ",".join(map(str, items)) + "}"
    return "{" + ",".join('"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items) + "}"


def _items(value) -> list:
    return list(dict.fromkeys(item for item in value if item is not None))


class _Slot:
    """Where an argument goes in a PostgreSQL prepared statement: psycopg2 writes it as `$n`."""

    def __init__(self, number: int):
        self.number = number

    def __conform__(self, protocol):
        return self

    def getquoted(self) -> bytes:
        return f"${self.number}".encode()


class _Compiled:
    __slots__ = ("sql", "params", "slots", "converters", "model", "name", "execute")

    def __init__(self, sql, params, slots, converters, model, name):
        self.sql, self.params, self.slots, self.converters, self.model = sql, params, slots, converters, model
        self.name = name  # of its prepared statement (None: never prepared, it has a list argument)
        self.execute = None  # its EXECUTE, made at its first run on PostgreSQL


class Statement:
    def __init__(self, build: Callable[..., QuerySet]):
        """`build(*arguments)`: the queryset, filtered on its arguments; a values_list or a model
        queryset (its select_related too, not its annotations). An argument is an integer, a text,
        or a list (of integers or of texts) given to an `__in` lookup (compiled once per length;
        an empty list is no rows, as the ORM gives). Each integer or text argument must land once
        in the parameters."""
        self.build = build
        self._compiled: OrderedDict = OrderedDict()
        # Its prepared statements' names on PostgreSQL tell where it was built (what EXECUTE shows
        # in a query log), unique within the process.
        self._name = f"s{next(_NAMES)}_{build.__module__.replace('.', '_')}_{build.__code__.co_firstlineno}"[:60]

    def _compile(self, connection, shape: tuple) -> _Compiled | None:
        key = (connection.vendor, shape)
        if key in self._compiled:
            return self._compiled[key]
        arguments = []
        for position, kind in enumerate(shape):
            if kind == "i":
                arguments.append(_MARKERS[position])
            elif kind == "s":
                arguments.append(_text_marker(position))
            elif kind[0] == "s":
                arguments.append([f"{_text_marker(position)}{index}" for index in range(max(kind[1], 1))])
            else:
                start = _LIST_MARKER + position * _LIST_STEP
                arguments.append(list(range(start, start + max(kind[1], 1))))
        queryset = self.build(*arguments)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        params = list(params)
        if any(type(kind) is tuple and kind[1] == ARRAY for kind in shape):
            sql = _as_arrays(sql, params, [argument[0] for argument, kind in zip(arguments, shape, strict=True)
                                           if type(kind) is tuple and kind[1] == ARRAY])
            if sql is None:  # not an `IN (…)` the statement can take an array in: one form per length
                self._compiled[key] = None
                return None
            arguments = [argument[0] if type(kind) is tuple and kind[1] == ARRAY else argument
                         for argument, kind in zip(arguments, shape, strict=True)]
        where: dict = {}  # each parameter's indexes (a list of thousands is looked up once)
        for index, param in enumerate(params):
            try:
                where.setdefault(param, []).append(index)
            except TypeError:  # an unhashable constant (a list), never a marker
                pass

        def slot_of(marker) -> int:
            found = where.get(marker, ())
            if len(found) != 1:
                raise ValueError(f"{self.build}: each argument once in the parameters, got {params!r}")
            return found[0]

        # Per argument: its parameter's index, or its items' indexes (a list).
        slots = [[slot_of(item) for item in argument] if isinstance(argument, list) else slot_of(argument)
                 for argument in arguments]
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
        # Prepared: a fixed shape only (a list as an array). A list compiled per length would make
        # a statement per length, and a session would gather one per length it ever met.
        fixed = all(type(kind) is str or kind[1] == ARRAY for kind in shape)
        name = f"{self._name}_{''.join(kind if type(kind) is str else kind[0].upper() for kind in shape)}" if fixed else None
        compiled = self._compiled[key] = _Compiled(sql, params, slots, converters, model, name)
        while len(self._compiled) > _SHAPES:
            self._compiled.popitem(last=False)
        return compiled

    def rows(self, *arguments) -> list:
        return self._run(arguments)[0]

    def _run(self, arguments) -> tuple[list, _Compiled | None]:
        connection = connections[DEFAULT_DB_ALIAS]
        if all(type(argument) is int for argument in arguments):
            shape = ("i",) * len(arguments)  # integers only: no list to measure
        else:
            arguments = [argument if argument is None or isinstance(argument, (int, str)) else _items(argument)
                         for argument in arguments]
            shape = tuple(_kind(argument) for argument in arguments)
            if any(type(kind) is tuple and not kind[1] for kind in shape):
                return [], None  # `__in` nothing: no rows, no query (as the ORM)
        compiled = None
        if connection.vendor == "postgresql" and any(type(kind) is tuple for kind in shape):
            # A list as one array parameter (`= ANY(%s)`): one prepared statement for every length.
            compiled = self._compile(connection, tuple((kind[0], ARRAY) if type(kind) is tuple else kind
                                                       for kind in shape))
            if compiled is not None:
                arguments = [_array(argument) if type(argument) is list else argument for argument in arguments]
        if compiled is None:
            compiled = self._compile(connection, shape)
        with connection.cursor() as cursor:
            if compiled.name is not None and connection.vendor == "postgresql":
                self._execute_prepared(connection, cursor, compiled, arguments)
            else:
                params = list(compiled.params)
                for slot, value in zip(compiled.slots, arguments, strict=True):
                    if type(slot) is list:
                        for index, item in zip(slot, value, strict=True):
                            params[index] = item
                    else:
                        params[slot] = value
                cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return converted(rows, compiled.converters, connection), compiled

    @staticmethod
    def _execute_prepared(connection, cursor, compiled: _Compiled, arguments) -> None:
        """On PostgreSQL (psycopg2), prepared once per database session: planning the larger reads
        cost as much as running them. PREPARE with the constants written in and `$n` for the
        arguments, on the driver's cursor (set-up of the session, as Django's own time zone: not a
        query of the page's count), then EXECUTE with each request's values. A prepared statement
        outlives a rolled-back transaction; a new session (Django reconnects) prepares again. Not
        behind a pooler in transaction mode (PgBouncer's): the portal connects to PostgreSQL itself."""
        prepared = _session(connection)
        if compiled.name not in prepared[1]:
            template = list(compiled.params)
            for number, slot in enumerate(compiled.slots, 1):
                template[slot] = _Slot(number)
            _prepare(connection, cursor, compiled.name, compiled.sql, template)
            prepared[1].add(compiled.name)
        if compiled.execute is None:
            compiled.execute = _execute_of(compiled.name, compiled.sql, len(compiled.slots))
        cursor.execute(compiled.execute, list(arguments) or None)

    def objects(self, *arguments) -> list:
        rows, compiled = self._run(arguments)
        if not rows:
            return []
        model, fields, span, related = compiled.model
        if span is None:
            return [model.from_db(DEFAULT_DB_ALIAS, fields, row) for row in rows]
        found = []
        for row in rows:
            instance = model.from_db(DEFAULT_DB_ALIAS, fields, row[span[0]:span[1]])
            for populator in related:
                populator.populate(row, instance)
            found.append(instance)
        return found


def converted(rows: list, converters: list, connection) -> list:
    """The rows as the ORM gives them: each column through its converters (the compiler's
    get_converters: SQLite's booleans, decimals and dates)."""
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


def _session(connection) -> tuple:
    """(the driver's connection, names prepared on it, how many FixedRead prepared on it)."""
    raw = connection.connection
    prepared = getattr(connection, "_lao_prepared", None)
    if prepared is None or prepared[0] is not raw:
        prepared = connection._lao_prepared = (raw, set(), [0])
    return prepared


def _prepare(connection, cursor, name: str, sql: str, template) -> None:
    with connection.wrap_database_errors:
        body = cursor.cursor.mogrify(sql, template).decode()
        cursor.cursor.execute(f"PREPARE {name} AS {body}")


def _execute_of(name: str, sql: str, count: int) -> str:
    # The tables it reads named in a comment: whoever reads the SQL a page runs (the page
    # cache's dependencies, lao_integrity/pagecache) finds them there.
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    named = " ".join(dict.fromkeys(f'"{found}"' for found in _QUOTED.findall(sql) if found in tables))
    listed = f"({', '.join(['%s'] * count)})" if count else ""  # none: no parentheses
    return f"EXECUTE {name}{listed} /* {named} */"


# FixedReads prepared per database session: one per list, order and page number met, so only the
# first few (a list's first pages); the others run as plain SQL.
_FIXED_PER_SESSION = 32


class FixedRead:
    """A read with no argument (a list page's rows or count with no filter or search, compiled once
    a process under plain_key). On PostgreSQL a prepared statement of the session: planning a
    join of four tables cost more than running it."""

    __slots__ = ("sql", "params", "name", "execute")

    def __init__(self, sql: str, params):
        self.sql, self.params = sql, tuple(params)
        self.name = f"f{next(_NAMES)}"
        self.execute = None

    def run(self, connection, cursor) -> None:
        if connection.vendor != "postgresql":
            cursor.execute(self.sql, self.params)
            return
        prepared = _session(connection)
        if self.name not in prepared[1]:
            if prepared[2][0] >= _FIXED_PER_SESSION:
                cursor.execute(self.sql, self.params)
                return
            _prepare(connection, cursor, self.name, self.sql, self.params)
            prepared[1].add(self.name)
            prepared[2][0] += 1
        if self.execute is None:
            self.execute = _execute_of(self.name, self.sql, 0)
        cursor.execute(self.execute)


class Prepared:
    """Plain SQL of a fixed shape (`%s` for each of its `count` arguments), run with each request's
    values: on PostgreSQL a prepared statement of the session. For the few reads of every signed-in
    page (its session, its user, the bell's count), whose planning cost several times their running."""

    __slots__ = ("sql", "count", "name", "execute")

    def __init__(self, sql: str, count: int):
        self.sql, self.count = sql, count
        self.name = f"p{next(_NAMES)}"
        self.execute = None

    def run(self, connection, cursor, params) -> None:
        if connection.vendor != "postgresql":
            cursor.execute(self.sql, params)
            return
        prepared = _session(connection)
        if self.name not in prepared[1]:
            _prepare(connection, cursor, self.name, self.sql, [_Slot(number) for number in range(1, self.count + 1)])
            prepared[1].add(self.name)
        if self.execute is None:
            self.execute = _execute_of(self.name, self.sql, self.count)
        cursor.execute(self.execute, params)


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

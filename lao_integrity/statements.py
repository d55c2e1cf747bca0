"""Reads a page makes on every request (the plan page first), compiled by the ORM once per process and then run
with each request's values (issue 19: compiling a queryset cost more than running it; the page
cache's `owner` does the same). They return what the queryset would: its rows of values
(values_list) or its model instances, through the database's converters (SQLite's booleans,
decimals and dates)."""

from collections import OrderedDict
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable

# Given to `build` for its arguments (never run): where they land in the compiled parameters is
# where each request's values go. In every integer field's range (Django compiles a lookup out
# of range to no query at all), and unlike any constant of the reads.
_MARKERS = (32767, 32766, 32765, 32764, 32763, 32762)
# A list's items (an `__in` lookup): a range of its own per argument, in a 32-bit field's range.
_LIST_MARKER, _LIST_STEP = 1_000_000_000, 10_000_000
# A compiled form per shape (kinds of the arguments, each list's length): a list's SQL has one
# placeholder per item, so only the few shapes in use are kept.
_SHAPES = 32


def _text_marker(position: int) -> str:
    return f"\x1fstatement argument {position}\x1f"


def _kind(value):
    """The shape of an argument: "i" (an integer), "s" (a text), or a list's ("i" or "s", its length)."""
    if isinstance(value, str):
        return "s"
    if isinstance(value, int):
        return "i"
    return ("s" if value and isinstance(value[0], str) else "i", len(value))


def _items(value) -> list:
    return list(dict.fromkeys(item for item in value if item is not None))


class Statement:
    def __init__(self, build: Callable[..., QuerySet]):
        """`build(*arguments)`: the queryset, filtered on its arguments; a values_list or a plain
        model queryset (no select_related). An argument is an integer, a text, or a list (of
        integers or of texts) given to an `__in` lookup (compiled once per length; an empty list
        is no rows, as the ORM gives). Each integer or text argument must land once in the parameters."""
        self.build = build
        self._compiled: OrderedDict = OrderedDict()

    def _compile(self, connection, shape: tuple) -> tuple:
        key = (connection.vendor, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            arguments = []
            for position, kind in enumerate(shape):
                if kind == "i":
                    arguments.append(_MARKERS[position])
                elif kind == "s":
                    arguments.append(_text_marker(position))
                elif kind[0] == "s":
                    arguments.append([f"{_text_marker(position)}{index}" for index in range(kind[1])])
                else:
                    start = _LIST_MARKER + position * _LIST_STEP
                    arguments.append(list(range(start, start + kind[1])))
            queryset = self.build(*arguments)
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            params = list(params)
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
                if info.get("related_klass_infos") or compiler.annotation_col_map:
                    raise ValueError(f"{self.build}: only a plain model queryset")
                model = (info["model"], [column.target.attname for column, _, _ in columns])
            elif queryset._iterable_class is not ValuesListIterable:
                raise ValueError(f"{self.build}: a values_list or a model queryset")
            compiled = self._compiled[key] = (sql, params, slots, converters, model)
            while len(self._compiled) > _SHAPES:
                self._compiled.popitem(last=False)
        return compiled

    def rows(self, *arguments) -> list:
        return self._run(arguments)[0]

    def _run(self, arguments) -> tuple[list, object]:
        connection = connections[DEFAULT_DB_ALIAS]
        if all(type(argument) is int for argument in arguments):
            shape = ("i",) * len(arguments)  # integers only: no list to measure
        else:
            arguments = [argument if isinstance(argument, (int, str)) else _items(argument) for argument in arguments]
            shape = tuple(_kind(argument) for argument in arguments)
            if any(type(kind) is tuple and not kind[1] for kind in shape):
                return [], None  # `__in` nothing: no rows, no query (as the ORM)
        sql, params, slots, converters, model = self._compile(connection, shape)
        params = list(params)
        for slot, value in zip(slots, arguments, strict=True):
            if type(slot) is list:
                for index, item in zip(slot, value, strict=True):
                    params[index] = item
            else:
                params[slot] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return rows, model
        rows = [list(row) for row in rows]
        for row in rows:
            for position, (functions, expression) in converters:
                value = row[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[position] = value
        return rows, model

    def objects(self, *arguments) -> list:
        rows, model = self._run(arguments)
        if not rows:
            return []
        model, fields = model
        return [model.from_db(DEFAULT_DB_ALIAS, fields, row) for row in rows]

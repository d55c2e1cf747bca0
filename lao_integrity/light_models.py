"""Model instances for rows that are only shown, built without Model.__init__.

A page of an admin list is 50 objects and their select_related parents (200 instances for the
projects list); Model.__init__ sends two signals and sets every field through its descriptor,
which was a tenth of the list's time (issue 19). Here an instance of a plain model (Django's own
__init__ and from_db, no init signals, fields stored as they are) is made as from_db would leave
it: the same attributes, the same state, the same related objects cached. Anything else is
built by Django as before.
"""

import functools
import inspect

from django.db import connections
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor, ImageFileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable, RelatedPopulator
from django.db.models.query_utils import DeferredAttribute

from lao_integrity.statements import FixedRead, converted, plain_key

# Descriptors whose __set__ (if any) only stores the value in the instance's __dict__ when the
# instance is new (an image field's dimensions are read by a post_init receiver, checked below).
_PLAIN_DESCRIPTORS = {DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor, ImageFileDescriptor}


@functools.cache
def _plain(model) -> bool:
    return (model.__init__ is Model.__init__ and model.from_db.__func__ is Model.from_db.__func__
            and not signals.pre_init.has_listeners(model) and not signals.post_init.has_listeners(model)
            and all(type(inspect.getattr_static(model, field.attname, None)) in _PLAIN_DESCRIPTORS
                    for field in model._meta.concrete_fields))


def _builder(model, db, init_list):
    """(values) → instance, as model.from_db(db, init_list, values) makes it: every field, or
    those a queryset's only() reads (in the model's order; the others deferred, unset)."""
    loaded = set(init_list)
    in_order = [field.attname for field in model._meta.concrete_fields if field.attname in loaded]
    if not _plain(model) or init_list != in_order:
        return lambda values: model.from_db(db, init_list, values)
    new = model.__new__

    def build(values):
        obj = new(model)
        state = ModelState()
        state.adding, state.db = False, db
        obj._state = state
        obj.__dict__.update(zip(init_list, values, strict=True))
        return obj
    return build


class _Populator:
    """RelatedPopulator.populate with the instance built by _builder."""

    def __init__(self, populator: RelatedPopulator):
        self.reorder = populator.reorder_for_init  # a parent's columns for a child class (multi-table inheritance)
        if self.reorder is None:
            self.cols_start, self.cols_end = populator.cols_start, populator.cols_end
        self.pk_idx = populator.pk_idx
        self.build = _builder(populator.model_cls, populator.db, populator.init_list)
        self.related = [_Populator(inner) for inner in populator.related_populators]
        self.local_setter, self.remote_setter = populator.local_setter, populator.remote_setter

    def populate(self, row, from_obj):
        obj_data = self.reorder(row) if self.reorder else row[self.cols_start:self.cols_end]
        if obj_data[self.pk_idx] is None:
            obj = None
        else:
            obj = self.build(obj_data)
            for populator in self.related:
                populator.populate(row, obj)
        self.local_setter(from_obj, obj)
        if obj is not None:
            self.remote_setter(obj, from_obj)


class LightModelIterable(ModelIterable):
    """ModelIterable (Django 5.2) with the instances built by _builder. Set as a queryset's
    `_iterable_class` before it is evaluated; for rows that are displayed, not saved (they are
    ordinary instances, but nothing here is tested for saving). A read with no condition (a list
    page with no filter or search, statements.plain_key) is compiled once a process."""

    def __iter__(self):
        queryset = self.queryset
        if queryset._known_related_objects:  # a related manager's queryset: Django's loop sets them
            yield from ModelIterable(queryset, self.chunked_fetch, self.chunk_size)
            return
        db = queryset.db
        key = None if self.chunked_fetch else plain_key(queryset.query)
        read = _READS.get((db, key)) if key is not None else None
        if read is None:
            compiler = queryset.query.get_compiler(using=db)
            results = compiler.execute_sql(chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size)
            read = _Read(compiler, db)
            if key is not None and read.sql is not None:
                if len(_READS) >= _MOST_READS:
                    _READS.clear()
                _READS[db, key] = read
            rows = compiler.results_iter(results)
        else:
            rows = read.rows(db)
        build, populators, annotations, start, end = read.build, read.populators, read.annotations, read.start, read.end
        for row in rows:
            obj = build(row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for attr_name, col_pos in annotations:
                setattr(obj, attr_name, row[col_pos])
            yield obj


_READS: dict = {}  # (database alias, plain_key) -> _Read
_MOST_READS = 512  # each page number and order of each list is one


class _Read:
    """What a compiled read needs to run again and make its objects: its SQL, the converters of its
    columns and the builders of its objects and their parents."""

    def __init__(self, compiler, db):
        select, klass_info, annotation_col_map = compiler.select, compiler.klass_info, compiler.annotation_col_map
        select_fields = klass_info["select_fields"]
        self.start, self.end = select_fields[0], select_fields[-1] + 1
        init_list = [f[0].target.attname for f in select[self.start:self.end]]
        self.build = _builder(klass_info["model"], db, init_list)
        self.populators = [_Populator(RelatedPopulator(info, select, db))
                           for info in klass_info.get("related_klass_infos", [])]
        self.annotations = list(annotation_col_map.items()) if annotation_col_map else []
        self.sql = self.params = None
        fields = [column[0] for column in select[:compiler.col_count]]
        if not compiler.has_extra_select and not compiler.has_composite_fields(fields):
            # as_sql again (Django's own execute_sql did it for the first run): cheap once
            self.sql, params = compiler.as_sql()
            self.params = tuple(params)
            self.read = FixedRead(self.sql, self.params)
            self.converters = list(compiler.get_converters(fields).items())

    def rows(self, db):
        connection = connections[db]
        with connection.cursor() as cursor:
            self.read.run(connection, cursor)
            rows = cursor.fetchall()
        return converted(rows, self.converters, connection)

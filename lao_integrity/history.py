"""The audit trail (ประวัติการแก้ไข): who changed what and when, with the old and new values.

Recording is django-simple-history's: each tracked model declares ``history = Trail()``, and
every ``save()`` and ``delete()`` writes a historical row (queryset ``update()`` and
``bulk_create`` write none; see the services for where and why they are still used). The user
comes from, in order: ``instance._history_user``; the user a service acts for
(``acting_user`` / ``@records_user``, so commands and the shell record it too); the request's
user (``HistoryRequestMiddleware``).

Reading is ``trail()``: one or more historical querysets in, rows for the panel
``templates/_history.html`` out, newest first, each change field by field (old → new) with the
fields' Thai names and choice labels. The number of queries does not grow with the number of
rows: two per source (the records with their predecessor's id, then the predecessors) and one
per kind of object a changed foreign key points to.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lao_integrity import thai

DEFAULT_LIMIT = 50
TEXT_LIMIT = 120
EMPTY = "(ว่าง)"
SYSTEM = "ระบบ"
ACTIONS = {"+": "สร้าง", "~": "แก้ไข", "-": "ลบ"}
# Bookkeeping, never shown as a change (auto_now fields are left out by diff_against already).
NOT_SHOWN = ("version",)
LABEL_FIELDS = ("name", "title", "subject", "text")

# --- recording ---------------------------------------------------------------------------------

_acting = contextvars.ContextVar("lao_integrity_history_user", default=None)


def _user_for_history(instance=None, request=None, **kwargs):
    """simple-history's `get_user`: the user a service acts for, else the request's user."""
    user = _acting.get()
    if user is not None:
        return user
    if request is not None:
        return request.user
    return None


def Trail(**options) -> HistoricalRecords:  # noqa: N802 - reads like the field it declares
    """``HistoricalRecords`` that also records the user a service acts for outside a request."""
    options.setdefault("get_user", _user_for_history)
    return HistoricalRecords(**options)


@contextlib.contextmanager
def acting_user(user):
    """Record `user` on every historical row written inside the block. `None` (the system, or
    no user given, or the SystemActor of orgs/access.py) keeps whatever an enclosing block or the
    request says: the system is no user to record."""
    if user is None or getattr(user, "is_system", False) or not getattr(user, "is_authenticated", False):
        yield
        return
    token = _acting.set(user)
    try:
        yield
    finally:
        _acting.reset(token)


def records_user(service: Callable) -> Callable:
    """Decorate a keyword-only service taking ``user=``: its writes are recorded as that user's."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        with acting_user(kwargs.get("user")):
            return service(*args, **kwargs)

    return wrapper


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    action: str
    what: str
    label: str = ""
    changes: list[Change] = field(default_factory=list)
    history_type: str = "~"

    @property
    def when_text(self) -> str:
        return format_moment(self.when)

    @property
    def summary(self) -> str:
        """"ชื่อโครงการ “ก” → “ข”, งบประมาณ (บาท) “1,000.00” → “2,000.00”"."""
        return ", ".join(f"{c.field} “{c.old}” → “{c.new}”" for c in self.changes)


@dataclass(frozen=True)
class Source:
    """Historical records of one model, with how to name one of them in the panel."""

    records: QuerySet
    label: Callable | None = None


# Text fillers: a model whose stored text holds tokens ("พ.ศ. {ปีงบประมาณ}") registers a factory
# here; the panel then shows the text as printed. factory(records) -> fill(record, text) -> text,
# given all the historical records shown at once so it can load what it needs in one query.
_TEXT_FILLERS: dict[type, Callable] = {}


def register_text_filler(model: type, factory: Callable) -> None:
    _TEXT_FILLERS[model] = factory


def _unchanged(record, text: str) -> str:
    return text


class _LazyFill:
    """Builds the model's filler (its queries) only when a shown text has a token: the panel's
    query count stays the same however much history there is."""

    def __init__(self, factory: Callable, records: list):
        self.factory, self.records, self.fill = factory, records, None

    def __call__(self, record, text: str) -> str:
        if "{" not in text:
            return text
        if self.fill is None:
            self.fill = self.factory(self.records)
        return self.fill(record, text)


def format_moment(moment: datetime.datetime) -> str:
    """"27 ก.พ. 2569 เวลา 14:05 น." in the local time zone, B.E. year, Arabic digits."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return (f"{local.day} {thai.THAI_MONTHS_ABBR[local.month - 1]} {thai.be_year(local.year)} "
            f"เวลา {local:%H:%M} น.")


def user_name(user) -> str:
    if user is None:
        return SYSTEM
    return (user.get_full_name() or "").strip() or user.get_username()


def _shorten(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def default_label(record, fill: Callable = _unchanged) -> str:
    for name in LABEL_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str) and value.strip():
            return _shorten(fill(record, value))
    if getattr(record, "quarter", None):
        return f"ไตรมาส {record.quarter}"
    if getattr(record, "fiscal_year", None):
        return f"ปีงบประมาณ {record.fiscal_year}"
    return ""


def _related_label(obj) -> str:
    """A foreign key's object by its own fields (no further queries where they suffice)."""
    if isinstance(obj, get_user_model()):
        return user_name(obj)
    for name in ("full_name", "name", "title", "subject", "code"):
        value = getattr(obj, name, None)
        if isinstance(value, str) and value:
            return _shorten(value)
    if getattr(obj, "fiscal_year", None):
        return f"ปีงบประมาณ {obj.fiscal_year}"
    return _shorten(str(obj))


def _text(value, model_field) -> str:
    """One value as the panel shows it; foreign keys are resolved later, in bulk."""
    if value is None or value == "":
        return EMPTY
    choices = dict(model_field.flatchoices) if getattr(model_field, "flatchoices", None) else {}
    if value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, datetime.datetime):
        return format_moment(value)
    if isinstance(value, datetime.date):
        return thai.format_date_short(value)
    if isinstance(value, Decimal):
        places = getattr(model_field, "decimal_places", None) or 0
        return f"{value:,.{places}f}"
    if isinstance(value, FieldFile) or isinstance(model_field, models.FileField):
        name = value.name if isinstance(value, FieldFile) else str(value)
        return name.rsplit("/", 1)[-1] if name else EMPTY
    return _shorten(value)


def _records(source: Source, limit: int) -> list:
    historical = source.records.model
    key = historical._meta.get_field("history_id").attname
    pk_name = historical.instance_type._meta.pk.attname
    previous = (historical._default_manager.filter(**{pk_name: OuterRef(pk_name), f"{key}__lt": OuterRef(key)})
                .order_by(f"-{key}").values(key)[:1])
    rows = (source.records.select_related("history_user").annotate(_previous_id=Subquery(previous))
            .order_by("-history_date", f"-{key}")[:limit])
    return [(row, source) for row in rows]


def trail(*sources: QuerySet | Source, limit: int = DEFAULT_LIMIT, skip_unchanged: bool = True,
          created_values: bool = False) -> list[Entry]:
    """The newest `limit` entries of all `sources`, newest first.

    A change lists only the fields whose shown value differs; a save that changed nothing
    shown (only bookkeeping such as the version) is left out unless `skip_unchanged` is False.
    With `created_values`, a creation lists the values it was created with (those that differ
    from the field's default) as changes from empty.
    """
    picked: list = []
    for source in sources:
        source = source if isinstance(source, Source) else Source(source)
        picked.extend(_records(source, limit))
    picked.sort(key=lambda pair: pair[0].history_date, reverse=True)
    picked = picked[:limit]

    # The record before each change, one query per model.
    wanted: dict[type, set[int]] = defaultdict(set)
    for record, _source in picked:
        if record.history_type == "~" and record._previous_id:
            wanted[type(record)].add(record._previous_id)
    previous = {}
    for historical, ids in wanted.items():
        for row in historical._default_manager.filter(history_id__in=ids):
            previous[(historical, row.history_id)] = row

    # Tokens in stored text are shown filled, as the document prints them; one filler per model.
    shown: dict[type, list] = defaultdict(list)
    for record, _source in picked:
        shown[record.instance_type].append(record)
    shown_before = [row for (historical, _id), row in previous.items()]
    for row in shown_before:
        shown[row.instance_type].append(row)
    fillers = {model: _LazyFill(_TEXT_FILLERS[model], records) for model, records in shown.items()
               if model in _TEXT_FILLERS}

    entries, pending = [], []
    lookups: dict[type, set] = defaultdict(set)
    for record, source in picked:
        model = record.instance_type
        fill = fillers.get(model, _unchanged)
        label = source.label(record) if source.label else default_label(record, fill)
        entry = Entry(when=record.history_date, who=user_name(record.history_user),
                      action=ACTIONS.get(record.history_type, record.history_type),
                      what=str(model._meta.verbose_name), label=label, history_type=record.history_type)
        before = previous.get((type(record), record._previous_id))
        if record.history_type == "+" and created_values:
            for model_field in model._meta.concrete_fields:
                value = getattr(record, model_field.attname, None)
                if (model_field.primary_key or not model_field.editable or model_field.is_relation
                        or model_field.name in NOT_SHOWN or value is None or value == ""
                        or (model_field.has_default() and value == model_field.get_default())):
                    continue
                pending.append((entry, model_field, None, _filled(fill, record, value)))
        elif record.history_type == "~" and before is not None:
            delta = record.diff_against(before, excluded_fields=NOT_SHOWN)
            for change in sorted(delta.changes, key=lambda c: _field_order(model, c.field)):
                model_field = model._meta.get_field(change.field)
                if model_field.many_to_one or model_field.one_to_one:
                    related = model_field.related_model
                    lookups[related].update(v for v in (change.old, change.new) if v is not None)
                pending.append((entry, model_field, _filled(fill, before, change.old),
                                _filled(fill, record, change.new)))
        entries.append(entry)

    labels = {}
    for related, ids in lookups.items():
        for obj in related._base_manager.filter(pk__in=ids):
            labels[(related, obj.pk)] = _related_label(obj)
    for entry, model_field, old, new in pending:
        if model_field.many_to_one or model_field.one_to_one:
            related = model_field.related_model
            old_text = EMPTY if old is None else labels.get((related, old), f"(ลบแล้ว #{old})")
            new_text = EMPTY if new is None else labels.get((related, new), f"(ลบแล้ว #{new})")
        else:
            old_text, new_text = _text(old, model_field), _text(new, model_field)
        if old_text != new_text:
            entry.changes.append(Change(str(model_field.verbose_name), old_text, new_text))
    if skip_unchanged:
        entries = [e for e in entries if e.history_type != "~" or e.changes]
    return entries


def _filled(fill: Callable, record, value):
    return fill(record, value) if isinstance(value, str) and value else value


def _field_order(model, name: str) -> int:
    names = [f.name for f in model._meta.concrete_fields]
    return names.index(name) if name in names else len(names)


def for_page(user, organisation, *sources: QuerySet | Source, limit: int = DEFAULT_LIMIT) -> list[Entry] | None:
    """The panel's rows, or None when `user` may not see the audit trail of `organisation`
    (orgs/access.py decides; imported here because orgs.models imports this module)."""
    from lao_integrity.orgs import access

    if not access.can_see_history(user, organisation):
        return None
    return trail(*sources, limit=limit)


def object_history(instance) -> QuerySet:
    """All historical records of one object (also after it is deleted)."""
    model = type(instance)
    return model.history.filter(**{model._meta.pk.attname: instance.pk})


__all__ = [
    "Change", "Entry", "Source", "Trail", "acting_user", "for_page", "format_moment",
    "object_history", "records_user", "register_text_filler", "trail", "user_name",
]

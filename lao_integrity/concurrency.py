"""No lost updates: a version column checked on save (optimistic locking).

Each edited record has ``version = models.PositiveIntegerField(default=0, editable=False)``.
An edit form carries the version it was loaded with in a hidden field (``VersionField``); the
service passes it to ``check_and_bump()`` inside its transaction, which writes

    UPDATE ... SET version = version + 1 WHERE id = %s AND version = %s

and raises ``StaleEdit`` when no row matched: someone saved in between. The error lists what
they changed (from the audit trail: field, old → new, who, when) and the view shows it above the
form, keeping everything the user typed (``keep_input``); the hidden field then holds the
current version, so saving again is a deliberate decision made after seeing the other change.

The conditional UPDATE is atomic on every database: of two concurrent saves of the same
version, the second waits for the first's row lock and then matches no row. Writes that change
a record without a form (approving, signing) call ``check_and_bump(instance)`` without a
version, so an edit form opened before them is refused too. Through the model's default
manager, so a guarded queryset (a signed announcement) refuses the bump as it refuses any write.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from . import history

UNSAVED = ("ข้อมูลของท่านยังไม่ถูกบันทึก โปรดตรวจสอบแล้วบันทึกอีกครั้ง")
# An edit posted without the version it was loaded with can't be checked: refused, not taken as a
# blind overwrite. The form is shown again on top of the current version, so saving is deliberate.
NO_VERSION = ("แบบฟอร์มนี้ไม่ได้ระบุว่าเปิดจากข้อมูลรุ่นใด จึงตรวจไม่ได้ว่ามีผู้อื่นแก้ไขไปแล้วหรือไม่ "
              "ระบบแสดงข้อมูลรุ่นล่าสุดแล้ว " + UNSAVED)


class StaleEdit(ValidationError):
    """The record changed since the version the user loaded; nothing was saved.

    `entries` are the audit-trail entries since then, oldest first (each with `when`, `who`
    and `changes`: field, old, new); `current_version` is the version to load now; `deleted`
    when the record is gone.
    """

    def __init__(self, entries: list[history.Entry], *, current_version: int | None, deleted: bool = False):
        self.entries = entries
        self.current_version = current_version
        self.deleted = deleted
        super().__init__(stale_message(entries, deleted=deleted), code="stale")

    @property
    def changes(self) -> list[history.Change]:
        return [change for entry in self.entries for change in entry.changes]


def stale_message(entries: list[history.Entry], *, deleted: bool = False) -> str:
    """"มีผู้อื่นแก้ไขรายการนี้ไปแล้วเมื่อ … โดย …: ชื่อโครงการ “ก” → “ข” ข้อมูลของท่านยังไม่ถูกบันทึก …"."""
    if deleted:
        return "รายการนี้ถูกลบไปแล้วระหว่างที่ท่านแก้ไข ข้อมูลของท่านยังไม่ถูกบันทึก"
    if not entries:
        return f"มีผู้อื่นแก้ไขรายการนี้ไปแล้วหลังจากที่ท่านเปิดแบบฟอร์ม {UNSAVED}"
    # One save writes the record and, often, its parts: one "when, who" for them together.
    groups: list[tuple[str, str, list[history.Change]]] = []
    for entry in entries:
        if groups and groups[-1][:2] == (entry.when_text, entry.who):
            groups[-1][2].extend(entry.changes)
        else:
            groups.append((entry.when_text, entry.who, list(entry.changes)))
    parts = []
    for when, who, changes in groups:
        part = f"เมื่อ {when} โดย {who}"
        if changes:
            part += ": " + ", ".join(f"{c.field} “{c.old}” → “{c.new}”" for c in changes)
        parts.append(part)
    return f"มีผู้อื่นแก้ไขรายการนี้ไปแล้ว{'; '.join(parts)} {UNSAVED}"


def current_version(instance) -> int | None:
    model = type(instance)
    return model._base_manager.filter(pk=instance.pk).values_list("version", flat=True).first()


def changes_since(instance, loaded_version: int, related=()) -> list[history.Entry]:
    """The audit-trail entries of `instance` saved after `loaded_version`, oldest first.

    `related`: historical querysets (or history.Source) of the parts one form edits with the
    record (the guidance on a result's indicator scores); their entries from the first newer
    save of `instance` on are included, each change named with its part ("ตัวชี้วัดที่ 3 …").
    The services that use it save the record before its parts.
    """
    if not hasattr(type(instance), "history"):
        return []
    records = history.object_history(instance).filter(version__gt=loaded_version)
    sources = [records]
    since = records.order_by("history_date").values_list("history_date", flat=True).first() if related else None
    if since is not None:
        for source in related:
            source = source if isinstance(source, history.Source) else history.Source(source)
            sources.append(history.Source(source.records.filter(history_date__gte=since), source.label))
    entries = list(reversed(history.trail(*sources, skip_unchanged=False, created_values=True)))
    own = type(instance)._meta.verbose_name
    for entry in entries:
        if entry.what != str(own) and entry.label:
            entry.changes = [history.Change(f"{entry.label} {c.field}", c.old, c.new) for c in entry.changes]
    return entries


def stale_edit(instance, loaded_version: int | None, *, related=()) -> StaleEdit:
    now = current_version(instance)
    if now is None:
        return StaleEdit([], current_version=None, deleted=True)
    entries = changes_since(instance, loaded_version, related) if loaded_version is not None else []
    return StaleEdit(entries, current_version=now)


def check_and_bump(instance, loaded_version: int | None = None, *, related=()) -> int:
    """Claim the next version of `instance`'s row, or raise StaleEdit.

    With `loaded_version`, only when the row still has it (the edit is based on what is
    stored); without, unconditionally (a write that must make open edit forms stale). Call it
    inside the service's transaction, before saving; `instance.version` is then the new
    version, so the save stores it (include "version" in `update_fields`). `related`: see
    changes_since.
    """
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk)
    if loaded_version is not None:
        rows = rows.filter(version=loaded_version)
    if not rows.update(version=F("version") + 1):
        raise stale_edit(instance, loaded_version, related=related)
    instance.version = current_version(instance)
    return instance.version


def claim(model, expected_version: int | None, **lookup):
    """The one record at `lookup` (a quarter of a project, a result of a year) for a form that
    creates or edits it: the stored one, locked, with its next version claimed (StaleEdit if it
    moved from `expected_version`); or a new, unsaved one when none is stored and the form was
    loaded with none (version 0). Such records start at version 1 (the model's default), so 0
    always means "nothing stored yet". Save a new one with `save_claimed`."""
    stored = model._default_manager.select_for_update().filter(**lookup).first()
    if stored is None:
        if expected_version:
            raise StaleEdit([], current_version=0, deleted=True)
        return model(**lookup)
    check_and_bump(stored, expected_version)
    return stored


def save_claimed(instance, expected_version: int | None, **lookup) -> None:
    """Save what `claim` returned; a concurrent first save of the same record is a stale edit."""
    if instance.pk is not None:
        instance.save()
        return
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        stored = type(instance)._default_manager.filter(**lookup).first()
        if stored is None:
            raise
        raise stale_edit(stored, expected_version if expected_version is not None else 0) from None


# --- forms -------------------------------------------------------------------------------------


class VersionField(forms.IntegerField):
    """The hidden field that carries the version an edit form was loaded with.

    Required: an edit posted without it is refused (NO_VERSION). A form that creates a record has
    no version to carry and drops the field; a form that creates or edits (a quarter's progress,
    a detail sheet) carries 0 for "nothing stored yet". A bound form with no version in its data
    shows its initial one, the version current when the form was built, so the page that reports
    the refusal is based on what is stored now.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", True)
        kwargs.setdefault("min_value", 0)
        messages = {"required": NO_VERSION, "invalid": NO_VERSION, "min_value": NO_VERSION,
                    "max_value": NO_VERSION}
        messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(error_messages=messages, **kwargs)

    def bound_data(self, data, initial):
        if data in self.empty_values:
            return initial
        return super().bound_data(data, initial)


def keep_input(form, error: StaleEdit, *, field: str = "version") -> None:
    """Show `error` above `form`, keep what the user typed, and load the current version."""
    form.add_error(None, error.messages)
    if error.current_version is not None and form.is_bound:
        data = form.data.copy()
        data[form.add_prefix(field)] = str(error.current_version)
        form.data = data


# --- the admin ---------------------------------------------------------------------------------


class VersionCheckedForm(forms.ModelForm):
    """The admin's form for a versioned model: the loaded version travels in a hidden field."""

    loaded_version = VersionField(required=False)  # checked in clean(), to report it above the form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("loaded_version", self.instance.version)

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk is not None and loaded is None and "loaded_version" not in self.errors:
            raise ValidationError(NO_VERSION, code="no_version")  # the page shows the current version
        if self.instance.pk is not None and loaded is not None and current_version(self.instance) != loaded:
            error = stale_edit(self.instance, loaded)
            if error.current_version is not None:
                data = self.data.copy()
                data[self.add_prefix("loaded_version")] = str(error.current_version)
                self.data = data
            raise error
        return cleaned


class VersionCheckedAdmin:
    """Mix into a ModelAdmin of a versioned model, before ModelAdmin: two admin edits (or an
    admin edit and a page edit) of the same record can't overwrite each other. The form reports
    the conflict; the conditional write in save_model closes the window between check and save.
    Inline rows of versioned models get their version bumped, so open page forms see the change."""

    form = VersionCheckedForm

    def save_model(self, request, obj, form, change):
        if change:
            check_and_bump(obj, form.cleaned_data.get("loaded_version"))
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if obj.pk is not None and hasattr(obj, "version"):
                check_and_bump(obj)
            obj.save()
        formset.save_m2m()

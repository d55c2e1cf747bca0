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
from django.db.models import F

from . import history

UNSAVED = ("ข้อมูลของท่านยังไม่ถูกบันทึก โปรดตรวจสอบแล้วบันทึกอีกครั้ง")


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
    parts = []
    for entry in entries:
        part = f"เมื่อ {entry.when_text} โดย {entry.who}"
        if entry.changes:
            part += f": {entry.summary}"
        parts.append(part)
    return f"มีผู้อื่นแก้ไขรายการนี้ไปแล้ว{'; '.join(parts)} {UNSAVED}"


def current_version(instance) -> int | None:
    model = type(instance)
    return model._base_manager.filter(pk=instance.pk).values_list("version", flat=True).first()


def changes_since(instance, loaded_version: int) -> list[history.Entry]:
    """The audit-trail entries of `instance` saved after `loaded_version`, oldest first."""
    records = history.object_history(instance).filter(version__gt=loaded_version)
    return list(reversed(history.trail(records, skip_unchanged=False, created_values=True)))


def stale_edit(instance, loaded_version: int | None) -> StaleEdit:
    now = current_version(instance)
    if now is None:
        return StaleEdit([], current_version=None, deleted=True)
    entries = changes_since(instance, loaded_version) if loaded_version is not None else []
    return StaleEdit(entries, current_version=now)


def check_and_bump(instance, loaded_version: int | None = None) -> int:
    """Claim the next version of `instance`'s row, or raise StaleEdit.

    With `loaded_version`, only when the row still has it (the edit is based on what is
    stored); without, unconditionally (a write that must make open edit forms stale). Call it
    inside the service's transaction, before saving; `instance.version` is then the new
    version, so the save stores it (include "version" in `update_fields`).
    """
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk)
    if loaded_version is not None:
        rows = rows.filter(version=loaded_version)
    if not rows.update(version=F("version") + 1):
        raise stale_edit(instance, loaded_version)
    instance.version = current_version(instance)
    return instance.version


# --- forms -------------------------------------------------------------------------------------


class VersionField(forms.IntegerField):
    """The hidden field that carries the version an edit form was loaded with."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


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

    loaded_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("loaded_version", self.instance.version)

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
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

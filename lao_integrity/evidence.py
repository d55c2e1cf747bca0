"""Evidence files attached to a progress record: checked, replaced, and never left behind.

Every app's progress row keeps at most one evidence file. A new upload replaces it; the file it
replaced is deleted from storage only once the transaction commits, so a rolled-back save still
finds the file its row names, and a committed one leaves no orphan in MEDIA_ROOT.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from .uploads import validate_document

FIELD = "evidence_file"


def validate_evidence(upload, *, field: str = FIELD) -> None:
    """The portal's one evidence check (content, size, extension), its Thai messages under `field`."""
    try:
        validate_document(upload)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def remove_files_on_commit(names, *, storage=None) -> None:
    """Delete stored files once the current transaction commits (nothing on rollback)."""
    names = [name for name in names if name]
    if not names:
        return
    if storage is None:
        from django.core.files.storage import default_storage as storage

    def remove():
        for name in names:
            storage.delete(name)
    transaction.on_commit(remove)


def replace_file(instance, upload=None, *, remove: bool = False, field: str = FIELD) -> None:
    """Put `upload` in the instance's file field, or empty it when `remove` (an upload wins).

    Call before saving: the file the row named until now is deleted after commit, if the saved
    row no longer names it (the new file's stored name is known only once saved).
    """
    if not upload and not remove:
        return
    current = getattr(instance, field)
    old, storage = (current.name if current else ""), current.storage
    setattr(instance, field, upload or None)
    if not old:
        return

    def remove_replaced():
        now = getattr(instance, field)
        if (now.name if now else "") != old:
            storage.delete(old)
    transaction.on_commit(remove_replaced)


class EvidenceFileField(forms.FileField):
    """A progress form's evidence file: optional, checked by content as the services check it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "ไฟล์หลักฐาน")
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            validate_document(upload)  # by content; the extension must agree
        return upload

"""Fields many records share, declared once for every app's models.

Each is declared exactly as the models had it (verbose name, default, on_delete, related name),
so adopting one changes no migration. Django lists an abstract parent's fields first, and the
audit trail and the admin's forms list fields in model order: the abstract models hold fields no
form edits and the trail does not show (version, timestamps), or that came first anyway (a
report's quarter); the functions below declare a field where the model puts it.

Thai nouns have no plural, so every model's Meta says `verbose_name = verbose_name_plural = ...`
(Django would otherwise add an "s").
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from lao_integrity.fields import validate_fiscal_year


class Versioned(models.Model):
    """A record edit forms change: `concurrency.check_and_bump` checks and raises its version."""

    version = models.PositiveIntegerField("รุ่นของข้อมูล", default=0, editable=False)

    class Meta:
        abstract = True


class VersionedFromOne(Versioned):
    """A record a form creates on its first save (a quarter's progress, a year's result): it
    starts at 1, since the form carries 0 for "nothing stored yet" (concurrency.claim)."""

    version = models.PositiveIntegerField("รุ่นของข้อมูล", default=1, editable=False)

    class Meta:
        abstract = True


class Timestamped(models.Model):
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)

    class Meta:
        abstract = True


class QuarterReport(VersionedFromOne):
    """One quarter's report on something planned (a project, a measure, an indicator)."""

    quarter = models.PositiveSmallIntegerField("ไตรมาส", validators=[MinValueValidator(1), MaxValueValidator(4)])
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)

    class Meta:
        abstract = True


def organisation(related_name: str) -> models.ForeignKey:
    """The อปท. a record belongs to; PROTECT: an organisation with records is never deleted."""
    return models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name=related_name,
                             verbose_name="อปท.")


def fiscal_year(verbose_name: str = "ปีงบประมาณ (พ.ศ.)", **options) -> models.PositiveSmallIntegerField:
    """A B.E. fiscal year within the portal's bounds (fields.validate_fiscal_year)."""
    return models.PositiveSmallIntegerField(verbose_name, validators=[validate_fiscal_year], **options)


def acting_user(verbose_name: str, *, blank: bool = True) -> models.ForeignKey:
    """Who did something to the record (created, approved, signed, last saved it). PROTECT: who
    acted is part of the record; such a user is deactivated, never deleted (the admin offers that)."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=blank,
                             related_name="+", verbose_name=verbose_name)


def numbered(parent: str, number: str, *, name: str, also: tuple = ()) -> tuple[list, list]:
    """A Meta's `ordering, constraints` for a record numbered within its parent (a topic's items, a
    plan's versions, an indicator's quarters): listed by that number, which is unique in the parent
    (the constraint `name`, as the migrations record it), followed by the model's `also` constraints."""
    return [parent, number], [models.UniqueConstraint(fields=[parent, number], name=name), *also]

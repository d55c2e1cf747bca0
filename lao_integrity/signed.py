"""Records frozen once signed: one guard on every write path Django offers.

A signed announcement or performance agreement is a signed document. Its model inherits
`SignedRecord` and says in `frozen` (a `Freeze`) which statuses close a row and which fields
are still written after each, e.g. nothing on a signed announcement:

    frozen = Freeze(SignedAnnouncementError, open={Status.SIGNED: ()})

The status is the row's own column, or its parent's (`status="agreement__status"`: an
indicator closes with its agreement). Every write path meets the same rule: `save()` and
`delete()`, the queryset's `update()` (so `bulk_update` and `check_and_bump` too) and
`delete()`, the base manager (the models' Meta inherits `base_manager_name`) and loaddata's raw
saves. A row that is not stored yet may always be inserted raw (a restore into an empty
database). Below the ORM, PostgreSQL triggers hold the same rule: `Trigger` builds their SQL for
the migrations that add them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import migrations, models
from django.db.models.signals import pre_save
from django.dispatch import receiver

# What a deletion writes, for the rule: the key, which no status leaves open.
DELETION = frozenset({"pk"})


@dataclass(frozen=True)
class Freeze:
    """What closes a model's rows and what stays open.

    `error`: the ValidationError class raised, called without arguments. `open`: each closing
    status and the fields still written in it. `status`: the path to the deciding status.
    `bulk_open`: when given, a queryset update writes only these on a closed row (whatever its
    status leaves open: evaluation, say, goes through save(), one row at a time).
    `compare_saves`: save() is refused only when it changes a closed field's value (else whenever
    it writes one). `compare_raw`: the same for loaddata over a stored row.
    A closed row's own status never goes back to an open one.
    """

    error: type[Exception]
    open: Mapping[str, Iterable[str]]
    status: str = "status"
    bulk_open: Iterable[str] | None = None
    compare_saves: bool = False
    compare_raw: bool = True
    _open: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_open", {status: frozenset(names) for status, names in self.open.items()})

    @property
    def parent(self) -> str:
        """The foreign key the status is read through; "" for the row's own status."""
        return self.status.rpartition("__")[0]

    def refuses(self, statuses: Iterable[str], written: Iterable[str], new_status=None) -> bool:
        written = set(written)
        closed = [status for status in statuses if status in self._open]
        if any(not written <= self._open[status] for status in closed):
            return True
        # Nothing reopens a closed row (a signed agreement may be evaluated, never a draft again).
        return bool(closed) and not self.parent and self.status in written and new_status not in self._open

    def refuse_bulk(self, queryset: models.QuerySet, fields: Iterable[str]) -> None:
        fields = set(fields)
        limit = None if self.bulk_open is None else frozenset(self.bulk_open)
        refusing = [status for status, names in self._open.items()
                    if not fields <= (names if limit is None else names & limit)]
        if refusing and queryset.filter(**{f"{self.status}__in": refusing}).exists():
            raise self.error()


class SignedQuerySet(models.QuerySet):
    # Queryset writes bypass save(); they meet the model's Freeze here.
    def update(self, **kwargs):
        self.model.frozen.refuse_bulk(self, kwargs)
        return super().update(**kwargs)

    def delete(self):
        self.model.frozen.refuse_bulk(self, DELETION)
        return super().delete()


class SignedRecord(models.Model):
    """A model whose rows freeze once signed (see the module's docstring); set `frozen`."""

    frozen: Freeze

    objects = SignedQuerySet.as_manager()

    class Meta:
        abstract = True
        # `_base_manager.update()` meets the guard too (save() itself calls _update, not update).
        base_manager_name = "objects"

    def save(self, *args, **kwargs):
        if self.frozen_write(kwargs.get("update_fields"), compare=self.frozen.compare_saves):
            raise self.frozen.error()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.frozen.refuses(self.stored_statuses(), DELETION):
            raise self.frozen.error()
        return super().delete(*args, **kwargs)

    def frozen_write(self, update_fields=None, *, compare: bool) -> bool:
        """Whether saving the `update_fields` (all when None) writes what a closed row froze:
        any of them, or with `compare` only those whose value differs from the stored row's
        (and then a row not stored yet is never refused)."""
        fields = [f for f in self._meta.concrete_fields if not f.primary_key
                  and (update_fields is None or f.name in update_fields or f.attname in update_fields)]
        status = self.frozen.status
        if not compare:
            written = {f.name for f in fields}
            return self.frozen.refuses(self.stored_statuses(), written, getattr(self, status, None))
        columns = {f.attname for f in fields} | ({status} if not self.frozen.parent else set())
        stored = (type(self)._base_manager.filter(pk=self.pk).values(*sorted(columns)).first()
                  if self.pk is not None else None)
        if stored is None:
            return False
        written = {f.name for f in fields if stored[f.attname] != getattr(self, f.attname)}
        statuses = self.stored_statuses() if self.frozen.parent else [stored[status]]
        return self.frozen.refuses(statuses, written, getattr(self, status, None))

    def stored_statuses(self) -> list[str]:
        """The stored status that decides: the row's own, or its parent's, both the parent it is
        saved into and the one it is stored under now (the same one, almost always)."""
        model = type(self)
        parent = self.frozen.parent
        if not parent:
            if self.pk is None:
                return []
            return list(model._base_manager.filter(pk=self.pk).values_list(self.frozen.status, flat=True)[:1])
        key = self._meta.get_field(parent)
        query = models.Q(pk=getattr(self, key.attname))
        if self.pk is not None:
            query |= models.Q(pk__in=model._base_manager.filter(pk=self.pk).values(key.attname))
        return list(key.related_model._base_manager.filter(query)
                    .values_list(self.frozen.status.rpartition("__")[2], flat=True))


@receiver(pre_save, dispatch_uid="lao_integrity.signed.refuse_raw_write")
def refuse_raw_write(sender, instance, raw=False, **kwargs):
    """loaddata saves with raw=True through save_base(), past the model's save(): the same rule."""
    if raw and isinstance(instance, SignedRecord) and instance.frozen_write(compare=instance.frozen.compare_raw):
        raise instance.frozen.error()


# --- PostgreSQL triggers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    """A BEFORE UPDATE OR DELETE row trigger on `table` running the PL/pgSQL `body`, with the
    variables `declare` ("open_columns text[]"); the function and the trigger are both `name`."""

    name: str
    table: str
    body: str
    declare: tuple[str, ...] = ()

    @property
    def create_sql(self) -> str:
        declare = "".join(f"    {variable};\n" for variable in self.declare)
        if declare:
            declare = f"DECLARE\n{declare}"
        return (f"CREATE OR REPLACE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"{declare}BEGIN\n{self.body}END\n$$;\n"
                f"DROP TRIGGER IF EXISTS {self.name} ON {self.table};\n"
                f"CREATE TRIGGER {self.name} BEFORE UPDATE OR DELETE ON {self.table}\n"
                f"    FOR EACH ROW EXECUTE FUNCTION {self.name}();\n")

    @property
    def drop_sql(self) -> str:
        return f"DROP TRIGGER IF EXISTS {self.name} ON {self.table};\nDROP FUNCTION IF EXISTS {self.name}();\n"


def create_triggers(*triggers: Trigger) -> migrations.RunPython:
    """The migration operation that creates `triggers` on PostgreSQL (other databases have the
    model guards only) and drops them, last first, when migrating back."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for trigger in triggers:
                schema_editor.execute(trigger.create_sql, None)  # None: the % in RAISE are not parameters

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for trigger in reversed(triggers):
                schema_editor.execute(trigger.drop_sql, None)

    return migrations.RunPython(create, drop, elidable=False)

"""What each app says about its data: which organisation a row of each of its models belongs to.

An app whose tables pages show declares, on its AppConfig,

    organisation_paths = {"Plan": "organisation", "Project": "plan__organisation", "Framework": None}

one entry per model: the ORM path from a row to the organisation it belongs to ("pk" for the
organisation itself), or None for data of no one organisation (a national framework). The page
cache reads nothing else about the domain: the tables it watches, which writes inside a service's
organisation scope count for that organisation alone, the organisation a record belongs to. An
audit-trail (historical) or many-to-many table counts as the model it records. Django's own
auth tables are declared here: who may see what lives there, and a user serves every
organisation they belong to, so none of its rows is one organisation's.

`manage.py check` (pagecache.E001-E003) refuses an app with a model it does not declare and a
path that does not lead to an organisation.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

ATTRIBUTE = "organisation_paths"
# Apps whose AppConfig the portal does not write: every model national.
NATIONAL_APPS = ("auth",)
ORGANISATION = "orgs.Organisation"


class Table(NamedTuple):
    app: str  # the app label: its pages' counters are named after it
    per_organisation: bool  # rows of one organisation (else national: a write refreshes every organisation)


def _declared(config) -> dict[str, str | None] | None:
    if config.label in NATIONAL_APPS:
        return {model.__name__: None for model in config.get_models()}
    return getattr(config, ATTRIBUTE, None)


@functools.cache
def tracked_apps() -> tuple[str, ...]:
    """The labels of the apps whose data pages show, in the order Django lists them."""
    return tuple(config.label for config in apps.get_app_configs() if _declared(config) is not None)


def _recorded(model):
    """The model a historical or auto-created many-to-many model records rows of."""
    if getattr(model, "instance_type", None) is not None:  # django-simple-history's audit trail
        return model.instance_type
    if model._meta.auto_created:  # the through table of a ManyToManyField
        return model._meta.auto_created
    return model


def path_of(model) -> str | None:
    """The declared path from a row of `model` to its organisation (None: national data).
    LookupError for a model its app does not declare."""
    model = _recorded(model)
    declared = _declared(apps.get_app_config(model._meta.app_label)) or {}
    if model.__name__ not in declared:
        raise LookupError(f"{model._meta.label}: its app does not declare how its rows reach an organisation "
                          f"({ATTRIBUTE} on its AppConfig, lao_integrity/pagecache/declarations.py)")
    return declared[model.__name__]


@functools.cache
def tables() -> dict[str, Table]:
    """db_table -> Table, for every table (audit trail and many-to-many included) of the tracked apps."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in tracked_apps():
            try:
                per_organisation = path_of(model) is not None
            except LookupError:  # refused by the check; until declared, the safe reading
                per_organisation = False
            found[model._meta.db_table] = Table(model._meta.app_label, per_organisation)
    return found


def organisation_id_of(record) -> int | None:
    """The id of the organisation `record` belongs to, by its model's declared path (None for no
    record, national data or a row of no organisation). Follows the record's loaded relations."""
    if record is None:
        return None
    path = path_of(type(record))
    if path is None:
        return None
    *links, last = path.split("__")
    for link in links:
        record = getattr(record, link)
        if record is None:
            return None
    if last == "pk":
        return record.pk
    return getattr(record, record._meta.get_field(last).attname)


def _walk(model, path: str):
    """The model `path` ends at, or an error message."""
    for part in path.split("__"):
        if part == "pk":
            continue
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return f"{model._meta.label} has no field {part!r}"
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            return f"{model._meta.label}.{part} is not a foreign key"
        model = field.related_model
    return model


@checks.register()
def check_declarations(app_configs=None, **kwargs):
    errors = []
    organisation = apps.get_model(ORGANISATION)
    for config in apps.get_app_configs():
        declared = _declared(config)
        if declared is None or (app_configs is not None and config not in app_configs):
            continue
        names = {model.__name__ for model in config.get_models() if _recorded(model) is model}
        for name in sorted(names - set(declared)):
            errors.append(checks.Error(
                f"{config.label}.{name} does not say how its rows reach an organisation",
                hint=f'Add "{name}" to {ATTRIBUTE} on {type(config).__name__}: a path such as "plan__organisation", '
                     "or None for national data.", id="pagecache.E001"))
        for name in sorted(set(declared) - names):
            errors.append(checks.Error(f"{config.label}.{ATTRIBUTE} names {name!r}, which is not one of its models",
                                       id="pagecache.E002"))
        for name in sorted(names & set(declared)):
            if declared[name] is None:
                continue
            end = _walk(config.get_model(name), declared[name])
            if end is not organisation:
                errors.append(checks.Error(
                    f"{config.label}.{name}: {declared[name]!r} does not lead to an organisation"
                    + (f" ({end})" if isinstance(end, str) else f" but to {end._meta.label}"), id="pagecache.E003"))
    return errors

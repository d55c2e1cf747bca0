"""The fields many records share come from the kernel (lao_integrity/records.py), declared as
the models had them: `makemigrations --check` (make lint) proves the definitions unchanged."""

from django.apps import apps
from django.db import models

from lao_integrity.records import QuarterReport, Versioned, VersionedFromOne, numbered

# Every app of the project: the kernel's and the domain apps (not Django's nor third parties').
PROJECT_APPS = {config.label for config in apps.get_app_configs()
                if config.name.split(".")[0] in ("lao_integrity", "plans", "ita", "agreements", "lpa")}


def project_models():
    return [model for model in apps.get_models() if model._meta.app_label in PROJECT_APPS
            and not model.__name__.startswith("Historical")]


def test_every_versioned_record_takes_its_version_from_the_kernel():
    versioned = [model for model in project_models() if any(f.name == "version" for f in model._meta.fields)]
    assert len(versioned) >= 15
    assert all(issubclass(model, Versioned) for model in versioned), versioned
    # Records a form creates on its first save start at 1: 0 means "nothing stored yet".
    from_one = {model.__name__ for model in versioned if issubclass(model, VersionedFromOne)}
    assert from_one == {"Result", "ProjectProgress", "MeasureProgress", "IndicatorProgress", "OitAnswer", "BonusScore"}
    assert all(model._meta.get_field("version").default == (1 if model.__name__ in from_one else 0)
               for model in versioned)


def test_every_quarter_s_report_is_one_kind_of_record():
    reports = {model.__name__ for model in project_models() if issubclass(model, QuarterReport)}
    assert reports == {"ProjectProgress", "MeasureProgress", "IndicatorProgress"}
    for name in reports:
        model = next(m for m in project_models() if m.__name__ == name)
        # The quarter is still the first field the trail shows (relations and bookkeeping aside).
        shown = [f.name for f in model._meta.concrete_fields
                 if f.editable and not f.is_relation and not f.primary_key]
        assert shown[0] == "quarter"


def test_a_numbered_record_is_listed_by_the_number_its_parent_holds_once():
    check = models.CheckConstraint(condition=models.Q(order__gte=0), name="row_order_not_negative")
    ordering, constraints = numbered("sheet", "order", name="row_unique_order", also=(check,))
    assert ordering == ["sheet", "order"]  # a list, as the migrations record it: a tuple would differ
    assert constraints == [models.UniqueConstraint(fields=["sheet", "order"], name="row_unique_order"), check]


def test_every_model_names_itself_the_same_in_the_plural():
    # Thai nouns have no plural: a list page's title is the record's name, never "...s".
    assert all(model._meta.verbose_name_plural == model._meta.verbose_name for model in project_models()
               if "verbose_name" in model._meta.original_attrs)

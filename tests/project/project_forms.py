"""Every form of the project, found (not listed): every module of the project's apps is imported and
every form class in them collected, with the admin's forms for every registered model."""

import importlib
import pkgutil
import re
from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

BASE_DIR = Path(settings.BASE_DIR).resolve()


# Latin words a Thai user is expected to read: file formats and names of standards. Codes with
# digits (O29, ISO9001) and web addresses are allowed without listing.
ALLOWED_LATIN = {"ITA", "OIT", "IIT", "EIT", "LPA", "PDF", "csv", "CSV", "xlsx", "URL", "PNG", "JPEG", "MB", "KB"}
_ADDRESS_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_LATIN_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def latin_words(text: str) -> list[str]:
    text = _ADDRESS_RE.sub(" ", text)
    return [w for w in _LATIN_TOKEN_RE.findall(text) if w not in ALLOWED_LATIN and not re.search(r"\d", w)]


# --- finding every form ----------------------------------------------------------------------


def project_apps():
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(BASE_DIR) and ".venv" not in path.parts:
            yield config


def _project_modules() -> list[str]:
    names = []
    for config in project_apps():
        names.append(config.name)
        for info in pkgutil.walk_packages([config.path], config.name + "."):
            if ".migrations" in info.name or ".tests" in info.name:
                continue
            names.append(info.name)
    return names


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(username="root", is_superuser=True, is_staff=True, is_active=True)
    return request


def project_forms() -> list[tuple[str, forms.BaseForm | type]]:
    """(name, form) for every form class of the project and every admin form, instantiated when
    the form needs no arguments (so fields added in __init__ count too)."""
    prefixes = set()
    for module in _project_modules():
        importlib.import_module(module)
        prefixes.add(module.split(".")[0])
    found = []
    for cls in set(_subclasses(forms.BaseForm)):
        if cls.__module__.split(".")[0] not in prefixes:
            continue
        if isinstance(getattr(cls, "_meta", None), forms.models.ModelFormOptions) and cls._meta.model is None:
            continue  # an abstract base such as VersionCheckedForm: its admin subclasses are walked below
        try:
            form = cls()
        except Exception:  # needs the organisation, plan, framework...: its declared fields
            form = cls
        found.append((f"{cls.__module__}.{cls.__qualname__}", form))
    request = _superuser_request()
    for model, model_admin in admin.site._registry.items():
        label = f"admin {model._meta.label}"
        form_class = model_admin.get_form(request)
        found.append((label, form_class))
        if model_admin.list_editable:
            found.append((f"{label} (list)", model_admin.get_changelist_form(request)))
        for inline in model_admin.get_inline_instances(request):
            found.append((f"{label} inline {inline.model._meta.label}", inline.get_formset(request).form))
    return sorted(found, key=lambda item: item[0])


def form_fields(form) -> dict:
    return form.fields if isinstance(form, forms.BaseForm) else form.base_fields


def form_model(form):
    meta = getattr(form, "_meta", None)
    return getattr(meta, "model", None)

"""Every message a user can see is Thai: every form's messages, the validators', the compiled catalogue,
the admin's import and export pages.

The forms are found, not listed (tests/project/project_forms.py): every module of the project's apps is
imported and every form class defined in them is walked, with the admin's forms for every registered model."""

import gettext
import html
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from import_export.mixins import BaseExportMixin

from lao_integrity.admin_site import TableImportAdmin
from tests.project.project_forms import form_fields, form_model, latin_words

BASE_DIR = Path(settings.BASE_DIR).resolve()


# Latin words a Thai user is expected to read: file formats and names of standards. Codes with
# digits (O29, ISO9001) and web addresses are allowed without listing.
ALLOWED_LATIN = {"ITA", "OIT", "IIT", "EIT", "PDF", "csv", "CSV", "xlsx", "URL", "PNG", "JPEG", "MB", "KB"}
_ADDRESS_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_LATIN_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")


class _SampleParams(dict):
    """Any %(name)s a message asks for, as a number (what Django fills in: limits, lengths)."""

    def __missing__(self, key):
        return 5


def rendered(message) -> str:
    text = str(message)
    try:
        return text % _SampleParams()
    except (TypeError, ValueError, KeyError):
        try:
            return text % 5  # "%d" / "%s" without a name
        except (TypeError, ValueError):
            return text


# --- messages ------------------------------------------------------------------------------------


def field_messages(field) -> list[tuple[str, str]]:
    messages = [(key, rendered(message)) for key, message in field.error_messages.items()]
    for validator in field.validators:
        for attr in ("message", "messages"):
            value = getattr(validator, attr, None)
            if isinstance(value, dict):
                messages += [(type(validator).__name__, rendered(m)) for m in value.values()]
            elif value is not None:
                messages.append((type(validator).__name__, rendered(value)))
    return messages


def model_messages(model) -> list[tuple[str, str]]:
    """What model validation (ModelForm._post_clean) says: each field's messages, unique checks."""
    messages = []
    for field in model._meta.concrete_fields:
        messages += [(f"{field.name}.{key}", rendered(m)) for key, m in field.error_messages.items()]
        for validator in field.validators:
            if getattr(validator, "message", None) is not None:
                messages.append((f"{field.name}.{type(validator).__name__}", rendered(validator.message)))
    instance = model()
    unique_sets = [tuple(fields) for fields in model._meta.unique_together]
    unique_sets += [tuple(c.fields) for c in model._meta.total_unique_constraints if c.fields]
    for fields in unique_sets:
        error = instance.unique_error_message(model, fields)
        messages.append(("unique " + ",".join(fields), rendered(error.message) % error.params))
    return messages


def test_every_form_message_is_thai(every_form):
    english = set()
    with translation.override("th"):
        seen_models = set()
        for name, form in every_form:
            for field_name, field in form_fields(form).items():
                for key, text in field_messages(field):
                    if latin_words(text):
                        english.add(f"{name}.{field_name} [{key}]: {text}")
            model = form_model(form)
            if model is not None and model not in seen_models:
                seen_models.add(model)
                for key, text in model_messages(model):
                    if latin_words(text):
                        english.add(f"{model._meta.label} [{key}]: {text}")
    assert not english, "English in messages users see:\n" + "\n".join(sorted(english))


def test_the_validator_messages_the_audit_saw_are_thai():
    from django.core.exceptions import ValidationError

    field = forms.DecimalField(max_digits=14, decimal_places=2)
    with translation.override("th"):
        with pytest.raises(ValidationError) as raised:
            field.clean("123456789012345")
        assert raised.value.messages == ["ตัวเลขต้องมีรวมกันไม่เกิน 14 หลัก"]
        assert not latin_words(rendered(forms.IntegerField().error_messages["invalid"]))


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogue_matches_its_source(domain):
    """The .mo is committed (no gettext needed to run); it must say what the .po says."""
    locale = BASE_DIR / "locale" / "th" / "LC_MESSAGES"
    assert (BASE_DIR / "locale") in [Path(p) for p in settings.LOCALE_PATHS]
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed")
    fresh = subprocess.run([msgfmt, "-o", "-", str(locale / f"{domain}.po")], capture_output=True, check=True).stdout
    committed = gettext.GNUTranslations(open(locale / f"{domain}.mo", "rb"))._catalog
    compiled = gettext.GNUTranslations(io.BytesIO(fresh))._catalog
    assert committed == compiled, f"run: msgfmt -o locale/th/LC_MESSAGES/{domain}.mo locale/th/LC_MESSAGES/{domain}.po"


def test_every_admin_list_column_is_thai():
    """Every column heading of every admin list (a field's verbose name, a method's description),
    found, not listed: a field without a Thai name shows its English attribute ("PLAN")."""
    from django.contrib.admin.utils import label_for_field

    english = []
    with translation.override("th"):
        for model, model_admin in admin.site._registry.items():
            for name in model_admin.list_display:
                if name in ("action_checkbox", "__str__"):
                    continue
                label = str(label_for_field(name, model, model_admin))
                if latin_words(label):
                    english.append((model._meta.label, name, label))
    assert not english


def test_the_admin_selection_count_is_thai(admin_client):
    """The admin's script writes "0 of 31 selected" beside its actions; Django's Thai catalogue
    leaves "selected" English, the project's (locale/th/LC_MESSAGES/djangojs.po) says it in Thai."""
    import json

    text = admin_client.get(reverse("admin:jsi18n")).content.decode()
    # The catalogue is written as JSON: Thai letters as \\u escapes.
    assert f'"%(sel)s of %(cnt)s selected": [\n      {json.dumps("เลือกแล้ว %(sel)s จาก %(cnt)s รายการ")}' in text


# --- the admin's import and export pages ---------------------------------------------------------

_HIDDEN_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_BUTTON_RE = re.compile(r"<input\b[^>]*\btype=\"(?:submit|button)\"[^>]*\bvalue=\"([^\"]*)\"", re.I)
_ATTR_TEXT_RE = re.compile(r"\b(?:placeholder|title|aria-label)=\"([^\"]*)\"", re.I)
_TAG_RE = re.compile(r"<[^>]+>")


def visible_text(page: str) -> str:
    page = _HIDDEN_RE.sub(" ", page)
    shown = _BUTTON_RE.findall(page) + _ATTR_TEXT_RE.findall(page)
    return html.unescape(" ".join([_TAG_RE.sub(" ", page), *shown]))


def _import_export_pages():
    pages = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        for mixin, name in ((TableImportAdmin, "import"), (BaseExportMixin, "export")):
            if isinstance(model_admin, mixin):
                try:
                    pages.append(reverse(f"admin:{info[0]}_{info[1]}_{name}"))
                except NoReverseMatch:
                    continue
    return pages


def _machine_names() -> set[str]:
    """Model field names, which django-import-export lists on its pages when a resource has no
    header of its own; what a superuser reads there is the column as the file spells it."""
    names = set()
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            names.add(field.name)
            names.update(field.name.split("_"))
            if getattr(field, "attname", None):
                names.add(field.attname)
    return names


@pytest.mark.django_db
def test_admin_import_and_export_pages_are_thai(admin_client):
    pages = _import_export_pages()
    assert len(pages) >= 5
    # The site's name and the signed-in user's name in the header.
    allowed = _machine_names() | {"lao", "integrity", get_user_model().objects.get(is_superuser=True).username}
    english = {}
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        words = [w for w in latin_words(visible_text(response.content.decode())) if w not in allowed]
        if words:
            english[url] = sorted(set(words))
    assert not english, f"English on the admin's import/export pages: {english}"


@pytest.mark.django_db
def test_admin_import_result_and_its_errors_are_thai(admin_client):
    """The step after the upload: what was imported, or the rows refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lao_integrity.orgs.resources import HEADERS
    from lao_integrity.tabular import write_table

    url = reverse("admin:orgs_organisation_import")
    allowed = _machine_names() | {"lao", "integrity", "admin"}
    for rows, expected in (
        ([["5299801", "อบต.", "บ้านทดสอบนำเข้า", "งาว", "ลำปาง"]], "นำเข้า อปท. 1 รายการ"),
        ([["5299801", "ไม่มีประเภทนี้", "บ้านทดสอบนำเข้า", "งาว", "ลำปาง"]], "บรรทัดที่ 2"),
    ):
        upload = SimpleUploadedFile("orgs.csv", write_table(HEADERS, rows, "csv"), content_type="text/csv")
        response = admin_client.post(url, {"file": upload}, follow=True)
        # Imported: the list (Django's own page) with the import's message; refused: the import page.
        said = [str(m) for m in response.context["messages"]] if response.redirect_chain else []
        page = "\n".join(said) if said else visible_text(response.content.decode())
        assert response.status_code == 200 and expected in page
        words = [w for w in latin_words(page) if w not in allowed]
        assert not words, f"English on the admin's import result: {sorted(set(words))}"

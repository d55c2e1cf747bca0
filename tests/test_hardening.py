"""Hardening found by the outside audit (issue 13): formulas in exports, NUL characters in requests,
caching of signed-in responses, ITA export jobs after a loss of access, tracebacks of 500s.

The URL walks reuse the access matrix's table (tests/test_access_matrix.py): every routed URL,
built with a demo object, so a new view is covered the moment it is routed.
"""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse
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
        if hasattr(response, "close"):
            response.close()
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
    response.close()

"""Login and transport security: throttling, passwords, sessions, CSRF, headers, CSP, deploy checks,
and the auditor's province scope. Who may open which page is tested in tests/project/test_access_matrix.py."""

import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from ita.models import Result
from lao_integrity.orgs import access
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import AuditorScope, Organisation, Role
from lao_integrity.orgs.services import auditor_scope_set, membership_grant
from lao_integrity.security import csp_hash
from plans import services as plan_services

BASE_DIR = Path(settings.BASE_DIR)
STAFF_PASSWORD = "staff-demo-2569"  # the demo's, see lao_integrity/orgs/demo.py
LOCKED_TEXT = "ระงับการเข้าสู่ระบบชั่วคราว"
BAN_HAENG, MAE_SAI = "5205401", "5570701"


def log_in(client: Client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- throttling (django-axes) ---------------------------------------------------------------


def test_five_failures_lock_the_account_out_for_that_address_even_with_the_right_password(seeded):
    client = Client(REMOTE_ADDR="10.0.0.5")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "staff", "not-the-password")
        assert response.status_code == 200 and "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    response = log_in(client, "staff", "not-the-password")
    assert response.status_code == 429
    response = log_in(client, "staff", STAFF_PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_TEXT in page and "5 ครั้ง" in page and "30 นาที" in page
    assert not logged_in(client)
    # The lock is per username and address: the same user elsewhere still gets in...
    other_address = Client(REMOTE_ADDR="10.0.0.6")
    assert log_in(other_address, "staff", STAFF_PASSWORD).status_code == 302 and logged_in(other_address)
    # ...and a forged X-Forwarded-For does not make the locked address look like another one.
    spoofed = Client(REMOTE_ADDR="10.0.0.5")
    assert log_in(spoofed, "staff", STAFF_PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_the_lock_ends_after_the_cool_off(seeded):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "staff", "not-the-password")
    assert log_in(client, "staff", STAFF_PASSWORD).status_code == 429
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
    # 31 minutes later (moved back in the record rather than waited for).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    response = log_in(client, "staff", STAFF_PASSWORD)
    assert response.status_code == 302 and logged_in(client)
    assert not AccessAttempt.objects.filter(username="staff").exists()  # success resets the count


def test_spelling_variants_of_a_username_share_one_failure_count(seeded):
    client = Client(REMOTE_ADDR="10.0.0.8")
    # Django signs " staff " and the full-width "ｓｔａｆｆ" in as "staff": they count against it too.
    for variant in ["staff", " staff", "staff ", "ｓｔａｆｆ", "\tstaff"]:
        log_in(client, variant, "not-the-password")
    assert log_in(client, "staff", STAFF_PASSWORD).status_code == 429


def test_unknown_usernames_are_locked_the_same_way(seeded):
    """The lockout page must not tell an attacker which usernames exist."""
    client = Client(REMOTE_ADDR="10.0.0.9")
    statuses = [log_in(client, "no-such-user", "x").status_code for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429, 429]


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_the_proxy_appended_is_the_one_counted(seeded):
    # The client forges the first entry; the proxy appends the real one (10.0.1.1).
    forged = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 10.0.1.1", "REMOTE_ADDR": "127.0.0.1"}
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "staff", "not-the-password", **forged)
    assert log_in(client, "staff", STAFF_PASSWORD, HTTP_X_FORWARDED_FOR="5.6.7.8, 10.0.1.1").status_code == 429
    # Another real client behind the same proxy is not locked out.
    response = log_in(Client(), "staff", STAFF_PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.1.2")
    assert response.status_code == 302


# --- the login itself -------------------------------------------------------------------------


def test_login_does_not_redirect_off_site_and_rotates_the_session(seeded):
    client = Client()
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    response = client.post(reverse("login") + "?next=https://evil.example/",
                           {"username": "staff", "password": STAFF_PASSWORD, "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session.session_key != before  # no session fixation
    assert client.get(reverse("logout")).status_code == 405  # logging out takes a POST (with CSRF token)


def test_sessions_last_a_working_day_and_end_with_the_browser(seeded):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    client = Client()
    response = log_in(client, "staff", STAFF_PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() <= 8 * 60 * 60
    assert client.get(reverse("plans:list")).status_code == 200
    # Once the session has expired on the server, the next page asks for a login again.
    Session.objects.filter(pk=client.session.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("plans:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("password", ["short-1", "password123", "1234567890123", "staff-maesai-1"])
def test_weak_passwords_are_refused(seeded, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=seeded.other_staff)


def test_a_long_uncommon_password_is_accepted(seeded):
    validate_password("ลำปาง-งาว-ITA-ปี2569!", user=seeded.staff)
    assert any(v["NAME"].endswith("MinimumLengthValidator") and v["OPTIONS"]["min_length"] == 10
               for v in settings.AUTH_PASSWORD_VALIDATORS)


# --- CSRF ------------------------------------------------------------------------------------


def test_a_write_without_the_csrf_token_is_refused(seeded):
    client = Client(enforce_csrf_checks=True)
    client.force_login(seeded.staff)
    url = reverse("plans:settings", args=[seeded.plan.pk])
    issuer_before = seeded.plan.issuer_id
    assert client.post(url, {"data_as_of": "2026-01-01"}).status_code == 403
    assert client.post(reverse("plans:approve", args=[seeded.plan.pk])).status_code == 403
    seeded.plan.refresh_from_db()
    assert seeded.plan.issuer_id == issuer_before
    # With the token the same form goes through to the view (a form with errors, not a 403).
    client.get(url)
    response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code in (200, 302)
    # A token replayed from another origin is refused too.
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": client.cookies["csrftoken"].value},
                           HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403


def test_the_login_form_needs_the_csrf_token_too(seeded):
    assert Client(enforce_csrf_checks=True).post(
        reverse("login"), {"username": "staff", "password": STAFF_PASSWORD}).status_code == 403


def _template_files():
    roots = [BASE_DIR / "templates", *sorted(BASE_DIR.glob("*/templates")), *sorted(BASE_DIR.glob("*/*/templates"))]
    return [p for root in roots if root.is_dir() for p in sorted(root.rglob("*.html"))]


def test_every_post_form_in_the_templates_carries_the_csrf_token():
    missing = []
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<form\b([^>]*)>(.*?)</form>", text, re.S | re.I):
            # {% form_tokens %} renders the CSRF token with the one-time submission token.
            if (re.search(r"method\s*=\s*[\"']?post", match.group(1), re.I)
                    and "{% form_tokens %}" not in match.group(2)):
                missing.append(f"{path.relative_to(BASE_DIR)}: {match.group(0)[:80]}")
    assert not missing, missing


# --- headers and the Content-Security-Policy --------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_carry_the_security_headers_and_csp(seeded, signed_in):
    client = Client()
    if signed_in:
        client.force_login(seeded.staff)
    response = client.get(reverse("plans:detail", args=[seeded.plan.pk]) if signed_in else reverse("login"))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = _directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert sorted(csp["img-src"]) == ["'self'", "data:"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert all(s == "'self'" or s == "'unsafe-hashes'" or s.startswith("'sha256-") for s in csp["script-src"])


def test_document_previews_and_the_admin_carry_the_csp(seeded):
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    for url in [reverse("plans:document", args=[seeded.plan.pk, "announcement"]) + "?preview=1",
                reverse("admin:index")]:
        response = client.get(url)
        assert response.status_code == 200
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_every_inline_script_in_the_templates_is_allowed_by_the_csp():
    """A new onclick="..." or inline <script> must be added to CSP_INLINE_EVENT_HANDLERS (or, better,
    moved into a static file): otherwise browsers silently ignore it under the policy."""
    allowed = set(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"])
    problems = []
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(BASE_DIR)
        for match in re.finditer(r"\son[a-z]+\s*=\s*\"([^\"]*)\"", text):
            if "{{" in match.group(1) or "{%" in match.group(1):
                problems.append(f"{name}: handler built from template variables: {match.group(0)}")
            elif csp_hash(match.group(1)) not in allowed:
                problems.append(f"{name}: {match.group(0)} (add it to CSP_INLINE_EVENT_HANDLERS)")
        for match in re.finditer(r"<script\b([^>]*)>", text, re.I):
            if "src=" not in match.group(1):
                problems.append(f"{name}: inline <script> (move it to a static .js file)")
        if "javascript:" in text:
            problems.append(f"{name}: javascript: URL")
    assert not problems, "\n".join(problems)


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
                   SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True)
def test_behind_the_https_proxy_plain_http_is_redirected_and_https_gets_hsts(seeded):
    client = Client()
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    response = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_requests_for_other_hosts_are_refused(seeded):
    assert Client().get(reverse("login"), HTTP_HOST="evil.example").status_code == 400


# --- production settings ------------------------------------------------------------------------


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
                "DJANGO_ALLOWED_HOSTS": "example.go.th",
                "DJANGO_CSRF_TRUSTED_ORIGINS": "https://example.go.th", "DJANGO_SETTINGS_MODULE":
                "lao_integrity.settings", **extra})
    return env


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=BASE_DIR, env=_production_env(), capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output


def test_production_settings_trust_the_proxy_for_https_only():
    code = ("from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.CSRF_TRUSTED_ORIGINS, "
            "s.DEBUG)")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR,
                            env=_production_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "('HTTP_X_FORWARDED_PROTO', 'https') True True True 31536000 ['https://example.go.th'] False")


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_the_test_settings_do_not_redirect_to_https():
    assert not settings.SECURE_SSL_REDIRECT


# --- auditors: read only, all organisations or assigned provinces ---------------------------------


@pytest.fixture
def chiang_rai_auditor(seeded):
    user = get_user_model().objects.create_user("auditor_chiangrai")
    auditor_scope_set(user=SYSTEM, account=user, provinces=["จ.เชียงราย"])  # stored as the registry spells it
    assert AuditorScope.objects.get(user=user).provinces == ["เชียงราย"]
    return user


def test_a_provincial_auditor_sees_only_the_provinces_organisations(seeded, chiang_rai_auditor):
    mae_sai = Organisation.objects.get(code=MAE_SAI)
    mae_sai_plan = plan_services.plan_create(organisation=mae_sai, fiscal_year=2569, user=SYSTEM)
    assert Result.objects.filter(organisation=mae_sai, fiscal_year=2566).exists()
    client = Client()
    client.force_login(chiang_rai_auditor)

    ita = client.get(reverse("ita:list"), {"fiscal_year": 2566}).content.decode()
    assert "แม่สายมิตรภาพ" in ita and "บ้านแหง" not in ita
    export = client.get(reverse("ita:export"), {"fiscal_year": 2566, "format": "csv"}).getvalue().decode("utf-8-sig")
    assert MAE_SAI in export and BAN_HAENG not in export
    plans = client.get(reverse("plans:list")).content.decode()
    assert "แม่สายมิตรภาพ" in plans and "บ้านแหง" not in plans

    assert client.get(reverse("plans:detail", args=[mae_sai_plan.pk])).status_code == 200
    assert client.get(reverse("plans:detail", args=[seeded.plan.pk])).status_code == 404
    assert client.get(reverse("ita:history", args=[BAN_HAENG])).status_code == 404
    # Read only, even in its own province.
    assert client.post(reverse("plans:settings", args=[mae_sai_plan.pk]), {}).status_code == 403
    assert client.post(reverse("plans:list"), {"organisation": mae_sai.pk, "fiscal_year": 2570}).status_code == 403
    assert client.get(reverse("ita:import")).status_code == 403


def test_an_auditor_of_all_organisations_reads_everything_and_writes_nothing(seeded):
    user = get_user_model().objects.create_user("auditor_national")
    auditor_scope_set(user=SYSTEM, account=user, all_organisations=True)
    assert set(access.visible_organisations(user)) == set(Organisation.objects.all())
    assert not access.editable_organisations(user).exists()
    client = Client()
    client.force_login(user)
    assert client.get(reverse("plans:detail", args=[seeded.plan.pk])).status_code == 200
    assert client.post(reverse("plans:approve", args=[seeded.plan.pk])).status_code == 403


def test_an_auditor_cannot_also_be_made_staff(seeded, chiang_rai_auditor):
    mae_sai = Organisation.objects.get(code=MAE_SAI)
    with pytest.raises(ValidationError):
        membership_grant(user=SYSTEM, account=chiang_rai_auditor, organisation=mae_sai, role=Role.STAFF)
    membership_grant(user=SYSTEM, account=chiang_rai_auditor, organisation=mae_sai, role=Role.AUDITOR)  # that is fine
    with pytest.raises(ValidationError):  # and the other way round: staff are not given a scope
        auditor_scope_set(user=SYSTEM, account=seeded.staff, provinces=["ลำปาง"])
    with pytest.raises(ValidationError):  # a misspelt province would silently show nothing
        auditor_scope_set(user=SYSTEM, account=get_user_model().objects.create_user("typo"), provinces=["เชียงรย"])


def test_the_admin_refuses_staff_even_with_is_staff(seeded):
    seeded.staff.is_staff = True
    seeded.staff.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(seeded.staff)
    response = client.get(reverse("admin:orgs_organisation_changelist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    page = client.get(reverse("plans:list")).content.decode()
    assert reverse("admin:index") not in page  # no admin link in the menu either


def test_the_administrator_assigns_provinces_one_a_line(seeded):
    user = get_user_model().objects.create_user("auditor_lines")
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.post(reverse("admin:orgs_auditorscope_add"),
                           {"user": user.pk, "provinces": "จังหวัดเชียงราย\n\nลำปาง\n"})
    assert response.status_code == 302
    assert sorted(AuditorScope.objects.get(user=user).provinces) == ["ลำปาง", "เชียงราย"]

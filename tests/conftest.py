"""Shared fixtures: an organisation with units, people and users per role, a small plan, the demo.

Everything is built through the project's own services so the fixtures exercise the same code
paths as the pages and commands. The demo (`seeded`) is loaded once per test session into the
test database, then each test runs in its own transaction that is rolled back.
"""

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client
from django.test.utils import override_settings
from django.utils.crypto import get_random_string

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, OrgType, Role
from lao_integrity.orgs.services import (
    membership_grant,
    organisation_upsert,
    person_ensure,
    unit_ensure,
)
from lao_integrity.submissions import once as submission_once
from lao_integrity.tabular import write_table
from plans import services
from plans.models import Dimension, Framework, Plan
from plans.projects import services as project_services
from plans.resources import HEADERS

BAN_HAENG_CODE = "5205401"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    # WhiteNoise warns on every request when collectstatic has not been run; tests never need it.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Demo users get real passwords; hashing them with PBKDF2 would dominate the run time."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture(scope="session", autouse=True)
def _posts_carry_submission_tokens():
    """A test client's POST is a browser's after it loaded the form: with a fresh one-time
    submission token (lao_integrity/submissions) unless the data names one. A client with
    `submission_tokens = False` sends exactly what it is given (tests/kernel/submissions/test_submissions.py)."""
    original = Client.post

    def post(self, path, data=None, *args, **kwargs):
        if getattr(self, "submission_tokens", True) and (data is None or isinstance(data, dict)):
            data = data.copy() if data is not None else {}  # a QueryDict keeps its lists
            if submission_once.FIELD not in data:
                data[submission_once.FIELD] = submission_once.new_token()
        return original(self, path, data, *args, **kwargs)

    Client.post = post
    yield
    Client.post = original


@pytest.fixture(scope="session", autouse=True)
def _page_cache_checked():
    """Pages are kept as in production (lao_integrity/pagecache), and every page served from
    memory is rendered again and compared (PAGE_CACHE_VERIFY): a write that leaves a page stale
    fails the test that made it. A test's writes never commit; its own later reads count them
    (versions.current)."""
    with override_settings(PAGE_CACHE=True, PAGE_CACHE_VERIFY=True):
        yield


@pytest.fixture(autouse=True)
def _no_kept_pages():
    """Each test's database starts again from the demo; so do the kept pages, and the counters
    kept in the default cache (password-reset emails per address and client: accounts/throttle.py)."""
    caches[settings.PAGE_CACHE_ALIAS].clear()
    caches["default"].clear()


@pytest.fixture(scope="session", autouse=True)
def _media_in_tmp(tmp_path_factory):
    """Uploads and signed PDFs must never land in the project's media folder. One folder for
    the session: the demo, loaded once, keeps its signed PDFs there for every test. The caches are
    this process's memory and the files this folder even when REDIS_URL or DJANGO_S3_BUCKET is set
    (each test clears the caches: never a shared Redis; nor does a test write into a real bucket)."""
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "documents": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                      "LOCATION": str(tmp_path_factory.mktemp("document-cache"))},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages",
                  "TIMEOUT": settings.PAGE_CACHE_SECONDS, "OPTIONS": {"MAX_ENTRIES": 800}},
    }
    storages = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), CACHES=caches, STORAGES=storages):
        yield


# --- organisation, people, users -------------------------------------------------------------


@pytest.fixture
def org(db) -> Organisation:
    return organisation_upsert(user=SYSTEM, code="5299901", org_type=OrgType.SAO, name="องค์การบริหารส่วนตำบลบ้านทดสอบ",
                               district="งาว", province="ลำปาง")


@pytest.fixture
def other_org(db) -> Organisation:
    return organisation_upsert(user=SYSTEM, code="5799902", org_type=OrgType.SUBDISTRICT_MUNI, name="เทศบาลตำบลทดลอง",
                               district="แม่สาย", province="เชียงราย")


@pytest.fixture
def units(org) -> dict:
    names = ["สำนักปลัด", "กองคลัง", "กองช่าง"]
    return {name: unit_ensure(user=SYSTEM, organisation=org, name=name, order=i) for i, name in enumerate(names)}


@pytest.fixture
def people(org, units) -> dict:
    return {
        "executive": person_ensure(user=SYSTEM, organisation=org, prefix="นาย", first_name="สมชาย", last_name="ใจดี",
                                   position=org.executive_title),
        "analyst": person_ensure(user=SYSTEM, organisation=org, prefix="นางสาว", first_name="สมหญิง", last_name="รักงาน",
                                 position="นักวิเคราะห์นโยบายและแผน", unit=units["สำนักปลัด"]),
    }


def _user(username: str, organisation: Organisation, role: str):
    user = get_user_model().objects.create_user(username=username, password=f"{username}-pw-2569")
    membership_grant(user=SYSTEM, account=user, organisation=organisation, role=role)
    return user


def _member(name: str, username: str, role: str, organisation: str = "org", doc: str = ""):
    """A fixture `name`: a user with `role` in the organisation that fixture `organisation` gives."""
    def member(request):
        return _user(username, request.getfixturevalue(organisation), role)
    member.__doc__ = doc or f"A user of `{organisation}` in the role {role}."
    return pytest.fixture(member, name=name)


staff = _member("staff", "t_staff", Role.STAFF)
executive = _member("executive", "t_executive", Role.EXECUTIVE)
auditor = _member("auditor", "t_auditor", Role.AUDITOR)
other_staff = _member("other_staff", "t_other_staff", Role.STAFF, "other_org",
                      "Staff of another organisation: must not even learn that `org`'s plans exist.")


@pytest.fixture
def client_for():
    """A signed-in browser that has loaded a page before (it holds a CSRF cookie): its pages are
    kept from the first request, so a later request after a write meets the cache."""
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
        return client
    return make


# --- the plan ----------------------------------------------------------------------------


@pytest.fixture
def framework(db) -> Framework:
    return Framework.objects.get(code="2566-2570")


@pytest.fixture
def dimensions(framework) -> dict[int, Dimension]:
    return {d.number: d for d in framework.dimensions.all()}


@pytest.fixture
def plan(org, dimensions, units) -> Plan:
    """A draft FY 2569 plan with three projects in dimensions 1, 2 and 3."""
    plan = services.plan_create(organisation=org, fiscal_year=2569, user=SYSTEM)
    project_services.project_create(plan=plan, name="โครงการอบรมคุณธรรมจริยธรรมบุคลากร", dimension=dimensions[1],
                            budget=Decimal("10000.00"), q2=True, q3=True, responsible_unit=units["สำนักปลัด"], user=SYSTEM)
    project_services.project_create(plan=plan, name="มาตรการป้องกันผลประโยชน์ทับซ้อน", dimension=dimensions[2],
                            budget=Decimal("0.00"), q1=True, user=SYSTEM)
    project_services.project_create(plan=plan, name="กิจกรรมจัดเวทีประชาคม", dimension=dimensions[3],
                            budget=Decimal("5000.50"), q3=True, q4=True, remark="ร่วมกับกองช่าง", user=SYSTEM)
    plan.refresh_from_db()
    return plan


# --- the demo ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _demo_loaded(django_db_setup, django_db_blocker, _media_in_tmp):
    """Run seed_demo once, outside any test transaction, so every test that asks sees it."""
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def seeded(_demo_loaded, db) -> SimpleNamespace:
    """อบต.บ้านแหง's FY 2569 plan and the demo users, fresh from the database for this test."""
    users = get_user_model().objects
    org = Organisation.objects.get(code=BAN_HAENG_CODE)
    return SimpleNamespace(
        org=org,
        plan=Plan.objects.get(organisation=org, fiscal_year=2569),
        staff=users.get(username="staff"),
        executive=users.get(username="executive"),
        auditor=users.get(username="auditor"),
        other_staff=users.get(username="staff_maesai"),
    )


# --- files -------------------------------------------------------------------------------


@pytest.fixture
def plan_file(tmp_path):
    """Write rows under the plan file's headers with the project's own writer; returns the path."""
    def write(rows, *, name="plan.csv", headers=HEADERS):
        path = tmp_path / name
        fmt = path.suffix.lstrip(".")
        path.write_bytes(write_table(list(headers), [list(r) for r in rows], fmt if fmt == "xlsx" else "csv"))
        return path
    return write

"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

* The browser is Debian's ``chromium`` (``/usr/bin/chromium``, or ``$CHROMIUM_PATH``), never one
  downloaded by ``playwright install``. Without it the browser tests are skipped, except on CI
  (``CI=true``), where ``.ci/run`` installs it and a missing browser is an error.
* The app runs in pytest-django's ``live_server`` thread, which makes each test transactional: the
  demo is loaded into the live server's database at the start of every test (``demo``, ~5 s) and
  flushed at the end, so the journeys never see each other's changes. The migrations' own rows
  (frameworks, indicators) come back through ``serialized_rollback``.
* Playwright and Chromium start for each test once the demo is loaded (see ``browser``); each
  test has a fresh browser context, and ``shot(step)`` saves a full-page screenshot to
  ``artifacts/browser/<test>/<nn>-<step>.png``.
"""

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command

from lao_integrity.orgs import demo as orgs_demo

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").strip().lower() == "true"
TIMEOUT_MS = 15_000

# The demo's own logins: staff/staff-demo-2569, executive/executive-demo-2569, auditor/auditor-demo-2569...
PASSWORDS = {username: password for username, password, *_ in orgs_demo.DEMO_USERS}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives Debian's Chromium with Playwright against the live server (-m 'not browser' skips)")


def chromium_missing() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[dev]')"
    return ""


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests where there is no browser; on CI that is a failure, not a skip."""
    reason = chromium_missing()
    if not reason or IN_CI:
        return
    skip = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture
def chromium() -> str:
    """The browser's path; reached without one only on CI, where that is an error."""
    reason = chromium_missing()
    if reason:
        pytest.fail(f"CI=true but {reason}; .ci/run should have installed it", pytrace=False)
    return str(CHROMIUM)


@pytest.fixture
def demo(live_server, settings):
    """The demo in the live server's database (the test is transactional because of live_server).

    Pages are kept as in production (lao_integrity/pagecache): here every write commits, so a
    page still showing the data from before a save would fail the journey."""
    settings.PAGE_CACHE = True
    caches[settings.PAGE_CACHE_ALIAS].clear()
    call_command("seed_demo", stdout=io.StringIO())
    return live_server


@pytest.fixture
def browser(chromium, demo):
    """Chromium for one test, started after the demo is loaded and closed before the flush.

    Playwright's sync API keeps an asyncio loop running in this thread while it is started. With a
    loop running, Django looks its database connections up per asyncio context instead of per
    thread, so ORM calls made meanwhile (loading the demo, the flush after the test) would get a
    fresh connection that has lost the test database's serialized contents, and Django would
    refuse them anyway (SynchronousOnlyOperation). Hence one Playwright per test, around the
    browsing only: ~1 s each, and no DJANGO_ALLOW_ASYNC_UNSAFE.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh page, 1280 px wide, or as wide as the test asks with
    ``@pytest.mark.parametrize("page", [390, 1366], indirect=True)`` (see common.BOTH_WIDTHS)."""
    width = getattr(request, "param", 1280)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="th-TH",
                                  timezone_id="Asia/Bangkok", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot(page, request):
    """``shot("step")``: full-page screenshot to artifacts/browser/<test>/<nn>-<step>.png."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken = []

    def take(step: str) -> Path:
        path = folder / f"{len(taken) + 1:02d}-{step}.png"
        page.screenshot(path=path, full_page=True)
        taken.append(path)
        return path

    return take


@pytest.fixture
def login(page, demo, shot):
    """Log in through the real login form (CSRF token, password check, redirect)."""
    def log_in(username: str):
        page.goto(demo.url + "/login/")
        page.get_by_label("ชื่อผู้ใช้").fill(username)
        page.get_by_label("รหัสผ่าน").fill(PASSWORDS[username])
        shot("login-form")
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.wait_for_url(lambda url: "/login/" not in url)
        page.locator("header .who").get_by_role("button", name="ออกจากระบบ").wait_for()
        shot("logged-in")
    return log_in

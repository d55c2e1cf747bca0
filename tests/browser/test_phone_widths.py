"""No page scrolls sideways: every routed HTML page of every role, at a phone's 390 px and a desktop's
1366 px, is no wider than the window (``document.documentElement.scrollWidth <= innerWidth``).

The pages come from the URLconf (``get_resolver()``), built with the demo objects that
tests/project/access_rules.py picks for each name, so a page added later is walked too (a name with
no rule there fails test_access_matrix first). A page is kept when the role's GET answers 200 with
HTML; what is left out, and why, is written to artifacts/screens/pages.txt. Each page's screenshot
is saved as artifacts/screens/<role>-<name>-<width>.png.
"""

import shutil

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.browser.common import BROWSER
from tests.browser.conftest import ROOT, TIMEOUT_MS
from tests.project.access_rules import RULES, routed_names

pytestmark = BROWSER

SCREENS = ROOT / "artifacts" / "screens"
ROLES = ("staff", "executive", "auditor", "admin")
WIDTHS = (390, 1366)
# Print previews of A4 documents: laid out as the paper sheet on purpose, at any window width.
A4_PREVIEWS = {"plans:document", "plans:version_pdf", "ita:analysis_pdf", "agreements:pdf",
               "announcements:document", "announcements:poster"}


def page_urls() -> tuple[dict[str, str], dict[str, str]]:
    """{name: url} of every routed page that can be built, and {name: why not} for the rest."""
    urls, left_out = {}, {}
    for name in routed_names():
        if name.startswith("<unnamed"):
            left_out[name] = "no name to reverse"
            continue
        if name in A4_PREVIEWS:
            left_out[name] = "A4 document preview"
            continue
        rule = RULES.get(name)
        try:
            kwargs, _, query = rule.build(None) if rule else ({}, "", "")
            urls[name] = reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")
        except NoReverseMatch:
            left_out[name] = "needs URL arguments and has no rule in tests/project/access_rules.py"
    return urls, left_out


def role_pages(urls: dict[str, str], left_out: dict[str, str]) -> dict[str, tuple[str, dict[str, str]]]:
    """Per role: its session cookie and the pages it may open as HTML (asked through Django's client,
    before the browser starts: see the ``browser`` fixture on the ORM and Playwright's loop)."""
    found = {}
    answers: dict[str, set[str]] = {}
    for role in ROLES:
        client = Client()
        client.force_login(get_user_model().objects.get(username=role))
        pages = {}
        for name, url in urls.items():
            response = client.get(url)
            kind = response.get("Content-Type", "")
            if response.status_code == 200 and kind.startswith("text/html"):
                pages[name] = url
            else:
                answers.setdefault(name, set()).add(f"{role}: {response.status_code} {kind.split(';')[0]}".strip())
        found[role] = (client.cookies["sessionid"].value, pages)
    for name, why in answers.items():
        if not any(name in pages for _, pages in found.values()):
            left_out[name] = "not an HTML page for any role (" + ", ".join(sorted(why)) + ")"
    return found


def test_no_page_scrolls_sideways(demo, chromium):
    from playwright.sync_api import sync_playwright

    urls, left_out = page_urls()
    found = role_pages(urls, left_out)
    shutil.rmtree(SCREENS, ignore_errors=True)
    SCREENS.mkdir(parents=True)
    widths, too_wide = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for role, (session, pages) in found.items():
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 844}, locale="th-TH",
                                              timezone_id="Asia/Bangkok")
                context.set_default_timeout(TIMEOUT_MS)
                context.add_cookies([{"name": "sessionid", "value": session, "url": demo.url}])
                page = context.new_page()
                for name, url in pages.items():
                    page.goto(demo.url + url)
                    scroll, inner = page.evaluate(
                        "() => [document.documentElement.scrollWidth, window.innerWidth]")
                    widths.append(f"{role:9} {width:5} {scroll:5} {name}")
                    page.screenshot(path=SCREENS / f"{role}-{name.replace(':', '-')}-{width}.png", full_page=True)
                    if scroll > inner:
                        too_wide.append(f"{role} {name} at {width} px: {scroll} px wide ({url})")
                context.close()
        browser.close()
    (SCREENS / "pages.txt").write_text(
        "role      width scrollWidth page\n" + "\n".join(widths) + "\n\nleft out:\n"
        + "\n".join(f"{name}: {why}" for name, why in sorted(left_out.items())) + "\n", encoding="utf-8")
    assert all(found[role][1] for role in ROLES), "a role opened no page: are the demo users there?"
    assert not too_wide, "pages that scroll sideways:\n" + "\n".join(too_wide)

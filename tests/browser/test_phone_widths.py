"""No page scrolls sideways: every routed HTML page of every role, at a phone's 390 px and a desktop's
1366 px, is no wider than the window (``document.documentElement.scrollWidth <= innerWidth``).

The pages come from the URLconf (tests/browser/walk.py), so a page added later is walked too. The A4
document previews are left out: they are laid out as the sheet of paper. What is left out, and why, is written to artifacts/screens/pages.txt. Each page's screenshot
is saved as artifacts/screens/<role>-<name>-<width>.png.
"""

import shutil

from tests.browser.common import BROWSER
from tests.browser.conftest import ROOT, TIMEOUT_MS
from tests.browser.walk import ROLES, page_urls, role_pages

pytestmark = BROWSER

SCREENS = ROOT / "artifacts" / "screens"
WIDTHS = (390, 1366)


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

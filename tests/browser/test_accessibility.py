"""WCAG 2.2 AA: axe-core finds no serious or critical violation on any page of any role.

axe-core comes from the npm registry (package.json, pinned by package-lock.json; `make test` runs
`npm ci`) and is injected by the test only: the portal never serves it. The pages are every routed
HTML page of staff, executive, auditor and admin (tests/browser/walk.py, from the URLconf), the A4
document previews included, at a phone's 390 px and a desktop's 1366 px: the folded menu and the
scrolling tables are what a phone user meets. All of axe's rules run (WCAG 2.0–2.2 A/AA and its best
practices), and one check of the project's own: links with the same text must open the same page
(WCAG 2.4.4; axe only asks a person to review those). The context bypasses the portal's Content-Security-Policy only so that axe can be
injected; every violation found, of any impact, is written to artifacts/axe/violations.txt, and the
test fails on the serious and critical ones.
"""

import json
import shutil

import pytest

from tests.browser.common import BROWSER
from tests.browser.conftest import IN_CI, ROOT, TIMEOUT_MS
from tests.browser.walk import page_urls, role_pages

pytestmark = BROWSER

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORT = ROOT / "artifacts" / "axe"
WIDTHS = (390, 1366)
FAILING = {"serious", "critical"}

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary.split("\\n").slice(1).join(" ")),
    count: v.nodes.length,
  }));
}"""


# WCAG 2.4.4: a link's text (with its visually hidden part, or its aria-label) says what it opens.
# Links with the same text that open different pages ("ดู", "ดู", "ดู"...) are listed; a fragment
# of the same page counts as the same page.
SAME_TEXT_LINKS = """() => {
  const name = a => (a.getAttribute("aria-label") || a.textContent).replace(/\\s+/g, " ").trim();
  const targets = {};
  for (const a of document.querySelectorAll("a[href]")) {
    if (a.closest("[hidden]") || a.getClientRects().length === 0 && !a.closest(".vh")) continue;
    const href = new URL(a.href, location.href);
    href.hash = "";
    (targets[name(a)] ||= new Set()).add(href.href);
  }
  return Object.entries(targets).filter(([, hrefs]) => hrefs.size > 1)
    .map(([text, hrefs]) => `"${text}" opens ${hrefs.size} pages`);
}"""


@pytest.fixture
def axe_source() -> str:
    if not AXE.is_file():
        if IN_CI:
            pytest.fail(f"CI=true but {AXE} is missing: `make test` runs `npm ci` first", pytrace=False)
        pytest.skip("axe-core is not installed (npm ci)")
    return AXE.read_text(encoding="utf-8")


def test_no_page_has_a_serious_or_critical_violation(demo, chromium, axe_source):
    from playwright.sync_api import sync_playwright

    urls, left_out = page_urls(previews=True)
    found = role_pages(urls, left_out)
    shutil.rmtree(REPORT, ignore_errors=True)
    REPORT.mkdir(parents=True)
    lines, failing, checked = [], [], 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for role, (session, pages) in found.items():
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 844}, locale="th-TH",
                                              timezone_id="Asia/Bangkok", bypass_csp=True)
                context.set_default_timeout(TIMEOUT_MS)
                context.add_cookies([{"name": "sessionid", "value": session, "url": demo.url}])
                page = context.new_page()
                for name, url in pages.items():
                    page.goto(demo.url + url)
                    page.add_script_tag(content=axe_source)
                    checked += 1
                    for same in page.evaluate(SAME_TEXT_LINKS):
                        line = f"serious  same-link-text {role} {width} {name} {url}: {same}"
                        lines.append(line)
                        failing.append(line)
                    for violation in page.evaluate(RUN_AXE):
                        line = (f"{violation['impact']:8} {violation['id']} ({violation['count']}×) "
                                f"{role} {width} {name} {url}: {violation['help']}\n    "
                                + "\n    ".join(violation["nodes"]))
                        lines.append(line)
                        if violation["impact"] in FAILING:
                            failing.append(line)
                context.close()
        browser.close()
    (REPORT / "violations.txt").write_text(
        f"{checked} page views checked\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    (REPORT / "left-out.json").write_text(json.dumps(left_out, ensure_ascii=False, indent=1), encoding="utf-8")
    assert checked > 100, f"only {checked} page views checked: are the demo users there?"
    assert not failing, f"{len(failing)} serious or critical violations:\n" + "\n".join(failing)

"""Every routed HTML page of every role, found from the URLconf: what the browser tests that walk the
whole portal (phone widths, accessibility) open.

The pages are built with the demo objects that tests/project/access_rules.py picks for each name, so
a page added later is walked too (a name with no rule there fails test_access_matrix first). A page
is kept for a role when the role's GET answers 200 with HTML.
"""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.project.access_rules import RULES, routed_names

ROLES = ("staff", "executive", "auditor", "admin")
# Print previews of A4 documents: laid out as the paper sheet on purpose, at any window width.
A4_PREVIEWS = {"plans:document", "plans:version_pdf", "ita:analysis_pdf", "agreements:pdf", "announcements:document",
               "announcements:poster", "public_plans:plan_pdf", "public_plans:progress_pdf", "lpa:province_pdf",
               "lpa:bonus_summary_pdf"}


def page_urls(previews: bool = False) -> tuple[dict[str, str], dict[str, str]]:
    """{name: url} of every routed page that can be built, and {name: why not} for the rest; the A4
    document previews only when ``previews`` is true."""
    urls, left_out = {}, {}
    for name in routed_names():
        if name.startswith("<unnamed"):
            left_out[name] = "no name to reverse"
            continue
        if name in A4_PREVIEWS and not previews:
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

"""Every edit form of the portal, found from the URLconf, refuses a stale save and a save without a version.

The URL patterns are read from the resolver (tests/project/access_rules.routed_names). Each view is
either an edit of a stored record (EDITS in tests/project/edit_cases.py: a case that loads its form in two
browsers, saves in the first, saves in the second and checks the refusal) or says why it is not one
(NOT_EDITS, with a reason). A new view fails the classification test until it is one or the other, and a
page on the NOT_EDITS list that renders a form carrying a version is an edit after all: the test says so.
"""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import resolve, reverse

from plans.models import Project
from tests.project.access_rules import RULES, routed_names
from tests.project.edit_cases import (
    EDITS,
    FIRST_NAME,
    NO_VERSION,
    NOT_EDITS,
    NOT_SAVED,
    REFUSED,
    edit_params,
    form_of,
    post_with,
)
from tests.support.forms import form_data
from tests.support.pages import text

pytestmark = pytest.mark.django_db


# --- the classification ------------------------------------------------------------------------


def test_every_routed_view_is_an_edit_case_or_says_why_not():
    routed = set(routed_names()) | {"login", "logout"}
    missing = sorted(routed - set(EDITS) - set(NOT_EDITS))
    both = sorted(set(EDITS) & set(NOT_EDITS))
    stale = sorted((set(EDITS) | set(NOT_EDITS)) - routed)
    assert not missing, (
        f"Views neither tested as an edit nor listed as something else: {missing}. A view that edits a stored "
        "record carries the loaded version (lao_integrity.concurrency.VersionField, check_and_bump) and gets a "
        "case in EDITS in tests/project/edit_cases.py; anything else goes in NOT_EDITS with the reason.")
    assert not both, f"Both an edit and not an edit: {both}"
    assert not stale, f"Listed but no longer routed: {stale}"
    assert all(reason.strip() for reason in NOT_EDITS.values())


class _PostForms(HTMLParser):
    """Each <form method="post">: its action and the names of its fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, set[str]]] = []
        self._fields = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._fields = set() if (a.get("method") or "get").lower() == "post" else None
            if self._fields is not None:
                self.forms.append((a.get("action") or "", self._fields))
        elif self._fields is not None and tag in ("input", "textarea", "select") and a.get("name"):
            self._fields.add(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None


def _form_problems(client, name: str, url: str) -> list[str]:
    """A form on the page that carries a version must post to an edit case; a form that posts to
    an edit case must carry one (moving a row up or down, a button with a direction, is no edit)."""
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _PostForms()
    parser.feed(response.content.decode())
    problems = []
    for action, fields in parser.forms:
        target = resolve((action or url).split("?")[0])
        target_name = f"{target.namespace}:{target.url_name}" if target.namespace else target.url_name
        has_version = bool(fields & {"version", "loaded_version"})
        if has_version and target_name not in EDITS:
            problems.append(f"{name}: a form with a version posts to {target_name}, which has no edit case")
        if target_name in EDITS and not has_version and "direction" not in fields:
            problems.append(f"{name}: a form posts to the edit view {target_name} without a version: {sorted(fields)}")
    return problems


def test_every_page_of_the_demo_posts_versions_only_to_edit_cases(seeded):
    """Introspection over the demo: every page a routed view shows an administrator."""
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="admin"))
    problems = []
    for name, rule in RULES.items():
        if rule.get in ("post_only", "public", "redirect"):
            continue
        kwargs, _owner, query = rule.build(None)
        url = reverse(name, kwargs=kwargs)
        problems += _form_problems(admin, name, f"{url}?{query}" if query else url)
    assert not problems, "\n".join(problems)


def test_every_form_on_the_edit_pages_carries_a_version(world, editors):
    """The same over the edit pages with every part shown (a draft agreement with plan projects to
    link, a signed one with progress): a second form on an edit page can't go unchecked."""
    one, _two = editors
    problems = []
    for name, cases in EDITS.items():
        for each in cases:
            problems += _form_problems(one, name, each.url(world))
    assert not problems, "\n".join(problems)


# --- every edit view: a stale save and a save without a version are refused -------------------------


@pytest.mark.parametrize(("name", "index"), edit_params())
def test_the_second_of_two_saves_is_refused_and_nothing_is_overwritten(name, index, world, editors):
    case = EDITS[name][index]
    url = case.url(world)
    one, two = editors
    mine, theirs = form_of(one.get(url), case.marker), form_of(two.get(url), case.marker)
    before = case.stored(world)

    saved = post_with(one, url, mine, case.first(world))
    assert saved.status_code == 302, text(saved)[:2000]
    after_first = case.stored(world)
    assert after_first != before

    refused = post_with(two, url, theirs, case.second(world))
    page = text(refused)
    assert refused.status_code == 200
    assert REFUSED in page and NOT_SAVED in page, page[:2000]
    assert FIRST_NAME in page or not case.names_who  # who changed it
    assert case.stored(world) == after_first  # nothing of the second save was written

    kept = form_of(refused, case.marker)
    assert int(kept["version"]) > int(theirs["version"])  # the page now carries the current version
    again = post_with(two, url, kept, case.second(world))  # a deliberate second save, having seen the change
    assert again.status_code == 302, text(again)[:2000]
    assert case.stored(world) != after_first


@pytest.mark.parametrize(("name", "index"), edit_params())
def test_a_save_without_a_version_is_refused(name, index, world, editors):
    case = EDITS[name][index]
    url = case.url(world)
    one, _two = editors
    data = form_of(one.get(url), case.marker)
    before = case.stored(world)
    data.pop("version")
    refused = post_with(one, url, data, case.first(world))
    assert refused.status_code == 200
    page = text(refused)
    assert NO_VERSION in page and NOT_SAVED in page, page[:2000]
    assert case.stored(world) == before
    kept = form_of(refused, case.marker)
    assert kept["version"] != ""  # shown again on top of the current version: saving again is deliberate


def test_the_admin_of_every_versioned_model_checks_the_version():
    """A model with a version is edited in the admin through VersionCheckedAdmin, so an admin save
    can't overwrite a page save (or another admin's)."""
    from django.contrib import admin

    from lao_integrity.concurrency import VersionCheckedAdmin

    unchecked = [model.__name__ for model, model_admin in admin.site._registry.items()
                 if any(f.name == "version" for f in model._meta.concrete_fields)
                 and not isinstance(model_admin, VersionCheckedAdmin)]
    assert not unchecked, f"Versioned models whose admin does not check the version: {unchecked}"


def test_an_admin_save_without_the_loaded_version_is_refused(plan, client_for):
    users = get_user_model().objects
    admin_client = client_for(users.create_superuser("t_root", password="t-root-pw-2569"))
    project = plan.projects.get(sequence=1)
    url = f"/admin/plans/project/{project.pk}/change/"
    data = form_data(admin_client.get(url), "loaded_version")
    data.pop("loaded_version")
    data["name"] = "ชื่อจากผู้ดูแลโดยไม่มีรุ่น"
    refused = admin_client.post(url, data)
    assert refused.status_code == 200 and NO_VERSION in text(refused)
    assert Project.objects.get(pk=project.pk).name != "ชื่อจากผู้ดูแลโดยไม่มีรุ่น"

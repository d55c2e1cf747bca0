"""Every URL pattern, every role: who gets in, who is refused, and how.

The URL patterns are read from the resolver, so a new view is tested the moment it is routed,
and fails until it has a rule in RULES (tests/project/access_rules.py)."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.project.access_rules import ROLES, RULES, expected, request, routed_names, users_for, verdict

BAN_HAENG, MAE_SAI, BAN_MUANG = "5205401", "5570701", "6411201"


# --- the tests -------------------------------------------------------------------------------


def test_every_url_pattern_is_classified():
    routed = routed_names()
    missing = [name for name in routed if name not in RULES]
    stale = [name for name in RULES if name not in routed]
    assert not missing, (
        f"URL patterns without an access rule: {missing}. Add each to RULES in tests/project/access_rules.py "
        "with who may GET and POST it (public/list/create/read/edit/approve/post_only) and the demo object to "
        "build it with; the view must enforce that rule through lao_integrity.orgs.access.")
    assert not stale, f"RULES lists URL names that no longer exist: {stale}"


@pytest.mark.parametrize("name", routed_names())
def test_url_enforces_its_rule_for_every_role(name, seeded):
    if name not in RULES:
        pytest.fail(f"{name} has no entry in RULES (tests/project/access_rules.py): classify it as "
                    "list/create/read/edit/approve/post_only for GET and POST", pytrace=False)
    rule = RULES[name]
    kwargs, owner_code, query = rule.build(SimpleNamespace(seeded=seeded))
    url = reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")
    users = users_for(owner_code)
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    problems = []
    for method, level in (("GET", rule.get), ("POST", rule.post)):
        for role in ROLES:
            want = expected(level, role)
            got = verdict(request(clients[role], method, url), want)
            if got is not None:
                problems.append(f"{method} as {role}: expected {want} ({level}), got {got}")
    assert not problems, f"{name} {url}\n" + "\n".join(problems)


ADMIN_URLS = ["admin:index", "admin:orgs_organisation_changelist", "admin:plans_plan_changelist",
              "admin:orgs_auditorscope_add", "admin:axes_accessattempt_changelist",
              "admin:signing_signingcertificate_changelist", "admin:signing_signingcertificate_add"]


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_admin_is_for_administrators_only(name, seeded):
    url = reverse(name)
    login_url = reverse("admin:login")
    # Even with is_staff set (as older set-ups did), staff, executives and auditors stay out.
    for username in ("staff", "executive", "auditor", "staff_maesai"):
        user = get_user_model().objects.get(username=username)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        client = Client()
        client.force_login(user)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (username, method, response.status_code)
            assert response["Location"].startswith(login_url), (username, method, response["Location"])
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith(login_url)
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="admin"))
    assert admin.get(url).status_code == 200

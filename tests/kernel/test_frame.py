"""The page frame's header and assets (lao_integrity/templatetags/frame.py, a Jinja2 template): the
menu each user is shown, the section marked current, the sign-out form's tokens, the assets'
addresses following the static settings."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse


def header(html: str) -> str:
    return re.search(r'<header class="top">.*?</header>', html, re.S).group(0)


def current(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page"', header(html))


@pytest.mark.django_db
def test_a_member_sees_the_main_menu_with_its_section_marked(client, staff):
    client.force_login(staff)
    page = client.get(reverse("plans:list")).content.decode()
    top = header(page)
    for name in ("home", "plans:list", "ita:list", "agreements:list", "announcements:list", "jobs:list",
                 "password_change", "search"):
        assert f'"{reverse(name)}"' in top
    # a member of one organisation supervises nothing and is no administrator
    for name in ("supervision:choose", "lpa:index", "admin:index"):
        assert f'"{reverse(name)}"' not in top
    assert current(page) == [reverse("plans:list")]
    assert staff.username in top and "<!--bell-->" not in page  # the late part was put in
    assert re.search(r'<form method="post" action="/logout/" novalidate><input type="hidden" '
                     r'name="csrfmiddlewaretoken" value="[^"]+"><input type="hidden" name="submission_token" '
                     r'value="[^"]+"><button', top)
    home = client.get(reverse("home")).content.decode()
    assert current(home) == [reverse("home")]


@pytest.mark.django_db
def test_a_superuser_sees_supervision_lpa_and_the_admin(client):
    admin = get_user_model().objects.create_superuser("frame-admin", password="x", first_name="สมชาย",
                                                      last_name="ใจดี")
    client.force_login(admin)
    top = header(client.get(reverse("jobs:list")).content.decode())
    for name in ("supervision:choose", "lpa:index", "admin:index"):
        assert f'"{reverse(name)}"' in top
    assert "<span>สมชาย ใจดี</span>" in top
    assert f'<a href="{reverse("jobs:list")}" aria-current="page">' in top


@pytest.mark.django_db
def test_a_visitor_gets_only_the_brand(client):
    top = header(client.get(reverse("login")).content.decode())
    assert 'class="brand"' in top and "<nav" not in top and "ออกจากระบบ" not in top


@pytest.mark.django_db
def test_the_assets_follow_the_static_settings(client):
    assert '/static/css/portal' in client.get(reverse("login")).content.decode()
    with override_settings(STATIC_URL="/elsewhere/"):
        page = client.get(reverse("login")).content.decode()
    assert 'href="/elsewhere/css/portal' in page and 'src="/elsewhere/js/forms' in page

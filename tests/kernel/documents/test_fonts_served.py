"""Thai on screen never depends on the user's machine: the portal's pages and the admin both load
the project's Sarabun (static/css/fonts.css), whose faces cover the Thai block."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

FONTS_CSS = settings.BASE_DIR / "static" / "css" / "fonts.css"


def test_the_font_file_declares_sarabun_for_thai_from_the_project():
    css = FONTS_CSS.read_text()
    faces = re.findall(r"@font-face\s*{[^}]*}", css)
    thai = [face for face in faces if "U+0E01-0E5B" in face]
    assert {re.search(r"font-weight:\s*(\d+)", face).group(1) for face in thai} == {"400", "700"}
    for face in faces:
        url = re.search(r"url\(([^)]+)\)", face).group(1).strip("'\"")
        assert not url.startswith(("http:", "https:", "//")), url
        assert (FONTS_CSS.parent / url).resolve().is_file(), url


@pytest.mark.parametrize("url", ["/admin/", "/admin/auth/user/", "/admin/login/"])
def test_the_admin_loads_the_portal_font(client, url):
    admin = get_user_model().objects.create_superuser("fontadmin", password="x-very-long-password-1")
    if url != "/admin/login/":
        client.force_login(admin)
    page = client.get(url).content.decode()
    assert "/static/css/fonts.css" in page and "/static/css/admin.css" in page


def test_the_portal_pages_load_the_portal_font(client):
    page = client.get("/login/").content.decode()
    assert "/static/css/fonts.css" in page

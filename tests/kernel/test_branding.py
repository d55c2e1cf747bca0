"""The product's Thai name (lao_integrity/branding.py) in every title and header, a favicon, and the
Thai 500 page, which renders with no request context."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse

from lao_integrity import branding
from lao_integrity.views import server_error
from tests.project.project_forms import latin_words

OLD_NAME = "lao-integrity"


def title_and_header(html: str) -> str:
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    header = re.search(r"<header.*?</header>", html, re.S).group(0)
    return title + header


def test_pages_carry_the_thai_name_in_title_and_header(db, client_for, staff):
    pages = [Client().get(reverse("login")), Client().get(reverse("glossary")),
             client_for(staff).get(reverse("plans:list")), client_for(staff).get(reverse("ita:list"))]
    for response in pages:
        top = title_and_header(response.content.decode())
        assert OLD_NAME not in top and branding.SHORT_NAME in top
        assert f"· {branding.SHORT_NAME}</title>" in response.content.decode()


def test_no_template_names_the_product_in_english():
    base = Path(settings.BASE_DIR).resolve()
    frame = [base / "templates" / "base.html", base / "templates" / "500.html",
             base / "templates" / "registration" / "login.html", base / "templates" / "admin" / "table_import.html"]
    for path in frame:
        assert OLD_NAME not in path.read_text(encoding="utf-8"), path


def test_login_page_shows_the_full_name(db):
    html = Client().get(reverse("login")).content.decode()
    assert branding.FULL_NAME in html and branding.SHORT_NAME in html


def test_every_page_links_the_local_favicon(db):
    html = Client().get(reverse("login")).content.decode()
    href = re.search(r'<link rel="icon"[^>]*href="([^"]+)"', html).group(1)
    assert href.startswith(settings.STATIC_URL) and "//" not in href.removeprefix("/")
    assert finders.find(href.removeprefix(settings.STATIC_URL))


def test_the_500_page_is_thai_and_needs_no_context():
    assert get_resolver().resolve_error_handler(500) is server_error
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "ระบบขัดข้อง" in html and branding.SHORT_NAME in html and branding.FULL_NAME in html
    text = re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[1])
    assert not latin_words(text)

"""A form posted without a valid CSRF token (a page left open past its session, another site)
gets a Thai page saying nothing was saved, not Django's English one."""

from django.test import Client

from lao_integrity.views import CSRF_REFUSED


def test_a_post_without_token_gets_the_thai_page_and_saves_nothing(db, staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post("/logout/", {})
    assert response.status_code == 403
    html = response.content.decode()
    assert CSRF_REFUSED in html and "<h1>ส่งแบบฟอร์มไม่สำเร็จ</h1>" in html
    assert "CSRF" not in html and "Forbidden" not in html
    assert client.get("/").status_code == 200  # still signed in: the logout was not carried out


def test_an_anonymous_post_gets_the_same_page(db):
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403 and CSRF_REFUSED in response.content.decode()

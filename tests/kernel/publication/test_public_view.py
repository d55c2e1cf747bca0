"""public_view: GET/HEAD only, the same answer for everyone, cache headers and 304s, a rate limit per
address, framing only where configured, and no cookie; every other page still refuses framing."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.support.pages import text

pytestmark = pytest.mark.django_db


def test_headers_of_a_public_page(org):
    response = Client().get(reverse("publication:organisation", args=[org.code]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"].startswith('"') and len(response["ETag"]) > 20
    assert response["Vary"] == "Accept-Encoding"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert not response.cookies


def test_a_matching_etag_is_a_304_and_a_changed_page_is_not(org, published):
    client = Client()
    url = reverse("publication:organisation", args=[org.code])
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content
    assert again["Cache-Control"] == "public, max-age=300"
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_last_modified_when_the_view_gives_it(published):
    client = Client()
    url = reverse("public_announcements:pdf", args=[published.organisation.code, published.pk])
    first = client.get(url)
    assert first.status_code == 200 and first["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_only_get_and_head(org):
    url = reverse("publication:organisation", args=[org.code])
    assert Client().head(url).status_code == 200
    for method in ("post", "put", "delete"):
        response = getattr(Client(), method)(url)
        assert response.status_code == 405 and not response.cookies


def test_the_same_page_for_a_signed_in_user_and_no_cookie(org, executive, client_for):
    url = reverse("publication:organisation", args=[org.code])
    anonymous = Client().get(url)
    signed_in = client_for(executive)
    mine = signed_in.get(url)
    assert mine.content == anonymous.content and mine["ETag"] == anonymous["ETag"]
    # Every signed-in response stays out of shared caches (PrivateCache), a public page's too.
    assert "no-store" in mine["Cache-Control"] and "public" not in mine["Cache-Control"] and not mine.cookies
    assert "ออกจากระบบ" not in text(mine) and "เข้าสู่ระบบ" in text(mine)
    # Kept once for every visitor (cached_page(public=True)): the signed-in visitor is served the copy
    # the anonymous one's request kept, never a page of their own.
    assert (anonymous["X-Page-Cache"], mine["X-Page-Cache"]) == ("miss", "hit")
    # A signed-in page keeps its private cache and refuses framing.
    home = signed_in.get(reverse("home"))
    assert "no-store" in home["Cache-Control"] and home["X-Frame-Options"] == "DENY"


@override_settings(PUBLIC_RATE_LIMIT=3)
def test_rate_limited_per_address(org):
    url = reverse("publication:organisation", args=[org.code])
    client = Client(REMOTE_ADDR="10.0.0.7")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 61
    assert "ถี่เกินไป" in text(refused) and not refused.cookies
    assert Client(REMOTE_ADDR="10.0.0.8").get(url).status_code == 200  # another address


@override_settings(PUBLIC_FRAME_ANCESTORS=["https://www.banhaeng.go.th", "https://example.org"])
def test_framing_allowed_for_public_pages_only_when_configured(org, staff, client_for):
    response = Client().get(reverse("publication:organisation", args=[org.code]))
    assert "X-Frame-Options" not in response
    assert "frame-ancestors https://www.banhaeng.go.th https://example.org" in response["Content-Security-Policy"]
    other = client_for(staff).get(reverse("announcements:list"))
    assert other["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in other["Content-Security-Policy"]
    login = Client().get(reverse("login"))
    assert login["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in login["Content-Security-Policy"]


def test_framing_refused_by_default(org):
    assert settings.PUBLIC_FRAME_ANCESTORS == []
    response = Client().get(reverse("publication:organisations"))
    assert response["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_unknown_organisation_is_a_public_404(db):
    for code in ("9999999", "abc", "12345678"):
        response = Client().get(f"/public/{code}/")
        assert response.status_code == 404 and "ไม่พบหน้าที่ต้องการ" in text(response)
        assert not response.cookies

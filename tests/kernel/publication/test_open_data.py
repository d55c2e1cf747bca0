"""Open data (csv and json at stable addresses) and the sitemaps of the public pages."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_stable_addresses():
    assert reverse("publication:organisations_data", args=["csv"]) == "/public/organisations.csv"
    assert reverse("publication:documents", args=["5205401", "json"]) == "/public/5205401/documents.json"
    assert reverse("sitemap") == "/sitemap.xml"


def test_organisations_as_csv_and_json(org, other_org):
    rows = json.loads(Client().get("/public/organisations.json").content)
    mine = next(row for row in rows if row["code"] == org.code)
    assert mine == {"code": org.code, "name": org.name, "type": "อบต.", "district": "งาว", "province": "ลำปาง",
                    "url": f"http://testserver/public/{org.code}/"}
    response = Client().get("/public/organisations.csv")
    assert response["Content-Type"].startswith("text/csv") and response["Cache-Control"] == "public, max-age=300"
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(table[0]) == ["code", "name", "type", "district", "province", "url"]
    assert {row["code"] for row in table} >= {org.code, other_org.code}


def test_documents_as_csv_and_json(org, published):
    rows = json.loads(Client().get(f"/public/{org.code}/documents.json").content)
    assert rows == [{
        "section": "ประกาศ", "kind": "announcement:no_gift", "title": f"ประกาศ เรื่อง {published.subject_text}",
        "fiscal_year": 2569, "published_at": rows[0]["published_at"],
        "url": f"http://testserver/public/{org.code}/announcements/{published.pk}/",
        "pdf_url": f"http://testserver/public/{org.code}/announcements/{published.pk}/pdf/"}]
    assert rows[0]["published_at"].startswith("20")
    table = list(csv.DictReader(io.StringIO(Client().get(f"/public/{org.code}/documents.csv").content.decode("utf-8-sig"))))
    assert table[0]["kind"] == "announcement:no_gift" and table[0]["fiscal_year"] == "2569"
    assert Client().get("/public/9999999/documents.json").status_code == 404
    assert Client().get(f"/public/{org.code}/documents.xml").status_code == 404


def test_documents_of_an_organisation_with_nothing_published(org, signed):
    assert json.loads(Client().get(f"/public/{org.code}/documents.json").content) == []


def _locations(response) -> list[str]:
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{{{NS['s']}}}loc")]


def test_sitemap_index_organisations_and_items(org, other_org, published):
    index = Client().get("/sitemap.xml")
    assert index.status_code == 200 and index["Content-Type"].startswith("application/xml")
    sitemaps = _locations(index)
    assert "http://testserver/public/sitemap-organisations.xml" in sitemaps
    assert f"http://testserver/public/{org.code}/sitemap.xml" in sitemaps
    pages = _locations(Client().get("/public/sitemap-organisations.xml"))
    assert "http://testserver/public/" in pages and f"http://testserver/public/{other_org.code}/" in pages
    items = _locations(Client().get(f"/public/{org.code}/sitemap.xml"))
    assert items == [f"http://testserver/public/{org.code}/announcements/{published.pk}/"]
    assert _locations(Client().get(f"/public/{other_org.code}/sitemap.xml")) == []

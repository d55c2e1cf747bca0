"""Each public page costs a fixed number of queries whatever the data: with the demo, then with more
organisations and more published announcements."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lao_integrity.announcements.models import Announcement, Kind, Status
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, OrgType
from lao_integrity.orgs.services import organisation_upsert
from lao_integrity.publication.models import Publication

pytestmark = pytest.mark.django_db
CODE = "5205401"


def _count(url) -> int:
    client = Client()
    client.get(url)  # warms per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(seeded, n: int) -> None:
    """n more organisations, and n more signed announcements of บ้านแหง, each published (in bulk: the
    stored PDF is the demo's, signing n PDFs would take minutes)."""
    template = Announcement.objects.filter(organisation=seeded.org, status=Status.SIGNED).first()
    base = Organisation.objects.filter(code__startswith="95").count()
    for i in range(base, base + n):
        organisation_upsert(user=SYSTEM, code=f"95{i:05d}", org_type=OrgType.SAO, name=f"องค์การบริหารส่วนตำบลนับ{i}",
                            district="นับ", province="ลำปาง")
    made = Announcement.objects.bulk_create([
        Announcement(organisation=seeded.org, kind=Kind.OTHER, fiscal_year=2560 + (k % 9), subject=f"เรื่องที่ {k}",
                     body="ข้อความ", status=Status.SIGNED, pdf=template.pdf.name, pdf_sha256=template.pdf_sha256,
                     signer_name=template.signer_name, signer_position=template.signer_position,
                     created_by=seeded.executive)
        for k in range(n)])
    Publication.objects.bulk_create([
        Publication(organisation=seeded.org, subject="announcements.announcement", object_id=a.pk,
                    published_at=template.signed_at, published_by=seeded.executive) for a in made])


URLS = ["/public/", "/public/?q=บ้าน&province=ลำปาง", f"/public/{CODE}/", f"/public/{CODE}/documents.json",
        f"/public/{CODE}/documents.csv", "/public/organisations.json", "/sitemap.xml",
        "/public/sitemap-organisations.xml", f"/public/{CODE}/sitemap.xml"]


def test_public_pages_cost_a_fixed_number_of_queries(seeded):
    announcement = Announcement.objects.filter(organisation=seeded.org, status=Status.SIGNED).first()
    assert announcement is not None, "the demo publishes a signed announcement of บ้านแหง"
    urls = URLS + [f"/public/{CODE}/announcements/{announcement.pk}/",
                   f"/public/{CODE}/announcements/{announcement.pk}/pdf/"]
    before = {url: _count(url) for url in urls}
    _grow(seeded, 5)
    middle = {url: _count(url) for url in urls}
    _grow(seeded, 20)
    after = {url: _count(url) for url in urls}
    assert before == middle == after
    assert before[f"/public/{CODE}/announcements/{announcement.pk}/"] == 1
    assert before["/public/"] == 2

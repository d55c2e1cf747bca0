"""ITA's public pages (no login): every result entered in full, with its charts; a year's measures
and their progress only while the measures announcement is published; no evidence."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ita.measures import services as measure_services
from ita.public import sections
from ita.results import services as result_services
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.publication import services as publication_services
from lao_integrity.publication.models import Publication
from tests.ita.measures.conftest import measures, result  # noqa: F401 (fixtures)
from tests.support.pages import text

pytestmark = pytest.mark.django_db


def _signed_measures_announcement(org, people, staff, executive, *, fiscal_year=2567):
    announcement = announcement_services.announcement_create(
        organisation=org, kind=Kind.ITA_MEASURES, fiscal_year=fiscal_year, user=staff, signer=people["executive"],
        announced_on=datetime.date(2023, 11, 1))
    announcement_services.announcement_approve(announcement=announcement, user=executive)
    return announcement_services.announcement_sign(announcement=announcement, user=executive)


@pytest.fixture
def announced(org, people, staff, executive, measures):  # noqa: F811
    return _signed_measures_announcement(org, people, staff, executive)


@pytest.fixture
def published(announced, executive):
    publication_services.publish(document=announced, user=executive)
    return announced


def measures_url(org, name="measures", year=2567):
    return reverse(f"public_ita:{name}", kwargs={"code": org.code, "fiscal_year": year})


def test_results_by_year_with_charts_for_anyone(org, result, units):  # noqa: F811
    # A result still being typed in (no overall score) is not public.
    result_services.result_save(organisation=org, fiscal_year=2565, scores={1: Decimal("90")}, user=SYSTEM)
    response = Client().get(reverse("public_ita:results", kwargs={"code": org.code}))
    page = text(response)
    assert response.status_code == 200
    assert 'id="y2566"' in page and 'id="y2565"' not in page
    assert "<svg" in page and "คะแนนรวม ITA รายปี" in page
    year = Client().get(reverse("public_ita:result", kwargs={"code": org.code, "fiscal_year": 2566}))
    assert year.status_code == 200 and "95.01" in text(year) and "ตัวชี้วัดที่" in text(year)
    assert Client().get(reverse("public_ita:result", kwargs={"code": org.code, "fiscal_year": 2565})).status_code == 404
    assert [item.fiscal_year for item in sections.result_items(org)] == [2566]


def test_another_organisation_shows_none_of_these_results(org, other_org, result):  # noqa: F811
    page = text(Client().get(reverse("public_ita:results", kwargs={"code": other_org.code})))
    assert "ยังไม่มีผลการประเมิน ITA" in page and "95.01" not in page
    assert Client().get(reverse("public_ita:result", kwargs={"code": other_org.code, "fiscal_year": 2566})).status_code == 404
    assert Client().get(reverse("public_ita:results", kwargs={"code": "0000000"})).status_code == 404
    assert sections.result_items(other_org) == []


def test_published_measures_and_their_progress_without_evidence(org, published, measures, staff):  # noqa: F811
    page = text(Client().get(measures_url(org)))
    assert "จัดทำ QR Code ประเมินความพึงพอใจของผู้มาติดต่อหรือรับบริการ" in page and "ทุกสำนัก/กอง" in page
    assert "เผยแพร่เมื่อ" in page and "(ผ่านมา 0 วัน)" in page
    assert Client().get(measures_url(org, "measure_progress")).status_code == 404  # nothing recorded yet
    assert [item.kind for item in sections.measure_items(org)] == ["ita:measures"]
    measure_services.progress_record(
        measure=measures["qr"], quarter=1, user=staff, status="done", result="ติดตั้ง QR Code ครบทุกจุดบริการ",
        evidence_file=SimpleUploadedFile("หลักฐาน.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        evidence_url="https://example.org/private-folder")
    progress = text(Client().get(measures_url(org, "measure_progress")))
    assert "ติดตั้ง QR Code ครบทุกจุดบริการ" in progress
    assert "หลักฐาน" not in progress and "private-folder" not in progress and "evidence" not in progress
    assert [item.kind for item in sections.measure_items(org)] == ["ita:measures", "ita:measure_progress"]


def test_a_measure_added_after_the_announcement_was_signed_is_not_shown(org, published, staff):
    later = measure_services.measure_create(organisation=org, fiscal_year=2567, indicators=[3],
                                            title="มาตรการที่เพิ่มหลังลงนามประกาศ", user=SYSTEM)
    measure_services.progress_record(measure=later, quarter=1, user=staff, status="done", result="ทำแล้วภายหลัง")
    assert "มาตรการที่เพิ่มหลังลงนามประกาศ" not in text(Client().get(measures_url(org)))
    assert Client().get(measures_url(org, "measure_progress")).status_code == 404  # only the later one has progress
    assert [item.kind for item in sections.measure_items(org)] == ["ita:measures"]


@pytest.mark.parametrize("state", ["none", "unsigned", "signed_unpublished", "withdrawn"])
def test_measures_not_published_are_not_found(org, people, staff, executive, measures, state):  # noqa: F811
    if state != "none":
        announcement = announcement_services.announcement_create(
            organisation=org, kind=Kind.ITA_MEASURES, fiscal_year=2567, user=staff, signer=people["executive"],
            announced_on=datetime.date(2023, 11, 1))
        announcement_services.announcement_approve(announcement=announcement, user=executive)
        if state != "unsigned":
            announcement = announcement_services.announcement_sign(announcement=announcement, user=executive)
        if state == "withdrawn":
            publication_services.publish(document=announcement, user=executive)
            publication_services.withdraw(document=announcement, user=executive, reason="แก้ไขมาตรการ")
    measure_services.progress_record(measure=measures["qr"], quarter=1, user=staff, status="done", result="ทำแล้ว")
    assert Client().get(measures_url(org)).status_code == 404
    assert Client().get(measures_url(org, "measure_progress")).status_code == 404
    assert sections.measure_items(org) == []


def test_measures_of_another_organisation_or_year_are_not_found(org, other_org, published):
    assert Client().get(measures_url(other_org)).status_code == 404
    assert Client().get(measures_url(org, year=2568)).status_code == 404


def _count(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_public_ita_pages_read_a_fixed_number_of_queries(seeded, django_assert_max_num_queries):
    from ita.models import Measure
    from lao_integrity.orgs.models import Organisation
    from tests.project.access_objects import BAN_MUANG, MAE_SAI, public_measures

    public_measures(None)  # แม่สาย's FY 2567 measures published, a quarter recorded
    client = Client()
    ban_haeng = seeded.org
    addresses = [reverse("public_ita:results", kwargs={"code": ban_haeng.code}),
                 reverse("public_ita:results", kwargs={"code": BAN_MUANG}),
                 reverse("public_ita:result", kwargs={"code": ban_haeng.code, "fiscal_year": 2566}),
                 reverse("public_ita:measures", kwargs={"code": MAE_SAI, "fiscal_year": 2567}),
                 reverse("public_ita:measure_progress", kwargs={"code": MAE_SAI, "fiscal_year": 2567})]
    # Results: the organisation, the results, their scores, the frameworks' indicators and tools,
    # the level bands; one result: its framework, scores, parts, recommendations, tools; measures:
    # the announcement, its publication, the previous result and its scores, the measures and their
    # indicators, items and progress.
    for address, budget in zip(addresses, (7, 7, 6, 9, 9), strict=True):
        with django_assert_max_num_queries(budget):
            client.get(address)
    before = [_count(client, address) for address in addresses]
    mae_sai = Measure.objects.filter(organisation__code=MAE_SAI).first().organisation
    for n in range(4):
        measure = measure_services.measure_create(organisation=mae_sai, fiscal_year=2567, indicators=[n + 1],
                                                  title=f"มาตรการเพิ่มเพื่อนับคำสั่ง {n}", user=SYSTEM)
        measure_services.progress_record(measure=measure, quarter=2, user=SYSTEM, status="in_progress",
                                          result=f"ความก้าวหน้า {n}")
    # As if drawn up before the announcement was signed (a measure added later is not public).
    signed_at = (Announcement.objects.filter(organisation=mae_sai, kind=Kind.ITA_MEASURES, fiscal_year=2567,
                                             status="signed").order_by("-revision").first().signed_at)
    Measure.objects.filter(title__startswith="มาตรการเพิ่มเพื่อนับคำสั่ง").update(
        created_at=signed_at - datetime.timedelta(seconds=1))
    # A year of results more for บ้านม่วง (2564-2566 in the demo).
    result_services.result_save(organisation=Organisation.objects.get(code=BAN_MUANG), fiscal_year=2563,
                                scores={n: Decimal("80") for n in range(1, 11)}, user=SYSTEM)
    assert [_count(client, address) for address in addresses] == before
    assert "ความก้าวหน้า 3" in text(client.get(addresses[4]))
    assert 'id="y2563"' in text(client.get(addresses[1]))
    with django_assert_max_num_queries(3):
        sections.measure_items(mae_sai)
    with django_assert_max_num_queries(1):
        sections.result_items(ban_haeng)


def test_a_withdrawn_measures_publication_stays_on_record(org, published, executive):
    Publication.objects.filter(organisation=org).update(published_at=timezone.now() - datetime.timedelta(days=3))
    publication_services.withdraw(document=published, user=executive, reason="ปรับมาตรการ")
    assert Publication.objects.get(organisation=org).withdrawn_at is not None
    assert Client().get(measures_url(org)).status_code == 404

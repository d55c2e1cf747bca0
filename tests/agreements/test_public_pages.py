"""The agreements' public pages (no login): a unit agreement once an executive publishes it (signed
only), with its evaluation once evaluated; the organisation agreement of a year whose announcement
is published. The publish and withdraw buttons: executives of the organisation only."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.organisation import services as org_services
from agreements.performance import services
from agreements.public import sections
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind
from lao_integrity.publication import selectors as publication_selectors
from lao_integrity.publication import services as publication_services
from lao_integrity.publication.models import Publication
from tests.agreements.performance.conftest import agreement, four, head, signed  # noqa: F401 (fixtures)
from tests.support.pages import by_id, text

pytestmark = pytest.mark.django_db


def performance_url(agreement):  # noqa: F811
    return reverse("public_agreements:performance", kwargs={"code": agreement.organisation.code, "pk": agreement.pk})


SUBJECT = "agreements.performanceagreement"


def publish(client, document):
    return client.post(reverse("publishing:publish", args=[SUBJECT, document.pk]), {"confirm_publish": "on"})


def withdraw(client, document, reason):
    return client.post(reverse("publishing:withdraw", args=[SUBJECT, document.pk]), {"reason": reason})


def test_a_draft_or_unpublished_agreement_is_not_found_and_cannot_be_published(agreement, four, executive):  # noqa: F811
    assert Client().get(performance_url(agreement)).status_code == 404
    client = Client()
    client.force_login(executive)
    publish(client, agreement)
    assert not Publication.objects.filter(organisation=agreement.organisation).exists()
    assert sections.items(agreement.organisation) == []


def test_an_executive_publishes_a_signed_agreement_from_its_page(signed, executive, staff):  # noqa: F811
    page = reverse("agreements:detail", args=[signed.pk])
    as_staff = Client()
    as_staff.force_login(staff)
    shown = as_staff.get(page).content.decode()
    assert "ยังไม่เผยแพร่" in shown and "เผยแพร่ต่อสาธารณะ</button>" not in shown  # the state, no button
    assert publish(as_staff, signed).status_code == 403
    assert Client().get(performance_url(signed)).status_code == 404
    as_executive = Client()
    as_executive.force_login(executive)
    assert "เผยแพร่ต่อสาธารณะ</button>" in as_executive.get(page).content.decode()
    response = publish(as_executive, signed)
    assert response.status_code == 302 and publication_selectors.of(signed) is not None
    assert performance_url(signed) in as_executive.get(page).content.decode()  # the public address
    public = text(Client().get(performance_url(signed)))
    for shown in ("ร้อยละการเบิกจ่ายงบประมาณ", "กองคลัง", "ผู้อำนวยการกองคลัง", "สมชาย ใจดี", "เผยแพร่เมื่อ"):
        assert shown in public
    assert "มาลี" not in public  # the receiving officer is named by position only
    [item] = sections.items(signed.organisation)
    assert item.kind == "agreement:performance" and item.url == performance_url(signed)
    # Withdrawn: a reason is asked; then the page is gone, the record kept.
    withdraw(as_executive, signed, "")
    assert publication_selectors.of(signed) is not None
    withdraw(as_executive, signed, "ลงนามผิดรอบ")
    assert publication_selectors.of(signed) is None and Publication.objects.get(organisation=signed.organisation).withdraw_reason == "ลงนามผิดรอบ"
    assert Client().get(performance_url(signed)).status_code == 404
    assert sections.items(signed.organisation) == []


def test_the_evaluation_shows_once_evaluated(signed, four, executive):  # noqa: F811
    publication_services.publish(document=signed, user=executive)
    assert "คะแนนผลสัมฤทธิ์" not in text(Client().get(performance_url(signed)))
    values = {four[0].pk: Decimal("61"), four[1].pk: Decimal("15"), four[2].pk: Decimal("86"), four[3].pk: Decimal("1")}
    services.agreement_evaluate(agreement=signed, values=values, user=executive, today=datetime.date(2026, 3, 31))
    html = Client().get(performance_url(signed)).content.decode()
    assert "คะแนนผลสัมฤทธิ์ 76.00 จาก 100" in by_id(html, "score") and "76.00" in by_id(html, "score-total")


def test_another_organisations_code_does_not_show_the_agreement(signed, executive, other_org):  # noqa: F811
    publication_services.publish(document=signed, user=executive)
    address = reverse("public_agreements:performance", kwargs={"code": other_org.code, "pk": signed.pk})
    assert Client().get(address).status_code == 404
    assert sections.items(other_org) == []


@pytest.fixture
def org_agreement(org, staff):
    return org_services.org_agreement_create(organisation=org, fiscal_year=2569, user=staff)


def _agreement_announcement(org, people, staff, executive, *, sign=True):
    announcement = announcement_services.announcement_create(
        organisation=org, kind=Kind.AGREEMENT, fiscal_year=2569, user=staff, signer=people["executive"],
        announced_on=datetime.date(2025, 10, 1))
    announcement_services.announcement_approve(announcement=announcement, user=executive)
    return announcement_services.announcement_sign(announcement=announcement, user=executive) if sign else announcement


def org_url(org, year=2569):
    return reverse("public_agreements:organisation", kwargs={"code": org.code, "fiscal_year": year})


def test_the_organisation_agreement_is_public_with_its_published_announcement(org, other_org, org_agreement, people,
                                                                              staff, executive):
    assert Client().get(org_url(org)).status_code == 404  # no announcement
    unsigned = _agreement_announcement(org, people, staff, executive, sign=False)
    assert Client().get(org_url(org)).status_code == 404
    signed_announcement = announcement_services.announcement_sign(announcement=unsigned, user=executive)
    assert Client().get(org_url(org)).status_code == 404  # signed, not published
    publication_services.publish(document=signed_announcement, user=executive)
    page = text(Client().get(org_url(org)))
    topic = org_agreement.topics.order_by("order").first()
    assert topic.title in page and "เผยแพร่เมื่อ" in page
    assert "ปรับปรุงหลังลงนามประกาศ" not in page
    org_services.topic_create(agreement=org_agreement, title="หัวข้อที่เพิ่มหลังลงนาม",
                              items=[{"text": "ข้อย่อย", "actions": ""}], user=staff)
    assert "ปรับปรุงหลังลงนามประกาศ" in text(Client().get(org_url(org)))
    assert Client().get(org_url(other_org)).status_code == 404
    assert Client().get(org_url(org, 2568)).status_code == 404
    assert [item.kind for item in sections.items(org)] == ["agreement:organisation"]
    publication_services.withdraw(document=signed_announcement, user=executive, reason="แก้ไขรายละเอียด")
    assert Client().get(org_url(org)).status_code == 404
    assert sections.items(org) == []


def _count(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_public_agreement_pages_read_a_fixed_number_of_queries(seeded, django_assert_max_num_queries):
    from agreements.organisation.models import OrgAgreement
    from tests.project.access_objects import public_org_agreement, published_agreement

    agreement = published_agreement(None)  # noqa: F811
    org_address = reverse("public_agreements:organisation", kwargs=public_org_agreement(None))
    client = Client()
    addresses = [performance_url(agreement), org_address]
    # The organisation, the agreement, its publication, its indicators, their progress, its projects;
    # the organisation, the announcement, its publication, the agreement, its topics, their items.
    for address, budget in zip(addresses, (6, 6), strict=True):
        with django_assert_max_num_queries(budget):
            client.get(address)
    before = [_count(client, address) for address in addresses]
    admin = get_user_model().objects.get(username="admin")
    org_agreement = OrgAgreement.objects.get(organisation__code=public_org_agreement(None)["code"], fiscal_year=2565)
    for n in range(3):
        org_services.topic_create(agreement=org_agreement, title=f"หัวข้อเพิ่มเพื่อนับคำสั่ง {n}",
                                  items=[{"text": f"ข้อย่อย {n}", "actions": "การดำเนินการ"}], user=admin)
    assert [_count(client, address) for address in addresses] == before
    assert "หัวข้อเพิ่มเพื่อนับคำสั่ง 2" in text(client.get(org_address))
    with django_assert_max_num_queries(5):
        sections.items(agreement.organisation)

"""The plan's public pages (no login): the adopted version of a plan whose signed announcement is
published, its progress reports once recorded; nothing else, and no staff names."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.publication import services as publication_services
from lao_integrity.publication.models import Publication
from plans import services as plan_services
from plans.models import PlanVersion, ProgressStatus
from plans.progress import services as progress_services
from plans.projects import services as project_services
from plans.public import sections
from tests.support.pages import by_id, text

pytestmark = pytest.mark.django_db


def _announce(organisation, people, staff, executive, *, fiscal_year=2569):
    announcement = announcement_services.announcement_create(
        organisation=organisation, kind=Kind.PLAN, fiscal_year=fiscal_year, user=staff, signer=people["executive"],
        announced_on=datetime.date(2025, 10, 1))
    announcement_services.announcement_approve(announcement=announcement, user=executive)
    return announcement_services.announcement_sign(announcement=announcement, user=executive)


@pytest.fixture
def announced(org, plan, people, staff, executive):
    """The test plan approved and its announcement signed, not yet published."""
    plan_services.plan_approve(plan=plan, user=executive)
    return _announce(org, people, staff, executive)


@pytest.fixture
def published(announced, executive):
    publication_services.publish(document=announced, user=executive)
    return announced


def url(name, organisation, **kwargs):
    return reverse(f"public_plans:{name}", kwargs={"code": organisation.code, "fiscal_year": 2569, **kwargs})


def _record(plan, quarter, user):
    for project in plan.projects.all():
        progress_services.progress_record(project=project, quarter=quarter, user=user, status=ProgressStatus.DONE,
                                          amount_spent=Decimal("0"), result=f"ผลไตรมาส {quarter} ครบถ้วน")


def test_a_published_plan_shows_the_adopted_plan_to_anyone_without_staff_names(org, plan, published):
    response = Client().get(url("plan", org))
    page = text(response)
    assert response.status_code == 200
    for name in ("โครงการอบรมคุณธรรมจริยธรรมบุคลากร", "มาตรการป้องกันผลประโยชน์ทับซ้อน", "กิจกรรมจัดเวทีประชาคม",
                 "ผู้รับผิดชอบ: สำนักปลัด", "ร่วมกับกองช่าง", "ดำเนินการโดยไม่ใช้งบประมาณ", "15,000.50"):
        assert name in page
    assert "เผยแพร่เมื่อ" in page and "(ผ่านมา 0 วัน)" in page
    assert "รายการโครงการ (ตั้งต้น)" in page
    # Per dimension: dimensions 1, 2, 3 have one project each, dimension 4 none.
    table = by_id(response.content.decode(), "by-dimension")
    assert "มิติที่ 1 การสร้างวัฒนธรรมสุจริต 1 10,000.00" in table
    assert "การตรวจสอบการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น 0 0.00" in table
    assert "รวมทั้งสิ้น 3 15,000.50" in table
    # No staff: neither the signer's nor the analyst's name, nor the approver's user name.
    for private in ("สมชาย", "สมหญิง", "t_executive", "t_staff"):
        assert private not in page
    pdf_preview = text(Client().get(url("plan_pdf", org), {"preview": "1"}))
    assert "โครงการอบรมคุณธรรมจริยธรรมบุคลากร" in pdf_preview and "t_executive" not in pdf_preview
    pdf = Client().get(url("plan_pdf", org))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_public_sees_the_version_the_announcement_adopted_not_todays_edits(org, plan, published, dimensions,
                                                                              executive):
    project_services.project_create(plan=plan, name="โครงการเพิ่มหลังประกาศ", dimension=dimensions[4],
                                    budget=Decimal("1.00"), q4=True, user=SYSTEM)
    plan_services.plan_approve(plan=plan, user=executive)  # a new version, approved after the signing
    page = text(Client().get(url("plan", org)))
    assert "โครงการเพิ่มหลังประกาศ" not in page and "รายการโครงการ (ตั้งต้น)" in page


@pytest.mark.parametrize("state", ["draft", "unsigned", "signed_unpublished", "withdrawn", "newer_signed_revision"])
def test_a_plan_not_published_is_not_found(org, plan, people, staff, executive, state):
    if state != "draft":
        plan_services.plan_approve(plan=plan, user=executive)
        announcement = announcement_services.announcement_create(
            organisation=org, kind=Kind.PLAN, fiscal_year=2569, user=staff, signer=people["executive"],
            announced_on=datetime.date(2025, 10, 1))
        announcement_services.announcement_approve(announcement=announcement, user=executive)
        if state != "unsigned":
            announcement = announcement_services.announcement_sign(announcement=announcement, user=executive)
        if state == "withdrawn":
            publication = publication_services.publish(document=announcement, user=executive)
            Publication.objects.filter(pk=publication.pk).update(
                published_at=timezone.now() - datetime.timedelta(days=31))
            publication_services.withdraw(document=announcement, user=executive, reason="ออกประกาศผิดปี")
        if state == "newer_signed_revision":
            # The published revision 1 was replaced by a signed revision 2 nobody published yet.
            publication_services.publish(document=announcement, user=executive)
            revision = announcement_services.announcement_revise(announcement=announcement, user=staff)
            revision = announcement_services.announcement_update(announcement=revision, user=staff,
                                                                 announced_on=datetime.date(2025, 11, 1))
            announcement_services.announcement_approve(announcement=revision, user=executive)
            announcement_services.announcement_sign(announcement=revision, user=executive)
    for name, extra in (("plan", {}), ("plan_pdf", {}), ("progress", {"months": 6}), ("progress_pdf", {"months": 6})):
        assert Client().get(url(name, org, **extra)).status_code == 404, (state, name)
    assert sections.items(org) == []


def test_an_unsigned_newer_revision_does_not_hide_the_published_one(org, published, staff):
    announcement_services.announcement_revise(announcement=published, user=staff)
    assert Client().get(url("plan", org)).status_code == 200


def test_other_organisations_and_unknown_codes_are_not_found(org, other_org, published):
    assert Client().get(url("plan", other_org)).status_code == 404
    assert Client().get(reverse("public_plans:plan", kwargs={"code": "0000000", "fiscal_year": 2569})).status_code == 404
    assert Client().get(reverse("public_plans:plan", kwargs={"code": org.code, "fiscal_year": 2568})).status_code == 404
    assert sections.items(other_org) == []


def test_a_progress_report_is_public_once_every_project_has_its_period_recorded(org, plan, published, staff):
    assert Client().get(url("progress", org, months=6)).status_code == 404
    _record(plan, 1, staff)  # quarter 1 only: the 6-month report is not complete
    assert Client().get(url("progress", org, months=6)).status_code == 404
    _record(plan, 2, staff)
    page = text(Client().get(url("progress", org, months=6)))
    assert "รอบ 6 เดือน" in page and "ไตรมาส 2: ผลไตรมาส 2 ครบถ้วน" in page and "เผยแพร่เมื่อ" in page
    assert Client().get(url("progress", org, months=12)).status_code == 404
    assert Client().get(url("progress", org, months=9)).status_code == 404
    preview = text(Client().get(url("progress_pdf", org, months=6), {"preview": "1"}))
    assert "รายงานผลการดำเนินงาน" in preview and "ผู้ออกรายงาน" not in preview
    assert [item.kind for item in sections.items(org)] == ["plan", "plan:progress:6"]


def test_a_project_a_draft_revision_added_is_not_in_the_public_report(org, plan, published, dimensions, staff):
    _record(plan, 1, staff)
    _record(plan, 2, staff)
    project_services.project_create(plan=plan, name="โครงการร่างที่ยังไม่ประกาศ", dimension=dimensions[4],
                                    budget=Decimal("1.00"), q1=True, user=SYSTEM)  # no progress recorded
    for address in (url("progress", org, months=6), url("progress_pdf", org, months=6) + "?preview=1"):
        page = text(Client().get(address))
        assert "โครงการอบรมคุณธรรมจริยธรรมบุคลากร" in page and "โครงการร่างที่ยังไม่ประกาศ" not in page
    assert "โครงการร่างที่ยังไม่ประกาศ" not in text(Client().get(url("plan", org)))


def test_the_section_lists_the_plan_with_its_publication_time(org, published):
    [item] = sections.items(org)
    assert item.kind == "plan" and item.fiscal_year == 2569
    assert item.url == url("plan", org) and item.pdf_url == url("plan_pdf", org)
    assert item.published_at == Publication.objects.get(organisation=org).published_at


def _demo_public(seeded):
    """The demo's บ้านแหง plan announcement signed (unless the demo signed it) and published."""
    from tests.project.access_objects import public_plan

    public_plan(None)
    return seeded


def _count(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_public_plan_pages_read_a_fixed_number_of_queries(seeded, django_assert_max_num_queries):
    _demo_public(seeded)
    org, plan = seeded.org, seeded.plan
    addresses = [url("plan", org), url("progress", org, months=6)]
    client = Client()
    # The organisation, the announcement, its publication, the plan, its versions, its projects'
    # ids, the quarters recorded; then the dimensions (the plan), or the projects, their progress
    # and the dimensions (the report).
    with django_assert_max_num_queries(8):
        client.get(addresses[0])
    with django_assert_max_num_queries(10):
        client.get(addresses[1])
    before = [_count(client, address) for address in addresses]
    with django_assert_max_num_queries(6):
        sections.items(org)
    dimension = plan.framework.dimensions.get(number=2)
    for n in range(5):
        project = project_services.project_create(plan=plan, name=f"โครงการเพิ่มเพื่อนับคำสั่ง {n}", dimension=dimension,
                                                  budget=Decimal("10.00"), q1=True, q2=True, user=SYSTEM)
        for quarter in (1, 2):
            progress_services.progress_record(project=project, quarter=quarter, user=seeded.staff,
                                              status=ProgressStatus.IN_PROGRESS, result="กำลังดำเนินการ")
    # Approved into a version the signed announcement adopts (as if approved just before signing).
    version = plan_services.plan_approve(plan=plan, user=seeded.executive)
    announcement = (Announcement.objects.filter(organisation=org, kind=Kind.PLAN, fiscal_year=2569, status="signed")
                    .order_by("-revision").first())
    PlanVersion.objects.filter(pk=version.pk).update(created_at=announcement.signed_at - datetime.timedelta(seconds=1))
    assert [_count(client, address) for address in addresses] == before
    assert "โครงการเพิ่มเพื่อนับคำสั่ง 4" in text(client.get(addresses[0]))
    assert "โครงการเพิ่มเพื่อนับคำสั่ง 4" in text(client.get(addresses[1]))

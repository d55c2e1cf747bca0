"""The pages of the plan's frozen versions (plans/versions/views.py): what changed shown before
approving, the versions list, a version as frozen (page and PDF) even after the draft changed,
and who may see them."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import auditor_scope_set
from plans import services
from plans.projects import services as project_services
from tests.support.pages import by_id
from tests.support.pdf import needs_pdftotext, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(plan, executive):
    version = services.plan_approve(plan=plan, user=executive)
    plan.refresh_from_db()
    plan.baseline = version
    return plan


def changed(plan, executive):
    """After approval: the training project's budget and name change, the forum is deleted."""
    training = plan.projects.get(sequence=1)
    project_services.project_update(project=training, budget=Decimal("80000"), name="โครงการชื่อใหม่หลังอนุมัติ",
                                    user=executive)
    project_services.project_delete(project=plan.projects.get(sequence=3), user=executive)


def test_the_plan_page_and_the_changes_page_show_what_changed_before_approving(approved, executive, client_for):
    changed(approved, executive)
    client = client_for(executive)
    for url in (reverse("plans:detail", args=[approved.pk]), reverse("plans:changes", args=[approved.pk])):
        html = client.get(url).content.decode()
        changes = by_id(html, "changes-list")
        assert "แก้ไข ลำดับที่ 1 โครงการชื่อใหม่หลังอนุมัติ" in changes
        assert "งบประมาณปี 2569: 10,000.00 → 80,000.00 บาท" in changes
        assert "ลบ ลำดับที่ 3 กิจกรรมจัดเวทีประชาคม" in changes
        assert "เพิ่ม 0" in by_id(html, "changes-summary") and "ลบ 1" in by_id(html, "changes-summary")
        assert f'action="{reverse("plans:approve", args=[approved.pk])}"' in html  # approve right there


def test_before_the_first_approval_the_changes_page_says_there_is_nothing_before(plan, executive, client_for):
    html = client_for(executive).get(reverse("plans:changes", args=[plan.pk])).content.decode()
    assert "ยังไม่มีฉบับที่อนุมัติมาก่อน" in by_id(html, "changes-first")
    assert "3 โครงการ งบประมาณรวม 15,000.50 บาท" in by_id(html, "changes-first")


def test_an_approved_plan_has_nothing_waiting(approved, executive, client_for):
    html = client_for(executive).get(reverse("plans:changes", args=[approved.pk])).content.decode()
    assert "ยังไม่มีการแก้ไขหลังอนุมัติ" in by_id(html, "approved-already")
    assert 'id="changes-empty"' in html
    assert "อนุมัติแผน</button>" not in html
    assert 'id="changes"' not in client_for(executive).get(reverse("plans:detail", args=[approved.pk])).content.decode()


def test_the_versions_list_names_each_version_when_and_by_whom_with_its_links(approved, executive, client_for):
    changed(approved, executive)
    revision = services.plan_approve(plan=approved, user=executive)
    executive.first_name, executive.last_name = "สมชาย", "ใจดี"
    executive.save()
    html = client_for(executive).get(reverse("plans:versions", args=[approved.pk])).content.decode()
    baseline, latest = by_id(html, "v0"), by_id(html, "v1")
    assert "ตั้งต้น" in baseline and "3 โครงการ · งบประมาณรวม 15,000.50 บาท" in baseline
    assert "ฉบับปรับปรุง ครั้งที่ 1" in latest and "2 โครงการ · งบประมาณรวม 80,000.00 บาท" in latest
    assert "โดย สมชาย ใจดี" in latest
    for version in (approved.baseline, revision):
        assert reverse("plans:version", args=[version.pk]) in html
        assert reverse("plans:version_pdf", args=[version.pk]) in html
    assert html.index('id="v1"') < html.index('id="v0"')  # newest first


def test_a_version_opens_as_frozen_after_the_draft_changed(approved, executive, auditor, client_for):
    changed(approved, executive)
    html = client_for(auditor).get(reverse("plans:version", args=[approved.baseline.pk])).content.decode()
    table = by_id(html, "summary")
    assert "โครงการอบรมคุณธรรมจริยธรรมบุคลากร" in table and "กิจกรรมจัดเวทีประชาคม" in table
    assert "โครงการชื่อใหม่หลังอนุมัติ" not in table
    assert by_id(html, "total-budget") == "15,000.50"
    assert "ตั้งต้นเป็นฉบับแรก" in by_id(html, "changes-first")


def test_a_revision_page_shows_what_it_changed_from_the_version_before(approved, executive, client_for):
    changed(approved, executive)
    revision = services.plan_approve(plan=approved, user=executive)
    html = client_for(executive).get(reverse("plans:version", args=[revision.pk])).content.decode()
    assert "งบประมาณปี 2569: 10,000.00 → 80,000.00 บาท" in by_id(html, "changes-list")
    old = client_for(executive).get(reverse("plans:version", args=[approved.baseline.pk])).content.decode()
    assert "ฉบับปรับปรุง ครั้งที่ 1" in by_id(old, "frozen")  # a newer version is named


@needs_pdftotext
def test_a_version_downloads_as_a_pdf_of_what_was_frozen(approved, executive, staff, client_for):
    changed(approved, executive)
    response = client_for(staff).get(reverse("plans:version_pdf", args=[approved.baseline.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "plan-5299901-2569-v0.pdf" in response["Content-Disposition"]
    text = text_of(response.content)
    assert "กิจกรรมจัดเวทีประชาคม" in text and "ชื่อใหม่หลังอนุมัติ" not in text
    assert "๑๕,๐๐๐.๕๐" in text and "๘๐,๐๐๐.๐๐" not in text
    assert "ฉบับที่อนุมัติ ตั้งต้น อนุมัติเมื่อ" in text
    preview = client_for(staff).get(reverse("plans:version_pdf", args=[approved.baseline.pk]) + "?preview=1")
    assert "กิจกรรมจัดเวทีประชาคม" in preview.content.decode()


def test_whoever_may_see_the_plan_may_see_its_versions_and_no_one_else(approved, org, other_org, auditor,
                                                                       other_staff, client_for):
    province_auditor = get_user_model().objects.create_user("t_far_auditor", password="t-far-auditor-2569")
    auditor_scope_set(account=province_auditor, provinces=[other_org.province], user=SYSTEM)
    near_auditor = get_user_model().objects.create_user("t_near_auditor", password="t-near-auditor-2569")
    auditor_scope_set(account=near_auditor, provinces=[org.province], user=SYSTEM)
    version = approved.baseline
    urls = [reverse("plans:changes", args=[approved.pk]), reverse("plans:versions", args=[approved.pk]),
            reverse("plans:version", args=[version.pk]), reverse("plans:version_pdf", args=[version.pk]) + "?preview=1"]
    for url in urls:
        for user in (auditor, near_auditor):
            assert client_for(user).get(url).status_code == 200, (url, user)
        for user in (province_auditor, other_staff):
            assert client_for(user).get(url).status_code == 404, (url, user)
    assert client_for(auditor).get(reverse("plans:version", args=[version.pk + 999])).status_code == 404

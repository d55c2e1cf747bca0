"""A change to an approved plan is asked first ("การแก้ไขนี้จะเริ่มฉบับปรับปรุง"), never found out after.

Moving, adding, editing or deleting a project of an approved plan without the confirmation
changes nothing (the plan stays approved, the projects stay as they were) and shows the
question with what happens to the signed announcement; with the confirmation it proceeds and
the plan becomes a draft of the next revision. The plan page and the plan announcement's page
say so beforehand.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind
from lao_integrity.tabular import write_table
from plans import services
from plans.models import Plan, PlanStatus, Project
from plans.projects import services as project_services
from plans.resources import HEADERS

QUESTION = "การแก้ไขนี้จะเริ่มฉบับปรับปรุง"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def table(plan) -> list:
    return list(Project.objects.filter(plan=plan).order_by("sequence")
                .values_list("pk", "sequence", "name", "budget", "q1", "q2", "q3", "q4", "dimension_id"))


def status(plan) -> str:
    return Plan.objects.get(pk=plan.pk).status


@pytest.fixture
def approved(plan, executive, staff, client_for):
    services.plan_approve(plan=plan, user=executive)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    plan.as_staff = client_for(staff)
    return plan


def project_post(project, **overrides):
    data = {"name": project.name, "kind": project.kind, "dimension": str(project.dimension_id),
            "budget": str(project.budget), "remark": project.remark, "added_note": project.added_note,
            "responsible_unit": str(project.responsible_unit_id or ""), "version": str(project.version)}
    for q in project.quarters:
        data[f"q{q}"] = "on"
    data.update(overrides)
    return data


# --- move --------------------------------------------------------------------------------------


def test_move_without_confirmation_changes_nothing_and_asks(approved):
    before = table(approved)
    second = approved.projects.get(sequence=2)
    response = approved.as_staff.post(reverse("plans:project_move", args=[second.pk]), {"direction": "up"})
    assert response.status_code == 200
    page = text(response)
    assert f"{QUESTION} ครั้งที่ 1" in page
    assert 'name="confirm_revision" value="1"' in page and 'name="direction" value="up"' in page
    assert table(approved) == before
    assert status(approved) == PlanStatus.APPROVED


def test_move_with_confirmation_proceeds_and_starts_the_revision(approved):
    second = approved.projects.get(sequence=2)
    response = approved.as_staff.post(reverse("plans:project_move", args=[second.pk]),
                                      {"direction": "up", "confirm_revision": "1"})
    assert response.status_code == 302
    assert Project.objects.get(pk=second.pk).sequence == 1
    assert status(approved) == PlanStatus.DRAFT
    # A draft asks nothing more: the revision has started.
    third = approved.projects.get(sequence=3)
    assert approved.as_staff.post(reverse("plans:project_move", args=[third.pk]),
                                  {"direction": "up"}).status_code == 302
    assert Project.objects.get(pk=third.pk).sequence == 2


# --- add, edit, delete ----------------------------------------------------------------------------


def test_add_without_confirmation_changes_nothing_and_asks(approved, dimensions):
    before = table(approved)
    url = reverse("plans:project_add", args=[approved.pk])
    form_page = text(approved.as_staff.get(url))
    assert QUESTION in form_page and 'name="confirm_revision"' in form_page  # asked before the click
    data = {"name": "โครงการใหม่หลังอนุมัติ", "kind": "", "dimension": str(dimensions[1].pk), "budget": "๑,๐๐๐",
            "q1": "on", "responsible_unit": "", "remark": "", "is_added": "on", "added_note": "เพิ่มภายหลัง"}
    response = approved.as_staff.post(url, data)
    assert response.status_code == 200 and f"{QUESTION} ครั้งที่ 1" in text(response)
    assert table(approved) == before and status(approved) == PlanStatus.APPROVED
    response = approved.as_staff.post(url, {**data, "confirm_revision": "1"})
    assert response.status_code == 302
    assert approved.projects.filter(name="โครงการใหม่หลังอนุมัติ").exists()
    assert status(approved) == PlanStatus.DRAFT


def asks_then_applies(plan, url, data, *, kept=""):
    """The form asks first; a POST without the confirmation changes nothing and asks again (keeping
    what was typed); the same POST with it is applied (302)."""
    before = table(plan)
    assert QUESTION in text(plan.as_staff.get(url))
    response = plan.as_staff.post(url, data)
    assert response.status_code == 200 and f"{QUESTION} ครั้งที่ 1" in text(response)
    assert kept in text(response)
    assert table(plan) == before and status(plan) == PlanStatus.APPROVED
    assert plan.as_staff.post(url, {**data, "confirm_revision": "1"}).status_code == 302


def test_edit_without_confirmation_changes_nothing_and_asks(approved):
    project = approved.projects.get(sequence=1)
    asks_then_applies(approved, reverse("plans:project_edit", args=[project.pk]),
                      project_post(project, name="ชื่อใหม่"), kept="ชื่อใหม่")
    assert Project.objects.get(pk=project.pk).name == "ชื่อใหม่"
    assert status(approved) == PlanStatus.DRAFT


def test_delete_without_confirmation_changes_nothing_and_asks(approved):
    project = approved.projects.get(sequence=1)
    asks_then_applies(approved, reverse("plans:project_delete", args=[project.pk]), {})
    assert not Project.objects.filter(pk=project.pk).exists()
    assert status(approved) == PlanStatus.DRAFT


def test_import_into_an_approved_plan_without_confirmation_changes_nothing_and_asks(approved):
    before = table(approved)
    url = reverse("plans:import", args=[approved.pk])
    assert 'name="confirm_revision"' in text(approved.as_staff.get(url))

    def upload():
        return SimpleUploadedFile("plan.csv", write_table(HEADERS, [[1, "โครงการเดียวจากไฟล์", "1", "0", "✓"]], "csv"),
                                  content_type="text/csv")

    response = approved.as_staff.post(url, {"file": upload()})
    assert response.status_code == 200 and f"{QUESTION} ครั้งที่ 1" in text(response)
    assert table(approved) == before and status(approved) == PlanStatus.APPROVED
    # The same question when the plan is chosen on the form (import as a new or existing plan).
    response = approved.as_staff.post(reverse("plans:import_new"), {
        "organisation": approved.organisation.pk, "fiscal_year": "๒๕๖๙", "file": upload()})
    assert response.status_code == 200 and 'name="confirm_revision"' in text(response)
    assert table(approved) == before and status(approved) == PlanStatus.APPROVED
    assert approved.as_staff.post(url, {"file": upload(), "confirm_revision": "1"}).status_code == 302
    assert list(approved.projects.values_list("name", flat=True)) == ["โครงการเดียวจากไฟล์"]
    assert status(approved) == PlanStatus.DRAFT


def test_a_draft_plan_is_changed_without_a_question(plan, staff, client_for):
    client = client_for(staff)
    second = plan.projects.get(sequence=2)
    assert client.post(reverse("plans:project_move", args=[second.pk]), {"direction": "up"}).status_code == 302
    assert Project.objects.get(pk=second.pk).sequence == 1
    assert QUESTION not in text(client.get(reverse("plans:project_add", args=[plan.pk])))


def test_the_service_refuses_an_unconfirmed_change_made_under_an_approval(plan, executive, staff):
    """The form was opened on a draft; the executive approved before it was saved: still asked."""
    from plans.revisions import RevisionNotConfirmed

    project = plan.projects.get(sequence=1)
    services.plan_approve(plan=plan, user=executive)  # `plan` in memory still says draft
    with pytest.raises(RevisionNotConfirmed):
        project_services.project_update(project=project, user=staff, name="ระหว่างอนุมัติ", confirm_revision=False)
    assert Project.objects.get(pk=project.pk).name != "ระหว่างอนุมัติ"
    assert status(plan) == PlanStatus.APPROVED


# --- said beforehand: the plan page and the announcement page -------------------------------------


@pytest.fixture
def signed(approved, staff, executive, people):
    announcement = announcement_services.announcement_create(
        organisation=approved.organisation, kind=Kind.PLAN, fiscal_year=approved.fiscal_year, user=staff,
        signer=people["executive"], announced_on=datetime.date(2026, 1, 5))
    announcement = announcement_services.announcement_approve(announcement=announcement, user=executive)
    return announcement_services.announcement_sign(announcement=announcement, user=executive)


def test_plan_page_and_announcement_page_say_an_edit_starts_a_revision(approved, signed, staff, client_for):
    plan_page = text(approved.as_staff.get(reverse("plans:detail", args=[approved.pk])))
    assert QUESTION in plan_page
    assert f"ประกาศใช้แผนฉบับที่ {signed.revision} ที่ลงนามแล้ว" in plan_page
    announcement_page = text(approved.as_staff.get(reverse("announcements:detail", args=[signed.pk])))
    assert QUESTION in announcement_page
    assert "ต้องจัดทำประกาศฉบับปรับปรุง" in announcement_page
    # The question before a move names the signed announcement too.
    second = approved.projects.get(sequence=2)
    asked = text(approved.as_staff.post(reverse("plans:project_move", args=[second.pk]), {"direction": "up"}))
    assert f"ประกาศใช้แผนฉบับที่ {signed.revision} ที่ลงนามแล้ว" in asked


def test_no_notice_once_the_revision_has_started(approved, signed):
    second = approved.projects.get(sequence=2)
    approved.as_staff.post(reverse("plans:project_move", args=[second.pk]), {"direction": "up", "confirm_revision": "1"})
    assert QUESTION not in text(approved.as_staff.get(reverse("plans:detail", args=[approved.pk])))
    assert QUESTION not in text(approved.as_staff.get(reverse("announcements:detail", args=[signed.pk])))

"""Review of a plan before approval (lao_integrity/review): staff submit, the executive returns it
with a comment staff see, or approves; a submitted plan's project list is not changed until withdrawn."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lao_integrity import notifications
from lao_integrity.review.models import Action, ReviewEvent
from lao_integrity.review.workflow import LOCKED_MESSAGE
from plans import services
from plans.models import Plan, PlanStatus
from plans.projects import services as project_services
from tests.plans.page_helpers import project_post
from tests.support.pages import by_id, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(monkeypatch):
    calls = []
    monkeypatch.setattr(notifications, "notify", lambda **kwargs: calls.append(kwargs))
    return calls


def status(plan) -> str:
    return Plan.objects.get(pk=plan.pk).status


def test_submit_return_resubmit_approve(plan, staff, executive, told, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan=plan, user=staff)
        assert status(plan) == PlanStatus.SUBMITTED
        services.plan_return(plan=plan, user=executive, comment="งบประมาณโครงการที่ 1 สูงเกินไป")
        assert status(plan) == PlanStatus.RETURNED
        services.plan_submit(plan=plan, user=staff)
        version = services.plan_approve(plan=plan, user=executive)
    assert status(plan) == PlanStatus.APPROVED and version.number == 0
    assert [call["event"] for call in told] == ["submitted", "returned", "submitted", "approved"]
    assert told[1]["comment"] == "งบประมาณโครงการที่ 1 สูงเกินไป" and told[1]["actor"] == executive
    assert told[0]["url"] == reverse("plans:detail", args=[plan.pk])
    assert list(ReviewEvent.objects.filter(object_id=plan.pk, subject="plans.plan").values_list("action", flat=True)) \
        == [Action.SUBMITTED, Action.RETURNED, Action.SUBMITTED, Action.APPROVED]


def test_refusals_are_thai_and_change_nothing(plan, staff, executive, auditor):
    with pytest.raises(PermissionDenied, match="ไม่มีสิทธิ์"):
        services.plan_submit(plan=plan, user=auditor)
    with pytest.raises(ValidationError, match="เฉพาะเอกสารที่เสนออนุมัติแล้ว"):
        services.plan_return(plan=plan, user=executive, comment="แก้ไข")
    services.plan_submit(plan=plan, user=staff)
    with pytest.raises(PermissionDenied, match="เฉพาะผู้บริหาร"):
        services.plan_return(plan=plan, user=staff, comment="แก้ไข")
    with pytest.raises(ValidationError, match="กรุณาระบุสิ่งที่ต้องแก้ไข"):
        services.plan_return(plan=plan, user=executive, comment=" ")
    assert status(plan) == PlanStatus.SUBMITTED
    services.plan_approve(plan=plan, user=executive)
    with pytest.raises(ValidationError, match="อนุมัติแล้ว เสนออนุมัติไม่ได้"):
        services.plan_submit(plan=plan, user=staff)


def test_an_empty_plan_is_not_submitted(org, staff):
    empty = services.plan_create(organisation=org, fiscal_year=2570, user=staff)
    with pytest.raises(ValidationError, match="ยังไม่มีโครงการ"):
        services.plan_submit(plan=empty, user=staff)


def test_a_submitted_plan_is_not_changed_until_withdrawn_a_returned_one_is(plan, staff, executive, dimensions):
    services.plan_submit(plan=plan, user=staff)
    with pytest.raises(ValidationError, match=LOCKED_MESSAGE):
        project_services.project_create(plan=plan, name="โครงการใหม่", dimension=dimensions[1],
                                        budget=Decimal("1"), q1=True, user=staff)
    with pytest.raises(ValidationError, match=LOCKED_MESSAGE):
        services.plan_update(plan=plan, user=staff, data_as_of=None)
    assert plan.projects.count() == 3
    services.plan_return(plan=plan, user=executive, comment="เพิ่มโครงการอบรม")
    project_services.project_create(plan=plan, name="โครงการอบรมเพิ่มเติม", dimension=dimensions[1],
                                    budget=Decimal("1"), q1=True, user=staff)
    assert status(plan) == PlanStatus.RETURNED  # the comment stays shown until submitted again
    services.plan_submit(plan=plan, user=staff)
    services.plan_withdraw(plan=plan, user=staff)
    assert status(plan) == PlanStatus.DRAFT


def test_the_pages_show_each_state_the_comment_and_the_timeline(plan, staff, executive, client_for):
    staff_client, executive_client = client_for(staff), client_for(executive)
    detail = reverse("plans:detail", args=[plan.pk])
    html = page(staff_client.get(detail))
    assert "เสนออนุมัติ</button>" in html and "review-timeline" not in html

    assert staff_client.post(reverse("plans:submit", args=[plan.pk])).status_code == 302
    assert status(plan) == PlanStatus.SUBMITTED
    html = page(staff_client.get(detail))
    assert "ถอนเรื่อง</button>" in html and "รอผู้บริหารพิจารณา" in by_id(html, "review-submitted")
    listing = text(staff_client.get(reverse("plans:list")))
    assert '<span class="badge submitted">เสนออนุมัติแล้ว รอพิจารณา</span>' in listing

    html = page(executive_client.get(detail))
    assert 'name="comment"' in html and "อนุมัติแผน</button>" in html
    refused = executive_client.post(reverse("plans:return", args=[plan.pk]), {"comment": ""}, follow=True)
    assert "กรุณาระบุสิ่งที่ต้องแก้ไขก่อนส่งกลับ" in text(refused)
    assert status(plan) == PlanStatus.SUBMITTED
    executive_client.post(reverse("plans:return", args=[plan.pk]), {"comment": "ระบุผู้รับผิดชอบ\nโครงการที่ 2"})
    assert status(plan) == PlanStatus.RETURNED

    html = page(staff_client.get(detail))
    box = by_id(html, "review-returned")
    assert "ส่งกลับแก้ไข โดย" in box and "ระบุผู้รับผิดชอบ" in box and "โครงการที่ 2" in box
    assert "t_executive" in box  # who returned it
    assert [line in by_id(html, "review-timeline") for line in ("เสนออนุมัติ", "ส่งกลับแก้ไข")] == [True, True]
    assert '<span class="badge returned">ส่งกลับแก้ไข</span>' in text(staff_client.get(reverse("plans:list")))


def test_the_project_form_of_a_submitted_plan_says_to_withdraw_first(plan, staff, client_for):
    services.plan_submit(plan=plan, user=staff)
    project = plan.projects.get(sequence=1)
    url = reverse("plans:project_edit", args=[project.pk])
    response = client_for(staff).post(url, project_post(project, name="ชื่อใหม่"))
    assert response.status_code == 200 and LOCKED_MESSAGE in text(response)
    assert plan.projects.get(sequence=1).name == project.name


def test_only_staff_and_executives_see_the_buttons(plan, staff, auditor, client_for):
    html = page(client_for(auditor).get(reverse("plans:detail", args=[plan.pk])))
    assert "เสนออนุมัติ</button>" not in html
    assert client_for(auditor).post(reverse("plans:submit", args=[plan.pk])).status_code == 403
    services.plan_submit(plan=plan, user=staff)
    assert client_for(staff).post(reverse("plans:return", args=[plan.pk]), {"comment": "x"}).status_code == 403

"""plans.services: creating, moving and deleting projects, approval and versions, plan creation and copying."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lao_integrity.orgs.access import SYSTEM
from plans import services
from plans.models import (
    DetailSheet,
    Framework,
    Plan,
    PlanStatus,
    PlanVersion,
    ProgressStatus,
    ProjectKind,
    ProjectProgress,
)
from plans.progress import services as progress_services
from plans.projects import services as project_services
from tests.plans.sheets import save_sheet

pytestmark = pytest.mark.django_db


def rows(plan):
    return list(plan.projects.order_by("sequence").values_list("sequence", "name"))


def names(plan):
    return [name for _, name in rows(plan)]


# --- creating projects ---------------------------------------------------------------------


def test_project_create_numbers_after_the_last_and_guesses_kind(plan, dimensions):
    assert [s for s, _ in rows(plan)] == [1, 2, 3]
    project = project_services.project_create(plan=plan, name="มาตรการจัดทำคู่มือป้องกันผลประโยชน์ทับซ้อน",
                                      dimension=dimensions[2], q1=True, user=SYSTEM)
    assert project.sequence == 4
    assert project.kind == ProjectKind.MEASURE
    assert project.budget == 0
    assert project.budget_text == "ดำเนินการโดยไม่ใช้งบประมาณ"
    # No baseline has been approved, so nothing is "added after the baseline".
    assert project.is_added is False
    assert project.dimension_label == "2"


def test_project_update_with_kind_left_blank_takes_it_from_the_name(plan):
    # The edit form offers "— ตามคำขึ้นต้นของชื่อ —" (blank); saving it used to crash (found by the fuzz test).
    project = plan.projects.order_by("sequence").first()
    project_services.project_update(project=project, name="มาตรการตรวจสอบการจัดซื้อจัดจ้าง", kind="", user=SYSTEM)
    project.refresh_from_db()
    assert project.kind == ProjectKind.MEASURE


def test_project_create_rejects_negative_budget(plan, dimensions):
    before = rows(plan)
    with pytest.raises(ValidationError) as excinfo:
        project_services.project_create(plan=plan, name="โครงการติดลบ", dimension=dimensions[1],
                                budget=Decimal("-0.01"), q1=True, user=SYSTEM)
    assert "budget" in excinfo.value.message_dict
    assert rows(plan) == before


def test_project_create_accepts_zero_budget(plan, dimensions):
    project = project_services.project_create(plan=plan, name="กิจกรรมไม่ใช้งบ", dimension=dimensions[4],
                                      budget=Decimal("0"), q4=True, user=SYSTEM)
    assert project.pk and project.budget == 0


def test_project_create_needs_a_quarter(plan, dimensions):
    before = rows(plan)
    with pytest.raises(ValidationError) as excinfo:
        project_services.project_create(plan=plan, name="โครงการไม่มีไตรมาส", dimension=dimensions[1], user=SYSTEM)
    assert "q1" in excinfo.value.message_dict
    assert "ไตรมาส" in excinfo.value.message_dict["q1"][0]
    assert rows(plan) == before


def test_project_create_needs_a_name(plan, dimensions):
    with pytest.raises(ValidationError) as excinfo:
        project_services.project_create(plan=plan, name="   ", dimension=dimensions[1], q1=True, user=SYSTEM)
    assert "name" in excinfo.value.message_dict


def test_project_create_rejects_dimension_of_another_framework(plan):
    future = Framework.objects.create(code="2571-2575", name="กรอบแผน 2571-2575", first_year=2571,
                                      last_year=2575)
    foreign = future.dimensions.create(number=1, name="มิติใหม่")
    before = rows(plan)
    with pytest.raises(ValidationError) as excinfo:
        project_services.project_create(plan=plan, name="โครงการมิติผิดกรอบ", dimension=foreign, q1=True, user=SYSTEM)
    assert "dimension" in excinfo.value.message_dict
    assert rows(plan) == before


def test_project_create_refuses_user_without_edit_rights(plan, dimensions, auditor, other_staff, staff):
    for user in (auditor, other_staff):
        with pytest.raises(PermissionDenied):
            project_services.project_create(plan=plan, user=user, name="โครงการ", dimension=dimensions[1], q1=True)
    assert len(rows(plan)) == 3
    project_services.project_create(plan=plan, user=staff, name="โครงการโดยเจ้าหน้าที่", dimension=dimensions[1], q1=True)
    assert len(rows(plan)) == 4


# --- deleting and moving ---------------------------------------------------------------------


def test_project_delete_closes_the_gap(plan, dimensions):
    project_services.project_create(plan=plan, name="โครงการที่สี่", dimension=dimensions[4], q4=True, user=SYSTEM)
    before = names(plan)
    project_services.project_delete(project=plan.projects.get(sequence=2), user=SYSTEM)
    assert rows(plan) == [(1, before[0]), (2, before[2]), (3, before[3])]
    project_services.project_delete(project=plan.projects.get(sequence=1), user=SYSTEM)
    assert rows(plan) == [(1, before[2]), (2, before[3])]


def test_project_move_up_and_down(plan):
    first, second, third = names(plan)
    project_services.project_move(project=plan.projects.get(name=third), offset=-1, user=SYSTEM)
    assert names(plan) == [first, third, second]
    project_services.project_move(project=plan.projects.get(name=first), offset=+1, user=SYSTEM)
    assert names(plan) == [third, first, second]
    assert [s for s, _ in rows(plan)] == [1, 2, 3]


def test_project_move_past_either_end_changes_nothing(plan):
    before = rows(plan)
    project_services.project_move(project=plan.projects.get(sequence=1), offset=-1, user=SYSTEM)
    project_services.project_move(project=plan.projects.get(sequence=3), offset=+1, user=SYSTEM)
    assert rows(plan) == before


# --- approval and versions -----------------------------------------------------------------


def test_only_the_executive_approves(plan, staff, auditor, other_staff):
    for user in (staff, auditor, other_staff):
        with pytest.raises(PermissionDenied):
            services.plan_approve(plan=plan, user=user)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert not plan.versions.exists()


def test_first_approval_freezes_the_baseline(plan, executive):
    version = services.plan_approve(plan=plan, user=executive)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_by == executive
    assert version.number == 0
    assert version.label == "ตั้งต้น"
    assert version.created_by == executive
    assert [(r["sequence"], r["name"]) for r in version.snapshot] == rows(plan)
    by_name = {r["name"]: r for r in version.snapshot}
    training = plan.projects.get(sequence=1)
    assert Decimal(by_name[training.name]["budget"]) == training.budget
    assert by_name[training.name]["quarters"] == training.quarters
    assert by_name[training.name]["dimension"] == training.dimension.number


def test_approving_twice_without_changes_is_refused(plan, executive):
    services.plan_approve(plan=plan, user=executive)
    with pytest.raises(ValidationError):
        services.plan_approve(plan=plan, user=executive)
    assert plan.versions.count() == 1


def test_change_after_approval_is_marked_added_and_needs_a_new_approval(plan, executive, dimensions):
    services.plan_approve(plan=plan, user=executive)
    baseline = list(PlanVersion.objects.get(plan=plan, number=0).snapshot)

    added = project_services.project_create(plan=plan, name="มาตรการเพิ่มเติมกลางปี", dimension=dimensions[2], q3=True, user=executive)

    assert added.is_added is True
    assert added.dimension_label == "*2"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT

    revision = services.plan_approve(plan=plan, user=executive)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert revision.number == 1
    assert revision.label == "ฉบับปรับปรุง ครั้งที่ 1"
    assert [r["name"] for r in revision.snapshot][-1] == added.name
    assert revision.snapshot[-1]["is_added"] is True
    # The baseline stays as it was approved.
    assert PlanVersion.objects.get(plan=plan, number=0).snapshot == baseline
    assert len(baseline) == 3


def test_editing_an_approved_plan_reopens_it(plan, executive):
    services.plan_approve(plan=plan, user=executive)
    project = plan.projects.get(sequence=2)
    project_services.project_update(project=project, budget=Decimal("1500.00"), user=executive)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_approving_an_empty_plan_is_refused(org, executive):
    empty = services.plan_create(organisation=org, fiscal_year=2570, user=executive)
    with pytest.raises(ValidationError):
        services.plan_approve(plan=empty, user=executive)
    assert not empty.versions.exists()


# --- plan creation and copying ---------------------------------------------------------------


def test_plan_create_refuses_a_second_plan_for_the_year_and_years_without_framework(plan, org):
    with pytest.raises(ValidationError):
        services.plan_create(organisation=org, fiscal_year=2569, user=SYSTEM)
    with pytest.raises(ValidationError):
        services.plan_create(organisation=org, fiscal_year=2580, user=SYSTEM)
    assert Plan.objects.filter(organisation=org).count() == 1


def test_copy_to_next_year_copies_projects_and_sheets_but_not_progress(plan, executive):
    first = plan.projects.get(sequence=1)
    save_sheet(first)
    progress_services.progress_record(project=first, quarter=2, status=ProgressStatus.DONE,
                             amount_spent=Decimal("9000.00"), result="อบรมแล้ว", user=executive)
    services.plan_approve(plan=plan, user=executive)

    new_plan = services.plan_copy_to_next_year(plan=plan, user=executive)

    assert new_plan.fiscal_year == 2570
    assert new_plan.organisation == plan.organisation
    assert new_plan.copied_from == plan
    assert new_plan.status == PlanStatus.DRAFT
    assert not new_plan.versions.exists()

    def table(p):
        return [(x.sequence, x.name, x.kind, x.dimension.number, x.budget, x.quarters, x.remark,
                 x.responsible_unit_id)
                for x in p.projects.select_related("dimension").order_by("sequence")]

    assert table(new_plan) == table(plan)
    assert not new_plan.projects.filter(is_added=True).exists()
    assert not ProjectProgress.objects.filter(project__plan=new_plan).exists()
    assert ProjectProgress.objects.filter(project__plan=plan).count() == 1  # the old plan keeps its own

    old_sheet = first.sheet
    new_sheet = new_plan.projects.get(sequence=1).sheet
    assert new_sheet.duration == "ปีงบประมาณ พ.ศ. 2570 (ไตรมาส 2-3)"
    assert old_sheet.duration == "ปีงบประมาณ พ.ศ. 2569 (ไตรมาส 2-3)"
    assert new_sheet.rationale == old_sheet.rationale
    assert [o.text for o in new_sheet.objectives.all()] == [o.text for o in old_sheet.objectives.all()]
    assert new_sheet.numbered_steps() == old_sheet.numbered_steps()
    assert [i.text for i in new_sheet.indicators.all()] == [i.text for i in old_sheet.indicators.all()]
    assert [(g.description, g.count, g.unit) for g in new_sheet.target_groups.all()] == [("บุคลากร", 35, "คน")]
    assert DetailSheet.objects.filter(project__plan=new_plan).count() == 1

    with pytest.raises(ValidationError):
        services.plan_copy_to_next_year(plan=plan, user=executive)


def test_copy_shifts_only_the_whole_year(plan):
    first = plan.projects.get(sequence=1)
    save_sheet(first, duration="1 ตุลาคม 2568 - 30 กันยายน 2569 (รหัสงาน 125690)")
    new_plan = services.plan_copy_to_next_year(plan=plan, user=SYSTEM)
    assert new_plan.projects.get(sequence=1).sheet.duration == "1 ตุลาคม 2568 - 30 กันยายน 2570 (รหัสงาน 125690)"

"""plans.services, the computed parts of the models, the progress summary, and the demo data."""

import functools
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Membership, Organisation, Person, Unit
from plans import selectors, services
from plans.models import (
    DetailSheet,
    Framework,
    MethodStep,
    Plan,
    PlanStatus,
    PlanVersion,
    ProgressStatus,
    Project,
    ProjectKind,
    ProjectProgress,
    SheetIndicator,
    SheetObjective,
    TargetGroup,
)
from plans.progress import services as progress_services
from plans.projects import services as project_services

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


def _sheet(project, **overrides):
    data = dict(
        user=SYSTEM,
        rationale="ย่อหน้าแรก\n\nย่อหน้าที่สอง",
        duration="ปีงบประมาณ พ.ศ. 2569 (ไตรมาส 2-3)",
        budget_note="จากข้อบัญญัติงบประมาณรายจ่ายประจำปี",
        objectives=["เพื่อเสริมสร้างคุณธรรม", "เพื่อป้องกันการทุจริต"],
        target_groups=[{"description": "บุคลากร", "count": 35, "unit": "คน"}],
        steps=[{"text": "ขออนุมัติโครงการ", "level": 1}, {"text": "จัดทำคำสั่ง", "level": 2},
               {"text": "ดำเนินการอบรม", "level": 1}],
        outputs=[{"statement": "บุคลากรเข้าร่วมอบรม", "comparator": "ไม่น้อยกว่า",
                  "target_value": Decimal("80"), "unit": "ร้อยละ"}],
        outcomes=[{"statement": "มีคู่มือ", "comparator": "อย่างน้อย", "target_value": Decimal("1"),
                   "unit": "ฉบับ"}],
    )
    data.update(overrides)
    return project_services.detail_sheet_save(project=project, **data)


def test_copy_to_next_year_copies_projects_and_sheets_but_not_progress(plan, executive):
    first = plan.projects.get(sequence=1)
    _sheet(first)
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
    _sheet(first, duration="1 ตุลาคม 2568 - 30 กันยายน 2569 (รหัสงาน 125690)")
    new_plan = services.plan_copy_to_next_year(plan=plan, user=SYSTEM)
    assert new_plan.projects.get(sequence=1).sheet.duration == "1 ตุลาคม 2568 - 30 กันยายน 2570 (รหัสงาน 125690)"


# --- detail sheets -------------------------------------------------------------------------


def test_detail_sheet_save_replaces_parts_in_the_given_order(plan):
    project = plan.projects.get(sequence=1)
    _sheet(project)
    sheet = _sheet(
        project,
        objectives=["ข้อสาม", "", "  ", "ข้อหนึ่ง"],
        steps=[{"text": "ขั้นที่ ก", "level": 1}],
        outputs=[],
        outcomes=[{"statement": "ประชาชนพึงพอใจ", "comparator": "ไม่น้อยกว่า", "target_value": Decimal("85"),
                   "unit": "ร้อยละ"}],
        target_groups=[],
    )
    sheet = DetailSheet.objects.get(pk=sheet.pk)
    assert [o.text for o in sheet.objectives.all()] == ["ข้อสาม", "ข้อหนึ่ง"]
    assert [s.text for s in sheet.steps.all()] == ["ขั้นที่ ก"]
    assert sheet.outputs == []
    assert [i.text for i in sheet.outcomes] == ["ประชาชนพึงพอใจ ไม่น้อยกว่าร้อยละ 85"]
    assert not sheet.target_groups.exists()
    assert DetailSheet.objects.filter(project=project).count() == 1
    assert SheetObjective.objects.filter(sheet=sheet).count() == 2


@pytest.mark.parametrize("steps", [
    [{"text": "ย่อยลอย ๆ", "level": 2}],
    [{"text": "หลัก", "level": 1}, {"text": "ข้ามระดับ", "level": 3}],
])
def test_detail_sheet_rejects_substep_without_a_parent_and_keeps_the_old_sheet(plan, steps):
    project = plan.projects.get(sequence=1)
    _sheet(project)
    with pytest.raises(ValidationError):
        _sheet(project, rationale="ข้อความใหม่", objectives=["ใหม่"], steps=steps)
    sheet = DetailSheet.objects.get(project=project)
    assert sheet.rationale == "ย่อหน้าแรก\n\nย่อหน้าที่สอง"
    assert [o.text for o in sheet.objectives.all()] == ["เพื่อเสริมสร้างคุณธรรม", "เพื่อป้องกันการทุจริต"]
    assert MethodStep.objects.filter(sheet=sheet).count() == 3


def test_detail_sheet_rejects_target_without_unit(plan):
    project = plan.projects.get(sequence=2)
    with pytest.raises(ValidationError):
        _sheet(project, outputs=[{"statement": "มีคู่มือ", "comparator": "อย่างน้อย",
                                  "target_value": Decimal("1"), "unit": ""}])
    assert not DetailSheet.objects.filter(project=project).exists()


def test_numbered_steps(plan):
    sheet = _sheet(plan.projects.get(sequence=1), steps=[
        {"text": "ก", "level": 1}, {"text": "ก1", "level": 2}, {"text": "ก2", "level": 2},
        {"text": "ข", "level": 1}, {"text": "ข1", "level": 2}, {"text": "ข1ก", "level": 3},
        {"text": "ค", "level": 1},
    ])
    numbered = DetailSheet.objects.get(pk=sheet.pk).numbered_steps()
    assert [(s["number"], s["text"]) for s in numbered] == [
        ("1", "ก"), ("1.1", "ก1"), ("1.2", "ก2"), ("2", "ข"), ("2.1", "ข1"), ("2.1.1", "ข1ก"), ("3", "ค"),
    ]
    assert [s["level"] for s in numbered] == [1, 2, 2, 1, 2, 3, 1]


def test_indicator_text_reads_as_a_sentence(plan):
    sheet = _sheet(plan.projects.get(sequence=1), outputs=[
        {"statement": "ผู้เข้าร่วมมีความพึงพอใจ", "comparator": "ไม่น้อยกว่า", "target_value": Decimal("80"),
         "unit": "ร้อยละ"},
        {"statement": "จัดทำคู่มือ", "comparator": "อย่างน้อย", "target_value": Decimal("1"), "unit": "ฉบับ"},
        {"statement": "มีผู้เข้าร่วม", "comparator": "จำนวน", "target_value": Decimal("12.5"), "unit": "คน"},
        {"statement": "มีการประชาสัมพันธ์อย่างทั่วถึง", "comparator": "", "target_value": None, "unit": ""},
    ])
    texts = [i.text for i in SheetIndicator.objects.filter(sheet=sheet, kind="output").order_by("order")]
    assert texts == [
        "ผู้เข้าร่วมมีความพึงพอใจ ไม่น้อยกว่าร้อยละ 80",
        "จัดทำคู่มือ อย่างน้อย 1 ฉบับ",
        "มีผู้เข้าร่วม จำนวน 12.5 คน",
        "มีการประชาสัมพันธ์อย่างทั่วถึง",
    ]


def test_budget_text(plan):
    free = plan.projects.get(sequence=2)
    assert free.budget == 0
    assert free.budget_text == "ดำเนินการโดยไม่ใช้งบประมาณ"
    paid = plan.projects.get(sequence=1)
    assert paid.budget == Decimal("10000.00")
    assert "10,000.00" in paid.budget_text
    assert "หนึ่งหมื่นบาทถ้วน" in paid.budget_text
    odd = plan.projects.get(sequence=3)
    assert "5,000.50" in odd.budget_text
    assert "ห้าพันบาทห้าสิบสตางค์" in odd.budget_text


# --- progress ------------------------------------------------------------------------------


@pytest.fixture
def progress(plan):
    """Recorded out of order: the quarter, not the time of recording, decides the status."""
    training, measure, forum = plan.projects.order_by("sequence")
    record = functools.partial(progress_services.progress_record, user=SYSTEM)
    record(project=training, quarter=3, status=ProgressStatus.IN_PROGRESS, amount_spent=Decimal("4000"))
    record(project=training, quarter=1, status=ProgressStatus.IN_PROGRESS, amount_spent=Decimal("1000"))
    record(project=training, quarter=2, status=ProgressStatus.DONE, amount_spent=Decimal("2000.25"))
    record(project=measure, quarter=4, status=ProgressStatus.CANCELLED)
    record(project=measure, quarter=1, status=ProgressStatus.DONE)
    return training, measure, forum


def _check_adds_up(summary, plan):
    assert summary.total.projects == plan.projects.count()
    assert sum(r.projects for r in summary.rows) == summary.total.projects
    assert sum(r.spent for r in summary.rows) == summary.total.spent
    assert sum(r.budget for r in summary.rows) == summary.total.budget == sum(p.budget for p in plan.projects.all())
    for row in [*summary.rows, summary.total]:
        assert sum(row.by_status.values()) == row.projects, row.label
    for status in ProgressStatus.values:
        assert sum(r.by_status[status] for r in summary.rows) == summary.total.by_status[status]


def test_progress_summary_six_months(plan, progress):
    training, measure, forum = progress
    summary = selectors.progress_summary(plan, months=6)
    assert summary.last_quarter == 2
    by_pk = {p.pk: p for p in summary.projects}
    assert by_pk[training.pk].period_status == ProgressStatus.DONE
    assert by_pk[training.pk].period_spent == Decimal("3000.25")
    assert by_pk[measure.pk].period_status == ProgressStatus.DONE
    assert by_pk[forum.pk].period_status == ProgressStatus.NOT_STARTED
    assert by_pk[forum.pk].period_spent == 0
    assert summary.total.spent == Decimal("3000.25")
    assert summary.total.by_status[ProgressStatus.DONE] == 2
    assert summary.total.by_status[ProgressStatus.NOT_STARTED] == 1
    assert summary.total.by_status[ProgressStatus.CANCELLED] == 0
    dim1 = next(r for r in summary.rows if r.label.startswith("มิติที่ 1"))
    assert (dim1.projects, dim1.by_status[ProgressStatus.DONE], dim1.spent) == (1, 1, Decimal("3000.25"))
    dim4 = next(r for r in summary.rows if r.label.startswith("มิติที่ 4"))
    assert dim4.projects == 0
    assert len(summary.rows) == 4
    _check_adds_up(summary, plan)


def test_progress_summary_twelve_months(plan, progress):
    training, measure, forum = progress
    summary = selectors.progress_summary(plan, months=12)
    assert summary.last_quarter == 4
    by_pk = {p.pk: p for p in summary.projects}
    assert by_pk[training.pk].period_status == ProgressStatus.IN_PROGRESS  # quarter 3 is the latest
    assert by_pk[training.pk].period_spent == Decimal("7000.25")
    assert by_pk[measure.pk].period_status == ProgressStatus.CANCELLED
    assert summary.total.spent == Decimal("7000.25")
    assert summary.total.by_status[ProgressStatus.IN_PROGRESS] == 1
    assert summary.total.by_status[ProgressStatus.CANCELLED] == 1
    assert summary.total.by_status[ProgressStatus.NOT_STARTED] == 1
    _check_adds_up(summary, plan)


def test_progress_summary_only_for_six_or_twelve_months(plan):
    with pytest.raises(ValueError):
        selectors.progress_summary(plan, months=9)


def test_progress_record_updates_the_same_quarter(plan):
    project = plan.projects.get(sequence=1)
    progress_services.progress_record(project=project, quarter=2, status=ProgressStatus.IN_PROGRESS,
                             amount_spent=Decimal("100"), user=SYSTEM)
    progress_services.progress_record(project=project, quarter=2, status=ProgressStatus.DONE, amount_spent=Decimal("250"), user=SYSTEM)
    (only,) = ProjectProgress.objects.filter(project=project)
    assert (only.status, only.amount_spent) == (ProgressStatus.DONE, Decimal("250.00"))
    with pytest.raises(ValidationError):
        progress_services.progress_record(project=project, quarter=3, status=ProgressStatus.DONE,
                                 amount_spent=Decimal("-1"), user=SYSTEM)
    assert ProjectProgress.objects.filter(project=project).count() == 1


# --- the demo ------------------------------------------------------------------------------

DEMO_MODELS = [Organisation, Unit, Person, Membership, Plan, PlanVersion, Project, DetailSheet, SheetObjective,
               TargetGroup, MethodStep, SheetIndicator, ProjectProgress]


def test_seed_demo_is_idempotent(seeded, django_user_model):
    def counts():
        return {m.__name__: m.objects.count() for m in [*DEMO_MODELS, django_user_model]}

    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before


def test_demo_plan_rows(seeded):
    projects = list(seeded.plan.projects.select_related("dimension").order_by("sequence"))
    assert len(projects) == 31
    assert [p.sequence for p in projects] == list(range(1, 32))
    assert [p.sequence for p in projects if p.is_added] == [30, 31]
    assert [p.dimension_label for p in projects[29:]] == ["*1", "*2"]
    assert all(not p.dimension_label.startswith("*") for p in projects[:29])
    assert all(p.added_note for p in projects[29:])  # the footnote printed under the table
    assert seeded.plan.versions.count() == 2
    assert len(seeded.plan.versions.get(number=0).snapshot) == 29
    assert DetailSheet.objects.filter(project__plan=seeded.plan).count() == 29


def test_every_demo_sheet_has_an_output_or_outcome(seeded):
    sheets = DetailSheet.objects.filter(project__plan=seeded.plan).prefetch_related("indicators")
    empty = [s.project.sequence for s in sheets if not (s.outputs or s.outcomes)]
    assert empty == []


THAI_DIGITS = re.compile("[๐-๙]")


def test_demo_sheets_are_clean_text_for_an_sao(seeded):
    assert "เทศบาล" not in seeded.org.name
    texts = []
    sheets = DetailSheet.objects.filter(project__plan=seeded.plan).select_related("project").prefetch_related(
        "objectives", "target_groups", "steps", "indicators")
    for sheet in sheets:
        where = f"sheet of project {sheet.project.sequence}"
        texts += [(where, t) for t in (sheet.rationale, sheet.duration, sheet.budget_note, sheet.responsible,
                                       sheet.duration_text, sheet.responsible_text, sheet.project.name)]
        texts += [(where, o.text) for o in sheet.objectives.all()]
        texts += [(where, f"{g.description} {g.unit}") for g in sheet.target_groups.all()]
        texts += [(where, s.text) for s in sheet.steps.all()]
        texts += [(where, f"{i.statement} {i.unit} {i.text}") for i in sheet.indicators.all()]
    assert len(texts) > 29 * 7
    for where, text in texts:
        assert "ระบุชื่อ" not in text, (where, text)
        assert "เทศบาล" not in text, (where, text)
        assert not THAI_DIGITS.search(text), (where, text)

"""plans.services and the computed parts of the models: detail sheets and their sentences, quarterly progress and the progress summary."""

import functools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lao_integrity.orgs.access import SYSTEM
from plans import selectors
from plans.models import (
    DetailSheet,
    MethodStep,
    ProgressStatus,
    ProjectProgress,
    SheetIndicator,
    SheetObjective,
)
from plans.progress import services as progress_services
from tests.plans.sheets import save_sheet

pytestmark = pytest.mark.django_db


# --- detail sheets -------------------------------------------------------------------------


def test_detail_sheet_save_replaces_parts_in_the_given_order(plan):
    project = plan.projects.get(sequence=1)
    save_sheet(project)
    sheet = save_sheet(
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
    save_sheet(project)
    with pytest.raises(ValidationError):
        save_sheet(project, rationale="ข้อความใหม่", objectives=["ใหม่"], steps=steps)
    sheet = DetailSheet.objects.get(project=project)
    assert sheet.rationale == "ย่อหน้าแรก\n\nย่อหน้าที่สอง"
    assert [o.text for o in sheet.objectives.all()] == ["เพื่อเสริมสร้างคุณธรรม", "เพื่อป้องกันการทุจริต"]
    assert MethodStep.objects.filter(sheet=sheet).count() == 3


def test_detail_sheet_rejects_target_without_unit(plan):
    project = plan.projects.get(sequence=2)
    with pytest.raises(ValidationError):
        save_sheet(project, outputs=[{"statement": "มีคู่มือ", "comparator": "อย่างน้อย",
                                  "target_value": Decimal("1"), "unit": ""}])
    assert not DetailSheet.objects.filter(project=project).exists()


def test_numbered_steps(plan):
    sheet = save_sheet(plan.projects.get(sequence=1), steps=[
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
    sheet = save_sheet(plan.projects.get(sequence=1), outputs=[
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
    record(project=measure, quarter=4, status=ProgressStatus.UNABLE, unable_reason="งดจัด")
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
    # The forum is planned for quarters 3-4 only: at 6 months it is not due yet, not late.
    assert by_pk[forum.pk].period_status == selectors.NOT_DUE
    assert by_pk[forum.pk].period_spent == 0
    assert summary.total.spent == Decimal("3000.25")
    assert summary.total.by_status[ProgressStatus.DONE] == 2
    assert summary.total.by_status[ProgressStatus.NOT_STARTED] == 0
    assert summary.total.by_status[selectors.NOT_DUE] == 1
    assert summary.total.by_status[ProgressStatus.UNABLE] == 0
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
    assert by_pk[measure.pk].period_status == ProgressStatus.UNABLE
    assert summary.total.spent == Decimal("7000.25")
    assert summary.total.by_status[ProgressStatus.IN_PROGRESS] == 1
    assert summary.total.by_status[ProgressStatus.UNABLE] == 1
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

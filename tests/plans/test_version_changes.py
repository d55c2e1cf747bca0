"""plans/versions/selectors.py: what changed since the last approved version, project by project and
field by field, in a fixed number of queries."""

from decimal import Decimal

import pytest

from plans import services
from plans.models import ProjectKind
from plans.projects import services as project_services
from plans.versions import selectors
from plans.versions.selectors import ADDED, CHANGED, REMOVED

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(plan, executive):
    """The fixture plan approved once (its baseline), then changed by the test."""
    services.plan_approve(plan=plan, user=executive)
    plan.refresh_from_db()
    return plan


def project(plan, sequence):
    return plan.projects.get(sequence=sequence)


def texts(changes):
    return [(item.action, item.row.name, [f.text for f in item.fields]) for item in changes.items]


def test_a_plan_never_approved_says_there_is_nothing_to_compare_with(plan):
    changes = selectors.plan_changes(plan)
    assert changes.first_version and changes.pending
    assert changes.items == []
    assert (changes.count_after, changes.budget_after) == (3, Decimal("15000.50"))


def test_nothing_changed_since_approval_lists_nothing(approved):
    changes = selectors.plan_changes(approved)
    assert not changes.first_version
    assert changes.base.label == "ตั้งต้น"
    assert changes.items == []
    assert changes.after_label == "แผนปัจจุบัน"


def test_an_added_project_is_listed_as_added(approved, executive, dimensions):
    project_services.project_create(plan=approved, name="มาตรการใหม่กลางปี", dimension=dimensions[4],
                                    budget=Decimal("2500"), q4=True, user=executive)
    approved.refresh_from_db()
    changes = selectors.plan_changes(approved)
    assert texts(changes) == [(ADDED, "มาตรการใหม่กลางปี", [])]
    assert changes.added[0].row.sequence == 4
    assert changes.after_label == "ร่างฉบับปรับปรุง ครั้งที่ 1"
    assert (changes.count_before, changes.count_after) == (3, 4)
    assert changes.budget_text == "15,000.50 → 17,500.50 บาท"


def test_a_removed_project_is_listed_and_the_rows_below_are_not_reported_as_moved(approved, executive):
    first = project(approved, 1)
    project_services.project_delete(project=first, user=executive)
    changes = selectors.plan_changes(approved)
    assert texts(changes) == [(REMOVED, first.name, [])]
    assert changes.removed[0].row.sequence == 1  # where it was


FIELD_CASES = {
    "name": ({"name": "โครงการอบรมจริยธรรม (ปรับปรุง)"},
             "ชื่อ: “โครงการอบรมคุณธรรมจริยธรรมบุคลากร” → “โครงการอบรมจริยธรรม (ปรับปรุง)”"),
    "kind": ({"kind": ProjectKind.MEASURE}, "ประเภท: โครงการ → มาตรการ"),
    "dimension": ({"dimension": 2}, "มิติ: 1 → 2"),
    "budget": ({"budget": Decimal("80000")}, "งบประมาณปี 2569: 10,000.00 → 80,000.00 บาท"),
    "quarters": ({"q4": True}, "ไตรมาสที่ดำเนินการ: 2, 3 → 2, 3, 4"),
    "unit": ({"responsible_unit": "กองคลัง"}, "หน่วยงานรับผิดชอบ: สำนักปลัด → กองคลัง"),
    "remark": ({"remark": "ร่วมกับกองคลัง"}, "หมายเหตุ: (ว่าง) → “ร่วมกับกองคลัง”"),
    "is_added": ({"is_added": True}, "เพิ่มเติมหลังแผนตั้งต้น: ไม่ใช่ → ใช่"),
    "added_note": ({"added_note": "ตามมติสภา"}, "เชิงอรรถ: (ว่าง) → “ตามมติสภา”"),
}


@pytest.mark.parametrize("case", FIELD_CASES, ids=list(FIELD_CASES))
def test_each_recorded_field_changed_is_reported_alone(approved, executive, dimensions, units, case):
    fields, expected = FIELD_CASES[case]
    fields = dict(fields)
    if "dimension" in fields:
        fields["dimension"] = dimensions[fields["dimension"]]
    if "responsible_unit" in fields:
        fields["responsible_unit"] = units[fields["responsible_unit"]]
    training = project(approved, 1)
    before = training.name
    project_services.project_update(project=training, user=executive, **fields)
    changes = selectors.plan_changes(approved)
    assert [(item.action, [f.text for f in item.fields]) for item in changes.items] == [(CHANGED, [expected])]
    assert changes.changed[0].row.name == fields.get("name", before)


def test_several_fields_of_one_project_are_one_change(approved, executive):
    project_services.project_update(project=project(approved, 3), budget=Decimal("6000"), q1=True, remark="",
                                    user=executive)
    assert texts(selectors.plan_changes(approved)) == [(CHANGED, "กิจกรรมจัดเวทีประชาคม", [
        "งบประมาณปี 2569: 5,000.50 → 6,000.00 บาท", "ไตรมาสที่ดำเนินการ: 3, 4 → 1, 3, 4",
        "หมายเหตุ: “ร่วมกับกองช่าง” → (ว่าง)"])]


def test_a_moved_project_is_one_change_of_its_number(approved, executive):
    project_services.project_move(project=project(approved, 3), offset=-1, user=executive)
    changes = selectors.plan_changes(approved)
    assert len(changes.changed) == 1
    assert [f.label for f in changes.changed[0].fields] == ["ลำดับที่"]
    assert not changes.added and not changes.removed


def test_add_remove_and_change_together_are_listed_removed_added_changed(approved, executive, dimensions):
    project_services.project_delete(project=project(approved, 2), user=executive)
    project_services.project_update(project=project(approved, 1), budget=Decimal("12000"), user=executive)
    project_services.project_create(plan=approved, name="กิจกรรมใหม่", dimension=dimensions[3], q2=True,
                                    user=executive)
    assert [item.action for item in selectors.plan_changes(approved).items] == [REMOVED, ADDED, CHANGED]


def test_a_version_frozen_before_ids_were_recorded_is_matched_by_name_then_number(approved, executive, units):
    version = approved.versions.get()
    version.snapshot = [{k: v for k, v in row.items() if k not in ("project", "responsible_unit", "added_note")}
                        for row in version.snapshot]
    version.save()
    project_services.project_update(project=project(approved, 2), name="มาตรการชื่อใหม่", user=executive)
    project_services.project_update(project=project(approved, 1), responsible_unit=units["กองช่าง"],
                                    user=executive)
    # Renamed: matched by its number; the unit was not recorded then, so it is not reported.
    assert texts(selectors.plan_changes(approved)) == [
        (CHANGED, "มาตรการชื่อใหม่", ["ชื่อ: “มาตรการป้องกันผลประโยชน์ทับซ้อน” → “มาตรการชื่อใหม่”"])]


def test_the_comparison_costs_two_queries_at_any_size(approved, executive, dimensions,
                                                      django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.plan_changes(approved)
    for n in range(6):
        project_services.project_create(plan=approved, name=f"กิจกรรมที่ {n}", dimension=dimensions[1], q1=True,
                                        user=executive)
    services.plan_approve(plan=approved, user=executive)
    project_services.project_update(project=project(approved, 1), budget=Decimal("1"), user=executive)
    approved.refresh_from_db()
    with django_assert_num_queries(2):
        changes = selectors.plan_changes(approved)
    assert len(changes.items) == 1 and changes.base.number == 1

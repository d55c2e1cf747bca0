"""A detail sheet saved through the service, with fields to override: for the plan service tests."""

from decimal import Decimal

from lao_integrity.orgs.access import SYSTEM
from plans.projects import services as project_services


def save_sheet(project, **overrides):
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

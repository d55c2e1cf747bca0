"""Demo obligations for อบต.บ้านแหง (5205401) around early December 2569 (FY 2570, quarter 1):
some done (the 2569 plan approved, its 6-month report), some due soon (No Gift 2570, November's
monthly measure report, the OIT window), some overdue (the 2569 plan announcement waiting for its
signature, the 12-month report, a measure past its deadline). Run after the domain apps' demos.

The kernel imports no domain app: their models are named by string, as rows of demo data."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.utils import timezone

from lao_integrity.orgs.models import Organisation

from .models import DatedWindow

CODE = "5205401"
WINDOWS = [
    (2570, "ตอบแบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ในระบบ ITAS", datetime.date(2026, 12, 1),
     datetime.date(2027, 1, 31)),
    (2570, "อุทธรณ์ผลคะแนน OIT ในระบบ ITAS", datetime.date(2027, 3, 1), datetime.date(2027, 3, 15)),
]
MEASURES = [  # title, cadence, deadline
    ("เผยแพร่ข้อมูลข่าวสารการจัดซื้อจัดจ้างรายเดือนบนเว็บไซต์", "monthly", None),
    ("ประชุมชี้แจงประมวลจริยธรรมและการป้องกันผลประโยชน์ทับซ้อนแก่บุคลากร", "quarterly",
     datetime.date(2026, 11, 30)),
    ("ปรับปรุงช่องทางรับเรื่องร้องเรียนการทุจริตบนเว็บไซต์", "quarterly", None),
]


def seed(*, users: dict) -> list[str]:
    organisation = Organisation.objects.filter(code=CODE).first()
    if organisation is None:
        return []
    for fiscal_year, title, opens_on, closes_on in WINDOWS:
        DatedWindow.objects.get_or_create(fiscal_year=fiscal_year, title=title,
                                          defaults={"opens_on": opens_on, "closes_on": closes_on})
    lines = [f"กำหนดการ: ช่วงเวลา ITA/OIT ปีงบประมาณ 2570 {len(WINDOWS)} ช่วง"]
    if apps.is_installed("plans"):
        lines += _six_month_report(organisation, users)
    if apps.is_installed("ita"):
        lines += _measures(organisation, users)
    return lines


def _six_month_report(organisation, users) -> list[str]:
    """Every project of the 2569 plan reported for quarter 2: the 6-month report is done."""
    Plan, Progress = apps.get_model("plans", "Plan"), apps.get_model("plans", "ProjectProgress")
    plan = Plan.objects.filter(organisation=organisation, fiscal_year=2569).first()
    if plan is None:
        return []
    have = set(Progress.objects.filter(project__plan=plan, quarter=2).values_list("project_id", flat=True))
    Progress.objects.bulk_create([
        Progress(project=project, quarter=2, status="in_progress", result="ดำเนินการตามแผน",
                 updated_by=users.get("staff"))
        for project in plan.projects.exclude(pk__in=have)])
    return ["กำหนดการ: รายงานผลรอบ 6 เดือน 2569 ของบ้านแหงครบทุกโครงการ"]


def _measures(organisation, users) -> list[str]:
    Measure, Progress = apps.get_model("ita", "Measure"), apps.get_model("ita", "MeasureProgress")
    made = 0
    for order, (title, cadence, deadline) in enumerate(MEASURES, start=1):
        measure, created = Measure.objects.get_or_create(
            organisation=organisation, fiscal_year=2570, title=title,
            defaults={"cadence": cadence, "deadline": deadline, "order": order, "responsible_text": "สำนักปลัด"})
        made += created
        if cadence == "monthly" and created:
            # October's report, written in early November: October is done, November is not yet.
            progress = Progress.objects.create(measure=measure, quarter=1, status="in_progress",
                                               result="เผยแพร่ประกาศจัดซื้อจัดจ้างเดือนตุลาคมแล้ว")
            Progress.objects.filter(pk=progress.pk).update(
                updated_at=timezone.make_aware(datetime.datetime(2026, 11, 5, 10, 0)))
    return [f"กำหนดการ: มาตรการ ITA ปีงบประมาณ 2570 ของบ้านแหง {made} มาตรการ"] if made else []

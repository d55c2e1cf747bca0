"""The year's obligations as shipped (README, "Obligations"): an administrator edits them in the
admin. Dates from the documents: progress reported in e-PlanNACC at 6 months (within April) and 12
months (within October after the year); the plan announcement public at least 30 days; agreement
rounds 1 Oct - 31 Mar and 1 Apr - 30 Sep, signed at the start and evaluated after the end; the
ITA measures announced after the results (seed: 1 April); No Gift before the new-year season."""

from django.db import migrations

YEAR = "ปีงบประมาณ {ปีงบประมาณ}"
RULES = [
    # key, title, provider, month, day, after_year_end, days_after, due_soon_days, responsible
    ("ita-windows", "{เรื่อง}", "obligations.windows", None, None, False, None, 14, "staff"),
    ("plan-approved", f"อนุมัติแผนปฏิบัติการป้องกันการทุจริต {YEAR}", "plans.approved",
     10, 31, False, None, 14, "executive"),
    ("plan-announced", f"ลงนามประกาศใช้แผนปฏิบัติการป้องกันการทุจริต {YEAR}", "plans.announced",
     11, 30, False, None, 14, "executive"),
    ("plan-kept-public", f"เผยแพร่ประกาศใช้แผน {YEAR} ไว้โดยเปิดเผยไม่น้อยกว่า 30 วัน",
     "announcements.plan_kept_public", None, None, False, 30, 0, "staff"),
    ("no-gift", f"ลงนามประกาศนโยบายไม่รับของขวัญ (No Gift Policy) {YEAR}", "announcements.no_gift_signed",
     12, 15, False, None, 21, "executive"),
    ("agreement-round1-signed", f"ลงนามข้อตกลงการปฏิบัติราชการ รอบที่ 1 {YEAR}", "agreements.round1_signed",
     10, 31, False, None, 14, "executive"),
    ("plan-report-6-months", f"รายงานผลการดำเนินงานตามแผนรอบ 6 เดือน {YEAR} (e-PlanNACC)",
     "plans.report_6_months", 4, 30, False, None, 30, "staff"),
    ("ita-measures-announced", f"ลงนามประกาศมาตรการส่งเสริมคุณธรรมและความโปร่งใส {YEAR}",
     "ita.measures_announced", 4, 30, False, None, 30, "executive"),
    ("agreement-round1-evaluated", f"ประเมินผลข้อตกลงการปฏิบัติราชการ รอบที่ 1 {YEAR}",
     "agreements.round1_evaluated", 4, 30, False, None, 14, "executive"),
    ("agreement-round2-signed", f"ลงนามข้อตกลงการปฏิบัติราชการ รอบที่ 2 {YEAR}", "agreements.round2_signed",
     4, 30, False, None, 14, "executive"),
    ("ita-measure-progress", f"รายงานผลมาตรการ {{เรื่อง}} {YEAR}", "ita.measure_progress",
     None, None, False, 15, 14, "staff"),
    ("ita-measure-deadline", f"มาตรการ {{เรื่อง}} แล้วเสร็จตามกำหนด {YEAR}", "ita.measure_deadline",
     None, None, False, 0, 14, "staff"),
    ("plan-report-12-months", f"รายงานผลการดำเนินงานตามแผนรอบ 12 เดือน {YEAR} (e-PlanNACC)",
     "plans.report_12_months", 10, 31, True, None, 30, "staff"),
    ("agreement-round2-evaluated", f"ประเมินผลข้อตกลงการปฏิบัติราชการ รอบที่ 2 {YEAR}",
     "agreements.round2_evaluated", 10, 31, True, None, 14, "executive"),
]


def add_rules(apps, schema_editor):
    Rule = apps.get_model("obligations", "ObligationRule")
    for order, (key, title, provider, month, day, after_year_end, days_after, soon, responsible) in enumerate(RULES):
        Rule.objects.update_or_create(key=key, defaults={
            "title": title, "provider": provider, "due_month": month, "due_day": day,
            "after_year_end": after_year_end, "days_after": days_after, "due_soon_days": soon,
            "responsible": responsible, "active": True, "order": (order + 1) * 10})


def remove_rules(apps, schema_editor):
    apps.get_model("obligations", "ObligationRule").objects.filter(key__in=[rule[0] for rule in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("obligations", "0001_initial")]
    operations = [migrations.RunPython(add_rules, remove_rules)]

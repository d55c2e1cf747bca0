from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lao_integrity.orgs.selectors import organisation_for_command
from lao_integrity.tabular import FORMATS
from plans.models import Plan
from plans.services import plan_export


class Command(BaseCommand):
    help = "ส่งออกรายการโครงการของแผนเป็นไฟล์ csv หรือ xlsx (ตามนามสกุลของไฟล์)"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="รหัส อปท. 7 หลัก หรือชื่อเต็ม")
        parser.add_argument("--fiscal-year", type=int, required=True, help="ปีงบประมาณ (พ.ศ.) เช่น 2569")
        parser.add_argument("-o", "--output", required=True, help="ไฟล์ปลายทาง .csv หรือ .xlsx")

    def handle(self, *args, org, fiscal_year, output, **options):
        path = Path(output)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError("รองรับเฉพาะไฟล์ .csv และ .xlsx")
        organisation = organisation_for_command(org)
        plan = Plan.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()
        if plan is None:
            raise CommandError(f"{organisation.name} ยังไม่มีแผนปีงบประมาณ {fiscal_year}")
        path.write_bytes(plan_export(plan=plan, fmt=fmt))
        self.stdout.write(self.style.SUCCESS(
            f"ส่งออกแล้ว: {plan.projects.count()} โครงการ -> {path}"
        ))

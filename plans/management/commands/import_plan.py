from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.selectors import organisation_for_command
from lao_integrity.tabular import ImportRejected
from plans.services import plan_import


class Command(BaseCommand):
    help = ("นำเข้ารายการโครงการของแผนจากไฟล์ csv หรือ xlsx (รูปแบบเดียวกับไฟล์ที่ส่งออก) "
            "ทั้งหมดหรือไม่นำเข้าเลย")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="รหัส อปท. 7 หลัก หรือชื่อเต็ม")
        parser.add_argument("--fiscal-year", type=int, required=True, help="ปีงบประมาณ (พ.ศ.) เช่น 2569")

    def handle(self, *args, file, org, fiscal_year, **options):
        organisation = organisation_for_command(org)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {file}")
        try:
            plan = plan_import(organisation=organisation, fiscal_year=fiscal_year, data=path.read_bytes(),
                               filename=path.name, user=SYSTEM)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"ไม่ได้นำเข้า: พบข้อผิดพลาด {len(rejected.problems)} รายการ") from None
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError("ไม่ได้นำเข้า") from None
        self.stdout.write(self.style.SUCCESS(
            f"นำเข้าแล้ว: {plan.projects.count()} โครงการ ({plan.organisation.name} ปีงบประมาณ {plan.fiscal_year})"
        ))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lao_integrity.documents.registry import kinds
from lao_integrity.orgs.selectors import organisation_for_command


class Command(BaseCommand):
    help = "สร้างเอกสาร PDF ของ อปท. เช่น render_pdf plan-book --org 5205401 --fiscal-year 2569 -o plan.pdf"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="ชนิดเอกสาร: " + ", ".join(sorted(kinds())))
        parser.add_argument("--org", required=True, help="รหัส อปท. 7 หลัก หรือชื่อเต็ม")
        parser.add_argument("--fiscal-year", type=int, required=True)
        parser.add_argument("--months", type=int, choices=[6, 12], default=12, help="สำหรับ plan-progress")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, kind, org, fiscal_year, months, output, **options):
        available = kinds()
        if kind not in available:
            raise CommandError(f"ไม่รู้จักเอกสารชนิด {kind} (ใช้ได้: {', '.join(sorted(available))})")
        organisation = organisation_for_command(org)
        try:
            pdf = available[kind].build(organisation, fiscal_year, months=months)
        except LookupError as error:
            raise CommandError(str(error)) from None
        Path(output).write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"เขียน {output} ({len(pdf):,} ไบต์)"))

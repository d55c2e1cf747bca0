from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import normalise_province
from lpa.results import documents, selectors
from lpa.results.exchange import header_and_rows


class Command(BaseCommand):
    help = ("ส่งออกผล LPA ของจังหวัดในปีงบประมาณหนึ่ง ตามแบบรายงานที่จังหวัดพิมพ์ พร้อมร้อยละ คะแนนรวม "
            "และลำดับที่คำนวณได้: .csv, .xlsx หรือ .pdf ตามนามสกุลของไฟล์")

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="จังหวัด เช่น เชียงราย")
        parser.add_argument("--fiscal-year", type=int, required=True, help="ปีงบประมาณ (พ.ศ.) เช่น 2566")
        parser.add_argument("-o", "--output", required=True, help="ไฟล์ที่จะเขียน (.csv, .xlsx หรือ .pdf)")

    def handle(self, *args, province, fiscal_year, output, **options):
        from lao_integrity.tabular import write_table

        path = Path(output)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx", "pdf"):
            raise CommandError("ไฟล์ต้องเป็น .csv, .xlsx หรือ .pdf")
        province = normalise_province(province)
        table = selectors.province_table(SYSTEM, province, fiscal_year)
        if table is None:
            raise CommandError(f"ไม่มีผล LPA ของจังหวัด{province} ปีงบประมาณ {fiscal_year}")
        if fmt == "pdf":
            path.write_bytes(documents.province_pdf(table))
        else:
            header, rows = header_and_rows(table)
            path.write_bytes(write_table(header, rows, fmt, title=f"LPA {fiscal_year}"))
        self.stdout.write(self.style.SUCCESS(f"เขียน {path} แล้ว: {len(table.rows)} อปท."))

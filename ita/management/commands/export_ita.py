from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ita.models import Result
from ita.results.exchange import export_results
from lao_integrity.tabular import FORMATS


class Command(BaseCommand):
    help = ("ส่งออกผลการประเมิน ITA ของปีงบประมาณหนึ่งเป็นไฟล์ csv หรือ xlsx (ตามนามสกุลของไฟล์) "
            "หนึ่งแถวต่อหนึ่ง อปท. นำกลับเข้าด้วย import_ita ได้")

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", type=int, required=True, help="ปีงบประมาณ (พ.ศ.) เช่น 2566")
        parser.add_argument("-o", "--output", required=True, help="ไฟล์ปลายทาง .csv หรือ .xlsx")
        parser.add_argument("--province", help="เฉพาะ อปท. ในจังหวัดนี้ เช่น ลำปาง")

    def handle(self, *args, fiscal_year, output, province=None, **options):
        path = Path(output)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError("รองรับเฉพาะไฟล์ .csv และ .xlsx")
        results = Result.objects.filter(fiscal_year=fiscal_year)
        if province:
            province = province.strip()
            results = results.filter(organisation__province=province)
        results = results.order_by("organisation__code")
        try:
            content = export_results(fiscal_year=fiscal_year, results=results, fmt=fmt)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        path.write_bytes(content)
        where = f" จังหวัด{province}" if province else ""
        self.stdout.write(self.style.SUCCESS(
            f"ส่งออกแล้ว: {results.count()} ผลการประเมิน ปีงบประมาณ {fiscal_year}{where} -> {path}"))

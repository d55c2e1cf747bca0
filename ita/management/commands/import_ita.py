from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ita.results.exchange import results_import
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.tabular import ImportRejected


class Command(BaseCommand):
    help = ("นำเข้าผลการประเมิน ITA จากไฟล์ csv หรือ xlsx ทั้งหมดหรือไม่นำเข้าเลย: "
            "แบบหนึ่งแถวต่อหนึ่งตัวชี้วัด (รหัส อปท., ปีงบประมาณ, ตัวชี้วัด, คะแนน) "
            "หรือแบบหนึ่งแถวต่อหนึ่ง อปท. (รหัส อปท., ปีงบประมาณ, ตัวชี้วัดที่ 1 … ตัวชี้วัดที่ 10) "
            "ซึ่งเป็นรูปแบบเดียวกับไฟล์ที่ export_ita ส่งออก ผลที่มีอยู่แล้วจะปรับเฉพาะคะแนนที่มีในไฟล์ คะแนนอื่นคงเดิม "
            "ผลที่ยังไม่มีต้องมีคะแนนครบทุกตัวชี้วัด")

    def add_arguments(self, parser):
        parser.add_argument("file", help="ไฟล์ .csv หรือ .xlsx")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {file}")
        try:
            summary = results_import(data=path.read_bytes(), filename=path.name, user=SYSTEM)
        except ImportRejected as rejected:
            lines = "\n".join(str(problem) for problem in rejected.problems)
            raise CommandError(f"ไม่ได้นำเข้า ข้อมูลเดิมไม่เปลี่ยนแปลง: พบข้อผิดพลาด {len(rejected.problems)} รายการ\n"
                               f"{lines}") from None
        except ValidationError as error:
            raise CommandError("ไม่ได้นำเข้า: " + " ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))

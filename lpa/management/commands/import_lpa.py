from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lao_integrity import thai
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.tabular import ImportRejected
from lpa.results.services import lpa_import


class Command(BaseCommand):
    help = ("นำเข้าผลการประเมินประสิทธิภาพ (LPA) ตามแบบรายงานที่จังหวัดพิมพ์ (ลำดับที่, ภาค, จังหวัด, อำเภอ, "
            "ประเภทอปท., ชื่อ อปท., คะแนนเต็ม คะแนนที่ได้ ร้อยละ ของ 5 ด้าน และคะแนนรวม) จากไฟล์ csv หรือ xlsx "
            "หัวตาราง 1 ถึง 3 แถว ทั้งหมดหรือไม่นำเข้าเลย ร้อยละและคะแนนรวมที่พิมพ์ต้องตรงกับที่คำนวณได้")

    def add_arguments(self, parser):
        parser.add_argument("file", help="ไฟล์ .csv หรือ .xlsx")
        parser.add_argument("--fiscal-year", type=int, required=True, help="ปีงบประมาณ (พ.ศ.) เช่น 2566")
        parser.add_argument("--data-as-of", default="", help="ข้อมูล ณ วันที่ เช่น 18/12/2566")
        parser.add_argument("--reporter", default="", help="ผู้รายงาน เช่น นายเจตณรงค์ อินกัน")
        parser.add_argument("--reporter-position", default="", help="ตำแหน่งผู้รายงาน เช่น ท้องถิ่นจังหวัดเชียงราย")

    def handle(self, *args, file, fiscal_year, data_as_of, reporter, reporter_position, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {file}")
        try:
            as_of = thai.parse_be_date(data_as_of) if data_as_of.strip() else None
        except ValueError as error:
            raise CommandError(f"ข้อมูล ณ วันที่: {error}") from None
        try:
            imported = lpa_import(data=path.read_bytes(), filename=path.name, fiscal_year=fiscal_year, user=SYSTEM,
                                  data_as_of=as_of, reporter=reporter, reporter_position=reporter_position)
        except ImportRejected as rejected:
            lines = "\n".join(str(problem) for problem in rejected.problems)
            raise CommandError(f"ไม่ได้นำเข้า ข้อมูลเดิมไม่เปลี่ยนแปลง: พบข้อผิดพลาด {len(rejected.problems)} รายการ\n"
                               f"{lines}") from None
        for note in imported.notes:
            self.stdout.write(f"หมายเหตุ {note}")
        self.stdout.write(self.style.SUCCESS(
            f"นำเข้าผล LPA ปีงบประมาณ {fiscal_year} แล้ว {imported.count} อปท. (ใหม่ {imported.created})"))

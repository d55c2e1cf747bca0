from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import organisations_import
from lao_integrity.tabular import ImportRejected


class Command(BaseCommand):
    help = "นำเข้าทะเบียน อปท. จากไฟล์ csv หรือ xlsx (คอลัมน์ รหัส,ประเภท,ชื่อ,อำเภอ,จังหวัด) ทั้งหมดหรือไม่นำเข้าเลย"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {file}")
        try:
            count = organisations_import(user=SYSTEM, data=path.read_bytes(), filename=path.name)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"ไม่ได้นำเข้า: พบข้อผิดพลาด {len(rejected.problems)} รายการ") from None
        self.stdout.write(self.style.SUCCESS(f"นำเข้า อปท. {count} รายการ"))

from django.core.management.base import BaseCommand, CommandError

from lao_integrity.jobs.services import job_prune


class Command(BaseCommand):
    help = "ลบงานเบื้องหลังที่เสร็จแล้วหรือไม่สำเร็จซึ่งเก่ากว่า N วัน พร้อมไฟล์ของงาน (ค่าเริ่มต้น 30 วัน)"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="เก็บงานที่เสร็จภายในกี่วันที่ผ่านมา (ค่าเริ่มต้น 30)")

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days ต้องไม่ติดลบ")
        count = job_prune(days=days)
        self.stdout.write(f"ลบงานเบื้องหลัง {count} งาน")

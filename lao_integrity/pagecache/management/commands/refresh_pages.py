from django.core.management.base import BaseCommand

from lao_integrity.pagecache import versions


class Command(BaseCommand):
    help = "หน้าที่เก็บไว้ทุกหน้าแสดงผลใหม่ (หลังแก้ข้อมูลโดยตรงในฐานข้อมูล ไม่ผ่านระบบ)"

    def handle(self, *args, **options):
        versions.bump()
        self.stdout.write("หน้าที่เก็บไว้จะแสดงผลใหม่จากข้อมูลล่าสุดตั้งแต่คำขอถัดไป")

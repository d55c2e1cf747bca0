"""Daily: remind each member of what is due within 7 days or overdue, one digest email per day."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lao_integrity.notifications import services
from lao_integrity.orgs.access import SYSTEM


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"วันที่ “{text}” ไม่ถูกต้อง ใช้รูปแบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2026-03-31") from None


class Command(BaseCommand):
    help = ("ส่งอีเมลสรุปงานที่ใกล้ถึงกำหนด (ภายใน 7 วัน) และเลยกำหนด วันละหนึ่งฉบับต่อผู้ใช้ "
            "ไม่เตือนเรื่องเดิมซ้ำ (ใช้ทุกวันจาก cron หรือคิวงาน)")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_day, default=None, help="วันที่ที่ถือเป็นวันนี้ (YYYY-MM-DD) สำหรับทดสอบ")

    def handle(self, *args, date=None, **options):
        run = services.send_reminders(today=date or timezone.localdate(), user=SYSTEM)
        self.stdout.write(f"{run.today.isoformat()}: ส่งอีเมลสรุป {run.digests} ฉบับ, แจ้งเตือน {run.items} รายการ "
                          f"ถึงผู้ใช้ {run.users} คน (ได้รับสรุปของวันนี้แล้ว {run.skipped_today} คน)")
        if run.failed:
            raise CommandError("ส่งไม่สำเร็จ: " + ", ".join(run.failed))

import time

from django.core.management.base import BaseCommand

from lao_integrity import thai
from lao_integrity.orgs.models import Organisation
from lpa.models import LpaResult

from ...scale import Generator


class Command(BaseCommand):
    help = ("สร้างข้อมูลสังเคราะห์ระดับประเทศสำหรับวัดสมรรถนะ เช่น generate_scale_data --orgs 7850 --years 7 "
            "(รหัส อปท. ขึ้นต้นด้วย 9 เพื่อแยกจากข้อมูลจริง)")

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=7850)
        parser.add_argument("--years", type=int, default=7)
        parser.add_argument("--last-year", type=int, default=None, help="ปีงบประมาณสุดท้าย (ค่าเริ่มต้น: ปีปัจจุบัน)")
        parser.add_argument("--seed", type=int, default=2569)

    def handle(self, *args, orgs, years, last_year, seed, **options):
        from django.utils import timezone

        last_year = last_year or thai.fiscal_year(timezone.localdate())
        generator = Generator(orgs=orgs, years=years, last_year=last_year, seed=seed,
                              report=lambda line: self.stdout.write(line))
        started = time.perf_counter()
        scale = Organisation.objects.filter(code__startswith="9")
        if not scale.exists():
            generator.run()
        elif (LpaResult.objects.filter(organisation__in=scale, fiscal_year__in=generator.years).count()
              >= min(scale.count(), orgs) * len(generator.years)):
            self.stdout.write("มีข้อมูลสังเคราะห์อยู่แล้ว (รหัสขึ้นต้นด้วย 9) ไม่สร้างซ้ำ")
            return
        else:
            # A data set made before the LPA part: add only that.
            self.stdout.write("มีข้อมูลสังเคราะห์อยู่แล้ว เพิ่มเฉพาะผล LPA และคะแนนเงินรางวัล")
            generator.run_lpa()
        self.stdout.write(self.style.SUCCESS(f"เสร็จใน {time.perf_counter() - started:.0f} วินาที"))

"""LPA results per organisation and year (five areas, each with its own full marks), and the
performance bonus. Percentages, totals and ranks are computed, never stored as typed."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from lao_integrity import records
from lao_integrity.history import Trail

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class Area(models.IntegerChoices):
    MANAGEMENT = 1, "การบริหารจัดการ"
    PERSONNEL = 2, "การบริหารงานบุคคลและกิจการสภา"
    FINANCE = 3, "การบริหารงานการเงินและการคลัง"
    SERVICES = 4, "การจัดบริการสาธารณะ"
    GOVERNANCE = 5, "ธรรมาภิบาล"


def percent(score, full) -> Decimal | None:
    """score of full as a percentage to two places, half up (427 of 445 -> 95.96)."""
    if score is None or not full:
        return None
    return (Decimal(score) * HUNDRED / Decimal(full)).quantize(CENT, rounding=ROUND_HALF_UP)


class LpaResult(records.Timestamped, records.Versioned):
    organisation = records.organisation("lpa_results")
    fiscal_year = records.fiscal_year()
    data_as_of = models.DateField("ข้อมูล ณ วันที่", null=True, blank=True)
    # Who reported the province's table (its signature block), as the import was told.
    reporter = models.CharField("ผู้รายงาน", max_length=200, blank=True)
    reporter_position = models.CharField("ตำแหน่งผู้รายงาน", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "ผลการประเมินประสิทธิภาพ (LPA)"
        ordering = ["-fiscal_year", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "fiscal_year"], name="lpa_one_result_a_year")]
        indexes = [models.Index(fields=["fiscal_year", "organisation"], name="lpa_year_org_idx")]

    def __str__(self):
        return f"LPA {self.fiscal_year} {self.organisation}"


class LpaAreaScore(models.Model):
    result = models.ForeignKey(LpaResult, on_delete=models.CASCADE, related_name="areas")
    area = models.PositiveSmallIntegerField("ด้าน", choices=Area.choices)
    full_marks = models.DecimalField("คะแนนเต็ม", max_digits=6, decimal_places=2,
                                     validators=[MinValueValidator(Decimal("0.01"))])
    score = models.DecimalField("คะแนนที่ได้", max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = verbose_name_plural = "คะแนนรายด้าน (LPA)"
        ordering = ["result", "area"]
        constraints = [
            models.UniqueConstraint(fields=["result", "area"], name="lpa_one_score_an_area"),
            models.CheckConstraint(condition=Q(score__lte=F("full_marks")) & Q(score__gte=0) & Q(full_marks__gt=0),
                                   name="lpa_score_within_full_marks"),
        ]

    def __str__(self):
        return f"{self.get_area_display()} {self.score}/{self.full_marks}"

    @property
    def percent(self) -> Decimal | None:
        return percent(self.score, self.full_marks)


class BonusRule(models.Model):
    """Part 2 of the bonus for one fiscal year: points from the LPA percentage (the seed's year:
    80 % and above -> 10, below -> 8). Kept as data: the rule changes between years."""

    fiscal_year = records.fiscal_year(unique=True)
    lpa_threshold = models.DecimalField("ร้อยละ LPA ขั้นต่ำ", max_digits=5, decimal_places=2, default=Decimal("80"))
    points_at_or_above = models.DecimalField("คะแนนเมื่อถึงเกณฑ์", max_digits=5, decimal_places=2,
                                             default=Decimal("10"))
    points_below = models.DecimalField("คะแนนเมื่อต่ำกว่าเกณฑ์", max_digits=5, decimal_places=2,
                                       default=Decimal("8"))
    # The summary's heading names the ก.ท.จ. meeting that approved the year's scores.
    meeting = models.CharField("การประชุม ก.ท.จ. ครั้งที่", max_length=40, blank=True, help_text="เช่น 1/2567")
    meeting_date = models.DateField("วันที่ประชุม", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "เกณฑ์คะแนนส่วนที่ 2 (LPA)"
        ordering = ["-fiscal_year"]

    def __str__(self):
        return f"เกณฑ์ LPA ปี {self.fiscal_year}: ร้อยละ {self.lpa_threshold} ขึ้นไป {self.points_at_or_above} คะแนน"

    def points(self, lpa_percent) -> Decimal | None:
        if lpa_percent is None:
            return None
        return self.points_at_or_above if Decimal(lpa_percent) >= self.lpa_threshold else self.points_below


# Part 1's four dimensions and their full marks (the ก.ท.จ. summary's columns).
BONUS_DIMENSIONS = [
    ("d1", "มิติที่ 1 ด้านประสิทธิผลการปฏิบัติราชการ", Decimal("30")),
    ("d2", "มิติที่ 2 ด้านคุณภาพการให้บริการ", Decimal("25")),
    ("d3", "มิติที่ 3 ด้านประสิทธิภาพการปฏิบัติราชการ", Decimal("15")),
    ("d4", "มิติที่ 4 ด้านการพัฒนาองค์กร", Decimal("20")),
]


class BonusScore(records.Timestamped, records.VersionedFromOne):
    """Part 1 of the bonus, entered per organisation and year; part 2 and the total are computed."""

    organisation = records.organisation("bonus_scores")
    fiscal_year = records.fiscal_year()
    d1 = models.DecimalField(BONUS_DIMENSIONS[0][1], max_digits=5, decimal_places=2)
    d2 = models.DecimalField(BONUS_DIMENSIONS[1][1], max_digits=5, decimal_places=2)
    d3 = models.DecimalField(BONUS_DIMENSIONS[2][1], max_digits=5, decimal_places=2)
    d4 = models.DecimalField(BONUS_DIMENSIONS[3][1], max_digits=5, decimal_places=2)
    remark = models.CharField("หมายเหตุ", max_length=300, blank=True)
    history = Trail()  # who changed a score the committee decided, and a stale form names them

    class Meta:
        verbose_name = verbose_name_plural = "คะแนนเพื่อขอรับเงินรางวัลประจำปี"
        ordering = ["-fiscal_year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fiscal_year"], name="bonus_one_score_a_year"),
            *[models.CheckConstraint(condition=Q(**{f"{name}__gte": 0, f"{name}__lte": full}),
                                     name=f"bonus_{name}_within_full_marks")
              for name, _label, full in BONUS_DIMENSIONS],
        ]

    @property
    def part1(self) -> Decimal:
        return sum((getattr(self, name) for name, _l, _f in BONUS_DIMENSIONS), Decimal(0))

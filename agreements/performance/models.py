"""Unit and individual performance agreements (ข้อตกลงการปฏิบัติราชการระดับหน่วยงาน/บุคคล).

An agreement ties a head of unit or an officer to weighted indicators with five target levels,
followed quarterly and evaluated at the end of each half-year round.

A signed agreement is a signed document: its indicators, targets and weights never change. The
guard sits in the models and their querysets (the kernel's SignedRecord, as for announcements),
so a form, the admin, an import or a queryset update all meet it; evaluation may then write each
indicator's achieved value and level, once.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from lao_integrity import records, thai
from lao_integrity.history import Trail
from lao_integrity.orgs.models import Person, Unit
from lao_integrity.records import QuarterReport, Timestamped, Versioned
from lao_integrity.review import states as review
from lao_integrity.signed import Freeze, SignedRecord


class Aspect(models.TextChoices):
    SERVICE = "service", "ด้านความเป็นเลิศในการให้บริการประชาชน (Service Excellence)"
    HIGH_PERFORMANCE = "high_performance", "ด้านการพัฒนาองค์กรสมรรถนะสูง (High Performance Organization)"
    PROFESSIONAL = "professional", "ด้านการเพิ่มสมรรถนะข้าราชการ (Professional Officer)"
    COLLABORATION = "collaboration", "ด้านการสร้างการบริหารแบบร่วมมือ (Collaboration Management)"
    INTEGRITY = "integrity", "ด้านการบริหารแบบโปร่งใส (Integrity)"
    ASEAN = "asean", "ด้านการรับรององค์กรสู่สังคมอาเซียน (ASEAN Society)"


class WorkType(models.TextChoices):
    CORE = "core", "งานสำคัญตามภารกิจหลัก"
    CHALLENGE = "challenge", "งานท้าทาย"
    BENCHMARK = "benchmark", "งานที่มีคู่เทียบ"
    SPECIAL = "special", "งานที่ได้รับมอบหมายเป็นกรณีพิเศษ"


class AgreementKind(models.TextChoices):
    UNIT = "unit", "ระดับหน่วยงาน (ผู้บริหารกับหัวหน้าส่วนราชการ)"
    INDIVIDUAL = "individual", "ระดับบุคคล"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    SUBMITTED = review.SUBMITTED, review.SUBMITTED_LABEL
    RETURNED = review.RETURNED, review.RETURNED_LABEL
    SIGNED = "signed", "ลงนามแล้ว"
    EVALUATED = "evaluated", "ประเมินผลแล้ว"


class SignedAgreementError(ValidationError):
    """Raised by every write path that would change a signed or evaluated agreement's indicators
    (or take the agreement back to a draft, or delete it)."""

    def __init__(self):
        super().__init__("ข้อตกลงที่ลงนามแล้วแก้ไขหรือลบตัวชี้วัด ค่าเป้าหมาย และน้ำหนักไม่ได้", code="signed")


# Evaluation writes the achieved value and level of a signed agreement's indicators, once.
EVALUATION_FIELDS = frozenset({"achieved_value", "achieved_level"})


# What may still be written on a signed agreement's own row: evaluation (status "evaluated", its
# time and score, once) and bookkeeping. On an evaluated one, bookkeeping only. Every other column
# (year, round, parties, the signing itself) is what was signed. The PostgreSQL triggers
# (agreements/migrations/0006_signed_agreement_triggers.py) hold the same lists.
BOOKKEEPING_FIELDS = frozenset({"updated_at", "version"})
AGREEMENT_EVALUATION_FIELDS = frozenset({"status", "evaluated_at", "score"})


def round_bounds(fiscal_year: int, round_number: int) -> tuple[datetime.date, datetime.date]:
    """Round 1: 1 October - 31 March; round 2: 1 April - 30 September of the fiscal year."""
    start, end = thai.fiscal_year_bounds(fiscal_year)
    if round_number == 1:
        return start, datetime.date(start.year + 1, 3, 31)
    return datetime.date(end.year, 4, 1), end


def round_quarters(round_number: int) -> tuple[int, int]:
    return (1, 2) if round_number == 1 else (3, 4)


class PerformanceAgreement(SignedRecord, Timestamped, Versioned):
    # Signing and evaluating move forward; nothing takes a signed agreement back to a draft, nor
    # changes its year, round or parties. Evaluation goes through save(), one agreement at a time.
    frozen = Freeze(SignedAgreementError, compare_saves=True, bulk_open=BOOKKEEPING_FIELDS, open={
        AgreementStatus.SIGNED: BOOKKEEPING_FIELDS | AGREEMENT_EVALUATION_FIELDS,
        AgreementStatus.EVALUATED: BOOKKEEPING_FIELDS})

    organisation = records.organisation("performance_agreements")
    fiscal_year = records.fiscal_year()
    round = models.PositiveSmallIntegerField("รอบการประเมิน", choices=[(1, "ครั้งที่ 1 (1 ต.ค. - 31 มี.ค.)"),
                                                                      (2, "ครั้งที่ 2 (1 เม.ย. - 30 ก.ย.)")])
    kind = models.CharField("ระดับ", max_length=16, choices=AgreementKind.choices, default=AgreementKind.UNIT)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="หน่วยงาน")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name="ผู้รับข้อตกลง")
    executive = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="ผู้บริหาร (ผู้ให้ข้อตกลง)")
    status = models.CharField("สถานะ", max_length=16, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT)
    # The plan's projects this agreement carries out (e.g. "กิจกรรม การจัดทำข้อตกลงการปฏิบัติราชการ").
    projects = models.ManyToManyField("plans.Project", blank=True, related_name="performance_agreements",
                                      verbose_name="โครงการในแผนที่เกี่ยวข้อง")
    signed_at = models.DateTimeField("ลงนามเมื่อ", null=True, blank=True)
    signed_by = records.acting_user("ผู้ลงนามในระบบ")
    # The agreement as signed, rendered once at signing and kept as it was: PAdES-signed with the
    # organisation's certificate when it had a valid one (lao_integrity/signing), else unsigned.
    # Frozen with the rest of the signed row (the `frozen` rule above and migration 0006's trigger).
    pdf = models.FileField("ไฟล์ PDF ที่ลงนาม", upload_to="agreements/performance/%Y/", blank=True)
    pdf_sha256 = models.CharField("SHA-256 ของไฟล์", max_length=64, blank=True)
    # The certificate subject of the PAdES signature in the stored PDF; empty: no digital signature.
    digital_signer = models.CharField("ลายมือชื่อดิจิทัลโดย (ผู้ถือใบรับรอง)", max_length=500, blank=True)
    evaluated_at = models.DateTimeField("ประเมินเมื่อ", null=True, blank=True)
    score = models.DecimalField("คะแนนผลสัมฤทธิ์ (ร้อยละ)", max_digits=6, decimal_places=2, null=True, blank=True)
    history = Trail()

    class Meta(SignedRecord.Meta):
        verbose_name = verbose_name_plural = "ข้อตกลงการปฏิบัติราชการ (หน่วยงาน/บุคคล)"
        ordering = ["-fiscal_year", "round", "organisation__name", "kind", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fiscal_year", "round", "person"],
                                    name="performance_agreement_unique_person_round"),
        ]
        indexes = [
            models.Index(fields=["organisation", "fiscal_year", "round"]),
            models.Index(fields=["fiscal_year", "round"], name="agreement_year_round_idx"),
            # The verification page (/verify/) finds a signed PDF by its SHA-256.
            models.Index(fields=["pdf_sha256"], name="agreement_sha256_idx"),
        ]

    def __str__(self):
        who = self.unit.name if self.kind == AgreementKind.UNIT and self.unit else self.person.full_name
        return f"ข้อตกลง {self.fiscal_year} ครั้งที่ {self.round} {who}"

    @property
    def bounds(self) -> tuple[datetime.date, datetime.date]:
        return round_bounds(self.fiscal_year, self.round)

    @property
    def quarters(self) -> tuple[int, int]:
        return round_quarters(self.round)


LEVELS = (1, 2, 3, 4, 5)


class AgreementIndicator(SignedRecord, Versioned):
    # Closed with its agreement; evaluation writes the achieved value and level, once.
    frozen = Freeze(SignedAgreementError, status="agreement__status", open={
        AgreementStatus.SIGNED: EVALUATION_FIELDS, AgreementStatus.EVALUATED: ()})

    agreement = models.ForeignKey(PerformanceAgreement, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    aspect = models.CharField("ด้าน", max_length=32, choices=Aspect.choices)
    work_type = models.CharField("ประเภทงาน", max_length=16, choices=WorkType.choices)
    name = models.CharField("ตัวชี้วัด", max_length=500)
    unit_of_measure = models.CharField("หน่วยนับ", max_length=50, help_text="เช่น ร้อยละ, ครั้ง, วัน")
    baseline = models.DecimalField("ค่าฐาน", max_digits=12, decimal_places=2, null=True, blank=True)
    higher_is_better = models.BooleanField("ค่ายิ่งมากยิ่งดี", default=True,
                                           help_text="ไม่เลือก เมื่อค่ายิ่งน้อยยิ่งดี เช่น จำนวนวันที่ใช้")
    target_1 = models.DecimalField("ค่าเป้าหมายระดับ 1", max_digits=12, decimal_places=2)
    target_2 = models.DecimalField("ค่าเป้าหมายระดับ 2", max_digits=12, decimal_places=2)
    target_3 = models.DecimalField("ค่าเป้าหมายระดับ 3", max_digits=12, decimal_places=2)
    target_4 = models.DecimalField("ค่าเป้าหมายระดับ 4", max_digits=12, decimal_places=2)
    target_5 = models.DecimalField("ค่าเป้าหมายระดับ 5", max_digits=12, decimal_places=2)
    weight = models.DecimalField("น้ำหนัก (ร้อยละ)", max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))])
    achieved_value = models.DecimalField("ผลการดำเนินงาน", max_digits=12, decimal_places=2, null=True, blank=True)
    achieved_level = models.PositiveSmallIntegerField("ระดับที่ได้", null=True, blank=True,
                                                      validators=[MinValueValidator(0), MaxValueValidator(5)])
    history = Trail()

    class Meta(SignedRecord.Meta):
        verbose_name = verbose_name_plural = "ตัวชี้วัดตามข้อตกลง"
        ordering = ["agreement", "order", "id"]

    def __str__(self):
        return self.name

    @property
    def targets(self) -> list[Decimal]:
        return [self.target_1, self.target_2, self.target_3, self.target_4, self.target_5]

def indicator_evidence_path(progress, filename: str) -> str:
    agreement = progress.indicator.agreement
    return f"agreement-evidence/{agreement.organisation.code}/{agreement.pk}/{progress.indicator_id}-q{progress.quarter}-{filename}"


class IndicatorProgress(QuarterReport):
    indicator = models.ForeignKey(AgreementIndicator, on_delete=models.CASCADE, related_name="progress",
                                  verbose_name="ตัวชี้วัด")
    value = models.DecimalField("ผลสะสม", max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField("ผลการดำเนินงาน", blank=True)
    evidence_file = models.FileField("ไฟล์หลักฐาน", upload_to=indicator_evidence_path, blank=True)
    evidence_url = models.URLField("ลิงก์หลักฐาน", max_length=500, blank=True)
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "ความก้าวหน้ารายไตรมาส"
        ordering, constraints = records.numbered("indicator", "quarter", name="indicator_progress_unique")

    def __str__(self):
        return f"{self.indicator} ไตรมาส {self.quarter}"

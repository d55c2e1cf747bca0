"""The annual anti-corruption action plan (แผนปฏิบัติการป้องกันการทุจริต).

Amounts are Decimals, quarters are booleans, dates are dates: everything a document shows is
formatted when it is rendered, and every total is computed, never stored.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from lao_integrity import records, thai
from lao_integrity.history import Trail
from lao_integrity.orgs.models import Person, Unit
from lao_integrity.records import QuarterReport, Timestamped, Versioned
from lao_integrity.review import states as review

from . import sheet_layout

QUARTERS = (1, 2, 3, 4)


class Framework(models.Model):
    """A NACC framework (e.g. 2566-2570) and the years it covers."""

    code = models.CharField("รหัส", max_length=20, unique=True, help_text="เช่น 2566-2570")
    name = models.CharField("ชื่อกรอบ", max_length=300)
    first_year = models.PositiveSmallIntegerField("ปีเริ่มต้น (พ.ศ.)")
    last_year = models.PositiveSmallIntegerField("ปีสิ้นสุด (พ.ศ.)")

    class Meta:
        verbose_name = verbose_name_plural = "กรอบแผน"
        ordering = ["-first_year"]

    def __str__(self):
        return self.name

    def covers(self, fiscal_year: int) -> bool:
        return self.first_year <= fiscal_year <= self.last_year


class Dimension(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions",
                                  verbose_name="กรอบแผน")
    number = models.PositiveSmallIntegerField("มิติที่")
    name = models.CharField("ชื่อมิติ", max_length=300)

    class Meta:
        verbose_name = verbose_name_plural = "มิติ"
        ordering, constraints = records.numbered("framework", "number", name="dimension_unique_number")

    def __str__(self):
        return f"มิติ {self.number} {self.name}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    SUBMITTED = review.SUBMITTED, review.SUBMITTED_LABEL
    RETURNED = review.RETURNED, review.RETURNED_LABEL
    APPROVED = "approved", "อนุมัติแล้ว"


class Plan(Versioned):
    organisation = records.organisation("plans")
    fiscal_year = records.fiscal_year()
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="plans",
                                  verbose_name="กรอบแผน")
    status = models.CharField("สถานะ", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    data_as_of = models.DateField("ข้อมูล ณ วันที่", null=True, blank=True)
    issuer = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name="ผู้ออกรายงาน")
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="คัดลอกจากแผน")
    approved_at = models.DateTimeField("อนุมัติเมื่อ", null=True, blank=True)
    approved_by = records.acting_user("ผู้อนุมัติ")
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "แผนปฏิบัติการป้องกันการทุจริต"
        ordering = ["-fiscal_year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fiscal_year"], name="plan_unique_org_year")
        ]
        indexes = [models.Index(fields=["fiscal_year", "status"])]

    def __str__(self):
        return f"แผนปฏิบัติการป้องกันการทุจริต ปีงบประมาณ {self.fiscal_year} {self.organisation.name}"

    def clean(self):
        if self.framework_id and self.fiscal_year and not self.framework.covers(self.fiscal_year):
            raise ValidationError({"framework": f"กรอบแผน {self.framework.code} ไม่ครอบคลุมปีงบประมาณ {self.fiscal_year}"})

    @property
    def title(self) -> str:
        return f"แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {self.fiscal_year}"


class PlanCounts(models.Model):
    """A plan's projects and their progress counted, kept by the database itself: triggers
    (migration 0012) follow every insert, change and removal of a project or of its progress,
    bulk imports, COPY and restores included, in the same transaction. The supervision dashboard
    and the obligations read a province's hundred plans without counting their thousands of
    projects (issue 19). The portal never writes these rows; a backup leaves them out (a restore
    counts again as it loads the projects)."""

    kept_by_database = True  # lao_integrity/management/commands/backup.py leaves it out

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, primary_key=True, related_name="counts",
                                verbose_name="แผน")
    projects = models.IntegerField("จำนวนโครงการ", default=0)
    early = models.IntegerField("โครงการที่ดำเนินการในไตรมาส 1 หรือ 2", default=0)
    reported_1 = models.IntegerField("โครงการที่รายงานผลไตรมาส 1", default=0)
    reported_2 = models.IntegerField("โครงการที่รายงานผลไตรมาส 2", default=0)
    reported_3 = models.IntegerField("โครงการที่รายงานผลไตรมาส 3", default=0)
    reported_4 = models.IntegerField("โครงการที่รายงานผลไตรมาส 4", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "จำนวนโครงการของแผน"

    def __str__(self):
        return f"{self.plan}: {self.projects} โครงการ"


class PlanVersion(models.Model):
    """A frozen copy of the project list at each approval: 0 is the baseline (ตั้งต้น)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("ฉบับที่")
    snapshot = models.JSONField("รายการโครงการ ณ วันอนุมัติ", default=list)
    note = models.CharField("หมายเหตุ", max_length=300, blank=True)
    created_at = models.DateTimeField("อนุมัติเมื่อ", auto_now_add=True)
    created_by = records.acting_user("ผู้อนุมัติ", blank=False)

    class Meta:
        verbose_name = verbose_name_plural = "ฉบับของแผน"
        ordering, constraints = records.numbered("plan", "number", name="planversion_unique_number")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return "ตั้งต้น" if self.number == 0 else f"ฉบับปรับปรุง ครั้งที่ {self.number}"


class ProjectKind(models.TextChoices):
    PROJECT = "project", "โครงการ"
    MEASURE = "measure", "มาตรการ"
    ACTIVITY = "activity", "กิจกรรม"


def guess_kind(name: str) -> str:
    """The kind is written as the first word of the name in real plans."""
    text = (name or "").strip()
    for kind in (ProjectKind.MEASURE, ProjectKind.ACTIVITY, ProjectKind.PROJECT):
        if text.startswith(kind.label):
            return kind.value
    return ProjectKind.ACTIVITY


class Project(Timestamped, Versioned):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="projects", verbose_name="แผน")
    sequence = models.PositiveSmallIntegerField("ลำดับ", validators=[MinValueValidator(1)])
    kind = models.CharField("ประเภท", max_length=16, choices=ProjectKind.choices)
    name = models.CharField("รายการโครงการ", max_length=500)
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="projects",
                                  verbose_name="มิติ")
    budget = models.DecimalField("งบประมาณ (บาท)", max_digits=14, decimal_places=2, default=Decimal("0.00"),
                                 validators=[MinValueValidator(Decimal("0"), "งบประมาณต้องไม่ติดลบ")])
    q1 = models.BooleanField("ไตรมาส 1", default=False)
    q2 = models.BooleanField("ไตรมาส 2", default=False)
    q3 = models.BooleanField("ไตรมาส 3", default=False)
    q4 = models.BooleanField("ไตรมาส 4", default=False)
    responsible_unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="projects", verbose_name="หน่วยงานรับผิดชอบ")
    remark = models.CharField("หมายเหตุ", max_length=300, blank=True)
    is_added = models.BooleanField("เพิ่มเติมหลังแผนตั้งต้น", default=False)
    added_note = models.CharField("เชิงอรรถ (โครงการเพิ่มเติม)", max_length=300, blank=True,
                                  help_text="เช่น เพิ่มเติมตามแผนฉบับปรับปรุง ครั้งที่ 1")
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "โครงการ"
        ordering, constraints = records.numbered("plan", "sequence", name="project_unique_sequence", also=(
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(q1=True) | Q(q2=True) | Q(q3=True) | Q(q4=True), name="project_has_quarter"
            ),
        ))

    def __str__(self):
        return f"{self.sequence}. {self.name}"

    def clean(self):
        errors = {}
        if not self.quarters:
            errors["q1"] = "ต้องเลือกไตรมาสที่ดำเนินการอย่างน้อย 1 ไตรมาส"
        if self.plan_id and self.dimension_id and self.dimension.framework_id != self.plan.framework_id:
            errors["dimension"] = "มิตินี้ไม่อยู่ในกรอบแผนของแผนนี้"
        if self.name and not self.name.strip():
            errors["name"] = "กรุณากรอกชื่อโครงการ"
        if errors:
            raise ValidationError(errors)

    @property
    def quarters(self) -> list[int]:
        return [q for q in QUARTERS if getattr(self, f"q{q}")]

    @property
    def budget_text(self) -> str:
        """Section 7 of the detail sheet, always derived from the budget."""
        if not self.budget:
            return "ดำเนินการโดยไม่ใช้งบประมาณ"
        return f"งบประมาณ จำนวน {thai.format_baht(self.budget)} บาท ({thai.baht_text(self.budget)})"

    @property
    def dimension_label(self) -> str:
        """What the summary table prints: "1", or "*1" for a project added after the baseline."""
        number = self.dimension.number
        return f"*{number}" if self.is_added else str(number)


class DetailSheet(Versioned):
    """The nine-section detail sheet (ภาคผนวก; sheet_layout.SECTIONS). Sections 1 and 7 come from the
    project; 6 and 8, left blank, read as the plan gives them (its quarters, its unit)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="sheet", verbose_name="โครงการ")
    rationale = models.TextField("หลักการและเหตุผล", blank=True, help_text="เว้นบรรทัดว่างระหว่างย่อหน้า")
    duration = models.CharField("ระยะเวลาดำเนินการ", max_length=300, blank=True,
                                help_text="เว้นว่างไว้ = ปีงบประมาณ พ.ศ. ของแผน")
    budget_note = models.CharField("รายละเอียดงบประมาณเพิ่มเติม", max_length=300, blank=True,
                                   help_text="เช่น แหล่งงบประมาณ; จำนวนเงินมาจากงบประมาณของโครงการ")
    responsible = models.CharField("ผู้รับผิดชอบ", max_length=300, blank=True,
                                   help_text="เว้นว่างไว้ = หน่วยงานรับผิดชอบ หรือชื่อ อปท.")
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "รายละเอียดโครงการ"

    def __str__(self):
        return f"รายละเอียด: {self.project.name}"

    @property
    def rationale_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.rationale.replace("\r\n", "\n").split("\n\n") if p.strip()]

    def numbered_steps(self) -> list[dict]:
        """Steps with their computed numbers: 1, 1.1, 1.1.1 ... never typed by hand."""
        steps = list(self.steps.all())
        numbers = sheet_layout.step_numbers(step.level for step in steps)
        return [{"number": number, "level": number.count(".") + 1,
                 "text": step.text} for number, step in zip(numbers, steps, strict=True)]

    @property
    def outputs(self) -> list["SheetIndicator"]:
        return [i for i in self.indicators.all() if i.kind == IndicatorKind.OUTPUT]

    @property
    def outcomes(self) -> list["SheetIndicator"]:
        return [i for i in self.indicators.all() if i.kind == IndicatorKind.OUTCOME]

    @property
    def duration_text(self) -> str:
        return self.duration or sheet_layout.default_duration(self.project)

    @property
    def responsible_text(self) -> str:
        return self.responsible or sheet_layout.default_responsible(self.project)


class SheetRow(models.Model):
    """A numbered row of a project's detail sheet, listed in its order."""

    class Meta:
        abstract = True
        ordering = ["sheet", "order"]


class SheetObjective(SheetRow):
    sheet = models.ForeignKey(DetailSheet, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveSmallIntegerField("ลำดับ")
    text = models.TextField("วัตถุประสงค์")

    class Meta(SheetRow.Meta):
        verbose_name = verbose_name_plural = "วัตถุประสงค์"

    def __str__(self):
        return self.text


class TargetGroup(SheetRow):
    sheet = models.ForeignKey(DetailSheet, on_delete=models.CASCADE, related_name="target_groups")
    order = models.PositiveSmallIntegerField("ลำดับ")
    description = models.CharField("กลุ่มเป้าหมาย", max_length=500)
    count = models.PositiveIntegerField("จำนวน", null=True, blank=True)
    unit = models.CharField("หน่วยนับ", max_length=50, blank=True, help_text="เช่น คน, หน่วยงาน")

    class Meta(SheetRow.Meta):
        verbose_name = verbose_name_plural = "กลุ่มเป้าหมาย"

    def __str__(self):
        return self.description

    def clean(self):
        if self.count is not None and not self.unit:
            raise ValidationError({"unit": "กรุณาระบุหน่วยนับของจำนวน เช่น คน"})


class MethodStep(SheetRow):
    """A step of วิธีดำเนินการ; level 2 and 3 nest under the step before (๑.๑), ๑.๑.๑))."""

    sheet = models.ForeignKey(DetailSheet, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("ลำดับ")
    level = models.PositiveSmallIntegerField("ระดับ", default=1,
                                             validators=[MinValueValidator(1), MaxValueValidator(3)])
    text = models.TextField("ขั้นตอน")

    class Meta(SheetRow.Meta):
        verbose_name = verbose_name_plural = "วิธีดำเนินการ"

    def __str__(self):
        return self.text


class Comparator(models.TextChoices):
    NONE = "", "(ไม่ระบุ)"
    AT_LEAST_PERCENT = "ไม่น้อยกว่า", "ไม่น้อยกว่า"
    AT_LEAST = "อย่างน้อย", "อย่างน้อย"
    AT_MOST = "ไม่เกิน", "ไม่เกิน"
    COUNT = "จำนวน", "จำนวน"
    DECREASE = "ลดลง", "ลดลง"
    INCREASE = "เพิ่มขึ้น", "เพิ่มขึ้น"


class IndicatorKind(models.TextChoices):
    OUTPUT = "output", "ผลผลิต"
    OUTCOME = "outcome", "ผลลัพธ์"


class SheetIndicator(models.Model):
    sheet = models.ForeignKey(DetailSheet, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField("ประเภท", max_length=8, choices=IndicatorKind.choices)
    order = models.PositiveSmallIntegerField("ลำดับ")
    statement = models.TextField("ตัวชี้วัด")
    comparator = models.CharField("เงื่อนไข", max_length=16, choices=Comparator.choices, blank=True)
    target_value = models.DecimalField("ค่าเป้าหมาย", max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField("หน่วย", max_length=50, blank=True, help_text="เช่น ร้อยละ, ฉบับ, ครั้ง")

    class Meta:
        verbose_name = verbose_name_plural = "ผลผลิต/ผลลัพธ์"
        ordering = ["sheet", "kind", "order"]

    def __str__(self):
        return self.text

    def clean(self):
        if self.target_value is not None and not self.unit:
            raise ValidationError({"unit": "กรุณาระบุหน่วยของค่าเป้าหมาย เช่น ร้อยละ หรือ ฉบับ"})
        if self.target_value is None and (self.comparator or self.unit):
            raise ValidationError({"target_value": "กรุณาระบุค่าเป้าหมาย"})

    @property
    def target_text(self) -> str:
        """"ไม่น้อยกว่าร้อยละ 80", "อย่างน้อย 1 ฉบับ"; digits stay Arabic until rendering."""
        if self.target_value is None:
            return ""
        value = self.target_value.normalize()
        value = f"{value:f}"
        amount = f"ร้อยละ {value}" if self.unit == "ร้อยละ" else f"{value} {self.unit}"
        if not self.comparator:
            return amount
        # "ไม่น้อยกว่าร้อยละ 80" is written solid, but a number never touches the word: "อย่างน้อย 1 ฉบับ".
        return f"{self.comparator}{' ' if amount[0].isdigit() else ''}{amount}"

    @property
    def text(self) -> str:
        return f"{self.statement} {self.target_text}".strip()


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "ยังไม่ดำเนินการ"
    IN_PROGRESS = "in_progress", "อยู่ระหว่างดำเนินการ"
    DONE = "done", "ดำเนินการแล้วเสร็จ"
    # e-PlanNACC's fourth status; its reason is required (ProjectProgress.unable_reason).
    UNABLE = "unable", "ไม่สามารถดำเนินการได้"


def evidence_upload_to(instance, filename):
    plan = instance.project.plan
    return f"evidence/{plan.organisation.code}/{plan.fiscal_year}/{instance.project_id}/q{instance.quarter}/{filename}"


class ProjectProgress(QuarterReport):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress", verbose_name="โครงการ")
    status = models.CharField("สถานะ", max_length=16, choices=ProgressStatus.choices,
                              default=ProgressStatus.NOT_STARTED)
    unable_reason = models.TextField("เหตุผลที่ไม่สามารถดำเนินการได้", blank=True,
                                     help_text="ต้องระบุเมื่อเลือกสถานะ “ไม่สามารถดำเนินการได้”")
    # e-PlanNACC asks for the budget in the ordinance (ข้อบัญญัติ / เทศบัญญัติ) beside the plan's.
    ordinance_budget = models.DecimalField("งบประมาณตามข้อบัญญัติ/เทศบัญญัติ (บาท)", max_digits=14,
                                           decimal_places=2, null=True, blank=True,
                                           validators=[MinValueValidator(Decimal("0"), "จำนวนเงินต้องไม่ติดลบ")])
    # What e-PlanNACC calls the amount disbursed in the quarter (เบิกจ่าย).
    amount_spent = models.DecimalField("เบิกจ่าย (บาท)", max_digits=14, decimal_places=2,
                                       default=Decimal("0.00"),
                                       validators=[MinValueValidator(Decimal("0"), "จำนวนเงินต้องไม่ติดลบ")])
    result = models.TextField("ผลการดำเนินงาน", blank=True)
    evidence_file = models.FileField("ไฟล์หลักฐาน", upload_to=evidence_upload_to, blank=True, max_length=300)
    evidence_url = models.URLField("ลิงก์หลักฐาน", blank=True, max_length=500)
    updated_at = models.DateTimeField("บันทึกเมื่อ", auto_now=True)
    updated_by = records.acting_user("ผู้บันทึก")
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "ผลการดำเนินงานรายไตรมาส"
        ordering, constraints = records.numbered("project", "quarter", name="progress_unique_quarter", also=(
            models.CheckConstraint(condition=Q(amount_spent__gte=0), name="progress_amount_not_negative"),
            models.CheckConstraint(condition=Q(ordinance_budget__gte=0) | Q(ordinance_budget__isnull=True),
                                   name="progress_ordinance_budget_not_negative"),
        ))

    def __str__(self):
        return f"{self.project} · ไตรมาส {self.quarter}"

    def clean(self):
        if self.status == ProgressStatus.UNABLE and not (self.unable_reason or "").strip():
            raise ValidationError({"unable_reason": "กรุณาระบุเหตุผลที่ไม่สามารถดำเนินการได้"})

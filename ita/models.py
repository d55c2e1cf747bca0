"""ITA (Integrity and Transparency Assessment): yearly frameworks as data, results, measures.

A framework says, for one fiscal year, which tools there are (IIT, EIT, OIT) with their
weights, which indicators belong to which tool, which OIT items sit under which indicator, the
level bands and the pass mark. Results store the indicator scores people type; the tool scores,
overall score, level and pass are computed from the framework (scoring.py) and stored only so
lists can filter and sort on them.
"""

import copy
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from lao_integrity import records
from lao_integrity.history import Trail
from lao_integrity.orgs.models import Unit
from lao_integrity.records import QuarterReport, Timestamped, Versioned, VersionedFromOne

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_OIT_CODE = re.compile(r"^[oO0๐]\s*0*(\d{1,3})$")


class NullsLastIndex(models.Index):
    """An index with a `DESC NULLS LAST` column, for a sort that puts rows without a value last.

    PostgreSQL needs NULLS LAST spelt out to read such a sort along the index. SQLite cannot spell
    it in CREATE INDEX, and needs nothing: it sorts NULLs first ascending, so last descending.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            plain = copy.copy(self)
            plain.expressions = tuple(
                models.OrderBy(e.expression, descending=e.descending) if isinstance(e, models.OrderBy) else e
                for e in self.expressions)
            return models.Index.create_sql(plain, model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


def normalise_item_code(text: str) -> str:
    """"๐29", "o29", "029", "O 29" -> "O29". I7 and E14 keep their Latin letter."""
    raw = (text or "").strip().translate(_THAI_DIGITS).replace(" ", "")
    if match := _OIT_CODE.match(raw):
        return f"O{int(match.group(1))}"
    if re.match(r"^[iIeE]\d{1,3}$", raw):
        return raw[0].upper() + str(int(raw[1:]))
    raise ValueError(f"รหัสข้อ “{text}” ไม่ถูกต้อง (เช่น O29)")


class Framework(models.Model):
    fiscal_year = records.fiscal_year(unique=True)
    name = models.CharField("ชื่อกรอบการประเมิน", max_length=200)
    pass_mark = models.DecimalField("เกณฑ์ผ่าน (คะแนน)", max_digits=5, decimal_places=2, default=Decimal("85"),
                                    validators=SCORE_VALIDATORS)
    provisional = models.BooleanField(
        "ยังไม่ยืนยัน", default=True,
        help_text="กรอบที่ผู้ดูแลระบบกรอกเองจะแสดงว่า “ยังไม่ยืนยัน” จนกว่าจะตรวจกับคู่มือของสำนักงาน ป.ป.ช.")
    source = models.TextField("แหล่งที่มา", blank=True,
                              help_text="เอกสารสาธารณะที่ใช้เป็นที่มาของกรอบนี้ เช่น คู่มือการประเมิน ITA ของสำนักงาน ป.ป.ช.")
    # The analysis report's "แนวทางทั่วไป": standard text of the year, one guideline per line.
    guidelines = models.TextField("แนวทางการพัฒนาโดยทั่วไป", blank=True, help_text="บรรทัดละหนึ่งข้อ")

    class Meta:
        verbose_name = verbose_name_plural = "กรอบการประเมิน ITA"
        ordering = ["-fiscal_year"]

    def __str__(self):
        return f"ITA {self.fiscal_year}" + (" (ยังไม่ยืนยัน)" if self.provisional else "")


class Tool(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="tools")
    code = models.CharField("รหัส", max_length=8, help_text="IIT, EIT หรือ OIT")
    name = models.CharField("ชื่อเครื่องมือ", max_length=200)
    weight = models.DecimalField("น้ำหนัก (สัดส่วน)", max_digits=4, decimal_places=3,
                                 validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
                                 help_text="เช่น 0.30")
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    purpose = models.TextField("วัตถุประสงค์ของเครื่องมือ", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "เครื่องมือการประเมิน"
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="ita_tool_unique_code")]

    def __str__(self):
        return self.code


class ToolPart(models.Model):
    """A part of a tool scored separately in some years (EIT public / EIT survey)."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="parts")
    code = models.CharField("รหัส", max_length=16)
    name = models.CharField("ชื่อ", max_length=200)
    weight = models.DecimalField("น้ำหนักภายในเครื่องมือ", max_digits=4, decimal_places=3,
                                 validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))])

    class Meta:
        verbose_name = verbose_name_plural = "ส่วนของเครื่องมือ"
        constraints = [models.UniqueConstraint(fields=["tool", "code"], name="ita_part_unique_code")]

    def __str__(self):
        return f"{self.tool.code} {self.name}"

    @property
    def short_name(self) -> str:
        """The part as the reports print it beside its tool: "ส่วนที่ 1" ("EIT ส่วนที่ 1 87.60"),
        never the code ("public"); without a "ส่วนที่ N", the name less any bracketed note."""
        match = re.match(r"ส่วนที่\s*[0-9๐-๙]+", self.name)
        return match.group(0) if match else re.sub(r"\s*\([^()]*\)\s*$", "", self.name) or self.name


class Indicator(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="indicators")
    number = models.PositiveSmallIntegerField("ตัวชี้วัดที่")
    name = models.CharField("ชื่อตัวชี้วัด", max_length=200)
    # Standard texts of the framework; an organisation's own text for its result is
    # IndicatorScore.guidance, which the report prints instead of `advice` when given.
    description = models.TextField("สิ่งที่ตัวชี้วัดประเมิน", blank=True)
    advice = models.TextField("แนวทางการพัฒนา (ข้อความมาตรฐาน)", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "ตัวชี้วัด ITA"
        ordering, constraints = records.numbered("framework", "number", name="ita_indicator_unique_number")

    def __str__(self):
        return f"ตัวชี้วัดที่ {self.number} {self.name}"

    def clean(self):
        if self.tool_id and self.framework_id and self.tool.framework_id != self.framework_id:
            raise ValidationError({"tool": "เครื่องมือต้องอยู่ในกรอบการประเมินปีเดียวกัน"})


class OitItem(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="items", verbose_name="ตัวชี้วัด")
    code = models.CharField("รหัสข้อ", max_length=8, help_text="เช่น O36")
    name = models.CharField("ชื่อข้อ", max_length=300)
    sub_indicator = models.CharField("ตัวชี้วัดย่อย", max_length=200, blank=True, help_text="เช่น 10.1 ...")

    class Meta:
        verbose_name = verbose_name_plural = "ข้อการประเมิน OIT"
        ordering = ["indicator", "id"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def number(self) -> int:
        return int(self.code[1:])

    def clean(self):
        try:
            self.code = normalise_item_code(self.code)
        except ValueError as error:
            raise ValidationError({"code": str(error)}) from None


class LevelBand(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    level = models.CharField("ระดับ", max_length=4)
    min_score = models.DecimalField("ตั้งแต่ (คะแนน)", max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)

    class Meta:
        verbose_name = verbose_name_plural = "ระดับผลการประเมิน"
        ordering = ["framework", "-min_score"]
        constraints = [models.UniqueConstraint(fields=["framework", "level"], name="ita_band_unique_level")]

    def __str__(self):
        return f"{self.level} ≥ {self.min_score}"


class Result(VersionedFromOne):  # the score form creates it (concurrency.claim)
    organisation = records.organisation("ita_results")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="results",
                                  verbose_name="กรอบการประเมิน")
    fiscal_year = records.fiscal_year()
    # The published rank is within a peer group ("ลำดับที่ 1,175 ของหน่วยงานประเภท เทศบาลตำบล"), never
    # national: both or neither (ita_result_rank_with_group). NULL, not "", for no group, so the rank
    # sort (group, then rank) reads along ita_result_year_rank_idx with the unranked last.
    rank = models.PositiveIntegerField("ลำดับ", null=True, blank=True)
    rank_group = models.CharField("ประเภทหน่วยงานที่จัดลำดับ", max_length=100, null=True, blank=True,  # noqa: DJ001
                                  help_text="เช่น เทศบาลตำบล ว่างไว้ได้: ใช้ประเภทของ อปท.")
    # Computed by scoring.compute() whenever scores change; never typed.
    iit = models.DecimalField("IIT", max_digits=5, decimal_places=2, null=True, blank=True)
    eit = models.DecimalField("EIT", max_digits=5, decimal_places=2, null=True, blank=True)
    oit = models.DecimalField("OIT", max_digits=5, decimal_places=2, null=True, blank=True)
    overall = models.DecimalField("คะแนนรวม", max_digits=5, decimal_places=2, null=True, blank=True)
    level = models.CharField("ระดับ", max_length=4, blank=True)
    passed = models.BooleanField("ผ่าน", null=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    updated_by = records.acting_user("ผู้บันทึก")
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "ผลการประเมิน ITA"
        ordering = ["-fiscal_year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fiscal_year"], name="ita_result_unique"),
            models.CheckConstraint(condition=(models.Q(rank__isnull=True, rank_group__isnull=True)
                                              | models.Q(rank__isnull=False, rank_group__isnull=False)),
                                   name="ita_result_rank_with_group"),
        ]
        indexes = [
            models.Index(fields=["fiscal_year", "overall"]),
            models.Index(fields=["fiscal_year", "level"]),
            # With overall: the list's year-wide count, passed count and mean are an index-only scan.
            models.Index(fields=["fiscal_year", "passed", "overall"], name="ita_result_year_sum_idx"),
            # The list's default sort (overall score, highest first, no score last) and the
            # rank sort (peer group, then rank within it; unranked last: NULLs sort last ascending
            # on PostgreSQL), each read along an index within the year.
            NullsLastIndex(models.F("fiscal_year"), models.F("overall").desc(nulls_last=True),
                           name="ita_result_year_best_idx"),
            models.Index(fields=["fiscal_year", "rank_group", "rank"], name="ita_result_year_rank_idx"),
        ]

    def __str__(self):
        return f"ITA {self.fiscal_year} {self.organisation.name}"

    def clean(self):
        check_rank(self.rank, self.rank_group)

    @property
    def rank_text(self) -> str:
        """"ลำดับที่ 1,175 ของหน่วยงานประเภท เทศบาลตำบล"; "" without a rank."""
        return rank_text(self.rank, self.rank_group)


RANK_GROUP_PREFIX = "ของหน่วยงานประเภท"


def rank_text(rank: int | None, group: str | None, *, number: str | None = None) -> str:
    """The rank as the ITA result letter prints it; `number`: the rank already formatted (Thai digits)."""
    if not rank:
        return ""
    return f"ลำดับที่ {number or format(rank, ',d')} {RANK_GROUP_PREFIX} {group}".rstrip()


def check_rank(rank: int | None, group: str | None) -> None:
    """Both or neither: a rank means nothing without its peer group, a group nothing without a rank."""
    if rank is None and group:
        raise ValidationError({"rank": f"ระบุประเภทหน่วยงานที่จัดลำดับ “{group}” แต่ไม่ได้ระบุลำดับ "
                                       f"กรุณากรอกลำดับ หรือเว้นประเภทหน่วยงานที่จัดลำดับว่าง"})
    if rank is not None and not group:
        raise ValidationError({"rank_group": f"ระบุลำดับที่ {rank:,} แต่ไม่ได้ระบุว่าเป็นลำดับในหน่วยงานประเภทใด "
                                             f"กรุณาระบุประเภทหน่วยงานที่จัดลำดับ เช่น เทศบาลตำบล"})


class IndicatorScore(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField("คะแนน", max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    guidance = models.TextField("แนวทาง/ข้อเสนอแนะ", blank=True)
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "คะแนนรายตัวชี้วัด"
        ordering = ["result", "indicator__number"]
        constraints = [
            models.UniqueConstraint(fields=["result", "indicator"], name="ita_score_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=0) & models.Q(score__lte=100),
                                   name="ita_score_range"),
        ]

    def __str__(self):
        return f"{self.indicator.number}: {self.score}"


class PartScore(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="part_scores")
    part = models.ForeignKey(ToolPart, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField("คะแนน", max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["result", "part"], name="ita_part_score_unique")]

    def __str__(self):
        return f"{self.part.code}: {self.score}"


_REFERENCE = re.compile(r"อ้างอิง\s*จาก\s*((?:[oO0๐][0-9๐-๙]{1,3}[\s,และ]*)+)")
_REFERENCED_CODE = re.compile(r"[oO0๐][0-9๐-๙]{1,3}")
TOOL_LETTERS = {"IIT": "I", "EIT": "E", "OIT": "O"}


def normalise_question_codes(text: str) -> str:
    """The question code(s) of a recommendation: "i17" -> "I17", "E 9" -> "E9", "๐11"/"011" -> "O11";
    one issue on two questions as "I19/I24" ("/" or "," between them); "" when none."""
    parts = [part for part in re.split(r"[/,]", (text or "").strip()) if part.strip()]
    return "/".join(dict.fromkeys(normalise_item_code(part) for part in parts))


def referenced_items(text: str) -> list[str]:
    """The OIT codes an advice cites: "(อ้างอิงจาก ๐39, ๐40)" -> ["O39", "O40"], OCR's "011" read as O11."""
    codes = []
    for match in _REFERENCE.finditer(text or ""):
        codes.extend(normalise_item_code(code) for code in _REFERENCED_CODE.findall(match.group(1)))
    return list(dict.fromkeys(codes))


class Recommendation(models.Model):
    """One of the assessor's recommendations (ข้อเสนอแนะ) as published with the result: for one tool,
    on a question (code, e.g. I17 or E9, and the issue found), with the advice and the OIT items it
    cites. Measures of the next year answer it (Measure.recommendations)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="recommendations")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("ข้อคำถาม", max_length=40, blank=True,
                            help_text="เช่น I17 หรือ E9; สองข้อในประเด็นเดียวกันเป็น I19/I24; ว่างไว้สำหรับข้อเสนอแนะทั่วไป")
    issue = models.TextField("ประเด็น", blank=True)
    advice = models.TextField("ข้อเสนอแนะ")
    items = models.ManyToManyField(OitItem, blank=True, related_name="recommendations",
                                   verbose_name="ข้อ OIT ที่อ้างอิง")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "ข้อเสนอแนะจากผลการประเมิน"
        ordering = ["result", "order", "id"]

    def __str__(self):
        return self.label[:80]

    @property
    def label(self) -> str:
        """"I17 บุคลากรบางราย…" (code and issue), else the advice."""
        text = self.issue or self.advice
        return f"{self.code} {text}" if self.code else text

    @property
    def codes(self) -> list[str]:
        return [code for code in self.code.split("/") if code]

    @property
    def sort_key(self) -> tuple:
        """Tool order, then question number (general advice first), then as entered."""
        first = self.codes[0] if self.codes else ""
        return (self.tool.order, int(first[1:]) if first else -1, self.order, self.pk or 0)

    @property
    def advice_lines(self) -> list[str]:
        return [line.strip() for line in self.advice.splitlines() if line.strip()]


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "รายเดือน"
    QUARTERLY = "quarterly", "รายไตรมาส"
    HALF_YEARLY = "half_yearly", "ราย 6 เดือน"
    YEARLY = "yearly", "รายปี"


class Measure(Timestamped, Versioned):
    """An improvement measure (มาตรการ) for a fiscal year, aimed at indicators and OIT items."""

    organisation = records.organisation("ita_measures")
    fiscal_year = records.fiscal_year("ปีงบประมาณที่ดำเนินการ (พ.ศ.)")
    based_on = models.ForeignKey(Result, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="measures", verbose_name="จากผลการประเมินปี")
    title = models.CharField("มาตรการ", max_length=500)
    steps = models.TextField("ขั้นตอน/วิธีการปฏิบัติ", blank=True, help_text="บรรทัดละหนึ่งขั้นตอน")
    responsible_unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name="ผู้รับผิดชอบ")
    responsible_text = models.CharField("ผู้รับผิดชอบ (ข้อความ)", max_length=200, blank=True,
                                        help_text="ถ้าไม่ใช่หน่วยงานภายในหน่วยเดียว เช่น ทุกสำนัก/กอง")
    deadline = models.DateField("กำหนดแล้วเสร็จ", null=True, blank=True)
    deadline_text = models.CharField("กำหนดแล้วเสร็จ (ข้อความ)", max_length=100, blank=True,
                                     help_text="เช่น ตลอดปีงบประมาณ")
    cadence = models.CharField("การรายงานผล", max_length=16, choices=Cadence.choices, default=Cadence.QUARTERLY)
    indicators = models.ManyToManyField(Indicator, related_name="measures", verbose_name="ตัวชี้วัดที่เกี่ยวข้อง")
    items = models.ManyToManyField(OitItem, blank=True, related_name="measures", verbose_name="ข้อ OIT ที่เกี่ยวข้อง")
    # Of `based_on` only (measures services check it).
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="measures",
                                             verbose_name="ข้อเสนอแนะที่มาตรการนี้ตอบ")
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"
        ordering = ["organisation", "fiscal_year", "order", "id"]
        indexes = [models.Index(fields=["organisation", "fiscal_year"])]

    def __str__(self):
        return self.title

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def responsible_label(self) -> str:
        return self.responsible_text or (self.responsible_unit.name if self.responsible_unit else "")


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "ยังไม่ดำเนินการ"
    IN_PROGRESS = "in_progress", "อยู่ระหว่างดำเนินการ"
    DONE = "done", "ดำเนินการแล้ว"


def measure_evidence_path(progress, filename: str) -> str:
    return f"ita-evidence/{progress.measure.organisation.code}/{progress.measure_id}-q{progress.quarter}-{filename}"


class MeasureProgress(QuarterReport):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField("สถานะ", max_length=16, choices=ProgressStatus.choices,
                              default=ProgressStatus.NOT_STARTED)
    result = models.TextField("ผลการดำเนินงาน", blank=True)
    evidence_file = models.FileField("ไฟล์หลักฐาน", upload_to=measure_evidence_path, blank=True)
    evidence_url = models.URLField("ลิงก์หลักฐาน", max_length=500, blank=True)
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "ผลการดำเนินงานตามมาตรการ"
        ordering, constraints = records.numbered("measure", "quarter", name="ita_progress_unique")

    def __str__(self):
        return f"{self.measure} ไตรมาส {self.quarter}"


# The OIT checklist (ita/oit/models.py), here so Django registers it with the ita app.
from .oit.models import OitAnswer, OitChecklist  # noqa: E402,F401

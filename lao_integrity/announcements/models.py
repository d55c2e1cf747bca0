"""Official announcements (ประกาศ): drafted by staff, approved and signed by an executive.

A signed announcement is a public record: its text, signer and stored PDF never change.
The guard sits in the model and its queryset, so a form, the admin, an import or a
queryset update all meet it; a change is a new revision that names the one it replaces.
"""

from django.core.exceptions import ValidationError
from django.db import models

from lao_integrity import records
from lao_integrity.history import Trail
from lao_integrity.orgs.models import Person
from lao_integrity.records import Versioned
from lao_integrity.review import states as review
from lao_integrity.signed import Freeze, SignedRecord


class Kind(models.TextChoices):
    PLAN = "plan", "ประกาศใช้แผนปฏิบัติการป้องกันการทุจริต"
    AGREEMENT = "agreement", "ข้อตกลงการปฏิบัติราชการ"
    NO_GIFT = "no_gift", "นโยบายไม่รับของขวัญ (No Gift Policy)"
    ITA_MEASURES = "ita_measures", "มาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA)"
    OTHER = "other", "ประกาศอื่น ๆ"


class Status(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    SUBMITTED = review.SUBMITTED, review.SUBMITTED_LABEL
    RETURNED = review.RETURNED, review.RETURNED_LABEL
    APPROVED = "approved", "อนุมัติแล้ว รอลงนาม"
    SIGNED = "signed", "ลงนามแล้ว"


class SignedAnnouncementError(ValidationError):
    """Raised by every write path that would change or delete a signed announcement."""

    def __init__(self):
        super().__init__("ประกาศที่ลงนามแล้วแก้ไขหรือลบไม่ได้ หากต้องการเปลี่ยนแปลงให้จัดทำฉบับปรับปรุง",
                         code="signed")


class Announcement(SignedRecord, Versioned):
    # Signing itself writes an approved row as signed; after that the row is never written again,
    # not even with the same values (loaddata included).
    frozen = Freeze(SignedAnnouncementError, open={Status.SIGNED: ()}, compare_raw=False)

    organisation = records.organisation("announcements")
    kind = models.CharField("ชนิด", max_length=16, choices=Kind.choices)
    fiscal_year = records.fiscal_year(null=True, blank=True)
    number = models.CharField("เลขที่ประกาศ", max_length=50, blank=True, help_text="ถ้ามี เช่น 12/2569")
    subject = models.CharField("เรื่อง", max_length=500)
    body = models.TextField("ข้อความ", help_text="หนึ่งย่อหน้าต่อหนึ่งบรรทัด")
    closing = models.CharField("คำลงท้าย", max_length=200, default="จึงประกาศให้ทราบโดยทั่วกัน")
    annex = models.TextField(
        "รายละเอียดแนบท้าย", blank=True,
        help_text="บรรทัดที่ขึ้นต้นด้วย ๑. เป็นหัวข้อ, ๑.๑ เป็นข้อย่อย, - เป็นรายการย่อย, บรรทัดอื่นเป็นย่อหน้า",
    )
    announced_on = models.DateField("ประกาศ ณ วันที่", null=True, blank=True)
    signer = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="ผู้ลงนาม")
    # Copied at signing: a later change of name or position does not rewrite the record.
    signer_name = models.CharField("ชื่อผู้ลงนาม (ขณะลงนาม)", max_length=300, blank=True)
    signer_position = models.CharField("ตำแหน่งผู้ลงนาม (ขณะลงนาม)", max_length=300, blank=True)
    signer_acting_lines = models.TextField("ตำแหน่งรักษาราชการ (ขณะลงนาม)", blank=True)
    archive_format = models.BooleanField("บันทึกเป็น PDF/A-3b สำหรับจัดเก็บถาวร", default=False)

    status = models.CharField("สถานะ", max_length=16, choices=Status.choices, default=Status.DRAFT)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by", verbose_name="ใช้แทนประกาศ")
    revision = models.PositiveSmallIntegerField("ฉบับที่", default=1)
    pdf = models.FileField("ไฟล์ PDF ที่ลงนาม", upload_to="announcements/%Y/", blank=True)
    pdf_sha256 = models.CharField("SHA-256 ของไฟล์", max_length=64, blank=True)
    # The certificate subject of the PAdES signature in the stored PDF; empty: no digital signature.
    digital_signer = models.CharField("ลายมือชื่อดิจิทัลโดย (ผู้ถือใบรับรอง)", max_length=500, blank=True)
    created_by = records.acting_user("ผู้จัดทำ", blank=False)
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    approved_by = records.acting_user("ผู้อนุมัติ")
    approved_at = models.DateTimeField("อนุมัติเมื่อ", null=True, blank=True)
    signed_by = records.acting_user("ผู้ลงนามในระบบ")
    signed_at = models.DateTimeField("ลงนามเมื่อ", null=True, blank=True)
    history = Trail()

    class Meta(SignedRecord.Meta):
        verbose_name = verbose_name_plural = "ประกาศ"
        ordering = ["-fiscal_year", "organisation__name", "kind", "-revision"]
        indexes = [
            models.Index(fields=["organisation", "kind", "fiscal_year"]),
            # The list, newest first, all kinds or one kind.
            models.Index(fields=["created_at", "id"], name="announcement_newest_idx"),
            models.Index(fields=["kind", "created_at", "id"], name="announcement_kind_newest_idx"),
            # The verification page (/verify/) finds a signed PDF by its SHA-256.
            models.Index(fields=["pdf_sha256"], name="announcement_sha256_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="signed") | (~models.Q(pdf="") & ~models.Q(pdf_sha256="")),
                name="announcement_signed_has_pdf",
            ),
        ]

    def __str__(self):
        return f"ประกาศ{self.organisation.name} เรื่อง {self.subject_text}"

    @property
    def is_signed(self) -> bool:
        return self.status == Status.SIGNED

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.body.splitlines() if line.strip()]

    @property
    def subject_text(self) -> str:
        """The subject as printed, with its tokens filled."""
        from .kinds import fill

        return fill(self.subject, organisation=self.organisation, fiscal_year=self.fiscal_year)

    @property
    def title(self) -> str:
        return f"ประกาศ{self.organisation.name}"

"""The organisation-level agreement (ข้อตกลงการปฏิบัติราชการระดับองค์กร): its structured annex.

The agreement is announced publicly: a ประกาศ (kernel Announcement, kind "agreement") whose annex
lists numbered topics, their sub-items and bullet actions. Here the annex is structured, so the
numbering is generated from positions, never typed.
"""

from django.db import models

from lao_integrity import records
from lao_integrity.history import Trail
from lao_integrity.records import Timestamped, Versioned


class OrgAgreement(Timestamped, Versioned):
    organisation = records.organisation("org_agreements")
    fiscal_year = records.fiscal_year()
    introduction = models.TextField(
        "ความนำของรายละเอียดแนบท้าย", blank=True,
        help_text="ใช้ {อปท.} {ปีงบประมาณ} {พนักงาน} แทนชื่อ อปท. ปีงบประมาณ และชื่อเรียกพนักงาน")
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name="คัดลอกจากปี")
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "ข้อตกลงการปฏิบัติราชการระดับองค์กร"
        ordering = ["-fiscal_year", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "fiscal_year"],
                                               name="org_agreement_unique_year")]

    def __str__(self):
        return f"ข้อตกลงการปฏิบัติราชการ {self.fiscal_year} {self.organisation.name}"


class Topic(Versioned):
    agreement = models.ForeignKey(OrgAgreement, on_delete=models.CASCADE, related_name="topics")
    order = models.PositiveSmallIntegerField("ลำดับ")
    title = models.CharField("หัวข้อ", max_length=300)
    explanation = models.TextField("คำอธิบาย", blank=True)
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "หัวข้อข้อตกลง"
        ordering, constraints = records.numbered("agreement", "order", name="topic_unique_order")

    def __str__(self):
        return self.title


class TopicItem(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="items", verbose_name="หัวข้อ")
    order = models.PositiveSmallIntegerField("ลำดับ")
    text = models.TextField("ข้อย่อย")
    actions = models.TextField("รายการดำเนินการ", blank=True, help_text="บรรทัดละหนึ่งรายการ")
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "ข้อย่อย"
        ordering, constraints = records.numbered("topic", "order", name="topic_item_unique_order")

    def __str__(self):
        return self.text[:80]

    @property
    def action_list(self) -> list[str]:
        return [line.strip().lstrip("-•– ").strip() for line in self.actions.splitlines() if line.strip()]

"""The OIT checklist of one organisation and fiscal year: each O-item of the year's framework with
its evidence and state, as answered in ITAS (O-item, มี/ไม่มี, URL, คำอธิบาย).

Imported into ita/models.py so Django sees the models. What is stored is only what people decide:
the answer for an item (an external URL, a note, a typed state, or a portal document kind chosen
instead of the suggested one). Whether a portal document is published is read at page time
(selectors.py), so an item linked to a published document is มี without anyone typing it.
"""

from django.db import models

from lao_integrity import records
from lao_integrity.history import Trail
from lao_integrity.records import Versioned, VersionedFromOne


class State(models.TextChoices):
    YES = "yes", "มี"
    NO = "no", "ไม่มี"


class OitChecklist(Versioned):
    organisation = records.organisation("oit_checklists")
    fiscal_year = records.fiscal_year()
    framework = models.ForeignKey("ita.Framework", on_delete=models.PROTECT, related_name="oit_checklists",
                                  verbose_name="กรอบการประเมินที่ใช้")
    confirmed_by = records.acting_user("ผู้ยืนยัน")
    confirmed_at = models.DateTimeField("ยืนยันเมื่อ", null=True, blank=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "รายการตรวจ OIT"
        ordering = ["organisation", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "fiscal_year"], name="ita_oit_checklist_unique")]

    def __str__(self):
        return f"OIT {self.fiscal_year} {self.organisation}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class OitAnswer(VersionedFromOne):  # the answer form creates it (concurrency.claim)
    checklist = models.ForeignKey(OitChecklist, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey("ita.OitItem", on_delete=models.PROTECT, related_name="oit_answers",
                             verbose_name="ข้อการประเมิน")
    state = models.CharField("สถานะ", max_length=4, choices=State.choices, blank=True)
    # "" = the kinds suggested from the item's name (evidence.py); else the portal document kind chosen.
    evidence_kind = models.CharField("เอกสารในระบบ", max_length=60, blank=True)
    external_url = models.URLField("ลิงก์ภายนอก", max_length=500, blank=True)
    note = models.TextField("คำอธิบาย", blank=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    updated_by = records.acting_user("ผู้บันทึก")
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "คำตอบข้อ OIT"
        ordering = ["checklist", "item"]
        constraints = [models.UniqueConstraint(fields=["checklist", "item"], name="ita_oit_answer_unique")]

    def __str__(self):
        return f"{self.item_id}: {self.get_state_display()}"

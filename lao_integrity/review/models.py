"""One step of a document's review: submitted, withdrawn, returned (with the comment), approved."""

from django.db import models
from django.utils import timezone

from lao_integrity import records


class Action(models.TextChoices):
    SUBMITTED = "submitted", "เสนออนุมัติ"
    WITHDRAWN = "withdrawn", "ถอนเรื่อง"
    RETURNED = "returned", "ส่งกลับแก้ไข"
    APPROVED = "approved", "อนุมัติ"
    SIGNED = "signed", "ลงนาม"


class ReviewEvent(models.Model):
    """The record is named by its model's label ("plans.plan") and key: the kernel imports no
    domain app, and a backup restores it without content types. Never changed once written."""

    organisation = records.organisation("review_events")
    subject = models.CharField("ชนิดเอกสาร", max_length=100)
    object_id = models.PositiveBigIntegerField("รหัสเอกสาร")
    action = models.CharField("การดำเนินการ", max_length=16, choices=Action.choices)
    comment = models.TextField("ความเห็น", blank=True)
    actor = records.acting_user("ผู้ดำเนินการ")
    at = models.DateTimeField("เมื่อ", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "ขั้นตอนการเสนออนุมัติ"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["subject", "object_id", "at"], name="review_event_subject_idx")]

    def __str__(self):
        return f"{self.get_action_display()} {self.subject} {self.object_id}"

    @property
    def when_text(self) -> str:
        from lao_integrity.history import format_moment

        return format_moment(self.at)

    @property
    def actor_name(self) -> str:
        if self.actor is None:
            return "ระบบ"
        return self.actor.get_full_name() or self.actor.get_username()

"""One act of publishing a signed document, and its withdrawal."""

from django.db import models

from lao_integrity import records


class Publication(models.Model):
    """The document is named by its model's label ("announcements.announcement") and key, as the
    review trail names it: the kernel imports no domain app, and a backup restores it without
    content types. A withdrawn publication stays, with who withdrew it, when and why."""

    organisation = records.organisation("publications")
    subject = models.CharField("ชนิดเอกสาร", max_length=100)
    object_id = models.PositiveBigIntegerField("รหัสเอกสาร")
    published_at = models.DateTimeField("เผยแพร่เมื่อ")
    published_by = records.acting_user("ผู้เผยแพร่", blank=False)
    withdrawn_at = models.DateTimeField("ถอนการเผยแพร่เมื่อ", null=True, blank=True)
    withdrawn_by = records.acting_user("ผู้ถอนการเผยแพร่")
    withdraw_reason = models.TextField("เหตุผลที่ถอนการเผยแพร่", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "การเผยแพร่"
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["subject", "object_id"], name="publication_subject_idx"),
                   models.Index(fields=["organisation", "withdrawn_at"], name="publication_live_idx")]
        constraints = [
            # A document is published at most once at a time.
            models.UniqueConstraint(fields=["subject", "object_id"], condition=models.Q(withdrawn_at=None),
                                    name="publication_one_live"),
        ]

    def __str__(self):
        return f"เผยแพร่ {self.subject} {self.object_id}"

    @property
    def live(self) -> bool:
        return self.withdrawn_at is None

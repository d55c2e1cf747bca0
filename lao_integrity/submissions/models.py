from django.conf import settings
from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """A form submission that was accepted: its one-time token, who sent it and where it led.

    Written in the same transaction as what the submission created or did, so the row exists
    exactly when that write committed. The token is the primary key: a second submission of the
    same form waits for the first's transaction at the insert, then fails on the key and is sent
    where the first went. Rows older than KEEP_DAYS are deleted (lao_integrity/submissions/once.py).
    """

    token = models.CharField("รหัสแบบฟอร์ม", max_length=64, primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name="ผู้ส่ง")
    path = models.CharField("ที่อยู่ที่ส่งไป", max_length=500)
    redirect_to = models.CharField("ผลของการส่ง", max_length=2000, blank=True)
    created_at = models.DateTimeField("เวลาที่ส่ง", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "การส่งแบบฟอร์ม"

    def __str__(self) -> str:
        return f"{self.path} {self.created_at:%Y-%m-%d %H:%M}"

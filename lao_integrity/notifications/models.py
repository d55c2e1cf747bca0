"""What the portal told whom (Notification), who wants email (NotificationSettings), and which
reminders were sent already (ReminderSent), so that none is sent twice."""

from django.conf import settings
from django.db import models

from lao_integrity.orgs.models import Organisation


class Event(models.TextChoices):
    SUBMITTED = "submitted", "ส่งเสนอ"
    RETURNED = "returned", "ส่งกลับแก้ไข"
    APPROVED = "approved", "อนุมัติแล้ว"
    SIGNED = "signed", "ลงนามแล้ว"
    DUE_SOON = "due_soon", "ใกล้ถึงกำหนด"
    OVERDUE = "overdue", "เลยกำหนด"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name="ผู้รับ")
    event = models.CharField("เหตุการณ์", max_length=16, choices=Event.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name="อปท.")
    title = models.CharField("เรื่อง", max_length=300)
    url = models.CharField("ลิงก์", max_length=500)
    comment = models.TextField("หมายเหตุ", blank=True)
    created = models.DateTimeField("เมื่อ", auto_now_add=True)
    read_at = models.DateTimeField("อ่านเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "การแจ้งเตือน"
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "-created"], name="notif_recipient_created"),
                   models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True),
                                name="notif_unread")]

    def __str__(self):
        return f"{self.get_event_display()}: {self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationSettings(models.Model):
    """One user's choice; no row means the default (email on)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="notification_settings", verbose_name="ผู้ใช้")
    email = models.BooleanField("รับการแจ้งเตือนทางอีเมล", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "การตั้งค่าการแจ้งเตือน"

    def __str__(self):
        return f"{self.user}: {'อีเมล' if self.email else 'ไม่รับอีเมล'}"


class ReminderSent(models.Model):
    """A reminder of one obligation item in one state, sent to one user: never again. An item that
    turns from due-soon to overdue is another state, so it is reminded once more. `sent_on` is the
    day of the digest it went out in: one digest per user per day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)  # ObligationItem.key
    state = models.CharField(max_length=16)
    sent_on = models.DateField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "การเตือนที่ส่งแล้ว"
        constraints = [models.UniqueConstraint(fields=["user", "key", "state"], name="reminder_once")]
        indexes = [models.Index(fields=["user", "sent_on"], name="reminder_user_day")]

    def __str__(self):
        return f"{self.user} · {self.key} · {self.state}"

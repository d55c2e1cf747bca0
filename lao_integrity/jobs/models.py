"""A long job a user started: what it is, how far it got, and its result file or its problems.

The work itself runs in a django-tasks task (tasks.run_job); this row is what the pages show and
what the download serves. Only the owner (and administrators) see a job.
"""

import uuid

from django.conf import settings
from django.db import models

from lao_integrity.orgs.models import Organisation


class Status(models.TextChoices):
    QUEUED = "queued", "รอคิว"
    RUNNING = "running", "กำลังทำงาน"
    DONE = "done", "เสร็จแล้ว"
    FAILED = "failed", "ไม่สำเร็จ"


FINISHED = (Status.DONE, Status.FAILED)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("ชนิดงาน", max_length=40)  # a key of registry.register
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs",
                              verbose_name="ผู้สั่งงาน")
    # The organisation whose data the job reads, when there is one: checked again at download.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name="อปท.")
    title = models.CharField("งาน", max_length=300)
    params = models.JSONField("ค่าที่ใช้", default=dict, blank=True)
    status = models.CharField("สถานะ", max_length=16, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField("ทำแล้ว", default=0)
    total = models.PositiveIntegerField("ทั้งหมด", default=0)  # 0: not known (yet)
    message = models.TextField("ผลการทำงาน", blank=True)
    # An import that was rejected: [{"line": int | None, "message": str}, ...]
    problems = models.JSONField("ข้อผิดพลาด", default=list, blank=True)
    input_file = models.FileField("ไฟล์ที่ส่งเข้า", upload_to="jobs/input/%Y/%m/", blank=True)
    result_file = models.FileField("ไฟล์ผลลัพธ์", upload_to="jobs/result/%Y/%m/", blank=True)
    result_name = models.CharField("ชื่อไฟล์ผลลัพธ์", max_length=255, blank=True)
    content_type = models.CharField("ชนิดไฟล์ผลลัพธ์", max_length=100, blank=True)
    created_at = models.DateTimeField("สั่งงานเมื่อ", auto_now_add=True)
    started_at = models.DateTimeField("เริ่มทำงานเมื่อ", null=True, blank=True)
    finished_at = models.DateTimeField("เสร็จเมื่อ", null=True, blank=True)
    task_id = models.CharField("รหัสงานในคิว (django-tasks)", max_length=64, blank=True)
    # Written by the process running the job while it lives (services.Heartbeat); a running job
    # whose last heartbeat is older than the lease died with its process (services.fail_dead).
    heartbeat_at = models.DateTimeField("สัญญาณล่าสุดจากงาน", null=True, blank=True)
    # "Start again" makes one new job with the same inputs, once: this points at it.
    restarted_as = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="restarted_from", verbose_name="เริ่มใหม่เป็นงาน")

    class Meta:
        verbose_name = verbose_name_plural = "งานเบื้องหลัง"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="jobs_owner_created")]

    def __str__(self):
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def has_result(self) -> bool:
        return self.status == Status.DONE and bool(self.result_file)

    @property
    def can_restart(self) -> bool:
        """A failed job may be started again with the same inputs, unless it was refused for its
        content (an import's problems: the file must be fixed first) or already started again."""
        return self.status == Status.FAILED and not self.problems and self.restarted_as_id is None

    @property
    def percent(self) -> int | None:
        """Progress in whole per cent; None while the amount of work is not known."""
        if self.status == Status.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)

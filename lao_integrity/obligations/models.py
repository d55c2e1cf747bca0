"""Rules of the year's obligations (data an administrator edits), the dated windows of ITA/OIT
entered per year, and each user's calendar-feed token. No state is stored: it is computed."""

from __future__ import annotations

import calendar
import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from lao_integrity import records
from lao_integrity.thai import fiscal

from . import registry
from .registry import Timing


class Responsible(models.TextChoices):
    STAFF = "staff", "เจ้าหน้าที่"
    EXECUTIVE = "executive", "ผู้บริหาร"


MAX_DUE_SOON_DAYS = 120
MAX_DAYS_AFTER = 366


class ObligationRule(models.Model):
    """One duty that recurs every fiscal year: what it is, what completes it (a provider), when."""

    key = models.SlugField("รหัสกติกา", max_length=60, unique=True)
    title = models.CharField(
        "ชื่อที่แสดง", max_length=300,
        help_text="ใช้ {ปีงบประมาณ} แทนปี และ {เรื่อง} แทนสิ่งที่ผู้ให้ข้อมูลระบุ (เช่น ชื่อมาตรการ งวด)")
    provider = models.CharField("สิ่งที่ทำให้ครบ (ผู้ให้ข้อมูล)", max_length=60)
    due_month = models.PositiveSmallIntegerField("ครบกำหนดเดือน (1-12)", null=True, blank=True)
    due_day = models.PositiveSmallIntegerField("ครบกำหนดวันที่", null=True, blank=True)
    after_year_end = models.BooleanField(
        "ครบกำหนดหลังสิ้นปีงบประมาณ", default=False,
        help_text="เช่น รายงานรอบ 12 เดือน ภายในเดือนตุลาคมหลังสิ้นปีงบประมาณ")
    days_after = models.IntegerField("จำนวนวันหลังเหตุการณ์", null=True, blank=True,
                                     help_text="เช่น 30 วันหลังลงนามประกาศ หรือ 15 วันหลังสิ้นไตรมาส")
    due_soon_days = models.IntegerField("เตือนล่วงหน้า (วัน)", default=14)
    responsible = models.CharField("ผู้รับผิดชอบ", max_length=16, choices=Responsible.choices,
                                   default=Responsible.STAFF)
    active = models.BooleanField("ใช้งาน", default=True)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "กติกากำหนดการ"
        ordering = ["order", "key"]

    def __str__(self):
        return self.title.replace("{ปีงบประมาณ}", "").replace("{เรื่อง}", "").strip()

    def title_for(self, fiscal_year: int, subject: str = "") -> str:
        text = self.title.replace("{ปีงบประมาณ}", str(fiscal_year)).replace("{เรื่อง}", subject)
        return " ".join(text.split())

    def due_in(self, fiscal_year: int) -> datetime.date | None:
        """The fixed due date of `fiscal_year` (month/day rules): October to December fall in the
        year the fiscal year starts; after_year_end moves it one year on."""
        if not self.due_month or not self.due_day:
            return None
        start, _ = fiscal.fiscal_year_bounds(fiscal_year)
        year = start.year if self.due_month >= 10 else start.year + 1
        year += 1 if self.after_year_end else 0
        day = min(self.due_day, calendar.monthrange(year, self.due_month)[1])  # 29 Feb in a common year
        return datetime.date(year, self.due_month, day)

    def due_after(self, event: datetime.date) -> datetime.date:
        return event + datetime.timedelta(days=self.days_after or 0)

    def clean(self):
        errors: dict[str, str] = {}
        provider = registry.get(self.provider)
        if provider is None:
            errors["provider"] = "ไม่รู้จักผู้ให้ข้อมูลนี้ เลือกจากรายการที่ระบบมี"
        if self.due_soon_days is not None and self.due_soon_days < 0:
            errors["due_soon_days"] = "จำนวนวันที่เตือนล่วงหน้าต้องไม่ติดลบ"
        elif self.due_soon_days is not None and self.due_soon_days > MAX_DUE_SOON_DAYS:
            errors["due_soon_days"] = f"เตือนล่วงหน้าได้ไม่เกิน {MAX_DUE_SOON_DAYS} วัน"
        has_date = self.due_month is not None or self.due_day is not None
        if self.due_month is not None and not 1 <= self.due_month <= 12:
            errors["due_month"] = "เดือนต้องอยู่ระหว่าง 1 ถึง 12"
        elif has_date and (self.due_month is None or self.due_day is None):
            errors["due_day" if self.due_day is None else "due_month"] = "ระบุทั้งเดือนและวันที่ครบกำหนด"
        elif has_date and not 1 <= self.due_day <= calendar.monthrange(2024, self.due_month)[1]:
            errors["due_day"] = f"เดือน {self.due_month} ไม่มีวันที่ {self.due_day}"
        if self.days_after is not None and self.days_after < 0:
            errors["days_after"] = "กำหนดก่อนเหตุการณ์ไม่ได้ จำนวนวันต้องไม่ติดลบ"
        elif self.days_after is not None and self.days_after > MAX_DAYS_AFTER:
            errors["days_after"] = f"จำนวนวันหลังเหตุการณ์ต้องไม่เกิน {MAX_DAYS_AFTER} วัน"
        if self.after_year_end and self.due_month not in (10, 11, 12):
            errors.setdefault("after_year_end", "หลังสิ้นปีงบประมาณกำหนดได้เฉพาะเดือนตุลาคมถึงธันวาคม"
                                                " (ไม่เกิน 3 เดือนหลังสิ้นปี)")
        if provider is not None and not errors:
            if provider.timing == Timing.DATE and not has_date:
                errors["due_month"] = "กติกานี้ต้องกำหนดเดือนและวันที่ครบกำหนดในปีงบประมาณ"
            elif provider.timing == Timing.AFTER and self.days_after is None:
                errors["days_after"] = "กติกานี้ต้องกำหนดจำนวนวันหลังเหตุการณ์"
            if provider.timing != Timing.DATE and has_date:
                errors["due_month"] = "กติกานี้นับจากเหตุการณ์ ไม่ใช้เดือนและวันที่"
            if provider.timing != Timing.AFTER and self.days_after is not None:
                errors["days_after"] = "กติกานี้ไม่ใช้จำนวนวันหลังเหตุการณ์"
        if errors:
            raise ValidationError(errors)


class DatedWindow(models.Model):
    """A dated window of a fiscal year that applies to every organisation (the ITA answer period,
    the OIT appeal period...), entered by an administrator when NACC announces it."""

    fiscal_year = records.fiscal_year()
    title = models.CharField("ชื่อช่วงเวลา", max_length=300, help_text="เช่น ตอบแบบ OIT ในระบบ ITAS")
    opens_on = models.DateField("เริ่ม")
    closes_on = models.DateField("สิ้นสุด")
    url = models.URLField("ลิงก์ (ถ้ามี)", blank=True, max_length=500)
    responsible = models.CharField("ผู้รับผิดชอบ", max_length=16, choices=Responsible.choices,
                                   default=Responsible.STAFF)

    class Meta:
        verbose_name = verbose_name_plural = "ช่วงเวลา ITA/OIT รายปี"
        ordering = ["-fiscal_year", "opens_on", "id"]

    def __str__(self):
        return f"{self.title} ({self.fiscal_year})"

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"})
        if self.fiscal_year and self.opens_on:
            try:
                start, end = fiscal.fiscal_year_bounds(self.fiscal_year)
            except (TypeError, ValueError):
                return
            if not start <= self.opens_on <= end:
                raise ValidationError({"opens_on": f"วันเริ่มต้องอยู่ในปีงบประมาณ {self.fiscal_year}"
                                                   f" ({start:%d/%m/%Y} - {end:%d/%m/%Y} ค.ศ.)"})


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret in a user's calendar address: whoever has it reads that user's obligations."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed",
                                verbose_name="ผู้ใช้")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "ลิงก์ปฏิทินของผู้ใช้"

    def __str__(self):
        return f"ปฏิทินของ {self.user}"

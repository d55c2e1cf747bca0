from django import forms
from django.contrib import admin

from lao_integrity.fields import thai_formfield

from . import registry
from .models import CalendarFeed, DatedWindow, ObligationRule


class RuleForm(forms.ModelForm):
    provider = forms.ChoiceField(label="สิ่งที่ทำให้ครบ (ผู้ให้ข้อมูล)", choices=())

    class Meta:
        model = ObligationRule
        fields = ["key", "title", "provider", "responsible", "active", "order", "due_month", "due_day",
                  "after_year_end", "days_after", "due_soon_days"]
        formfield_callback = thai_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = registry.choices()


@admin.register(ObligationRule)
class ObligationRuleAdmin(admin.ModelAdmin):
    form = RuleForm
    list_display = ["title", "provider", "due_text", "due_soon_days", "responsible", "active", "order"]
    list_filter = ["active", "responsible"]
    list_editable = ["active"]
    search_fields = ["key", "title"]
    fieldsets = [
        (None, {"fields": ["key", "title", "provider", "responsible", "active", "order"]}),
        ("กำหนดเวลา", {"fields": ["due_month", "due_day", "after_year_end", "days_after", "due_soon_days"],
                       "description": "กำหนดเป็นเดือน/วันในปีงบประมาณ หรือจำนวนวันหลังเหตุการณ์ ตามที่ผู้ให้ข้อมูลใช้"}),
    ]

    @admin.display(description="ครบกำหนด")
    def due_text(self, rule):
        if rule.due_month:
            return f"{rule.due_day}/{rule.due_month}" + (" หลังสิ้นปีงบประมาณ" if rule.after_year_end else "")
        if rule.days_after is not None:
            return f"{rule.days_after} วันหลังเหตุการณ์"
        return "ตามช่วงเวลา"


@admin.register(DatedWindow)
class DatedWindowAdmin(admin.ModelAdmin):
    list_display = ["title", "fiscal_year", "opens_on", "closes_on", "responsible"]
    list_filter = ["fiscal_year"]
    search_fields = ["title"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Read-only: a user resets their own address; the admin only sees who has one."""
    list_display = ["user", "created_at"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

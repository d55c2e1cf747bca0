"""This sub-domain's admin registrations (lpa/admin.py imports this module): the year's rule of
part 2 (validated, Thai messages) and part 1 per organisation and year (version-checked)."""

from decimal import Decimal

from django import forms
from django.contrib import admin

from lao_integrity.admin_site import LargeListAdmin, year_filter
from lao_integrity.concurrency import VersionCheckedAdmin, VersionCheckedForm
from lao_integrity.fields import thai_formfield

from ..models import BONUS_DIMENSIONS, BonusRule, BonusScore


class BonusRuleForm(forms.ModelForm):
    class Meta:
        model = BonusRule
        fields = ["fiscal_year", "lpa_threshold", "points_at_or_above", "points_below", "meeting", "meeting_date"]
        formfield_callback = thai_formfield  # number boxes that take Thai digits (lao_integrity/fields.py)

    def clean_lpa_threshold(self):
        value = self.cleaned_data["lpa_threshold"]
        if value is not None and not Decimal(0) <= value <= Decimal(100):
            raise forms.ValidationError("ร้อยละ LPA ขั้นต่ำต้องอยู่ระหว่าง 0 ถึง 100")
        return value

    def _points(self, name: str, label: str):
        value = self.cleaned_data[name]
        if value is not None and value < 0:
            raise forms.ValidationError(f"{label}ต้องไม่ติดลบ")
        return value

    def clean_points_at_or_above(self):
        return self._points("points_at_or_above", "คะแนนเมื่อถึงเกณฑ์")

    def clean_points_below(self):
        return self._points("points_below", "คะแนนเมื่อต่ำกว่าเกณฑ์")


@admin.register(BonusRule)
class BonusRuleAdmin(admin.ModelAdmin):
    form = BonusRuleForm
    list_display = ["fiscal_year", "lpa_threshold", "points_at_or_above", "points_below", "meeting", "meeting_date"]
    ordering = ["-fiscal_year"]


class BonusScoreAdminForm(VersionCheckedForm):
    class Meta:
        model = BonusScore
        fields = ["organisation", "fiscal_year", "d1", "d2", "d3", "d4", "remark"]
        formfield_callback = thai_formfield

    def clean(self):
        cleaned = super().clean()
        for name, label, full in BONUS_DIMENSIONS:
            value = cleaned.get(name)
            if value is not None and not Decimal(0) <= value <= full:
                self.add_error(name, f"{label} ต้องอยู่ระหว่าง 0 ถึง {full:.0f} คะแนน")
        return cleaned


@admin.register(BonusScore)
class BonusScoreAdmin(LargeListAdmin, VersionCheckedAdmin, admin.ModelAdmin):
    form = BonusScoreAdminForm
    list_display = ["organisation", "fiscal_year", "d1", "d2", "d3", "d4", "part1"]
    list_select_related = ["organisation"]
    list_filter = [year_filter("fiscal_year")]
    raw_id_fields = ["organisation"]
    search_fields = ["organisation__name", "organisation__code"]
    ordering = ["-fiscal_year", "organisation__code"]

    @admin.display(description="ส่วนที่ 1")
    def part1(self, obj):
        return obj.part1

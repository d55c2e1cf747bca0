"""Admin of unit and individual performance agreements."""

from django.contrib import admin, messages

from lao_integrity.admin_site import LargeListAdmin, year_filter
from lao_integrity.concurrency import VersionCheckedAdmin

from .models import AgreementIndicator, AgreementStatus, IndicatorProgress, PerformanceAgreement


def _is_draft(agreement) -> bool:
    return agreement is None or agreement.status == AgreementStatus.DRAFT


class AgreementIndicatorInline(admin.TabularInline):
    """Editable only while the agreement is a draft: signing freezes the indicators (the model
    refuses any other write too)."""

    model = AgreementIndicator
    extra = 0
    fields = ["order", "aspect", "work_type", "name", "unit_of_measure", "baseline", "higher_is_better",
              "target_1", "target_2", "target_3", "target_4", "target_5", "weight", "achieved_value",
              "achieved_level"]

    def has_add_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_delete_permission(request, obj)


@admin.register(PerformanceAgreement)
class PerformanceAgreementAdmin(LargeListAdmin, VersionCheckedAdmin, admin.ModelAdmin):
    list_display = ["organisation", "fiscal_year", "round", "kind", "unit", "person", "executive", "status", "score"]
    list_filter = ["status", year_filter("fiscal_year"), "round", "kind", "organisation__province",
                   "organisation__org_type"]
    search_fields = ["=organisation__code", "organisation__name", "person__first_name", "person__last_name",
                     "unit__name"]
    search_help_text = "รหัส อปท. 7 หลัก หรือส่วนหนึ่งของชื่อ อปท. ผู้รับข้อตกลง หรือหน่วยงาน"
    list_select_related = ["organisation", "unit", "person", "executive"]
    ordering = ["-pk"]  # newest first, along the primary key
    autocomplete_fields = ["organisation", "unit", "person", "executive", "projects"]
    readonly_fields = ["signed_at", "signed_by", "pdf", "pdf_sha256", "digital_signer", "evaluated_at", "created_at",
                       "updated_at"]
    inlines = [AgreementIndicatorInline]

    # A signed or evaluated agreement is read-only here, as on the pages.
    def has_change_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        kept = queryset.exclude(status=AgreementStatus.DRAFT).count()
        if kept:
            messages.warning(request, f"ข้ามข้อตกลงที่ลงนามแล้ว {kept} รายการ: ลบไม่ได้")
        queryset.filter(status=AgreementStatus.DRAFT).delete()


@admin.register(IndicatorProgress)
class IndicatorProgressAdmin(LargeListAdmin, VersionCheckedAdmin, admin.ModelAdmin):
    list_display = ["indicator", "quarter", "value", "updated_at"]
    list_filter = ["quarter", year_filter("indicator__agreement__fiscal_year"), "indicator__agreement__round"]
    search_fields = ["=indicator__agreement__organisation__code", "indicator__name",
                     "indicator__agreement__organisation__name"]
    list_select_related = ["indicator"]
    ordering = ["-pk"]
    raw_id_fields = ["indicator"]

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from lao_integrity.admin_site import LargeListAdmin, year_filter
from lao_integrity.concurrency import VersionCheckedAdmin

from .models import Announcement, Status


@admin.register(Announcement)
class AnnouncementAdmin(LargeListAdmin, VersionCheckedAdmin, admin.ModelAdmin):
    list_display = ["subject", "organisation", "kind", "fiscal_year", "revision", "status", "document_links"]
    list_filter = ["kind", "status", year_filter("fiscal_year")]
    search_fields = ["=organisation__code", "subject", "organisation__name"]
    search_help_text = "รหัส อปท. 7 หลัก หรือส่วนหนึ่งของเรื่องหรือชื่อ อปท."
    autocomplete_fields = ["organisation", "signer"]
    list_select_related = ["organisation"]
    ordering = ["-created_at", "-pk"]  # newest first: index announcement_newest_idx
    readonly_fields = ["status", "pdf", "pdf_sha256", "digital_signer", "signer_name", "signer_position",
                       "signer_acting_lines", "replaces", "revision", "created_by", "approved_by", "approved_at",
                       "signed_by", "signed_at", "document_links"]
    # Status changes go through the pages (approve, sign), where the checks run.
    actions = None

    @admin.display(description="เอกสาร")
    def document_links(self, obj):
        if not obj.pk:
            return "-"
        url = reverse("announcements:document", args=[obj.pk])
        return format_html('<a href="{}">ดาวน์โหลด PDF</a> · <a href="{}?preview=1" target="_blank">ดูตัวอย่าง</a>',
                           url, url)

    def _is_signed(self, obj) -> bool:
        return obj is not None and obj.status == Status.SIGNED

    def has_change_permission(self, request, obj=None):
        # Only drafts are edited here; approved and signed ones are read-only (signing has its checks).
        return (obj is None or obj.status == Status.DRAFT) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._is_signed(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

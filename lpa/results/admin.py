"""LPA results in the admin: read only. They change by importing the province's table (the import
page /lpa/import/ or `import_lpa`), where every printed figure is checked; never cell by cell."""

from django.contrib import admin

from lao_integrity.admin_site import LargeListAdmin, year_filter
from lao_integrity.concurrency import VersionCheckedAdmin

from ..models import LpaAreaScore, LpaResult


class AreaScoreInline(admin.TabularInline):
    model = LpaAreaScore
    extra = 0
    fields = readonly_fields = ("area", "full_marks", "score", "percent")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="ร้อยละ")
    def percent(self, obj):
        return obj.percent


@admin.register(LpaResult)
class LpaResultAdmin(LargeListAdmin, VersionCheckedAdmin, admin.ModelAdmin):  # read only, checked all the same
    list_display = ("organisation", "fiscal_year", "data_as_of", "reporter")
    list_select_related = ("organisation",)
    list_filter = (year_filter("fiscal_year"),)
    search_fields = ("organisation__name", "organisation__code", "organisation__province")
    ordering = ("-fiscal_year", "organisation")
    raw_id_fields = ("organisation",)
    readonly_fields = ("organisation", "fiscal_year", "data_as_of", "reporter", "reporter_position", "version")
    inlines = [AreaScoreInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

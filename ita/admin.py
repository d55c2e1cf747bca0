"""ITA in the admin: frameworks as data, results (read-only computed fields) with the same file import
and export as the pages and the import_ita / export_ita commands (ita.results.exchange)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from lao_integrity.admin_site import LargeListAdmin, TableImportAdmin, tabular_inline, year_filter
from lao_integrity.concurrency import VersionCheckedAdmin
from lao_integrity.downloads import table_attachment
from lao_integrity.orgs import access
from lao_integrity.statements import Statement

from .models import (
    Framework,
    Indicator,
    IndicatorScore,
    LevelBand,
    Measure,
    MeasureProgress,
    OitItem,
    Result,
    Tool,
)
from .results import exchange, services
from .results.forms import ResultImportForm


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        self._framework = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "tool":
            framework = getattr(self, "_framework", None)
            kwargs["queryset"] = Tool.objects.filter(framework=framework) if framework else Tool.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Framework)
class FrameworkAdmin(LargeListAdmin, admin.ModelAdmin):
    list_display = ["fiscal_year", "name", "provisional"]
    list_filter = ["provisional"]
    inlines = [tabular_inline(Tool), IndicatorInline, tabular_inline(LevelBand)]
    actions = ["recompute"]

    @admin.action(description="คำนวณผลใหม่ตามกรอบนี้")
    def recompute(self, request, queryset):
        for framework in queryset.order_by("fiscal_year"):
            count = services.framework_recompute(framework=framework)
            self.message_user(request, f"คำนวณผลการประเมินปีงบประมาณ {framework.fiscal_year} ใหม่แล้ว {count} รายการ",
                              messages.SUCCESS)


@admin.register(OitItem)
class OitItemAdmin(LargeListAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "indicator", "sub_indicator", "fiscal_year"]
    list_filter = [year_filter("indicator__framework__fiscal_year")]
    search_fields = ["code", "name"]
    list_select_related = ["indicator__framework"]

    @admin.display(description="ปีงบประมาณ", ordering="indicator__framework__fiscal_year")
    def fiscal_year(self, obj):
        return obj.indicator.framework.fiscal_year


class IndicatorScoreInline(admin.TabularInline):
    """Scores are shown, not edited here: typed scores go through the result form or an import so
    the tool scores, overall score and level are recomputed."""

    model = IndicatorScore
    extra = 0
    fields = ["indicator", "score", "guidance"]
    readonly_fields = ["indicator", "score", "guidance"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


# The levels in order, compiled once a process.
_LEVELS = Statement(lambda: LevelBand.objects.order_by("-min_score").values_list("level"))


class LevelFilter(admin.SimpleListFilter):
    """The levels of the frameworks (a few rows), not DISTINCT over every result."""

    title = "ระดับ"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        levels = [level for level, in _LEVELS.rows()]
        return [(level, level) for level in dict.fromkeys(levels)]

    def queryset(self, request, queryset):
        return queryset.filter(level=self.value()) if self.value() else queryset


@admin.register(Result)
class ResultAdmin(LargeListAdmin, TableImportAdmin, VersionCheckedAdmin, admin.ModelAdmin):
    list_display = ["organisation", "fiscal_year", "overall", "level", "passed"]
    list_filter = [year_filter("fiscal_year"), LevelFilter, "passed", "organisation__province"]
    search_fields = ["=organisation__code", "organisation__name"]
    search_help_text = "รหัส อปท. 7 หลัก หรือส่วนหนึ่งของชื่อ อปท."
    list_select_related = ["organisation"]
    # The columns and the organisation's name and code (its str()): not the scores' parts or dates.
    list_fields = ("organisation__name", "organisation__code", "fiscal_year", "overall", "level", "passed")
    ordering = ["-pk"]  # newest first, along the primary key
    readonly_fields = ["organisation", "framework", "fiscal_year", "iit", "eit", "oit", "overall", "level",
                       "passed", "updated_at", "updated_by", "edit_link"]
    fields = ["organisation", "framework", "fiscal_year", "rank", "rank_group", "iit", "eit", "oit", "overall",
              "level", "passed", "updated_at", "updated_by", "edit_link"]
    inlines = [IndicatorScoreInline]
    actions = ["export_xlsx", "export_csv"]
    change_list_template = "admin/import_export/change_list_import.html"

    def has_add_permission(self, request):
        # Results are created by an import or the result form, which compute the scores.
        return False

    @admin.display(description="แก้ไขคะแนน")
    def edit_link(self, obj):
        if not obj.pk:
            return "-"
        url = reverse("ita:result_edit", args=[obj.organisation.code, obj.fiscal_year])
        return format_html('<a href="{}">กรอก/แก้ไขคะแนนรายตัวชี้วัด</a>', url)

    # --- import: the page's import, run within the request -------------------------------------

    import_form_class = ResultImportForm
    import_template = "ita/results/import.html"

    def import_context(self, request):
        return {"title": "นำเข้าผลการประเมิน ITA",
                "frameworks": Framework.objects.order_by("fiscal_year").values_list("fiscal_year", flat=True)}

    def import_file(self, request, form):
        allowed = None if request.user.is_superuser else access.editable_organisations(request.user)
        upload = form.cleaned_data["file"]
        return exchange.results_import(data=upload.read(), filename=upload.name, user=request.user,
                                       allowed_organisations=allowed)

    # --- export -----------------------------------------------------------------------------

    def _export(self, request, queryset, fmt):
        years = sorted(set(queryset.values_list("fiscal_year", flat=True)))
        if len(years) != 1:
            self.message_user(request, "กรุณาเลือกผลการประเมินของปีงบประมาณเดียวกัน (กรองตามปีงบประมาณก่อน)",
                              messages.ERROR)
            return None
        try:
            content = exchange.export_results(fiscal_year=years[0], results=queryset.order_by("organisation__code"),
                                              fmt=fmt)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        return table_attachment(content, fmt=fmt, filename=f"ita-{years[0]}.{fmt}")

    @admin.action(description="ส่งออกเป็นไฟล์ Excel (.xlsx)")
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx")

    @admin.action(description="ส่งออกเป็นไฟล์ CSV")
    def export_csv(self, request, queryset):
        return self._export(request, queryset, "csv")


@admin.register(Measure)
class MeasureAdmin(LargeListAdmin, VersionCheckedAdmin, admin.ModelAdmin):
    list_display = ["organisation", "fiscal_year", "title"]
    list_filter = [year_filter("fiscal_year")]
    search_fields = ["=organisation__code", "title", "organisation__name"]
    list_select_related = ["organisation"]
    ordering = ["-pk"]
    raw_id_fields = ["organisation", "based_on", "responsible_unit"]


@admin.register(MeasureProgress)
class MeasureProgressAdmin(LargeListAdmin, VersionCheckedAdmin, admin.ModelAdmin):
    list_display = ["organisation", "fiscal_year", "title", "quarter", "status"]
    list_filter = [year_filter("measure__fiscal_year"), "quarter", "status"]
    search_fields = ["=measure__organisation__code", "measure__title", "measure__organisation__name"]
    list_select_related = ["measure__organisation"]
    ordering = ["-pk"]
    raw_id_fields = ["measure"]

    @admin.display(description="อปท.", ordering="measure__organisation__name")
    def organisation(self, obj):
        return obj.measure.organisation

    @admin.display(description="ปีงบประมาณ", ordering="measure__fiscal_year")
    def fiscal_year(self, obj):
        return obj.measure.fiscal_year

    @admin.display(description="มาตรการ")
    def title(self, obj):
        return obj.measure.title

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from import_export import resources
from import_export.admin import ExportMixin, ImportExportModelAdmin
from import_export.forms import ConfirmImportForm, ImportForm

from lao_integrity.concurrency import VersionCheckedAdmin

from .models import (
    DetailSheet,
    Dimension,
    Framework,
    MethodStep,
    Plan,
    PlanVersion,
    Project,
    ProjectProgress,
    SheetIndicator,
    SheetObjective,
    TargetGroup,
)
from .resources import ProjectResource


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0


class FrameworkResource(resources.ModelResource):
    class Meta:
        model = Framework


@admin.register(Framework)
class FrameworkAdmin(ImportExportModelAdmin):
    resource_classes = [FrameworkResource]
    list_display = ["code", "name", "first_year", "last_year"]
    search_fields = ["code", "name"]
    inlines = [DimensionInline]


class DimensionResource(resources.ModelResource):
    class Meta:
        model = Dimension
        fields = ("id", "framework", "number", "name")


@admin.register(Dimension)
class DimensionAdmin(ImportExportModelAdmin):
    resource_classes = [DimensionResource]
    list_display = ["number", "name", "framework"]
    list_filter = ["framework"]
    search_fields = ["name"]


class PlanResource(resources.ModelResource):
    class Meta:
        model = Plan
        fields = ("id", "organisation__code", "organisation__name", "fiscal_year", "framework__code", "status",
                  "data_as_of", "approved_at")


class PlanVersionInline(admin.TabularInline):
    model = PlanVersion
    extra = 0
    fields = ["number", "created_at", "created_by", "note"]
    readonly_fields = ["number", "created_at", "created_by"]
    can_delete = False


@admin.register(Plan)
class PlanAdmin(VersionCheckedAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [PlanResource]
    list_display = ["organisation", "fiscal_year", "status", "data_as_of", "updated_at", "document_links"]
    list_filter = ["status", "fiscal_year", "organisation__province", "organisation__org_type"]
    search_fields = ["organisation__name", "organisation__code"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "issuer"]
    inlines = [PlanVersionInline]
    readonly_fields = ["approved_at", "approved_by", "document_links"]

    @admin.display(description="เอกสาร")
    def document_links(self, obj):
        if not obj.pk:
            return "-"
        book = reverse("plans:document", args=[obj.pk, "book"])
        progress = reverse("plans:document", args=[obj.pk, "progress"])
        return format_html('<a href="{}">เล่มแผน PDF</a> · <a href="{}?preview=1" target="_blank">ดูตัวอย่าง</a>'
                           ' · <a href="{}?months=6">รายงาน 6 เดือน</a> · <a href="{}?months=12">12 เดือน</a>',
                           book, book, progress, progress)


class ProjectPlanImportForm(ImportForm):
    plan = forms.ModelChoiceField(label="แผนที่จะนำเข้า (รายการโครงการเดิมจะถูกแทนที่)",
                                  queryset=Plan.objects.select_related("organisation"))


class ProjectPlanConfirmForm(ConfirmImportForm):
    plan = forms.ModelChoiceField(queryset=Plan.objects.all(), widget=forms.HiddenInput)


@admin.register(Project)
class ProjectAdmin(VersionCheckedAdmin, ImportExportModelAdmin):
    """Import here uses the same file format and rules as the plan page and `import_plan`."""

    resource_classes = [ProjectResource]
    import_form_class = ProjectPlanImportForm
    confirm_form_class = ProjectPlanConfirmForm
    list_display = ["sequence", "name", "plan", "dimension", "budget", "q1", "q2", "q3", "q4", "is_added"]
    list_filter = ["kind", "is_added", "dimension__number", "plan__fiscal_year"]
    search_fields = ["name", "plan__organisation__name", "plan__organisation__code"]
    list_select_related = ["plan__organisation", "dimension"]
    raw_id_fields = ["plan", "responsible_unit"]

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["plan"] = import_form.cleaned_data["plan"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.get("form")
        if form is not None and getattr(form, "cleaned_data", None):
            resource_kwargs["plan"] = form.cleaned_data.get("plan")
        return resource_kwargs


class ObjectiveInline(admin.TabularInline):
    model = SheetObjective
    extra = 0


class TargetGroupInline(admin.TabularInline):
    model = TargetGroup
    extra = 0


class StepInline(admin.TabularInline):
    model = MethodStep
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = SheetIndicator
    extra = 0


class DetailSheetResource(resources.ModelResource):
    class Meta:
        model = DetailSheet
        fields = ("id", "project__plan__organisation__code", "project__plan__fiscal_year", "project__sequence",
                  "project__name", "rationale", "duration", "budget_note", "responsible")


@admin.register(DetailSheet)
class DetailSheetAdmin(VersionCheckedAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [DetailSheetResource]
    list_display = ["project", "updated_at"]
    search_fields = ["project__name", "project__plan__organisation__name"]
    list_filter = ["project__plan__fiscal_year"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]
    inlines = [ObjectiveInline, TargetGroupInline, StepInline, IndicatorInline]


class ProgressResource(resources.ModelResource):
    class Meta:
        model = ProjectProgress
        fields = ("id", "project__plan__organisation__code", "project__plan__fiscal_year", "project__sequence",
                  "project__name", "quarter", "status", "amount_spent", "result", "evidence_url")


@admin.register(ProjectProgress)
class ProjectProgressAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [ProgressResource]
    list_display = ["project", "quarter", "status", "amount_spent", "updated_at"]
    list_filter = ["status", "quarter", "project__plan__fiscal_year"]
    search_fields = ["project__name", "project__plan__organisation__name"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]

import re

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from import_export import resources
from import_export.admin import ExportMixin

from lao_integrity import thai
from lao_integrity.admin_site import LargeListAdmin, TableImportAdmin, tabular_inline, year_filter
from lao_integrity.concurrency import VersionCheckedAdmin
from lao_integrity.uploads import TableUploadForm

from . import services
from .exchange import HEADERS
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


class FrameworkResource(resources.ModelResource):
    class Meta:
        model = Framework


@admin.register(Framework)
class FrameworkAdmin(LargeListAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [FrameworkResource]
    list_display = ["code", "name", "first_year", "last_year"]
    search_fields = ["code", "name"]
    inlines = [tabular_inline(Dimension)]


class DimensionResource(resources.ModelResource):
    class Meta:
        model = Dimension
        fields = ("id", "framework", "number", "name")


@admin.register(Dimension)
class DimensionAdmin(LargeListAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [DimensionResource]
    list_display = ["number", "name", "framework"]
    list_filter = ["framework"]  # a handful of frameworks
    search_fields = ["name"]
    list_select_related = ["framework"]


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
class PlanAdmin(LargeListAdmin, VersionCheckedAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [PlanResource]
    list_display = ["organisation", "fiscal_year", "status", "data_as_of", "updated_at", "document_links"]
    list_filter = ["status", year_filter("fiscal_year"), "organisation__province", "organisation__org_type"]
    search_fields = ["=organisation__code", "organisation__name"]
    search_help_text = "รหัส อปท. 7 หลัก หรือส่วนหนึ่งของชื่อ อปท."
    list_select_related = ["organisation"]
    ordering = ["-pk"]  # newest first, along the primary key
    autocomplete_fields = ["organisation", "issuer"]
    raw_id_fields = ["copied_from"]
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


class PlanReferenceField(forms.CharField):
    """A plan by its organisation's code and fiscal year ("5205401 2569"): 55,000 plans are far
    too many for a <select>."""

    def to_python(self, value):
        text = thai.to_arabic_digits(super().to_python(value) or "")
        if not text:
            return None
        match = re.fullmatch(r"\s*(\d{7})\s*[/ ,]\s*(\d{4})\s*", text)
        if not match:
            raise ValidationError("กรุณาพิมพ์รหัส อปท. 7 หลักและปีงบประมาณ เช่น 5205401 2569")
        plan = Plan.objects.select_related("organisation").filter(
            organisation__code=match[1], fiscal_year=int(match[2])).first()
        if plan is None:
            raise ValidationError(f"ไม่พบแผนปีงบประมาณ {match[2]} ของ อปท. รหัส {match[1]}")
        return plan


class ProjectPlanImportForm(TableUploadForm):
    plan = PlanReferenceField(label="แผนที่จะนำเข้า (รายการโครงการเดิมจะถูกแทนที่)",
                              help_text="รหัส อปท. และปีงบประมาณ เช่น 5205401 2569")


@admin.register(Project)
class ProjectAdmin(LargeListAdmin, TableImportAdmin, VersionCheckedAdmin, ExportMixin, admin.ModelAdmin):
    """Import here is the plan page's and `import_plan`'s: services.plan_import, the same file format
    and rules (an approved plan starts a revision, as with the command).

    1.6 million rows nationally: the list reads the newest plans' projects along the (plan,
    sequence) index, counts no further than it must, and searches through the organisation.
    """

    resource_classes = [ProjectResource]
    import_form_class = ProjectPlanImportForm
    import_headers = HEADERS
    list_display = ["sequence", "name", "plan", "dimension", "budget", "quarters_text", "is_added"]
    list_filter = ["kind", "is_added", "dimension__number", year_filter("plan__fiscal_year")]
    search_fields = ["plan__organisation__code"]  # see get_search_results
    search_help_text = ("รหัส อปท. 7 หลัก (ตามด้วยส่วนหนึ่งของชื่อโครงการได้ เช่น 5205401 อบรม) "
                        "หรือส่วนหนึ่งของชื่อ อปท.")
    list_select_related = ["plan__organisation", "dimension"]
    # The columns, the plan's and dimension's names and each row's name (no dates, notes or the
    # organisation's details): half the columns of the page's read.
    list_fields = ("plan__fiscal_year", "plan__organisation__name", "dimension__number", "dimension__name",
                   "sequence", "name", "budget", "q1", "q2", "q3", "q4", "is_added")
    # Newest plans first, each plan's projects in order: a backward walk of the (plan, sequence)
    # index. The model's own ordering ("plan") would sort every project by the plan's ordering.
    ordering = ["-plan_id", "sequence"]
    raw_id_fields = ["plan", "responsible_unit"]

    @admin.display(description="ไตรมาส")
    def quarters_text(self, obj):
        return ", ".join(map(str, obj.quarters)) or "-"

    def get_search_results(self, request, queryset, search_term):
        """A 7-digit code finds the organisation's projects (the rest of the words then search
        their names); other words search organisation names. A name search over every project
        would read all 1.6 million rows."""
        words = thai.to_arabic_digits(search_term).split()
        codes = [w for w in words if re.fullmatch(r"\d{7}", w)]
        text = " ".join(w for w in words if w not in codes)
        if codes:
            queryset = queryset.filter(plan__organisation__code__in=codes)
            if text:
                queryset = queryset.filter(name__icontains=text)
        elif text:
            queryset = queryset.filter(plan__organisation__name__icontains=text)
        return queryset, False

    def import_file(self, request, form):
        plan, upload = form.cleaned_data["plan"], form.cleaned_data["file"]
        plan = services.plan_import(organisation=plan.organisation, fiscal_year=plan.fiscal_year, data=upload.read(),
                                    filename=upload.name, user=request.user)
        return f"นำเข้าแล้ว: {plan.projects.count()} โครงการ ({plan.organisation.name} ปีงบประมาณ {plan.fiscal_year})"


class DetailSheetResource(resources.ModelResource):
    class Meta:
        model = DetailSheet
        fields = ("id", "project__plan__organisation__code", "project__plan__fiscal_year", "project__sequence",
                  "project__name", "rationale", "duration", "budget_note", "responsible")


@admin.register(DetailSheet)
class DetailSheetAdmin(LargeListAdmin, VersionCheckedAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [DetailSheetResource]
    list_display = ["project", "updated_at"]
    search_fields = ["=project__plan__organisation__code", "project__name", "project__plan__organisation__name"]
    list_filter = [year_filter("project__plan__fiscal_year")]
    list_select_related = ["project"]
    ordering = ["-pk"]
    raw_id_fields = ["project"]
    inlines = [tabular_inline(part) for part in (SheetObjective, TargetGroup, MethodStep, SheetIndicator)]


class ProgressResource(resources.ModelResource):
    class Meta:
        model = ProjectProgress
        fields = ("id", "project__plan__organisation__code", "project__plan__fiscal_year", "project__sequence",
                  "project__name", "quarter", "status", "unable_reason", "ordinance_budget", "amount_spent", "result",
                  "evidence_url")


@admin.register(ProjectProgress)
class ProjectProgressAdmin(LargeListAdmin, VersionCheckedAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [ProgressResource]
    list_display = ["project", "quarter", "status", "ordinance_budget", "amount_spent", "updated_at"]
    list_filter = ["status", "quarter", year_filter("project__plan__fiscal_year")]
    search_fields = ["=project__plan__organisation__code", "project__name", "project__plan__organisation__name"]
    list_select_related = ["project"]
    ordering = ["-pk"]
    raw_id_fields = ["project", "updated_by"]

from django import forms
from django.contrib import admin
from import_export import resources
from import_export.admin import ExportMixin, ImportExportModelAdmin

from lao_integrity.admin_site import CheckedImportForm, LargeListAdmin
from lao_integrity.concurrency import VersionCheckedAdmin

from .models import AuditorScope, Membership, Organisation, Person, Unit
from .resources import OrganisationResource


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(LargeListAdmin, VersionCheckedAdmin, ImportExportModelAdmin):
    resource_classes = [OrganisationResource]
    import_form_class = CheckedImportForm
    list_display = ["code", "name", "org_type", "district", "province"]
    list_filter = ["org_type", "province"]  # the provinces: DISTINCT along the province index
    # Also what the autocomplete widgets of every other admin search. A code is matched from its
    # start (the unique index on code serves it), names and places anywhere.
    search_fields = ["^code", "name", "district", "province"]
    search_help_text = "รหัส อปท. (ตัวเลขต้นรหัส) หรือส่วนหนึ่งของชื่อ อำเภอ จังหวัด"
    ordering = ["province", "name", "code"]  # index org_province_name_code_idx
    inlines = [UnitInline]


class UnitResource(resources.ModelResource):
    class Meta:
        model = Unit
        fields = ("id", "organisation__code", "organisation__name", "name", "order")


@admin.register(Unit)
class UnitAdmin(LargeListAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [UnitResource]
    list_display = ["name", "organisation", "order"]
    list_filter = ["organisation__province"]
    search_fields = ["=organisation__code", "name", "organisation__name"]
    list_select_related = ["organisation"]
    ordering = ["-pk"]
    autocomplete_fields = ["organisation"]


class PersonResource(resources.ModelResource):
    class Meta:
        model = Person
        fields = ("id", "organisation__code", "prefix", "first_name", "last_name", "position", "unit__name",
                  "acting_lines", "is_active")


@admin.register(Person)
class PersonAdmin(LargeListAdmin, VersionCheckedAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [PersonResource]
    list_display = ["full_name", "position", "organisation", "unit", "is_active"]
    list_filter = ["is_active", "organisation__province"]
    search_fields = ["=organisation__code", "first_name", "last_name", "position", "organisation__name"]
    list_select_related = ["organisation", "unit"]
    ordering = ["-pk"]
    autocomplete_fields = ["organisation", "unit"]


class MembershipResource(resources.ModelResource):
    class Meta:
        model = Membership
        fields = ("id", "user__username", "organisation__code", "organisation__name", "role")


@admin.register(Membership)
class MembershipAdmin(LargeListAdmin, ExportMixin, admin.ModelAdmin):
    resource_classes = [MembershipResource]
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["=organisation__code", "user__username", "organisation__name"]
    list_select_related = ["user", "organisation"]
    ordering = ["-pk"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]


class AuditorScopeForm(forms.ModelForm):
    """Provinces typed one a line rather than as JSON."""

    provinces = forms.CharField(label="จังหวัด", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="บรรทัดละหนึ่งจังหวัด สะกดตามทะเบียน อปท. เช่น เชียงราย")

    class Meta:
        model = AuditorScope
        fields = ["user", "all_organisations", "provinces"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["provinces"] = "\n".join(self.instance.provinces or [])

    def clean_provinces(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["provinces"].splitlines() if line.strip()]


@admin.register(AuditorScope)
class AuditorScopeAdmin(LargeListAdmin, admin.ModelAdmin):
    form = AuditorScopeForm
    list_display = ["user", "all_organisations", "province_list"]
    list_filter = ["all_organisations"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    ordering = ["-pk"]
    raw_id_fields = ["user"]

    @admin.display(description="จังหวัด")
    def province_list(self, obj):
        return ", ".join(obj.provinces or []) or "-"

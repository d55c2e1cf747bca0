from django.contrib import admin
from import_export import resources
from import_export.admin import ExportMixin, ImportExportModelAdmin

from .models import Membership, Organisation, Person, Unit
from .resources import OrganisationResource


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ImportExportModelAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["code", "name", "org_type", "district", "province"]
    list_filter = ["org_type", "province"]
    search_fields = ["code", "name", "district", "province"]
    inlines = [UnitInline]


class UnitResource(resources.ModelResource):
    class Meta:
        model = Unit
        fields = ("id", "organisation__code", "organisation__name", "name", "order")


@admin.register(Unit)
class UnitAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [UnitResource]
    list_display = ["name", "organisation", "order"]
    list_filter = ["organisation__province"]
    search_fields = ["name", "organisation__name", "organisation__code"]
    autocomplete_fields = ["organisation"]


class PersonResource(resources.ModelResource):
    class Meta:
        model = Person
        fields = ("id", "organisation__code", "prefix", "first_name", "last_name", "position", "unit__name",
                  "acting_lines", "is_active")


@admin.register(Person)
class PersonAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [PersonResource]
    list_display = ["full_name", "position", "organisation", "unit", "is_active"]
    list_filter = ["is_active", "organisation__province"]
    search_fields = ["first_name", "last_name", "position", "organisation__name", "organisation__code"]
    autocomplete_fields = ["organisation", "unit"]


class MembershipResource(resources.ModelResource):
    class Meta:
        model = Membership
        fields = ("id", "user__username", "organisation__code", "organisation__name", "role")


@admin.register(Membership)
class MembershipAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [MembershipResource]
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__name", "organisation__code"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]

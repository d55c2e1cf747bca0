from django.contrib import admin

from .models import (
    AgreementIndicator,
    IndicatorProgress,
    OrgAgreement,
    PerformanceAgreement,
    Topic,
    TopicItem,
)


class AgreementIndicatorInline(admin.TabularInline):
    model = AgreementIndicator
    extra = 0
    fields = ["order", "aspect", "work_type", "name", "unit_of_measure", "baseline", "higher_is_better",
              "target_1", "target_2", "target_3", "target_4", "target_5", "weight", "achieved_value",
              "achieved_level"]


@admin.register(PerformanceAgreement)
class PerformanceAgreementAdmin(admin.ModelAdmin):
    list_display = ["organisation", "fiscal_year", "round", "kind", "unit", "person", "executive", "status", "score"]
    list_filter = ["status", "fiscal_year", "round", "kind", "organisation__province", "organisation__org_type"]
    search_fields = ["organisation__name", "organisation__code", "person__first_name", "person__last_name",
                     "unit__name"]
    list_select_related = ["organisation", "unit", "person", "executive"]
    autocomplete_fields = ["organisation", "unit", "person", "executive", "projects"]
    readonly_fields = ["signed_at", "signed_by", "evaluated_at", "created_at", "updated_at"]
    inlines = [AgreementIndicatorInline]


@admin.register(IndicatorProgress)
class IndicatorProgressAdmin(admin.ModelAdmin):
    list_display = ["indicator", "quarter", "value", "updated_at"]
    list_filter = ["quarter", "indicator__agreement__fiscal_year", "indicator__agreement__round"]
    search_fields = ["indicator__name", "indicator__agreement__organisation__name"]
    list_select_related = ["indicator"]
    raw_id_fields = ["indicator"]


class TopicInline(admin.StackedInline):
    model = Topic
    extra = 0
    fields = ["order", "title", "explanation"]


@admin.register(OrgAgreement)
class OrgAgreementAdmin(admin.ModelAdmin):
    list_display = ["organisation", "fiscal_year", "copied_from", "updated_at"]
    list_filter = ["fiscal_year", "organisation__province", "organisation__org_type"]
    search_fields = ["organisation__name", "organisation__code"]
    list_select_related = ["organisation", "copied_from"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["copied_from"]
    inlines = [TopicInline]


@admin.register(TopicItem)
class TopicItemAdmin(admin.ModelAdmin):
    list_display = ["topic", "order", "text"]
    list_filter = ["topic__agreement__fiscal_year", "topic__agreement__organisation"]
    search_fields = ["text", "actions", "topic__title"]
    list_select_related = ["topic"]
    raw_id_fields = ["topic"]

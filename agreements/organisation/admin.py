"""Admin of the organisation-level agreement and its annex."""

from django.contrib import admin

from lao_integrity.admin_site import LargeListAdmin, year_filter
from lao_integrity.concurrency import VersionCheckedAdmin

from .models import OrgAgreement, Topic, TopicItem


class TopicInline(admin.StackedInline):
    model = Topic
    extra = 0
    fields = ["order", "title", "explanation"]


@admin.register(OrgAgreement)
class OrgAgreementAdmin(LargeListAdmin, VersionCheckedAdmin, admin.ModelAdmin):
    list_display = ["organisation", "fiscal_year", "copied_from", "updated_at"]
    list_filter = [year_filter("fiscal_year"), "organisation__province", "organisation__org_type"]
    search_fields = ["=organisation__code", "organisation__name"]
    list_select_related = ["organisation", "copied_from__organisation"]
    ordering = ["-pk"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["copied_from"]
    inlines = [TopicInline]


@admin.register(TopicItem)
class TopicItemAdmin(LargeListAdmin, admin.ModelAdmin):
    list_display = ["topic", "order", "text"]
    # By province, not by organisation: a filter on the organisation would list all 7,850.
    list_filter = [year_filter("topic__agreement__fiscal_year"), "topic__agreement__organisation__province"]
    search_fields = ["=topic__agreement__organisation__code", "text", "actions", "topic__title"]
    list_select_related = ["topic"]
    ordering = ["-pk"]
    raw_id_fields = ["topic"]

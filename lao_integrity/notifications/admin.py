"""Notifications in the admin: read only. What was said to whom and when is a record; an
administrator looks it up (a user who says they were never told), never writes it."""

from django.contrib import admin

from .models import Notification, NotificationSettings


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ["created", "recipient", "event", "title", "organisation", "read_at"]
    list_filter = ["event", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "recipient__username", "organisation__name", "organisation__code"]
    list_select_related = ["recipient", "organisation"]
    date_hierarchy = "created"
    show_full_result_count = False  # the table grows with every event: no count of it all


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(ReadOnly):
    list_display = ["user", "email"]
    list_filter = ["email"]
    search_fields = ["user__username"]
    list_select_related = ["user"]

from django.contrib import admin

from . import services
from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: jobs are started from the pages and written only by the worker."""

    list_display = ["title", "owner", "status", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "owner__username"]
    list_select_related = ["owner"]
    date_hierarchy = "created_at"
    actions = None

    def changelist_view(self, request, extra_context=None):
        # A job whose process died is listed as failed here too (services.fail_dead).
        services.fail_dead(services.dead(Job.objects.all()))
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

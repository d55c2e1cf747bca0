from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

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


class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks' own list of queued tasks, its columns in Thai: its `id` and `task_name` have no
    translatable name (the other columns are translated in locale/th)."""

    list_display = ("task_id", "task", *DBTaskResultAdmin.list_display[2:])

    @admin.display(description="รหัสงาน", ordering="id")
    def task_id(self, obj):
        return obj.id

    @admin.display(description="งาน")
    def task(self, obj):
        return obj.task_name


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)

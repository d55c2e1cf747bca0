from django.urls import include, path

from . import views
from .progress import views as progress_views
from .projects import views as project_views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_import_new, name="import_new"),
    # One plan: its page and settings, approval and copy, its projects' list in and out, its documents.
    path("<int:pk>/", include([
        path("", views.plan_detail, name="detail"),
        path("settings/", views.plan_settings, name="settings"),
        path("approve/", views.plan_approve, name="approve"),
        path("copy/", views.plan_copy, name="copy"),
        path("projects/add/", project_views.project_add, name="project_add"),
        path("progress/", progress_views.progress_summary, name="progress"),
        path("export.<str:fmt>", views.plan_export, name="export"),
        path("import/", views.plan_import_into, name="import"),
        path("documents/<str:kind>/", views.plan_document, name="document"),
    ])),
    # One project of a plan: its row, its detail sheet and its quarterly progress.
    path("projects/<int:pk>/", include([
        path("edit/", project_views.project_edit, name="project_edit"),
        path("delete/", project_views.project_delete, name="project_delete"),
        path("move/", project_views.project_move, name="project_move"),
        path("sheet/", project_views.sheet_view, name="sheet"),
        path("sheet/edit/", project_views.sheet_edit, name="sheet_edit"),
        path("progress/<int:quarter>/", progress_views.progress_edit, name="progress_edit"),
        path("progress/<int:quarter>/evidence/", progress_views.evidence_download, name="evidence"),
    ])),
]

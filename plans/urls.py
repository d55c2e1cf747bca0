from django.urls import path

from . import views
from .progress import views as progress_views
from .projects import views as project_views
from .versions import views as version_views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_import_new, name="import_new"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/history/", views.plan_history, name="history"),
    path("<int:pk>/settings/", views.plan_settings, name="settings"),
    path("<int:pk>/approve/", views.plan_approve, name="approve"),
    path("<int:pk>/submit/", views.plan_submit, name="submit"),
    path("<int:pk>/withdraw/", views.plan_withdraw, name="withdraw"),
    path("<int:pk>/return/", views.plan_return, name="return"),
    path("<int:pk>/copy/", views.plan_copy, name="copy"),
    path("<int:pk>/projects/add/", project_views.project_add, name="project_add"),
    path("<int:pk>/progress/", progress_views.progress_summary, name="progress"),
    path("<int:pk>/progress/eplannacc.xlsx", progress_views.progress_export, name="progress_export"),
    path("<int:pk>/export.<str:fmt>", views.plan_export, name="export"),
    path("<int:pk>/import/", views.plan_import_into, name="import"),
    path("<int:pk>/documents/<str:kind>/", views.plan_document, name="document"),
    path("<int:pk>/changes/", version_views.plan_changes, name="changes"),
    path("<int:pk>/versions/", version_views.version_list, name="versions"),
    path("versions/<int:pk>/", version_views.version_detail, name="version"),
    path("versions/<int:pk>/pdf/", version_views.version_document, name="version_pdf"),
    path("projects/<int:pk>/edit/", project_views.project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", project_views.project_delete, name="project_delete"),
    path("projects/<int:pk>/move/", project_views.project_move, name="project_move"),
    path("projects/<int:pk>/sheet/", project_views.sheet_view, name="sheet"),
    path("projects/<int:pk>/sheet/history/", project_views.sheet_history, name="sheet_history"),
    path("projects/<int:pk>/sheet/edit/", project_views.sheet_edit, name="sheet_edit"),
    path("projects/<int:pk>/progress/<int:quarter>/", progress_views.progress_edit, name="progress_edit"),
    path("projects/<int:pk>/progress/<int:quarter>/evidence/", progress_views.evidence_download, name="evidence"),
]

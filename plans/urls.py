from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_import_new, name="import_new"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/settings/", views.plan_settings, name="settings"),
    path("<int:pk>/approve/", views.plan_approve, name="approve"),
    path("<int:pk>/copy/", views.plan_copy, name="copy"),
    path("<int:pk>/projects/add/", views.project_add, name="project_add"),
    path("<int:pk>/progress/", views.progress_summary, name="progress"),
    path("<int:pk>/export.<str:fmt>", views.plan_export, name="export"),
    path("<int:pk>/import/", views.plan_import_into, name="import"),
    path("<int:pk>/documents/<str:kind>/", views.plan_document, name="document"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", views.project_delete, name="project_delete"),
    path("projects/<int:pk>/move/", views.project_move, name="project_move"),
    path("projects/<int:pk>/sheet/", views.sheet_view, name="sheet"),
    path("projects/<int:pk>/sheet/edit/", views.sheet_edit, name="sheet_edit"),
    path("projects/<int:pk>/progress/<int:quarter>/", views.progress_edit, name="progress_edit"),
    path("projects/<int:pk>/progress/<int:quarter>/evidence/", views.evidence_download, name="evidence"),
]

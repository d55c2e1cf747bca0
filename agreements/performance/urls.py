"""Unit and individual agreements; the list is the app's home page. Included by agreements/urls.py,
whose namespace ("agreements:") these names live in."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.agreement_list, name="list"),
    # One agreement: its page, its changes, signing and evaluation, its PDF and its indicators' list.
    path("<int:pk>/", include([
        path("", views.agreement_detail, name="detail"),
        path("edit/", views.agreement_edit, name="edit"),
        path("delete/", views.agreement_delete, name="delete"),
        path("sign/", views.agreement_sign, name="sign"),
        path("evaluate/", views.agreement_evaluate, name="evaluate"),
        path("pdf/", views.agreement_pdf, name="pdf"),
        path("indicators/add/", views.indicator_add, name="indicator_add"),
        path("indicators/import/", views.indicator_import, name="indicator_import"),
        path("indicators/export/<str:fmt>/", views.indicator_export, name="indicator_export"),
    ])),
    # One indicator and its quarterly progress.
    path("indicator/<int:pk>/", include([
        path("edit/", views.indicator_edit, name="indicator_edit"),
        path("delete/", views.indicator_delete, name="indicator_delete"),
        path("progress/<int:quarter>/", views.progress_edit, name="progress"),
        path("evidence/<int:quarter>/", views.evidence_download, name="evidence"),
    ])),
]

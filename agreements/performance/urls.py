"""Unit and individual agreements; the list is the app's home page. Included by agreements/urls.py,
whose namespace ("agreements:") these names live in."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/history/", views.agreement_history, name="history"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/delete/", views.agreement_delete, name="delete"),
    path("<int:pk>/sign/", views.agreement_sign, name="sign"),
    path("<int:pk>/submit/", views.agreement_submit, name="submit"),
    path("<int:pk>/withdraw/", views.agreement_withdraw, name="withdraw"),
    path("<int:pk>/return/", views.agreement_return, name="return"),
    path("<int:pk>/evaluate/", views.agreement_evaluate, name="evaluate"),
    path("<int:pk>/pdf/", views.agreement_pdf, name="pdf"),
    path("<int:pk>/signed-pdf/", views.agreement_signed_pdf, name="signed_pdf"),
    path("<int:pk>/indicators/add/", views.indicator_add, name="indicator_add"),
    path("<int:pk>/indicators/import/", views.indicator_import, name="indicator_import"),
    path("<int:pk>/indicators/export/<str:fmt>/", views.indicator_export, name="indicator_export"),
    path("indicator/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicator/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("indicator/<int:pk>/progress/<int:quarter>/", views.progress_edit, name="progress"),
    path("indicator/<int:pk>/evidence/<int:quarter>/", views.evidence_download, name="evidence"),
]

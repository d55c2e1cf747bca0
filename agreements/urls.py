from django.urls import path

from . import views_org, views_performance

app_name = "agreements"

urlpatterns = [
    # Unit and individual agreements: the list is the app's home page.
    path("", views_performance.agreement_list, name="list"),
    path("<int:pk>/", views_performance.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views_performance.agreement_edit, name="edit"),
    path("<int:pk>/delete/", views_performance.agreement_delete, name="delete"),
    path("<int:pk>/sign/", views_performance.agreement_sign, name="sign"),
    path("<int:pk>/evaluate/", views_performance.agreement_evaluate, name="evaluate"),
    path("<int:pk>/pdf/", views_performance.agreement_pdf, name="pdf"),
    path("<int:pk>/indicators/add/", views_performance.indicator_add, name="indicator_add"),
    path("<int:pk>/indicators/import/", views_performance.indicator_import, name="indicator_import"),
    path("<int:pk>/indicators/export/<str:fmt>/", views_performance.indicator_export, name="indicator_export"),
    path("indicator/<int:pk>/edit/", views_performance.indicator_edit, name="indicator_edit"),
    path("indicator/<int:pk>/delete/", views_performance.indicator_delete, name="indicator_delete"),
    path("indicator/<int:pk>/progress/<int:quarter>/", views_performance.progress_edit, name="progress"),
    path("indicator/<int:pk>/evidence/<int:quarter>/", views_performance.evidence_download, name="evidence"),
    # The organisation-level agreement (the public ประกาศ and its annex).
    path("org/", views_org.org_agreement_list, name="org_list"),
    path("org/<int:pk>/", views_org.org_agreement_detail, name="org_detail"),
    path("org/<int:pk>/copy/", views_org.org_agreement_copy, name="org_copy"),
    path("org/<int:pk>/topics/add/", views_org.topic_add, name="topic_add"),
    path("topic/<int:pk>/edit/", views_org.topic_edit, name="topic_edit"),
    path("topic/<int:pk>/delete/", views_org.topic_delete, name="topic_delete"),
    path("topic/<int:pk>/move/", views_org.topic_move, name="topic_move"),
]

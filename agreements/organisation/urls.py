"""The organisation-level agreement (the public ประกาศ and its annex). Included by
agreements/urls.py, whose namespace ("agreements:") these names live in."""

from django.urls import path

from . import views

urlpatterns = [
    path("org/", views.org_agreement_list, name="org_list"),
    path("org/<int:pk>/", views.org_agreement_detail, name="org_detail"),
    path("org/<int:pk>/copy/", views.org_agreement_copy, name="org_copy"),
    path("org/<int:pk>/topics/add/", views.topic_add, name="topic_add"),
    path("topic/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("topic/<int:pk>/delete/", views.topic_delete, name="topic_delete"),
    path("topic/<int:pk>/move/", views.topic_move, name="topic_move"),
]

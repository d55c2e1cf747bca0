"""The organisation-level agreement (the public ประกาศ and its annex). Included by
agreements/urls.py, whose namespace ("agreements:") these names live in."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("org/", views.org_agreement_list, name="org_list"),
    # One agreement: its page (the annex edited in place), a copy for the next year, a new topic.
    path("org/<int:pk>/", include([
        path("", views.org_agreement_detail, name="org_detail"),
        path("copy/", views.org_agreement_copy, name="org_copy"),
        path("topics/add/", views.topic_add, name="topic_add"),
    ])),
    # One topic of the annex.
    path("topic/<int:pk>/", include([
        path("edit/", views.topic_edit, name="topic_edit"),
        path("delete/", views.topic_delete, name="topic_delete"),
        path("move/", views.topic_move, name="topic_move"),
    ])),
]

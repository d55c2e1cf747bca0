from django.urls import include, path

from . import views

app_name = "announcements"

urlpatterns = [
    path("", views.announcement_list, name="list"),
    # One announcement: its page, its changes and its printed forms.
    path("<int:pk>/", include([
        path("", views.announcement_detail, name="detail"),
        path("edit/", views.announcement_edit, name="edit"),
        path("approve/", views.announcement_approve, name="approve"),
        path("sign/", views.announcement_sign, name="sign"),
        path("revise/", views.announcement_revise, name="revise"),
        path("delete/", views.announcement_delete, name="delete"),
        path("document/", views.announcement_document, name="document"),
        path("poster/", views.announcement_poster, name="poster"),
    ])),
]

from django.urls import path

from . import views

app_name = "announcements"

urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("<int:pk>/", views.announcement_detail, name="detail"),
    path("<int:pk>/edit/", views.announcement_edit, name="edit"),
    path("<int:pk>/approve/", views.announcement_approve, name="approve"),
    path("<int:pk>/submit/", views.announcement_submit, name="submit"),
    path("<int:pk>/withdraw/", views.announcement_withdraw, name="withdraw"),
    path("<int:pk>/return/", views.announcement_return, name="return"),
    path("<int:pk>/sign/", views.announcement_sign, name="sign"),
    path("<int:pk>/revise/", views.announcement_revise, name="revise"),
    path("<int:pk>/delete/", views.announcement_delete, name="delete"),
    path("<int:pk>/document/", views.announcement_document, name="document"),
    path("<int:pk>/poster/", views.announcement_poster, name="poster"),
]

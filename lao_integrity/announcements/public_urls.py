"""Announcements' public pages (no login), under /public/<code>/announcements/."""

from django.urls import path

from . import public_views

app_name = "public_announcements"

urlpatterns = [
    path("<int:pk>/", public_views.announcement_page, name="detail"),
    path("<int:pk>/pdf/", public_views.announcement_pdf, name="pdf"),
]

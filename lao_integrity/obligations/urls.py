from django.urls import path

from . import views

app_name = "obligations"

urlpatterns = [
    path("organisation/<str:code>/", views.organisation_obligations, name="organisation"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
]

"""The public OIT list of an organisation (no login), under /public/<code>/oit/."""

from django.urls import path

from . import public_views

app_name = "public_oit"
urlpatterns = [
    path("", public_views.years, name="years"),
    path("<int:fiscal_year>/", public_views.year, name="year"),
]

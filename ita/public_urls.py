"""This app's public pages (no login), under /public/<code>/ita/: each view wears
lao_integrity.publication.web.public_view and shows only what is public (ita/public/selectors.py)."""

from django.urls import path

from .public import views

app_name = "public_ita"
urlpatterns = [
    path("", views.results, name="results"),
    path("<int:fiscal_year>/", views.result, name="result"),
    path("measures/<int:fiscal_year>/", views.measures, name="measures"),
    path("measures/<int:fiscal_year>/progress/", views.measure_progress, name="measure_progress"),
]

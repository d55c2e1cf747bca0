"""This app's public pages (no login), under /public/<code>/agreements/: each view wears
lao_integrity.publication.web.public_view and shows only what is public (agreements/public/selectors.py)."""

from django.urls import path

from .public import views

app_name = "public_agreements"
urlpatterns = [
    path("performance/<int:pk>/", views.performance, name="performance"),
    path("organisation/<int:fiscal_year>/", views.organisation_agreement, name="organisation"),
]

"""Routes of this sub-domain, named in the "lpa" namespace (lpa/urls.py includes them)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("<str:province>/<int:fiscal_year>/", views.summary, name="bonus_summary"),
    path("<str:province>/<int:fiscal_year>/pdf/", views.summary_pdf, name="bonus_summary_pdf"),
    path("<str:province>/<int:fiscal_year>/xlsx/", views.summary_xlsx, name="bonus_summary_xlsx"),
    path("org/<str:code>/<int:fiscal_year>/", views.entry, name="bonus_entry"),
]

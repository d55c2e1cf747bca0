"""This app's public pages (no login), under /public/<code>/plans/: each view wears
lao_integrity.publication.web.public_view and shows only what is signed and published
(plans/public/selectors.py decides what is)."""

from django.urls import path

from .public import views

app_name = "public_plans"
urlpatterns = [
    path("<int:fiscal_year>/", views.plan, name="plan"),
    path("<int:fiscal_year>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("<int:fiscal_year>/progress/<int:months>/", views.progress, name="progress"),
    path("<int:fiscal_year>/progress/<int:months>/pdf/", views.progress_pdf, name="progress_pdf"),
]

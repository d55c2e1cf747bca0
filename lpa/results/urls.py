"""Routes of this sub-domain, named in the "lpa" namespace (lpa/urls.py includes them). A province
is any path segment but the sub-domains' own ("org", "import", "bonus")."""

from django.urls import path, re_path

from . import views

PROVINCE = r"(?P<province>(?!(?:org|import|bonus)/)[^/]+)/(?P<fiscal_year>\d{4})"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_page, name="import"),
    path("org/<str:code>/", views.history_page, name="history"),
    re_path(rf"^{PROVINCE}/$", views.province_page, name="province"),
    re_path(rf"^{PROVINCE}/pdf/$", views.province_pdf, name="province_pdf"),
    re_path(rf"^{PROVINCE}/(?P<fmt>csv|xlsx)/$", views.province_export, name="province_export"),
]

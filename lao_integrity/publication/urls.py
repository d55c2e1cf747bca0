"""The public pages at /public/ (no login). The apps' own public pages are included under
/public/<code>/ by lao_integrity/urls.py; /sitemap.xml (the index) is routed there too."""

from django.urls import path, re_path

from . import opendata, sitemaps, views

app_name = "publication"
urlpatterns = [
    path("", views.organisations, name="organisations"),
    re_path(r"^organisations\.(?P<fmt>csv|json)$", opendata.organisations, name="organisations_data"),
    path("sitemap-organisations.xml", sitemaps.organisation_pages, name="sitemap_organisations"),
    path("<str:code>/", views.organisation, name="organisation"),
    re_path(r"^(?P<code>[0-9]{7})/documents\.(?P<fmt>csv|json)$", opendata.documents, name="documents"),
    path("<str:code>/sitemap.xml", sitemaps.organisation_items, name="sitemap_organisation"),
]

"""sitemap.xml of the public pages (django.contrib.sitemaps): an index naming the sitemap of
/public/ and every organisation's page (pages of at most 50,000 addresses) and one sitemap per
organisation of its public items, each beside the pages it lists (/public/<code>/sitemap.xml),
so every sitemap costs a fixed number of queries whatever the number of organisations."""

from __future__ import annotations

import math

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse

from lao_integrity.orgs.models import Organisation

from . import registry, web
from .views import organisation_or_404

LIMIT = 50_000


class OrganisationPages(Sitemap):
    limit = LIMIT
    changefreq = "weekly"

    def items(self):
        return [None, *Organisation.objects.order_by("code").values_list("code", flat=True)]

    def location(self, code):
        return reverse("publication:organisations") if code is None else reverse("publication:organisation",
                                                                                 args=[code])


class PublicItems(Sitemap):
    limit = LIMIT

    def __init__(self, organisation):
        self.organisation = organisation

    def items(self):
        return [item for _, items in registry.public_items(self.organisation) for item in items if item.url]

    def location(self, item):
        return item.url

    def lastmod(self, item):
        return item.published_at


@web.public_view
def index(request):
    codes = list(Organisation.objects.order_by("code").values_list("code", flat=True))
    pages = max(1, math.ceil((len(codes) + 1) / LIMIT))
    base = request.build_absolute_uri(reverse("publication:sitemap_organisations"))
    locations = [base if page == 1 else f"{base}?p={page}" for page in range(1, pages + 1)]
    locations += [request.build_absolute_uri(reverse("publication:sitemap_organisation", args=[code]))
                  for code in codes]
    return web.render_public("sitemap_index.xml", {
        "sitemaps": [sitemap_views.SitemapIndexItem(location) for location in locations]},
        content_type="application/xml")


@web.public_view
def organisation_pages(request):
    return sitemap_views.sitemap(request, {"organisations": OrganisationPages()})


@web.public_view
def organisation_items(request, code):
    return sitemap_views.sitemap(request, {"items": PublicItems(organisation_or_404(code))})

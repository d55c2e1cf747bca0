"""The public pages (no login): the list of organisations and one organisation's page. Each wears
web.public_view and renders with web.render_public; the organisation's page lists what every
registered section publishes (registry.public_items)."""

from __future__ import annotations

from django.http import Http404
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from lao_integrity.orgs.models import Organisation
from lao_integrity.pagecache import cached_page, owner
from lao_integrity.reversing import row_link

from . import selectors, web

MAX_SEARCH = 100


def _jinja(template: str, context: dict) -> str:
    return mark_safe(render_to_string(template, context, using="jinja2"))


def _term(request, name: str) -> str:
    return (request.GET.get(name) or "").strip()[:MAX_SEARCH]


def organisation_or_404(code: str) -> Organisation:
    organisation = selectors.organisation(code)
    if organisation is None:
        raise Http404
    return organisation


@web.public_view
def organisations(request):
    """Searchable by name, district and province; pages read without counting the table."""
    name, district, province = _term(request, "q"), _term(request, "district"), _term(request, "province")
    provinces = selectors.provinces()
    if province not in provinces:
        province = ""
    page = selectors.window(selectors.organisations(name=name, district=district, province=province),
                            selectors.page_number(request.GET.get("page")))
    query = {key: value for key, value in (("q", name), ("district", district), ("province", province)) if value}
    # The fifty rows and the province options with Jinja2 (most of the render in the template language).
    rows = {"provinces": provinces, "province": province, "organisations": page.rows,
            "link": row_link("publication:organisation")}
    return web.render_public("publication/organisations.html", {
        "province_options": _jinja("publication/_province_options.jinja", rows),
        "organisation_rows": _jinja("publication/_organisation_rows.jinja", rows),
        "page": page, "name": name, "district": district, "province": province, "provinces": provinces,
        "searched": bool(query), "query": query, "max_length": MAX_SEARCH,
    })


@web.public_view
@cached_page(organisation=owner(Organisation, argument="code", lookup="code"), public=True)
def organisation(request, code):
    organisation = organisation_or_404(code)
    sections = selectors.public_page(organisation)
    # The sections' items with Jinja2 (most of the page's render in the template language).
    return web.render_public("publication/organisation.html", {
        "organisation": organisation,
        "section_list": _jinja("publication/_organisation_sections.jinja", {"sections": sections}),
        "total": sum(count for _, _, count in sections),
    })

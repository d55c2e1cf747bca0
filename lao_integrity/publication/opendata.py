"""Open data: the organisations and each organisation's public documents as csv and json, at stable
addresses (/public/organisations.csv, /public/<code>/documents.json...). Column names are English
keys and stay as they are; a URL is absolute."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.urls import reverse

from lao_integrity import tabular
from lao_integrity.orgs.models import Organisation

from . import registry, web
from .views import organisation_or_404

ORGANISATION_COLUMNS = ["code", "name", "type", "district", "province", "url"]
DOCUMENT_COLUMNS = ["section", "kind", "title", "fiscal_year", "published_at", "url", "pdf_url"]
JSON = "application/json; charset=utf-8"


def _answer(columns: list[str], rows: list[dict], fmt: str, filename: str) -> HttpResponse:
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=1)
        response = HttpResponse(text, content_type=JSON)
    else:
        content = tabular.write_table(columns, [[row[c] for c in columns] for row in rows], "csv")
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site's script may read it
    return response


@web.public_view
def organisations(request, fmt):
    types = dict(Organisation._meta.get_field("org_type").choices)
    rows = [{"code": code, "name": name, "type": types.get(org_type, org_type), "district": district,
             "province": province,
             "url": request.build_absolute_uri(reverse("publication:organisation", args=[code]))}
            for code, name, org_type, district, province in
            Organisation.objects.order_by("code").values_list("code", "name", "org_type", "district", "province")]
    return _answer(ORGANISATION_COLUMNS, rows, fmt, "organisations")


def document_rows(request, organisation) -> list[dict]:
    def absolute(url):
        return request.build_absolute_uri(url) if url else ""

    return [{"section": section.title, "kind": item.kind, "title": item.title, "fiscal_year": item.fiscal_year,
             "published_at": item.published_at.isoformat() if item.published_at else None,
             "url": absolute(item.url), "pdf_url": absolute(item.pdf_url)}
            for section, items in registry.public_items(organisation) for item in items]


@web.public_view
def documents(request, code, fmt):
    organisation = organisation_or_404(code)
    return _answer(DOCUMENT_COLUMNS, document_rows(request, organisation), fmt, f"documents-{organisation.code}")

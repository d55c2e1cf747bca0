"""lao_integrity.jinja_env.querystring writes what Django's {% querystring %} writes (the ITA list's
and the plan list's Jinja2 bodies use it for their sort, filter and page links)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from lao_integrity.jinja_env import querystring

QUERIES = ["", "page=2", "fiscal_year=2569&page=3&sort=-overall", "q=%E0%B8%9A%E0%B9%89%E0%B8%B2%E0%B8%99+%26+x%3Dy",
           "a=1&a=2&b=", "province=%E0%B9%80%E0%B8%8A%E0%B8%B5%E0%B8%A2%E0%B8%87%E0%B8%A3%E0%B8%B2%E0%B8%A2&x=%3C%22%27%3E"]
CHANGES = [{}, {"page": 5}, {"page": None}, {"sort": "name", "page": None}, {"a": "3"}, {"new": "ค่า ใหม่"},
           {"q": None, "a": None, "b": None, "page": None, "fiscal_year": None, "sort": None, "province": None,
            "x": None}]


def djangos(request, changes: dict) -> str:
    tag = "{% querystring " + " ".join(f"{key}=v{n}" for n, key in enumerate(changes)) + " %}"
    values = {f"v{n}": value for n, value in enumerate(changes.values())}
    context = Context(values, autoescape=False)
    context.request = request  # what a RequestContext carries, without its context processors
    return Template(tag).render(context)


@pytest.mark.parametrize("query", QUERIES)
def test_the_same_links_as_djangos_tag(query):
    request = RequestFactory().get("/ita/?" + query)
    qs = querystring(request)
    for changes in CHANGES:
        assert qs(**changes) == djangos(request, changes), (query, changes)

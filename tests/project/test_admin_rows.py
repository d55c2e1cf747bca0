"""The national admin lists write their rows, filters and objects their own way
(lao_integrity.admin_rows, lao_integrity.light_models); every list page must stay exactly the page
Django's own code writes, for every admin of the project, sorted, searched, filtered, paged and in
a raw-id pop-up."""

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.base import Message
from django.db.models.query import ModelIterable
from django.template import Context, Template
from django.test import Client
from django.utils.safestring import mark_safe

from lao_integrity import admin_page, admin_rows, admin_site, light_models
from lao_integrity.admin_site import LargeChangeList, LargeListAdmin
from lao_integrity.orgs.models import Organisation
from plans.models import Framework, Project

QUERIES = ["", "?p=2", "?o=-2", "?o=3.-1", "?q=5205401", "?_popup=1&_to_field=id", "?_popup=1", "?_facets=True",
           "?_popup=1&_facets=True&q=5205401", "?all="]


@pytest.fixture(autouse=True)
def _every_request_renders(settings):
    settings.PAGE_CACHE = False


@pytest.fixture
def superuser_client(seeded):
    Framework.objects.create(code="96-A&B", name="กรอบ <ทดสอบ> & \"96\"", first_year=2566, last_year=2570)
    Organisation.objects.filter(code=seeded.org.code).update(name=f"{seeded.org.name} <&>")
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("admin_rows_96", password="x"))
    return client


def djangos_own(monkeypatch):
    """Django's items_for_result, admin_list_filter, model instances, and media, through
    the same templates."""
    monkeypatch.setattr(LargeListAdmin, "kept_media", False)
    monkeypatch.setattr(LargeChangeList, "fast_rows", False)
    monkeypatch.setattr(admin_rows, "list_filter", admin_list.admin_list_filter)
    monkeypatch.setattr(light_models.LightModelIterable, "__iter__", ModelIterable.__iter__)
    monkeypatch.setattr(admin_site, "plain_key", lambda query: None)  # the count's reads compiled each time
    monkeypatch.setattr(LargeChangeList, "get_filters", ChangeList.get_filters)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code in (200, 400), url  # 400: a field no relation refers to, in a pop-up
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def large_lists():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if isinstance(model_admin, LargeListAdmin)]


def test_every_national_list_is_djangos_page(superuser_client, monkeypatch):
    pages = {}
    for model, _ in large_lists():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for query in QUERIES:
            pages[base + query] = page(superuser_client, base + query)
            # again: the reads compiled by the first (lao_integrity.statements.plain_key) read the same
            assert page(superuser_client, base + query) == pages[base + query], base + query
    assert any("<ทดสอบ>" not in html and "&lt;ทดสอบ&gt;" in html for html in pages.values())
    djangos_own(monkeypatch)
    for url, html in pages.items():
        assert html == page(superuser_client, url), url


def test_filtered_and_sorted_lists_are_djangos_pages(superuser_client, monkeypatch):
    urls = ["/admin/plans/project/?is_added__exact=0&plan__fiscal_year=2569&o=5",
            "/admin/plans/project/?kind__exact=project&_facets=True&o=-4.2",
            "/admin/plans/project/?dimension__number=2&q=5205401",
            "/admin/ita/result/?passed__exact=1&o=3",
            "/admin/ita/result/?level=A&_facets=True&o=-4.2",
            "/admin/ita/result/?organisation__province__isnull=False&o=-1&passed__exact=0",
            "/admin/ita/result/?organisation__province=%E0%B8%81&_popup=1",
            "/admin/plans/plan/?status__exact=draft&o=-4"]
    ours = {url: page(superuser_client, url) for url in urls}
    assert 'class="action-checkbox"' in ours[urls[0]]
    djangos_own(monkeypatch)
    for url in urls:
        assert ours[url] == page(superuser_client, url), url


def test_light_objects_are_the_objects_django_makes(seeded):
    for qs in (Organisation.objects.order_by("pk")[:20],
               Project.objects.select_related("plan__organisation", "dimension").order_by("pk")[:30],
               # the national list's columns only (ProjectAdmin.list_fields): the others deferred
               Project.objects.select_related("plan__organisation", "dimension").order_by("pk")
               .only("plan__fiscal_year", "plan__organisation__name", "dimension__name", "name", "q1")[:30]):
        light = qs._chain()
        light._iterable_class = light_models.LightModelIterable
        for ours, djangos in zip(list(light), list(qs), strict=True):
            assert type(ours) is type(djangos) and str(ours) == str(djangos)
            assert vars(ours).keys() == vars(djangos).keys()
            assert {k: v for k, v in vars(ours).items() if k != "_state"} == \
                   {k: v for k, v in vars(djangos).items() if k != "_state"}
            assert (ours._state.adding, ours._state.db) == (djangos._state.adding, djangos._state.db)
            assert ours._state.fields_cache.keys() == djangos._state.fields_cache.keys()
            assert ours.get_deferred_fields() == djangos.get_deferred_fields()
            for name, related in djangos._state.fields_cache.items():
                assert vars(ours._state.fields_cache[name]).keys() == vars(related).keys()


def test_paged_lists_are_djangos_pages(superuser_client, monkeypatch):
    """A page of one row: the pagination's page links, its "show all" link and the actions' count
    of every row, written by lao_integrity.admin_rows as Django's templates write them."""
    monkeypatch.setattr(LargeListAdmin, "list_per_page", 1)
    urls = ["/admin/plans/project/", "/admin/plans/project/?p=2&o=-2", "/admin/plans/project/?all=",
            "/admin/plans/project/?q=5205401&p=1", "/admin/ita/result/?_popup=1&_facets=True&p=1",
            "/admin/plans/plan/?status__exact=draft"]
    ours = {url: page(superuser_client, url) for url in urls}
    assert 'class="paginator"' in ours[urls[0]] and 'class="end"' in ours[urls[0]]
    djangos_own(monkeypatch)
    for url in urls:
        assert ours[url] == page(superuser_client, url), url


@pytest.mark.parametrize("filter_params", [
    {}, {"q": ["ถนน <&>"], "o": ["-2.1"]}, {"province": ["กรุงเทพ", "ชลบุรี"], "province__isnull": ["True"]},
    {"a": [], "b": ["1"], "p": ["3"]}, {"_popup": ["1"], "_to_field": ["id"], "e": [""]},
])
def test_query_strings_are_djangos(filter_params):
    ours, djangos = LargeChangeList.__new__(LargeChangeList), ChangeList.__new__(ChangeList)
    ours.filter_params = djangos.filter_params = filter_params
    calls = [(None, None), ({"p": 2}, None), ({"province": "ลำพูน"}, ["province__isnull"]),
             ({"province__isnull": "True"}, ["province"]), ({"q": None}, ["o"]), ({"all": ""}, ["p", "a"]),
             ({"o": "1.-2"}, []), ({"b": ["x", "y & z"]}, None)]
    for _ in range(2):  # the second time from the pairs encoded the first
        for new_params, remove in calls:
            assert ours.get_query_string(new_params, remove) == djangos.get_query_string(new_params, remove)


def test_messages_are_djangos(superuser_client, monkeypatch):
    """A message after an action (here: none selected) on the list written by lao_integrity.admin_page."""
    def listed():
        superuser_client.post("/admin/plans/project/", {"action": "delete_selected", "index": "0"})
        return page(superuser_client, "/admin/plans/project/")

    ours = listed()
    assert 'class="messagelist"' in ours
    djangos_own(monkeypatch)
    assert ours == listed()


@pytest.mark.parametrize("messages", [[], [Message(25, "บันทึกแล้ว <b>&"), Message(20, "")],
                                      [Message(30, mark_safe('รายการ “<a href="/x/">x</a>” เปลี่ยนแล้ว'), "a b")]])
def test_messages_block_is_djangos(messages):
    source = (Path(django.contrib.admin.__file__).parent / "templates" / "admin" / "base.html").read_text()
    block = source[source.index("{% block messages %}"):source.index("{% endblock messages %}") + 23]
    djangos = Template("{% load i18n %}" + block).render(Context({"messages": messages}))
    assert admin_page._messages({"messages": messages}) == djangos


def test_right_to_left_page_is_djangos(superuser_client, monkeypatch, settings):
    """admin/base.html's right-to-left stylesheets, were a right-to-left language ever offered."""
    settings.LANGUAGE_CODE, settings.LANGUAGES = "he", [("he", "עברית")]
    urls = ["/admin/plans/project/", "/admin/ita/result/?_popup=1"]
    ours = {url: page(superuser_client, url) for url in urls}
    assert 'dir="rtl"' in ours[urls[0]] and "rtl.css" in ours[urls[0]]
    djangos_own(monkeypatch)
    for url in urls:
        assert ours[url] == page(superuser_client, url), url

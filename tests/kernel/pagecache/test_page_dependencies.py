"""What a kept page depends on comes from the apps and the page's own render, never from a list by
hand (lao_integrity/pagecache): every model declares how its rows reach an organisation, and
every kept page is refreshed by a write to any table it read, scoped as a service would scope it.

The whole suite runs with the cache on and PAGE_CACHE_VERIFY (tests/conftest.py): a page served
from memory is rendered again and compared, so a write that leaves a page stale fails its test.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse

from lao_integrity import late_parts
from lao_integrity.pagecache import HEADER, declarations, versions


def test_every_model_says_how_its_rows_reach_an_organisation():
    assert declarations.check_declarations() == []


def test_a_model_left_out_of_its_apps_declaration_is_refused(monkeypatch):
    config = apps.get_app_config("plans")
    monkeypatch.setattr(config, declarations.ATTRIBUTE,
                        {name: path for name, path in config.organisation_paths.items() if name != "Project"})
    assert [error.id for error in declarations.check_declarations()] == ["pagecache.E001"]
    with pytest.raises(LookupError, match="plans.Project"):
        declarations.path_of(apps.get_model("plans", "Project"))


def test_a_path_that_leads_elsewhere_is_refused(monkeypatch):
    config = apps.get_app_config("plans")
    monkeypatch.setattr(config, declarations.ATTRIBUTE, {**config.organisation_paths, "Project": "plan__framework"})
    assert [error.id for error in declarations.check_declarations()] == ["pagecache.E003"]


def kept_pages():
    """(name, the view's cached_page settings) of every page the portal keeps, the admin's aside
    (tests/test_pagecache.py covers its lists)."""
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif getattr(pattern.callback, "kept_page", None) is not None and namespace != "admin":
                yield f"{namespace}:{pattern.name}", pattern.callback.kept_page

    return sorted(walk(get_resolver().url_patterns), key=lambda found: found[0])


def test_the_sweep_finds_the_kept_pages():
    names = {name for name, _ in kept_pages()}
    assert {"plans:detail", "plans:sheet", "ita:measures", "agreements:org_detail", "jobs:list"} <= names
    assert len(names) >= 15


def _url(name, kept, org) -> tuple[str, int | None]:
    """The page's address for a record of the demo organisation (of another demo organisation
    when it has none), and the organisation the page is of (None for a list)."""
    owner = kept["organisation"]
    if owner is None:
        return reverse(name), None
    records = owner.model._default_manager.order_by("-pk")
    record = records.filter(**{declarations.path_of(owner.model): org.pk}).first() or records.first()
    assert record is not None, f"{name}: the demo has no {owner.model.__name__}"
    kwargs = {owner.argument: getattr(record, owner.lookup)}
    if name == "ita:measures":  # an organisation's measures of one year: one that has some
        measure = apps.get_model("ita", "Measure").objects.select_related("organisation").order_by("-pk").first()
        kwargs = {owner.argument: getattr(measure.organisation, owner.lookup), "fiscal_year": measure.fiscal_year}
    return reverse(name, kwargs=kwargs), owner(**kwargs)


def _touch(model, organisation_id) -> None:
    """A write to the model's table, as a service of that organisation (or a national one) makes."""
    field = next(field for field in model._meta.concrete_fields if not field.primary_key)
    scope = organisation_id if declarations.path_of(model) is not None else None
    with versions.organisation_scope(scope):
        model._base_manager.filter(pk__isnull=True).update(**{field.attname: F(field.attname)})


@pytest.mark.parametrize(("name", "kept"), kept_pages(), ids=[name for name, _ in kept_pages()])
def test_a_write_to_any_table_a_page_read_refreshes_it(seeded, client_for, name, kept, monkeypatch):
    # The bell and the menu's count are put in after the page, kept or not (late_parts.py): what
    # they read is not the page's (tests/kernel/test_late_parts.py shows them fresh on kept pages).
    monkeypatch.setattr(late_parts, "_PARTS", {})
    client = client_for(get_user_model().objects.create_superuser("t_admin", password="t-admin-pw-2569"))
    url, organisation_id = _url(name, kept, seeded.org)
    with CaptureQueriesContext(connection) as render:
        assert client.get(url)[HEADER] == "miss"
    read = " ".join(query["sql"] for query in render.captured_queries)  # before the next request clears them
    assert client.get(url)[HEADER] == "hit"
    tables = declarations.tables()
    # One table of each app and kind (one organisation's rows, national rows) the render named:
    # the counters are per app, and the two kinds raise different ones.
    touched = {}
    for model in apps.get_models(include_auto_created=True):
        table = tables.get(model._meta.db_table)
        if table is not None and f'"{model._meta.db_table}"' in read:
            touched.setdefault(table, model)
    assert touched, f"{name} read no tracked table"
    for _table, model in sorted(touched.items()):
        _touch(model, organisation_id)
        assert client.get(url)[HEADER] == "miss", f"{name} read {model._meta.db_table}; a write to it left it kept"


def test_a_stale_kept_page_fails_the_test_that_meets_it(seeded, client_for, monkeypatch):
    """PAGE_CACHE_VERIFY, as the suite runs: a write the cache missed is an error, not a stale page."""
    client = client_for(seeded.staff)
    url = reverse("plans:detail", args=[seeded.plan.pk])
    assert client.get(url)[HEADER] == "miss"
    monkeypatch.setattr(versions, "_written", lambda sql: ())  # a write the page cache does not see
    apps.get_model("plans", "Project").objects.filter(plan=seeded.plan).update(name="ชื่อที่หน้าเก่ายังไม่มี")
    with pytest.raises(AssertionError, match="stale"):
        client.get(url)

"""Signed-in pages served from memory while nothing they show has changed.

A page renders in tens of milliseconds with national data (the plan page reads a plan, its
thirty projects, their detail sheets and the audit trail); the same page from memory costs its
session, its user and one query for the data versions. `cached_page` on a view keeps the
rendered response in this worker's cache under a key made of

* the URL with its query string, the user and the CSRF cookie (the page's forms carry a token
  for that cookie, so one user's page is never another's), the language and today's date;
* the data versions (versions.py) of the apps whose tables the page's render read (recorded at
  each render, not listed by hand), plus auth and orgs, which hold who may see what and are read
  before the view runs: any committed write to those apps (for a page of one organisation: to
  that organisation's records, or outside any organisation's scope) makes a new key, so a page
  is never older than the data. The view's own access check runs whenever the page is rendered;
  a kept page is only ever served to the same user, with the same permissions, at the same address.

Only plain successful GETs are kept: not a response that sets a cookie, not a page showing a
message (those are shown once), not a response its view marked `not_kept` (what it shows may
change without a write: a running job that may die). `PAGE_CACHE = False` (DJANGO_PAGE_CACHE=0) turns it off. Entries
expire after PAGE_CACHE_SECONDS anyway, for data changed around Django (psql by hand).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.utils import timezone, translation

from . import declarations, versions

ALWAYS = ("auth", "orgs")
HEADER = "X-Page-Cache"
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition")
_QUOTED = re.compile(r'"(\w+)"')  # Django quotes every table it names
_CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*')


def _store():
    return caches[settings.PAGE_CACHE_ALIAS]


def _identity(request, public: bool = False) -> tuple | None:
    """What tells this page apart, the data aside; None when this request must not be served from
    or kept in the cache. A public page (no form, no cookie, the same for every visitor, see
    publication/web.py) is told apart by its address alone."""
    if not getattr(settings, "PAGE_CACHE", False) or request.method != "GET":
        return None
    if public:
        return (request.get_full_path(), "public", translation.get_language(), timezone.localdate().isoformat())
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    # Only a CSRF cookie the browser sent: the cached forms' tokens are valid for it alone.
    secret = request.META.get("CSRF_COOKIE")
    if not secret or request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or len(get_messages(request)):
        return None
    return (request.get_full_path(), user.pk, secret, translation.get_language(), timezone.localdate().isoformat())


def _counter_names(apps, organisation_id) -> list[str]:
    if organisation_id is None:  # a list of many organisations: any write to these apps
        return [versions.any_key(app) for app in apps]
    return [name for app in apps for name in (app, versions.org_key(app, organisation_id))]


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _page_key(identity, read: tuple[str, ...], organisation_id, counters: dict[str, int]) -> str:
    names = _counter_names(read, organisation_id)
    return "page:" + _digest(identity, names, [counters[name] for name in names])


@contextlib.contextmanager
def _reading():
    """The tracked apps whose tables the statements run inside name (a join, a subquery...)."""
    found: set[str] = set()
    tables = declarations.tables()

    def record(execute, sql, params, many, context):
        if isinstance(sql, str):
            found.update(tables[name].app for name in _QUOTED.findall(sql) if name in tables)
        return execute(sql, params, many, context)

    with connections[DEFAULT_DB_ALIAS].execute_wrapper(record):
        yield found


def _rendered(view, request, args, kwargs):
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response


def _check_fresh(kept: bytes, view, request, args, kwargs) -> None:
    """PAGE_CACHE_VERIFY (the test suite): a kept page must be the page a render gives now."""
    fresh = _rendered(view, request, args, kwargs)
    if _CSRF_TOKEN.sub(rb"\1", fresh.content) != _CSRF_TOKEN.sub(rb"\1", kept):
        raise AssertionError(f"{request.get_full_path()}: the kept page is stale, a write did not refresh it")


def _keepable(request, response, csrf_secret, public: bool = False) -> bool:
    if public:  # no session, no form: only a plain page without a cookie
        return response.status_code == 200 and not response.streaming and not response.cookies
    # The only cookie allowed is the CSRF cookie renewed as it was (the admin's csrf_protect does
    # that inside the view); a rotated token or any other cookie belongs to this response alone.
    cookies = {name: morsel.value for name, morsel in response.cookies.items()}
    if cookies.pop(settings.CSRF_COOKIE_NAME, csrf_secret) != csrf_secret or cookies:
        return False
    return (response.status_code == 200 and not response.streaming and not getattr(response, "not_kept", False)
            and request.META.get("CSRF_COOKIE") == csrf_secret
            and not len(get_messages(request)))


def owner(model, path: str | None = None, *, argument: str = "pk", lookup: str = "pk"):
    """For cached_page(organisation=...): the id of the organisation that owns the record the URL
    names (URL argument `argument`, matched on `lookup`), reached through `path` (by default the
    path its app declares, declarations.py): one query."""

    @functools.cache
    def statement(vendor: str) -> str:
        # Built once by the ORM, then run with each request's value: this lookup is on every kept
        # page's way, and compiling a queryset costs more than the query. No ordering (the
        # model's would add its joins and a sort).
        query = (model._default_manager.filter(**{lookup: 0}).order_by()
                 .values_list(path or declarations.path_of(model))[:1].query)
        sql, params = query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
        if len(params) != 1:
            raise ValueError(f"owner({model.__name__}, {path!r}): expected one parameter, got {params!r}")
        return sql

    def organisation_id(**kwargs):
        value = kwargs[argument]
        try:
            value = model._meta.get_field(lookup if lookup != "pk" else model._meta.pk.name).to_python(value)
        except ValidationError:
            return None
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(statement(connections[DEFAULT_DB_ALIAS].vendor), [value])
            row = cursor.fetchone()
        return row[0] if row else None

    organisation_id.model, organisation_id.argument, organisation_id.lookup = model, argument, lookup
    return organisation_id


def cached_page(view=None, *, organisation: Callable[..., int | None] | None = None, public: bool = False):
    """Keep this view's rendered page until a write to what it read (or to auth, orgs) commits.
    Put it under @login_required and let the view do its own access check as usual.

    What the page depends on is what its render read: the apps whose tables its queries named,
    recorded at each render and remembered for the next request to the same address.

    `organisation`: for a page of one organisation's records, a function of the view's URL
    arguments giving that organisation's id (None when there is no such record; see owner());
    then only writes to this organisation's records, or writes outside any organisation's scope,
    refresh the page. Without it the page is a list across organisations and any write to what it
    read refreshes it.

    `public`: a public page (web.public_view outside this decorator), kept for every visitor alike
    under its address: it carries no form, no cookie and nothing about the visitor."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            identity = _identity(request, public)
            organisation_id = None
            if identity is not None and organisation is not None:
                organisation_id = organisation(**kwargs)
                if organisation_id is None:  # no such record: let the view answer (404)
                    identity = None
            if identity is None:
                return view(request, *args, **kwargs)
            # Every counter the page could depend on, before it renders: a write that commits
            # during the render leaves the page under the older counters, never the newer.
            names = _counter_names(versions.tracked_apps(), organisation_id)
            counters = dict(zip(names, versions.current(names), strict=True))
            reads_key = "reads:" + _digest(identity, organisation_id)
            read = _store().get(reads_key)
            kept = read is not None and _store().get(_page_key(identity, read, organisation_id, counters))
            if kept:
                content, headers = kept
                if getattr(settings, "PAGE_CACHE_VERIFY", False):
                    _check_fresh(content, view, request, args, kwargs)
                response = HttpResponse(content)
                for name, value in headers.items():
                    response[name] = value
                response[HEADER] = "hit"
                return response
            csrf_secret = None if public else request.META["CSRF_COOKIE"]
            with _reading() as found:
                response = _rendered(view, request, args, kwargs)
            if _keepable(request, response, csrf_secret, public):
                # The data that decided which tables to read was read too: when it changes, the
                # key changes, and the render that follows records its own reads.
                read = tuple(sorted(found | set(ALWAYS)))
                headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
                _store().set_many({reads_key: read,
                                   _page_key(identity, read, organisation_id, counters): (response.content, headers)},
                                  settings.PAGE_CACHE_SECONDS)
                response[HEADER] = "miss"
            return response

        # Carried up through functools.wraps: which views are kept, and whose pages (the tests' sweep).
        wrapped.kept_page = {"organisation": organisation, "public": public}
        return wrapped

    return decorator if view is None else decorator(view)

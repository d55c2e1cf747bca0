"""Issue 17's security check: an anonymous crawler follows every link of the public pages, the
open-data files and the sitemap, for every organisation of the demo, and meets nothing that is not
signed and published.

Before crawling, each organisation gets private things carrying a marker: draft, submitted and
approved (unsigned) announcements; a published announcement withdrawn; a project added to every
plan after its approval; measures of years whose measures were not published; the names of the
portal's users and of people who signed nothing published; evidence links and files of progress.
No page, file or document the crawler reaches may carry a marker, every link it follows answers,
and the addresses of the signed but unpublished announcements answer 404."""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import Max
from django.test import Client, override_settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from ita.models import Measure, MeasureProgress
from lao_integrity.announcements.models import Announcement, Kind, Status
from lao_integrity.orgs.models import Organisation, Person
from lao_integrity.publication.models import Publication
from plans.models import DetailSheet, Plan, Project, ProjectProgress

pytestmark = pytest.mark.django_db

MARK = "ลับไม่เผยแพร่"
LINK = re.compile(r"""(?:href|src)=["']([^"'#]+)""")
URL_IN_TEXT = re.compile(r"https?://testserver(/[^\s\"'<>,]*)")
MAX_PAGES = 3000


def _mark(what: str) -> str:
    return f"{MARK}-{what}"


def plant(organisations) -> dict:
    """Private things in every organisation, each carrying MARK; returns what must answer 404."""
    hidden_urls = []
    now = timezone.now()
    for organisation in organisations:
        signer = Person.objects.filter(organisation=organisation).first()
        author = get_user_model().objects.filter(is_superuser=False).first()
        for status in (Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.RETURNED):
            announcement = Announcement.objects.create(
                organisation=organisation, kind=Kind.OTHER, fiscal_year=2570, subject=_mark(f"ประกาศ {status}"),
                body=_mark("ข้อความ"), status=status, signer=signer, created_by=author)
            hidden_urls.append(f"/public/{organisation.code}/announcements/{announcement.pk}/")
        # Signed but never published: its own address answers 404.
        for announcement in Announcement.objects.filter(organisation=organisation, status=Status.SIGNED):
            if not Publication.objects.filter(subject="announcements.announcement", object_id=announcement.pk,
                                              withdrawn_at=None).exists():
                hidden_urls.append(f"/public/{organisation.code}/announcements/{announcement.pk}/")
        # A project added after approval is not part of the approved plan.
        for plan in Plan.objects.filter(organisation=organisation):
            model = plan.projects.order_by("pk").first()
            if model is None:
                continue
            sequence = plan.projects.aggregate(m=Max("sequence"))["m"] or 0
            Project.objects.create(plan=plan, name=_mark("โครงการ"), dimension=model.dimension, budget=1,
                                   sequence=sequence + 1, q1=True)
        # Measures of years whose measures announcement is not published.
        published_years = set(Announcement.objects.filter(
            organisation=organisation, kind=Kind.ITA_MEASURES, status=Status.SIGNED,
            pk__in=Publication.objects.filter(withdrawn_at=None, subject="announcements.announcement")
            .values("object_id")).values_list("fiscal_year", flat=True))
        for year in (2568, 2569, 2570):
            if year not in published_years:
                Measure.objects.create(organisation=organisation, fiscal_year=year, title=_mark(f"มาตรการ {year}"),
                                       order=99)
        # People who signed nothing published, and the portal's users.
        signers = set(Announcement.objects.filter(organisation=organisation, status=Status.SIGNED)
                      .values_list("signer_id", flat=True))
        Person.objects.filter(organisation=organisation).exclude(pk__in=signers).update(first_name=_mark("บุคคล"))
    get_user_model().objects.update(first_name=_mark("ผู้ใช้"), last_name=_mark("สกุล"), email="lab@example.org")
    # Evidence of progress: links and files are never public.
    for model in (ProjectProgress, MeasureProgress):
        for row in model.objects.all()[:50]:
            row.evidence_url = f"https://example.org/{MARK}"
            row.evidence_file.save(f"{MARK}.pdf", ContentFile(b"%PDF-1.4 " + MARK.encode()), save=False)
            row.save()
    DetailSheet.objects.update(responsible=_mark("ผู้รับผิดชอบ"))
    # A published document withdrawn: gone from the pages.
    withdrawn = Publication.objects.filter(withdrawn_at=None, subject="announcements.announcement").first()
    if withdrawn is not None:
        announcement = Announcement.objects.get(pk=withdrawn.object_id)
        Publication.objects.filter(pk=withdrawn.pk).update(withdrawn_at=now, withdraw_reason="ทดสอบ")
        hidden_urls.append(f"/public/{announcement.organisation.code}/announcements/{announcement.pk}/")
    return {"hidden_urls": hidden_urls}


def _links(response, base: str) -> list[str]:
    kind = response.get("Content-Type", "")
    if "pdf" in kind or "spreadsheet" in kind or "image" in kind:
        return []
    text = response.content.decode(errors="replace")
    found = [unescape(href) for href in LINK.findall(text)] if "html" in kind else []
    found += URL_IN_TEXT.findall(text)
    return [urljoin(base, href) for href in found]


# Pages anyone may open without being signed in that are not public pages: the way in, help, and the
# verification page (a POST form with its CSRF cookie, so not a public_view).
BEFORE_LOGIN = {"login", "healthz", "calendar_feed", "glossary", "password_reset", "password_reset_done",
                "password_reset_confirm", "password_reset_complete", "verification:verify"}


def _name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _is_public(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "public", False)


def crawl(client: Client, starts: list[str]) -> dict[str, object]:
    seen: dict[str, object] = {}
    queue = deque(starts)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen or path.startswith("/static/"):
            continue
        response = client.get(path)
        seen[path] = response
        if response.status_code == 200 and _is_public(parts.path):
            queue.extend(_links(response, path))
    return seen


@override_settings(PUBLIC_RATE_LIMIT=0)  # one address asks for thousands of pages
def test_an_anonymous_crawl_meets_only_what_is_signed_and_published(seeded):
    organisations = list(Organisation.objects.filter(
        pk__in=Announcement.objects.values("organisation_id")).order_by("code"))
    assert len(organisations) >= 2
    planted = plant(organisations)
    client = Client()
    starts = ["/public/", "/sitemap.xml", "/public/organisations.csv", "/public/organisations.json",
              *(f"/public/{o.code}/" for o in organisations),
              *(f"/public/{o.code}/documents.{ext}" for o in organisations for ext in ("csv", "json"))]
    seen = crawl(client, starts)
    public = {path: r for path, r in seen.items() if _is_public(urlsplit(path).path)}
    assert len(public) > 10 * len(organisations) // 2, sorted(public)  # the crawl went somewhere
    # Every public link answers; no public answer carries a marker, PDFs and files included.
    broken = [path for path, r in public.items() if r.status_code != 200]
    assert not broken, broken
    leaks = [path for path, r in public.items()
             if MARK.encode() in b"".join(r.streaming_content if r.streaming else [r.content])]
    assert not leaks, leaks
    # A link from a public page to a page that is not public is a signed-in page: it must not
    # answer an anonymous visitor with its content.
    for path, response in seen.items():
        if path not in public and _name(urlsplit(path).path) not in BEFORE_LOGIN:
            assert response.status_code in (301, 302, 403, 404), f"{path} answered {response.status_code}"
    # The published announcements are there; the hidden ones are not.
    live = Publication.objects.filter(withdrawn_at=None, subject="announcements.announcement")
    assert live.exists(), "the demo publishes announcements"
    for publication in live:
        announcement = Announcement.objects.get(pk=publication.object_id)
        assert f"/public/{announcement.organisation.code}/announcements/{announcement.pk}/" in public
    for url in planted["hidden_urls"]:
        assert client.get(url).status_code == 404, url
        assert url not in public


def _callbacks(patterns=None, namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _callbacks(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def test_only_public_views_let_an_anonymous_visitor_read():
    """The access matrix (test_access_matrix.py) asks every routed URL as an anonymous visitor and
    holds it to its rule; here, a rule that lets an anonymous visitor read is given only to views
    that wear `public_view` (what the crawl above follows), or to the few pages before a login."""
    from tests.project.access_rules import RULES

    before_login = BEFORE_LOGIN - {"login"}
    callbacks = dict(_callbacks())
    public = {name for name, callback in callbacks.items() if getattr(callback, "public", False)}
    assert public, "no view wears public_view"
    anonymous = {name for name, rule in RULES.items() if rule.get == "public"}
    assert anonymous - before_login == public, (sorted(anonymous - before_login - public), sorted(public - anonymous))

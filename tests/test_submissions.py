"""One form submission, one effect (lao_integrity/submissions), and forms without browser tooltips.

* The URLconf is walked: every routed view is a one-time view (ONCE: creates or does something
  irreversible), a POST view that needs no token (NOT_ONCE, each with its reason) or a page that
  only reads (READ). A new view fails test_every_view_is_classified until it is put in one of
  them; a ONCE view without @once_per_submission (or a decorated view not in ONCE) fails
  test_one_time_views_are_exactly_the_decorated_ones; and each ONCE view is posted twice with
  the same token: the second creates nothing, changes nothing and goes where the first went.
* A POST without a token is refused in Thai; a submission that did nothing (a form with errors)
  leaves its token usable; every form of every response gets a token of its own, kept pages
  included; two identical submissions at the same instant make one record (PostgreSQL).
* Every <form> carries novalidate, so the browser shows no English tooltips of its own.
"""

import datetime
import re
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agreements.organisation import services as org_services
from agreements.organisation.models import OrgAgreement
from agreements.performance import exchange as agreement_exchange
from agreements.performance import services as agreement_services
from agreements.performance.models import AgreementKind, PerformanceAgreement
from ita.measures import selectors as measure_selectors
from ita.models import Measure
from ita.results import jobs as ita_jobs
from ita.results import services as ita_services
from lao_integrity.announcements import documents as announcement_documents
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.jobs.models import Job
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Role
from lao_integrity.orgs.services import membership_grant, person_ensure
from lao_integrity.pagecache.versions import written_domains
from lao_integrity.submissions import once
from lao_integrity.submissions.models import Submission
from lao_integrity.tabular import write_table
from plans import services as plan_services
from plans.models import PlanVersion, Project
from plans.resources import HEADERS as PLAN_HEADERS

BASE_DIR = Path(settings.BASE_DIR)
SKIPPED_NAMESPACES = {"admin"}  # Django's own admin forms
DUPLICATE = "แบบฟอร์มนี้ถูกส่งไปแล้ว"

# --- the classification ------------------------------------------------------------------------

EDIT = ("an edit of one record: sending the same values twice leaves the same record, and the "
        "version check refuses a stale save (lao_integrity/concurrency.py)")
DELETE = "a delete: a second submission finds nothing left to delete (404 or a Thai refusal)"
NOT_ONCE = {
    "plans:settings": EDIT,
    "plans:project_edit": EDIT,
    "plans:sheet_edit": EDIT,
    "plans:progress_edit": EDIT + " (one row per project and quarter)",
    "plans:project_delete": DELETE,
    "ita:result_edit": EDIT + " (one result per organisation and year)",
    "ita:guidance": EDIT,
    "ita:measure_edit": EDIT + "; its up/down buttons move one place per click, undone by the other button",
    "ita:measure_progress": EDIT + " (one row per measure and quarter)",
    "ita:measure_delete": DELETE,
    "agreements:edit": EDIT + "; the linked projects form sets the whole list",
    "agreements:delete": DELETE,
    "agreements:indicator_edit": EDIT,
    "agreements:indicator_delete": DELETE,
    "agreements:progress": EDIT + " (one row per indicator and quarter)",
    "agreements:org_detail": EDIT + " (the introduction)",
    "agreements:topic_edit": EDIT,
    "agreements:topic_delete": DELETE,
    "announcements:edit": EDIT,
    "announcements:delete": DELETE,
    "orgs:profile": EDIT + " (contact details and the emblem, which the same upload replaces with itself)",
    "orgs:signature": EDIT + " (one signature image per person, replaced by the upload)",
}
READ = {
    "home", "healthz", "plans:detail", "plans:progress", "plans:export", "plans:document", "plans:sheet",
    "plans:evidence", "ita:list", "ita:export", "ita:history", "ita:result", "ita:analysis_pdf", "ita:measures",
    "ita:measure_evidence", "agreements:detail", "agreements:pdf", "agreements:indicator_export",
    "agreements:evidence", "announcements:detail", "announcements:document", "announcements:poster",
    "jobs:list", "jobs:detail", "jobs:status", "jobs:download", "orgs:emblem", "login", "logout",
}


def routed() -> dict[str, object]:
    """Every named URL pattern outside the admin, namespaced, with its view."""
    views = {}

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern):
                if str(entry.pattern).startswith(("static/", "media/", "^static", "^media")):
                    continue
                views[f"{namespace}{entry.name or str(entry.pattern)}"] = entry.callback

    walk(get_resolver().url_patterns)
    return views


# --- the world the one-time views are posted in --------------------------------------------------


def csv_upload(headers, rows, name="file.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, write_table(list(headers), [list(r) for r in rows], "csv"), content_type="text/csv")


def plan_file() -> SimpleUploadedFile:
    return csv_upload(PLAN_HEADERS, [[1, "โครงการจากไฟล์", "2", "0", "", "✓", "", "", ""],
                                     [2, "กิจกรรมจากไฟล์", "1", "500", "✓", "", "", "", ""]])


INDICATOR = {"aspect": "high_performance", "work_type": "core", "name": "ร้อยละการเบิกจ่ายงบประมาณ",
             "unit_of_measure": "ร้อยละ", "baseline": "40", "higher_is_better": "on",
             **{f"target_{i}": str(40 + 5 * i) for i in range(1, 6)}, "weight": "25"}


def indicator_fields(name: str, weight: str) -> dict:
    return {"aspect": "high_performance", "work_type": "core", "name": name, "unit_of_measure": "ร้อยละ",
            "baseline": Decimal("40"), "higher_is_better": True,
            **{f"target_{i}": Decimal(40 + 5 * i) for i in range(1, 6)}, "weight": Decimal(weight)}


@pytest.fixture
def world(org, units, people, staff, executive, plan, dimensions) -> SimpleNamespace:
    head = person_ensure(organisation=org, prefix="นางสาว", first_name="มาลี", last_name="ศรีคลัง",
                         position="ผู้อำนวยการกองคลัง", unit=units["กองคลัง"])
    return SimpleNamespace(org=org, units=units, people=people, staff=staff, executive=executive, plan=plan,
                           dimensions=dimensions, head=head)


def unit_agreement(w, *, indicators: int = 0, signed: bool = False) -> PerformanceAgreement:
    agreement = agreement_services.agreement_create(
        organisation=w.org, fiscal_year=2569, round=1, kind=AgreementKind.UNIT, unit=w.units["กองคลัง"],
        person=w.head, executive=w.people["executive"], user=w.staff)
    for i in range(indicators):
        agreement_services.indicator_create(agreement=agreement, user=w.staff,
                                            **indicator_fields(f"ตัวชี้วัดที่ {i + 1}", str(100 // indicators)))
    if signed:
        agreement_services.agreement_sign(agreement=agreement, user=w.executive)
    return agreement


def org_agreement(w) -> OrgAgreement:
    return org_services.org_agreement_create(organisation=w.org, fiscal_year=2569, user=w.staff,
                                             start_from="standard")


def ready_announcement(w, *, approved: bool = False) -> Announcement:
    announcement = announcement_services.announcement_create(
        organisation=w.org, kind=Kind.NO_GIFT, fiscal_year=2569, user=w.staff, signer=w.people["executive"],
        announced_on=datetime.date(2025, 10, 1))
    blocking, _ = announcement_documents.problems(announcement)
    assert not blocking, blocking
    if approved:
        announcement = announcement_services.announcement_approve(announcement=announcement, user=w.executive)
    return announcement


@dataclass(frozen=True)
class Once:
    """A one-time view posted in `world`: build(w) -> (user, url, data builder)."""
    build: object


def _plan_url(name):
    return lambda w: reverse(name, args=[w.plan.pk])


ONCE = {
    "plans:list": Once(lambda w: ("staff", reverse("plans:list"),
                                  lambda: {"organisation": str(w.org.pk), "fiscal_year": "2570"})),
    "plans:import_new": Once(lambda w: ("staff", reverse("plans:import_new"),
                                        lambda: {"organisation": str(w.org.pk), "fiscal_year": "2570",
                                                 "file": plan_file()})),
    "plans:import": Once(lambda w: ("staff", _plan_url("plans:import")(w), lambda: {"file": plan_file()})),
    "plans:approve": Once(lambda w: ("executive", _plan_url("plans:approve")(w), dict)),
    "plans:copy": Once(lambda w: ("staff", _plan_url("plans:copy")(w), dict)),
    "plans:project_add": Once(lambda w: ("staff", _plan_url("plans:project_add")(w), lambda: {
        "name": "โครงการกดบันทึกสามครั้ง", "dimension": str(w.dimensions[2].pk), "budget": "2,500.00",
        "q1": "on", "remark": ""})),
    "plans:project_move": Once(lambda w: ("staff", reverse(
        "plans:project_move", args=[w.plan.projects.order_by("sequence")[1].pk]), lambda: {"direction": "up"})),
    "ita:import": Once(lambda w: ("staff", reverse("ita:import"), lambda: {"file": csv_upload(
        ["รหัส อปท.", "ปีงบประมาณ", "ตัวชี้วัด", "คะแนน"], [[w.org.code, 2566, n, 80] for n in range(1, 11)])})),
    "ita:export_all": Once(lambda w: ("staff", reverse("ita:export_all"),
                                      lambda: {"fiscal_year": "2566", "format": "csv"})),
    "ita:measure_add": Once(lambda w: (
        ita_services.result_save(organisation=w.org, fiscal_year=2566,
                                 scores={n: Decimal("80") for n in range(1, 11)}, user=SYSTEM) and "staff",
        reverse("ita:measure_add", args=[w.org.code, 2567]),
        lambda: {"title": "จัดทำ QR Code ประเมินความพึงพอใจ", "steps": "", "responsible_text": "สำนักปลัด",
                 "deadline_text": "ตลอดปีงบประมาณ", "cadence": "quarterly",
                 "indicators": [str(measure_selectors.measures_framework(w.org, 2567).indicators.get(number=1).pk)]})),
    "agreements:list": Once(lambda w: ("staff", reverse("agreements:list"), lambda: {
        "organisation": str(w.org.pk), "fiscal_year": "2569", "round": "1", "kind": "unit",
        "unit": str(w.units["กองคลัง"].pk), "person": str(w.head.pk), "executive": str(w.people["executive"].pk)})),
    "agreements:sign": Once(lambda w: ("executive", reverse(
        "agreements:sign", args=[unit_agreement(w, indicators=4).pk]), dict)),
    "agreements:evaluate": Once(lambda w: (lambda a: ("executive", reverse("agreements:evaluate", args=[a.pk]),
                                                      lambda: {f"value_{i.pk}": "52" for i in a.indicators.all()}))(
        unit_agreement(w, indicators=4, signed=True))),
    "agreements:indicator_add": Once(lambda w: ("staff", reverse(
        "agreements:indicator_add", args=[unit_agreement(w).pk]), lambda: dict(INDICATOR))),
    "agreements:indicator_import": Once(lambda w: (lambda source: ("staff", reverse(
        "agreements:indicator_import", args=[source.pk]), lambda: {"file": SimpleUploadedFile(
            "indicators.csv", agreement_exchange.indicators_export(agreement=source, fmt="csv"))}))(
        unit_agreement(w, indicators=4))),
    "agreements:org_list": Once(lambda w: ("staff", reverse("agreements:org_list"), lambda: {
        "organisation": str(w.org.pk), "fiscal_year": "2570", "start_from": "standard"})),
    "agreements:org_copy": Once(lambda w: ("staff", reverse("agreements:org_copy", args=[org_agreement(w).pk]),
                                           dict)),
    "agreements:topic_add": Once(lambda w: ("staff", reverse("agreements:topic_add", args=[org_agreement(w).pk]),
                                            lambda: {"title": "การเปิดเผยข้อมูลสาธารณะ", "explanation": "",
                                                     "item-TOTAL_FORMS": "1", "item-INITIAL_FORMS": "0",
                                                     "item-MIN_NUM_FORMS": "0", "item-MAX_NUM_FORMS": "100",
                                                     "item-0-text": "เผยแพร่ข้อมูลทางเว็บไซต์",
                                                     "item-0-actions": "", "item-0-ORDER": "1"})),
    "agreements:topic_move": Once(lambda w: ("staff", reverse(
        "agreements:topic_move", args=[org_agreement(w).topics.order_by("order").first().pk]),
        lambda: {"direction": "down"})),
    "jobs:restart": Once(lambda w: ("staff", reverse("jobs:restart", args=[Job.objects.create(
        kind=ita_jobs.EXPORT, owner=w.staff, title="ไฟล์ผลการประเมิน ITA", status="failed", message="ไม่สำเร็จ",
        params={"fiscal_year": 2566, "format": "csv"}).pk]), dict)),
    "announcements:list": Once(lambda w: ("staff", reverse("announcements:list"),
                                          lambda: {"organisation": str(w.org.pk), "kind": Kind.OTHER})),
    "announcements:approve": Once(lambda w: ("executive", reverse(
        "announcements:approve", args=[ready_announcement(w).pk]), dict)),
    "announcements:sign": Once(lambda w: ("executive", reverse(
        "announcements:sign", args=[ready_announcement(w, approved=True).pk]), dict)),
    "announcements:revise": Once(lambda w: (lambda a: ("staff", reverse("announcements:revise", args=[a.pk]), dict))(
        announcement_services.announcement_sign(announcement=ready_announcement(w, approved=True),
                                                user=w.executive))),
}


# --- the walk ----------------------------------------------------------------------------------


def test_every_view_is_classified():
    names = set(routed())
    lists = {"ONCE": set(ONCE), "NOT_ONCE": set(NOT_ONCE), "READ": READ}
    missing = sorted(names - set().union(*lists.values()))
    assert not missing, (
        f"views not classified: {missing}. A view that creates something or does something irreversible on "
        "POST (approve, sign, import, start a job) gets @once_per_submission and an entry in ONCE in "
        "tests/test_submissions.py; an edit or delete goes in NOT_ONCE with its reason; a page that only "
        "reads goes in READ.")
    for label, listed in lists.items():
        assert not listed - names, f"{label} names views that no longer exist: {sorted(listed - names)}"
    twice = [(a, b, sorted(lists[a] & lists[b])) for a in lists for b in lists if a < b and lists[a] & lists[b]]
    assert not twice, twice


def test_one_time_views_are_exactly_the_decorated_ones():
    decorated = {name for name, view in routed().items() if getattr(view, "once_per_submission", False)}
    assert decorated == set(ONCE), {"decorated, not in ONCE": sorted(decorated - set(ONCE)),
                                    "in ONCE, not decorated": sorted(set(ONCE) - decorated)}


def tracked_writes(queries) -> list[str]:
    """The statements that wrote to the portal's data (not the submission records or sessions)."""
    return [q["sql"][:120] for q in queries if written_domains(q["sql"])]


def client_of(user) -> Client:
    client = Client()
    client.submission_tokens = False  # this module sends its tokens itself
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", sorted(ONCE))
def test_the_same_submission_posted_twice_acts_once(name, world):
    role, url, data = ONCE[name].build(world)
    client = client_of(getattr(world, role))
    token = once.new_token()

    with CaptureQueriesContext(connection) as first_queries:
        first = client.post(url, {**data(), once.FIELD: token})
    assert first.status_code == 302, first.content.decode()[:3000]
    assert tracked_writes(first_queries.captured_queries), "the first submission must have done something"
    assert Submission.objects.filter(token=token, user=getattr(world, role)).exists()

    with CaptureQueriesContext(connection) as second_queries:
        second = client.post(url, {**data(), once.FIELD: token})
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert tracked_writes(second_queries.captured_queries) == []
    page = client.get(second["Location"], follow=True).content.decode()
    assert DUPLICATE in page


# --- the token ----------------------------------------------------------------------------------


def add_url(world) -> str:
    return reverse("plans:project_add", args=[world.plan.pk])


def project_data(world, **changes) -> dict:
    return {"name": "โครงการกดซ้ำ", "dimension": str(world.dimensions[1].pk), "budget": "100", "q2": "on",
            **changes}


@pytest.mark.parametrize("token", [None, "", "x" * 31, once.PLACEHOLDER, "ก" * 32])
def test_a_post_without_a_usable_token_is_refused_in_thai_and_changes_nothing(world, token):
    client = client_of(world.staff)
    data = project_data(world) | ({} if token is None else {once.FIELD: token})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(add_url(world), data)
    assert response.status_code == 400
    assert once.REFUSED_MESSAGE in response.content.decode()
    assert tracked_writes(queries.captured_queries) == []
    assert not world.plan.projects.filter(name="โครงการกดซ้ำ").exists()


def test_a_submission_with_errors_leaves_its_token_usable(world):
    client = client_of(world.staff)
    token = once.new_token()
    shown = client.post(add_url(world), project_data(world, name="") | {once.FIELD: token})
    assert shown.status_code == 200  # the form again, with its Thai error
    assert not Submission.objects.filter(token=token).exists()

    saved = client.post(add_url(world), project_data(world) | {once.FIELD: token})
    assert saved.status_code == 302
    again = client.post(add_url(world), project_data(world) | {once.FIELD: token})
    assert again["Location"] == saved["Location"]
    assert world.plan.projects.filter(name="โครงการกดซ้ำ").count() == 1


def test_a_refusal_reported_with_a_redirect_leaves_the_token_usable(world, dimensions):
    empty = plan_services.plan_create(organisation=world.org, fiscal_year=2568, user=SYSTEM)
    client = client_of(world.executive)
    token = once.new_token()
    refused = client.post(reverse("plans:approve", args=[empty.pk]), {once.FIELD: token})
    assert refused.status_code == 302
    assert "แผนยังไม่มีโครงการ" in client.get(refused["Location"]).content.decode()
    assert not Submission.objects.filter(token=token).exists()
    plan_services.project_create(plan=empty, name="โครงการแรก", dimension=dimensions[1], q1=True, user=SYSTEM)
    client.post(reverse("plans:approve", args=[empty.pk]), {once.FIELD: token})
    assert PlanVersion.objects.filter(plan=empty).count() == 1


def test_another_users_token_is_not_theirs_to_replay(world):
    token = once.new_token()
    first = client_of(world.staff).post(add_url(world), project_data(world) | {once.FIELD: token})
    assert first.status_code == 302
    other = get_user_model().objects.create_user("t_staff_two", password="x-pw-2569-long")
    membership_grant(user=other, organisation=world.org, role=Role.STAFF)
    second = client_of(other).post(add_url(world), project_data(world) | {once.FIELD: token})
    assert second.status_code == 400
    assert world.plan.projects.filter(name="โครงการกดซ้ำ").count() == 1


def test_old_submission_records_are_pruned(world):
    old = Submission.objects.create(token=once.new_token(), path="/old/",
                                    created_at=timezone.now() - datetime.timedelta(days=once.KEEP_DAYS + 1))
    recent = Submission.objects.create(token=once.new_token(), path="/recent/",
                                       created_at=timezone.now() - datetime.timedelta(days=once.KEEP_DAYS - 1))
    client_of(world.staff).post(add_url(world), project_data(world) | {once.FIELD: once.new_token()})
    assert not Submission.objects.filter(pk=old.pk).exists()
    assert Submission.objects.filter(pk=recent.pk).exists()


TOKEN_INPUT = re.compile(rf'<input type="hidden" name="{once.FIELD}" value="([^"]*)">')


def test_every_form_of_every_response_gets_a_token_of_its_own(world, settings):
    client = client_of(world.executive)
    detail = reverse("plans:detail", args=[world.plan.pk])
    html = client.get(detail).content.decode()
    tokens = TOKEN_INPUT.findall(html)
    assert len(tokens) >= 3  # copy, approve, the announcement, the moves
    assert all(once.is_token(t) for t in tokens) and len(set(tokens)) == len(tokens)
    assert once.PLACEHOLDER not in html
    # A page kept in memory (lao_integrity/pagecache) is served with fresh tokens each time.
    settings.PAGE_CACHE = True
    caches[settings.PAGE_CACHE_ALIAS].clear()
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    try:
        kept = [client.get(detail) for _ in range(3)]
    finally:
        caches[settings.PAGE_CACHE_ALIAS].clear()
    assert kept[-1]["X-Page-Cache"] == "hit"
    served = [TOKEN_INPUT.findall(r.content.decode()) for r in kept]
    assert len({t for tokens in served for t in tokens}) == sum(len(tokens) for tokens in served)
    for response in kept:  # the middleware keeps the length right where one is set
        assert not response.has_header("Content-Length") or int(response["Content-Length"]) == len(response.content)


def test_the_buttons_script_is_served_from_the_site(world):
    html = client_of(world.staff).get(add_url(world)).content.decode()
    assert re.search(r'<script src="/static/js/forms\.js" defer></script>', html)
    script = (Path(settings.BASE_DIR) / "static" / "js" / "forms.js").read_text()
    assert "กำลังบันทึก…" in script and "disabled = true" in script and "defaultPrevented" in script


# --- templates -------------------------------------------------------------------------------------

FORM_TAG = re.compile(r"<form\b[^>]*>", re.IGNORECASE)


def template_files():
    """The site frame's templates and every app's (README, "Architecture")."""
    folders = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs()
                if Path(app.path).resolve().is_relative_to(BASE_DIR.resolve())]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def template_forms():
    for path in template_files():
        text = path.read_text()
        for match in FORM_TAG.finditer(text):
            end = text.find("</form>", match.end())
            yield path.relative_to(BASE_DIR), match.group(0), text[match.end():end]


def test_every_post_form_in_the_templates_carries_the_tokens():
    missing = [(str(path), tag[:80]) for path, tag, body in template_forms()
               if re.search(r'method="post"', tag, re.IGNORECASE) and "{% form_tokens %}" not in body]
    assert not missing, missing
    leftover = [str(p.relative_to(BASE_DIR)) for p in template_files() if "{% csrf_token %}" in p.read_text()]
    assert not leftover, f"{{% csrf_token %}} instead of {{% form_tokens %}} in {leftover}"


def test_no_post_form_sends_to_a_page_listed_as_read_only():
    wrong = []
    for path, tag, _ in template_forms():
        action = re.search(r"action=\"\{% url '([^']+)'", tag)
        if re.search(r'method="post"', tag, re.IGNORECASE) and action and action.group(1) in READ - {"logout"}:
            wrong.append((str(path), action.group(1)))
    assert not wrong, wrong


def test_every_form_in_the_templates_has_novalidate():
    missing = [(str(path), tag[:100]) for path, tag, _ in template_forms()
               if not re.search(r"\snovalidate\b", tag)]
    assert not missing, missing


MAIN_PAGES = [
    ("staff", lambda d: reverse("plans:list")),
    ("staff", lambda d: reverse("plans:detail", args=[d.plan.pk])),
    ("staff", lambda d: reverse("plans:project_add", args=[d.plan.pk])),
    ("staff", lambda d: reverse("plans:project_edit", args=[d.plan.projects.order_by("sequence").first().pk])),
    ("staff", lambda d: reverse("plans:project_delete", args=[d.plan.projects.order_by("sequence").first().pk])),
    ("staff", lambda d: reverse("plans:sheet_edit", args=[d.plan.projects.order_by("sequence").first().pk])),
    ("staff", lambda d: reverse("plans:progress_edit", args=[d.plan.projects.order_by("sequence").first().pk, 1])),
    ("staff", lambda d: reverse("plans:settings", args=[d.plan.pk])),
    ("staff", lambda d: reverse("plans:import", args=[d.plan.pk])),
    ("staff", lambda d: reverse("plans:import_new")),
    ("executive", lambda d: reverse("plans:detail", args=[d.plan.pk])),
    ("staff", lambda d: reverse("ita:list")),
    ("staff", lambda d: reverse("ita:import")),
    ("staff", lambda d: reverse("ita:result_edit", args=[d.org.code, 2566])),
    ("staff_maesai", lambda d: reverse("ita:measures", args=["5570701", 2567])),
    ("staff_maesai", lambda d: reverse("ita:measure_add", args=["5570701", 2567])),
    ("staff_maesai", lambda d: reverse("ita:measure_edit", args=[
        Measure.objects.filter(organisation__code="5570701").order_by("pk").first().pk])),
    ("staff", lambda d: reverse("agreements:list")),
    ("staff", lambda d: reverse("agreements:org_list")),
    ("admin", lambda d: reverse("agreements:org_detail", args=[OrgAgreement.objects.order_by("pk").first().pk])),
    ("admin", lambda d: reverse("agreements:topic_add", args=[OrgAgreement.objects.order_by("pk").first().pk])),
    ("staff", lambda d: reverse("announcements:list")),
    ("executive", lambda d: reverse("announcements:detail", args=[
        Announcement.objects.filter(organisation=d.org).order_by("pk").first().pk])),
    ("staff", lambda d: reverse("announcements:edit", args=[
        Announcement.objects.filter(organisation=d.org).order_by("pk").first().pk])),
    ("staff", lambda d: reverse("orgs:profile", args=[d.org.code])),
    ("staff", lambda d: reverse("jobs:list")),
]


def test_main_pages_render_every_form_with_novalidate_and_post_forms_with_a_token(seeded):
    users = get_user_model().objects
    checked = 0
    for role, url in MAIN_PAGES:
        client = Client()
        client.force_login(users.get(username=role) if role in ("staff_maesai", "admin") else getattr(seeded, role))
        address = url(seeded)
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        for tag in FORM_TAG.findall(html):
            checked += 1
            assert re.search(r"\snovalidate\b", tag), (address, tag)
        post_forms = len(re.findall(r'<form\b[^>]*method="post"', html, re.IGNORECASE))
        assert len(TOKEN_INPUT.findall(html)) == post_forms, address
        assert all(once.is_token(t) for t in TOKEN_INPUT.findall(html)), address
    assert checked > 40


# --- two identical submissions at the same instant ------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="real concurrent requests need PostgreSQL (SQLite serialises writers)")
def test_the_same_form_sent_three_times_at_once_makes_one_project(plan, staff, dimensions):
    url = reverse("plans:project_add", args=[plan.pk])
    token = once.new_token()
    data = {"name": "โครงการสามคลิก", "dimension": str(dimensions[2].pk), "budget": "100", "q1": "on",
            once.FIELD: token}
    barrier = threading.Barrier(3)
    responses = [None] * 3

    def send(i):
        try:
            client = client_of(staff)
            barrier.wait(timeout=30)
            responses[i] = client.post(url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert len({r["Location"] for r in responses}) == 1
    assert Project.objects.filter(plan=plan, name="โครงการสามคลิก").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_started_once_still_sends_its_starter_to_the_file_when_it_ran_at_once(org, staff):
    """The in-process job runs when the submission's transaction commits; the view decides where
    to send the user after that (jobs.views.after_start), so the file downloads at once as before."""
    ita_services.result_save(organisation=org, fiscal_year=2566, scores={n: Decimal("80") for n in range(1, 11)}, user=staff)
    response = client_of(staff).post(reverse("ita:export_all"),
                                     {"fiscal_year": "2566", "format": "csv", once.FIELD: once.new_token()})
    job = Job.objects.get(owner=staff)
    assert job.status == "done"
    assert response["Location"] == reverse("jobs:download", args=[job.pk])

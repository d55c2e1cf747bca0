"""One form submission, one effect: the token every form carries, every template's forms, forms without browser
tooltips, and two identical submissions at the same instant."""

import datetime
import re
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.organisation.models import OrgAgreement
from ita.models import Measure
from ita.results import services as ita_services
from lao_integrity.announcements.models import Announcement
from lao_integrity.jobs.models import Job
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Role
from lao_integrity.orgs.services import membership_grant
from lao_integrity.submissions import once
from lao_integrity.submissions.models import Submission
from plans import services as plan_services
from plans.models import PlanVersion, Project
from plans.projects import services as project_services
from tests.kernel.submissions.helpers import READ, client_of, tracked_writes
from tests.support.apps import project_apps

BASE_DIR = Path(settings.BASE_DIR)


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
    unasked = client.post(reverse("plans:approve", args=[empty.pk]), {once.FIELD: token})  # not confirmed
    assert "ยืนยันการอนุมัติ" in client.get(unasked["Location"]).content.decode()
    assert not Submission.objects.filter(token=token).exists()
    refused = client.post(reverse("plans:approve", args=[empty.pk]), {once.FIELD: token, "confirm_approve": "on"})
    assert refused.status_code == 302
    assert "แผนยังไม่มีโครงการ" in client.get(refused["Location"]).content.decode()
    assert not Submission.objects.filter(token=token).exists()
    project_services.project_create(plan=empty, name="โครงการแรก", dimension=dimensions[1], q1=True, user=SYSTEM)
    client.post(reverse("plans:approve", args=[empty.pk]), {once.FIELD: token, "confirm_approve": "on"})
    assert PlanVersion.objects.filter(plan=empty).count() == 1


def test_another_users_token_is_not_theirs_to_replay(world):
    token = once.new_token()
    first = client_of(world.staff).post(add_url(world), project_data(world) | {once.FIELD: token})
    assert first.status_code == 302
    other = get_user_model().objects.create_user("t_staff_two", password="x-pw-2569-long")
    membership_grant(user=SYSTEM, account=other, organisation=world.org, role=Role.STAFF)
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
    folders += [Path(app.path) / "templates" for app in project_apps()]
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
        action = re.search(r"action=\"\{% (?:fixed_)?url '([^']+)'", tag)
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
    ("staff", lambda d: reverse("announcements:edit", args=[  # editable: not signed nor submitted
        Announcement.objects.filter(organisation=d.org).exclude(status__in=["signed", "submitted"])
        .order_by("pk").first().pk])),
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

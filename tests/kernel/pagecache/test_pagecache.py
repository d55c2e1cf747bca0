"""Kept pages (lao_integrity/pagecache): served from memory until a write commits, never to
another user, never with a message twice, never older than the data.

The suite runs each test in one rolled-back transaction, where nothing ever commits; these tests
run every write inside `django_capture_on_commit_callbacks(execute=True)`, which runs what the
commit would have run (the counters are raised after the commit, not before).
"""

import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from lao_integrity import bulk
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Membership
from lao_integrity.pagecache import HEADER, declarations, versions
from lao_integrity.submissions import once as submission_once
from plans import services
from plans.models import Project
from plans.projects import services as project_services

HIT, MISS = "hit", "miss"


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True
    caches[settings.PAGE_CACHE_ALIAS].clear()
    yield
    caches[settings.PAGE_CACHE_ALIAS].clear()


def browser(user, *, csrf_checks=False) -> Client:
    """A signed-in client holding a CSRF cookie, as a browser does after its first page."""
    client = Client(enforce_csrf_checks=csrf_checks)
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    return client


def without_tokens(content: bytes) -> bytes:
    """The page without its one-time submission tokens, which each response mints afresh, and its
    CSRF tokens, which each render masks afresh."""
    return re.sub(rb'name="(%s|csrfmiddlewaretoken)" value="[^"]*"' % submission_once.FIELD.encode(), b"", content)


def first_project(plan) -> Project:
    return plan.projects.order_by("sequence", "pk").first()


# --- which statements raise which counters ---------------------------------------------------


@pytest.mark.parametrize(("sql", "domains"), [
    ('INSERT INTO "plans_project" ("name") VALUES (%s)', {"plans"}),
    ('UPDATE "ita_result" SET "total_score" = %s WHERE "ita_result"."id" = %s', {"ita"}),
    ('  delete from "agreements_agreementindicator" WHERE id = %s', {"agreements"}),
    ('INSERT INTO "plans_historicalproject" ("name") VALUES (%s)', {"plans"}),  # the audit trail
    ('UPDATE "auth_user" SET "is_active" = %s WHERE "auth_user"."id" = %s', {"auth"}),
    ('TRUNCATE "plans_project", "ita_result" RESTART IDENTITY', "every tracked app"),
    ('SELECT "plans_project"."name" FROM "plans_project"', set()),
    ('UPDATE "django_session" SET "expire_date" = %s', set()),  # sessions: no page shows them
    ('INSERT INTO "pagecache_dataversion" ("domain", "counter") VALUES (%s, %s)', set()),
])
def test_written_domains(sql, domains):
    if domains == "every tracked app":
        domains = set(versions.tracked_apps())
    assert versions.written_domains(sql) == domains


def test_signing_in_does_not_count_as_a_change(db, staff):
    """Every sign-in writes auth_user.last_login; it must not throw away every kept page."""
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        update_last_login(None, staff)
    assert [sql for sql in seen if sql.lstrip().upper().startswith("UPDATE")], seen
    assert all(not versions.written_domains(sql) for sql in seen)


# --- a page is kept, and refreshed by every kind of write --------------------------------------


def test_a_page_is_served_again_until_the_data_changes(page_cache, plan, staff, django_capture_on_commit_callbacks):
    client = browser(staff)
    url = reverse("plans:detail", args=[plan.pk])
    first = client.get(url)
    again = client.get(url)
    assert (first[HEADER], again[HEADER]) == (MISS, HIT)
    assert without_tokens(again.content) == without_tokens(first.content)

    project = first_project(plan)
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_update(project=project, user=staff, name="โครงการเปลี่ยนชื่อแล้ว",
                                dimension=project.dimension, budget=Decimal("10000.00"))
    changed = client.get(url)
    assert changed[HEADER] == MISS
    assert "โครงการเปลี่ยนชื่อแล้ว" in changed.content.decode()
    assert client.get(url)[HEADER] == HIT


def _rename_by_update(project, name):
    Project.objects.filter(pk=project.pk).update(name=name)  # no signals, no save()


def _rename_by_bulk_sql(project, name):
    project.name = name
    bulk.update_rows(Project, [project], ["name"])  # the imports' raw UPDATE ... FROM (VALUES ...)


def _rename_by_another_table(project, name):
    """A write to the audit trail alone: pages read it too (the history panel)."""
    with connection.cursor() as cursor:
        cursor.execute('UPDATE "plans_project" SET "name" = %s WHERE "id" = %s', [name, project.pk])


@pytest.mark.parametrize("rename", [_rename_by_update, _rename_by_bulk_sql, _rename_by_another_table],
                         ids=["queryset-update", "bulk-sql", "raw-cursor"])
def test_writes_that_send_no_signals_refresh_the_page_too(page_cache, plan, staff, rename,
                                                          django_capture_on_commit_callbacks):
    client = browser(staff)
    url = reverse("plans:detail", args=[plan.pk])
    client.get(url)
    assert client.get(url)[HEADER] == HIT
    with django_capture_on_commit_callbacks(execute=True):
        rename(first_project(plan), "ชื่อที่เขียนทับโดยตรง")
    page = client.get(url)
    assert page[HEADER] == MISS
    assert "ชื่อที่เขียนทับโดยตรง" in page.content.decode()


def test_a_rolled_back_write_changes_nothing_shown(page_cache, plan, staff):
    client = browser(staff)
    url = reverse("plans:detail", args=[plan.pk])
    before = client.get(url).content
    with pytest.raises(RuntimeError), transaction.atomic():
        Project.objects.filter(pk=first_project(plan).pk).update(name="ไม่เคยบันทึก")
        raise RuntimeError
    page = client.get(url)
    assert without_tokens(page.content) == without_tokens(before)
    assert "ไม่เคยบันทึก" not in page.content.decode()


def test_a_change_in_another_app_keeps_the_page(page_cache, plan, staff, django_capture_on_commit_callbacks):
    """The plan page does not read ITA results: a national ITA import leaves it kept."""
    versions.flush(connections["default"])  # the fixtures' own writes, which never committed
    client = browser(staff)
    url = reverse("plans:detail", args=[plan.pk])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True), connection.cursor() as cursor:
        cursor.execute('DELETE FROM "ita_result" WHERE "id" = %s', [-1])
    assert client.get(url)[HEADER] == HIT


# --- one organisation's edits leave the others' pages kept ----------------------------------


@pytest.fixture
def other_plan(other_org, dimensions):
    plan = services.plan_create(organisation=other_org, fiscal_year=2569, user=SYSTEM)
    project_services.project_create(plan=plan, name="โครงการของเทศบาลอื่น", dimension=dimensions[1], budget=Decimal("0"),
                            q1=True, user=SYSTEM)
    return plan


def test_an_edit_refreshes_its_organisations_pages_and_the_lists_only(page_cache, plan, staff, other_plan,
                                                                       other_staff,
                                                                       django_capture_on_commit_callbacks):
    versions.flush(connections["default"])  # the fixtures' own writes, which never committed
    mine, theirs = browser(staff), browser(other_staff)
    my_page, their_page = reverse("plans:detail", args=[plan.pk]), reverse("plans:detail", args=[other_plan.pk])
    their_list = reverse("plans:list")
    for client, url in ((mine, my_page), (theirs, their_page), (theirs, their_list)):
        client.get(url)
        assert client.get(url)[HEADER] == HIT
    project = first_project(plan)
    with django_capture_on_commit_callbacks(execute=True):
        project_services.project_update(project=project, user=staff, name="แก้ที่บ้านทดสอบเท่านั้น",
                                dimension=project.dimension, budget=Decimal("10000.00"))
    assert mine.get(my_page)[HEADER] == MISS
    assert theirs.get(their_page)[HEADER] == HIT  # another organisation's plan: still kept
    assert theirs.get(their_list)[HEADER] == MISS  # a list across organisations: refreshed


def test_a_write_outside_any_organisation_refreshes_every_organisations_pages(
        page_cache, plan, other_plan, other_staff, django_capture_on_commit_callbacks):
    versions.flush(connections["default"])
    client = browser(other_staff)
    url = reverse("plans:detail", args=[other_plan.pk])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):  # e.g. the admin, an import, a migration
        Project.objects.filter(pk=first_project(plan).pk).update(name="แก้จากหน้าผู้ดูแล")
    assert client.get(url)[HEADER] == MISS


def test_every_scoped_service_finds_its_organisation(seeded):
    """Each kind of record a service is scoped by leads to the organisation that owns it."""
    from agreements.organisation.models import OrgAgreement, Topic, TopicItem
    from agreements.performance.models import AgreementIndicator, PerformanceAgreement
    from ita.models import Measure, Result
    from lao_integrity.announcements.models import Announcement
    from lao_integrity.orgs.models import Organisation, Person
    from plans.models import Plan

    paths = [(Organisation, "pk"), (Plan, "organisation_id"), (Project, "plan__organisation_id"),
             (PerformanceAgreement, "organisation_id"), (AgreementIndicator, "agreement__organisation_id"),
             (OrgAgreement, "organisation_id"), (Topic, "agreement__organisation_id"),
             (TopicItem, "topic__agreement__organisation_id"), (Result, "organisation_id"),
             (Measure, "organisation_id"), (Announcement, "organisation_id"), (Person, "organisation_id")]
    for model, path in paths:
        record = model.objects.order_by("-pk").first()
        assert record is not None, f"the demo has no {model.__name__}"
        expected = model.objects.filter(pk=record.pk).values_list(path, flat=True).get()
        assert declarations.organisation_id_of(record) == expected, model.__name__
    assert declarations.organisation_id_of(None) is None


# --- one user's page is never another's ----------------------------------------------------


def test_each_user_gets_their_own_page_and_the_access_check_still_holds(page_cache, plan, staff, executive,
                                                                        other_staff):
    url = reverse("plans:detail", args=[plan.pk])
    staff_page = browser(staff).get(url)
    browser(staff).get(url)
    executive_page = browser(executive).get(url)
    assert executive_page[HEADER] == MISS  # not the staff's page
    assert "t_executive" in executive_page.content.decode()
    assert "t_staff" not in executive_page.content.decode()
    assert "t_staff" in staff_page.content.decode()
    assert browser(other_staff).get(url).status_code in (403, 404)


def test_one_browser_two_users_in_turn(page_cache, plan, staff, executive):
    """A shared office computer: the next user signs in with the same CSRF cookie."""
    client = browser(staff)
    url = reverse("plans:detail", args=[plan.pk])
    client.get(url)
    client.force_login(executive)
    page = client.get(url)
    assert page[HEADER] == MISS
    assert "t_executive" in page.content.decode() and "t_staff" not in page.content.decode()


def test_losing_access_takes_effect_at_once(page_cache, plan, staff, django_capture_on_commit_callbacks):
    client = browser(staff)
    url = reverse("plans:detail", args=[plan.pk])
    client.get(url)
    assert client.get(url)[HEADER] == HIT
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=staff).delete()
    assert client.get(url).status_code in (403, 404)


def test_a_deactivated_user_is_signed_out_not_served(page_cache, plan, staff, django_capture_on_commit_callbacks):
    client = browser(staff)
    url = reverse("plans:detail", args=[plan.pk])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        get_user_model().objects.filter(pk=staff.pk).update(is_active=False)
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- forms, messages, cookies ----------------------------------------------------------------


def test_a_form_on_a_kept_page_still_posts(page_cache, plan, staff, django_capture_on_commit_callbacks):
    """The kept page carries a CSRF token for this browser's cookie: posting it works."""
    project = first_project(plan)
    client = browser(staff, csrf_checks=True)
    url = reverse("plans:detail", args=[plan.pk])
    client.get(url)
    kept = client.get(url)
    assert kept[HEADER] == HIT
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:project_delete", args=[project.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()


def test_a_message_is_shown_once_and_never_kept(page_cache, plan, staff, django_capture_on_commit_callbacks):
    project = first_project(plan)
    client = browser(staff)
    url = reverse("plans:detail", args=[plan.pk])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:project_delete", args=[project.pk]))
    with_message = client.get(url)
    assert f"ลบ “{project.name}” แล้ว" in with_message.content.decode()
    assert HEADER not in with_message  # neither served kept nor kept
    after = client.get(url)
    assert f"ลบ “{project.name}” แล้ว" not in after.content.decode()
    assert project.name not in after.content.decode()


def test_without_a_csrf_cookie_the_page_is_rendered_and_not_kept(page_cache, plan, staff):
    client = Client()
    client.force_login(staff)  # no cookie yet: the response sets one, for this browser only
    url = reverse("plans:detail", args=[plan.pk])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200 and HEADER not in response
        client.cookies.pop(settings.CSRF_COOKIE_NAME, None)


def test_switched_off_nothing_is_kept(settings, plan, staff):
    settings.PAGE_CACHE = False
    client = browser(staff)
    url = reverse("plans:detail", args=[plan.pk])
    assert HEADER not in client.get(url) and HEADER not in client.get(url)


# --- the other kept pages ------------------------------------------------------------------------


def test_the_admin_list_is_kept_and_refreshed(page_cache, plan, django_capture_on_commit_callbacks):
    admin = get_user_model().objects.create_superuser("t_admin", password="t-admin-pw-2569")
    client = browser(admin)
    url = reverse("admin:plans_project_changelist")
    client.get(url)
    assert client.get(url)[HEADER] == HIT
    with django_capture_on_commit_callbacks(execute=True):
        Project.objects.filter(pk=first_project(plan).pk).update(name="ชื่อในรายการผู้ดูแล")
    page = client.get(url)
    assert page[HEADER] == MISS and "ชื่อในรายการผู้ดูแล" in page.content.decode()


@pytest.mark.parametrize("name", ["plans:list", "ita:list", "announcements:list", "agreements:list",
                                  "agreements:org_list", "jobs:list"])
def test_the_main_lists_are_kept(page_cache, seeded, name):
    client = browser(seeded.executive)
    url = reverse(name)
    assert client.get(url)[HEADER] == MISS
    assert client.get(url)[HEADER] == HIT


def test_refresh_pages_command_renders_every_kept_page_afresh(page_cache, plan, staff):
    """For data changed around Django (psql by hand): one command and the next request renders."""
    client = browser(staff)
    url = reverse("plans:detail", args=[plan.pk])
    client.get(url)
    assert client.get(url)[HEADER] == HIT
    call_command("refresh_pages", stdout=io.StringIO())
    assert client.get(url)[HEADER] == MISS


def test_every_app_of_the_portal_with_tables_is_watched():
    """A new app whose data a page shows must declare its models (organisation_paths on its
    AppConfig), or its writes would leave kept pages stale; this fails until it does (or until it
    is listed here as shown on no page)."""
    from django.apps import apps

    shown_on_no_page = {"pagecache", "submissions"}  # its own counters; one-time form tokens
    portal = [config for config in apps.get_app_configs()
              if str(config.path).startswith(str(settings.BASE_DIR)) and "site-packages" not in str(config.path)
              and list(config.get_models())]
    assert portal, "no app of the portal found"
    unwatched = {config.label for config in portal} - set(versions.tracked_apps()) - shown_on_no_page
    assert not unwatched, f"apps with tables the page cache does not watch: {sorted(unwatched)}"


def test_many_organisations_in_one_transaction_raise_the_apps_own_counter():
    """An import that writes 7,850 organisations row by row raises one counter, not 7,850."""
    many = {versions.org_key("ita", n) for n in range(versions.COLLAPSE_ABOVE + 1)} | {"ita*"}
    assert versions._collapsed(many) == {"ita", "ita*"}
    few = {versions.org_key("plans", 1), versions.org_key("plans", 2), "plans*"}
    assert versions._collapsed(few) == few


def test_a_users_row_is_never_scoped_to_one_organisation(db, staff):
    """A change to a user (written from one organisation's page) refreshes their pages everywhere."""
    wrapper = connections["default"]
    versions.flush(wrapper)
    with versions.organisation_scope(12345):
        get_user_model().objects.filter(pk=staff.pk).update(first_name="ชื่อใหม่")
        Project.objects.filter(pk=-1).update(name="x")
    assert {"auth", "auth*", "plans@12345", "plans*"} <= versions._pending(wrapper)
    assert "auth@12345" not in versions._pending(wrapper)
    versions._pending(wrapper).clear()

"""The count beside "หน้าหลัก" in the menu: on every page, kept pages included, never stale."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind
from lao_integrity.obligations import menu
from lao_integrity.obligations.items import for_user

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 5)
COUNT = re.compile(r'<span class="menu-count"><span class="vh">, </span>([\d,+]+)<span class="vh"> เรื่องที่ต้องดำเนินการ')


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)


def shown(client, url="/plans/") -> int:
    page = client.get(url).content.decode()
    assert menu.MARKER not in page
    found = COUNT.findall(page)
    return int(found[0]) if found else 0


def test_staff_count_what_is_overdue_or_due_soon_on_every_page(client_for, staff, only_rules):
    only_rules("no-gift", "plan-approved")
    pending = [item for item in for_user(staff, today=TODAY) if item.pending]
    assert len(pending) >= 2  # the 2569 and 2570 plans not approved, No Gift due soon
    client = client_for(staff)
    for url in ("/", "/plans/", "/ita/", "/announcements/"):
        assert shown(client, url) == len(pending)


def test_a_kept_page_shows_the_new_count_after_a_write(client_for, org, people, staff, executive, only_rules):
    only_rules("no-gift")
    client = client_for(executive)
    before = shown(client)
    assert before == 2  # sign No Gift 2569 (overdue) and 2570 (due soon)
    assert client.get("/plans/")["X-Page-Cache"] == "hit"  # the page is kept; the count is not
    announcement = announcement_services.announcement_create(
        organisation=org, kind=Kind.NO_GIFT, fiscal_year=2570, user=staff, signer=people["executive"],
        announced_on=datetime.date(2026, 12, 1))
    announcement_services.announcement_submit(announcement=announcement, user=staff)
    assert shown(client) == 2  # the 2570 duty now waits as a decision: counted once
    announcement.refresh_from_db()
    announcement_services.announcement_approve(announcement=announcement, user=executive)
    announcement_services.announcement_sign(announcement=announcement, user=executive)
    assert shown(client) == 1


def test_staff_of_another_organisation_do_not_count_its_duties(client_for, org, staff, other_staff, only_rules):
    only_rules("no-gift")
    assert shown(client_for(staff)) == 2
    mine = [item for item in for_user(other_staff, today=TODAY) if item.pending]
    assert shown(client_for(other_staff)) == len(mine)
    assert {item.organisation_id for item in mine} == {other_staff.memberships.get().organisation_id}


def test_an_auditor_counts_organisations_with_something_overdue(client_for, org, auditor, only_rules):
    only_rules("no-gift", "plan-approved")
    overdue = {item.organisation_id for item in for_user(auditor, today=TODAY) if item.state == "overdue"}
    assert org.pk in overdue
    assert shown(client_for(auditor), "/ita/") == len(overdue)


def test_an_administrator_has_no_count_and_no_marker(client_for):
    admin = get_user_model().objects.create_superuser("t_menu_admin", password="x-pw-2569-long")
    page = client_for(admin).get(reverse("plans:list")).content.decode()
    assert menu.MARKER not in page and 'class="menu-count"' not in page


def test_nothing_to_do_shows_no_number():
    assert menu.badge(0) == "" and ">99+<" in menu.badge(120)

"""The home page of each role, one organisation's obligations, the calendar feed and its token."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind
from lao_integrity.obligations.models import CalendarFeed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: datetime.date(2026, 12, 5))


def test_staff_home_lists_overdue_first_with_a_link_to_where_it_is_done(client_for, staff, only_rules):
    only_rules("no-gift", "plan-approved")
    page = client_for(staff).get("/").content.decode()
    assert "สิ่งที่ต้องดำเนินการ ปีงบประมาณ 2570" in page
    overdue = page.index("อนุมัติแผนปฏิบัติการป้องกันการทุจริต ปีงบประมาณ 2570")
    soon = page.index("ลงนามประกาศนโยบายไม่รับของขวัญ (No Gift Policy) ปีงบประมาณ 2570")
    assert page.index("อนุมัติแผนปฏิบัติการป้องกันการทุจริต ปีงบประมาณ 2569") < overdue < soon
    assert 'href="/announcements/?kind=no_gift"' in page
    assert "รอท่านอนุมัติหรือลงนาม" not in page


def test_executive_home_shows_what_waits_for_their_signature(client_for, org, people, staff, executive, only_rules):
    only_rules("no-gift")
    announcement = announcement_services.announcement_create(
        organisation=org, kind=Kind.NO_GIFT, fiscal_year=2570, user=staff, signer=people["executive"],
        announced_on=datetime.date(2026, 12, 1))
    announcement_services.announcement_approve(announcement=announcement, user=executive)
    page = client_for(executive).get("/").content.decode()
    waiting = page.index("รอท่านอนุมัติหรือลงนาม")
    url = reverse("announcements:detail", args=[announcement.pk])
    assert waiting < page.index(url)
    assert "รอลงนาม" in page
    # Once: the approved announcement, not again as the "sign the No Gift announcement" duty.
    assert page.count(f'href="{url}"') == 1
    assert "ลงนามประกาศ เรื่อง" in page and "ครบกำหนด" in page[page.index('id="decisions"'):]


def test_auditor_home_counts_overdue_per_organisation_and_clicks_through(client_for, org, auditor, only_rules):
    only_rules("no-gift", "plan-approved")
    client = client_for(auditor)
    page = client.get("/").content.decode()
    assert "อปท. ที่มีเรื่องเลยกำหนด" in page
    url = reverse("obligations:organisation", args=[org.code])
    assert url in page
    assert "เลยกำหนด 3 เรื่อง" in page  # 2569's two and the 2570 plan, due 31 October
    detail = client.get(url).content.decode()
    assert f"กำหนดการของ{org.name}" in detail and "No Gift" in detail


def test_one_organisations_page_is_refused_to_others(client_for, org, other_staff):
    assert client_for(other_staff).get(reverse("obligations:organisation", args=[org.code])).status_code in (403, 404)


def test_the_calendar_feed_parses_and_holds_the_due_dates(client_for, client, org, staff, only_rules):
    only_rules("no-gift", "plan-report-6-months")
    signed_in = client_for(staff)
    assert "สร้างลิงก์ปฏิทินของฉัน" in signed_in.get(reverse("obligations:calendar")).content.decode()
    assert not CalendarFeed.objects.filter(user=staff).exists()  # a GET writes nothing
    signed_in.post(reverse("obligations:calendar_reset"))
    page = signed_in.get(reverse("obligations:calendar")).content.decode()
    token = CalendarFeed.objects.get(user=staff).token
    feed_url = reverse("calendar_feed", args=[token])
    assert feed_url in page
    response = client.get(feed_url)  # no login: the token is the key
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    no_gift = events[f"ลงนามประกาศนโยบายไม่รับของขวัญ (No Gift Policy) ปีงบประมาณ 2570 · {org.name}"]
    assert no_gift.decoded("dtstart") == datetime.date(2026, 12, 15)
    assert no_gift["url"].endswith("/announcements/?kind=no_gift")
    assert {event.decoded("dtstart") for event in events.values()} >= {datetime.date(2027, 4, 30)}


def test_resetting_the_token_retires_the_old_address(client_for, client, staff):
    signed_in = client_for(staff)
    signed_in.post(reverse("obligations:calendar_reset"))
    old = CalendarFeed.objects.get(user=staff).token
    response = signed_in.post(reverse("obligations:calendar_reset"))
    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=staff).token
    assert new != old
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 200
    assert client.get(reverse("calendar_feed", args=["nonsense"])).status_code == 404


def test_an_inactive_users_feed_is_gone(client, staff):
    feed = CalendarFeed.objects.create(user=staff)
    staff.is_active = False
    staff.save()
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404


def test_executive_home_lists_what_staff_submitted_and_forgets_it_once_decided(client_for, org, people, staff,
                                                                              executive, only_rules):
    """What waits for an executive's decision comes from each app (lao_integrity/review/waiting.py)."""
    only_rules("no-gift")
    announcement = announcement_services.announcement_create(
        organisation=org, kind=Kind.NO_GIFT, fiscal_year=2570, user=staff, signer=people["executive"],
        announced_on=datetime.date(2026, 12, 1))
    url = reverse("announcements:detail", args=[announcement.pk])
    assert 'id="decisions"' not in client_for(executive).get("/").content.decode()
    announcement_services.announcement_submit(announcement=announcement, user=staff)
    page = client_for(executive).get("/").content.decode()
    decisions = page[page.index('id="decisions"'):]
    assert "รอพิจารณา" in decisions and "อนุมัติประกาศ เรื่อง" in decisions and url in decisions
    assert 'id="decisions"' not in client_for(staff).get("/").content.decode()
    announcement.refresh_from_db()
    announcement_services.announcement_approve(announcement=announcement, user=executive)
    decisions = client_for(executive).get("/").content.decode().split('id="decisions"')[1]
    assert "อนุมัติประกาศ เรื่อง" not in decisions and "ลงนามประกาศ เรื่อง" in decisions  # now a signature
    announcement.refresh_from_db()
    announcement_services.announcement_sign(announcement=announcement, user=executive)
    assert 'id="decisions"' not in client_for(executive).get("/").content.decode()

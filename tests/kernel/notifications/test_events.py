"""notify(): who is told of each event (never the actor, an inactive user, an auditor or another
organisation's people), the bell and marking read, and the emails, read back from a real SMTP server."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lao_integrity.notifications import notify, services
from lao_integrity.notifications.models import Notification
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Role
from lao_integrity.orgs.services import auditor_scope_set
from tests.kernel.notifications.conftest import body_of, subject_of

pytestmark = pytest.mark.django_db

TITLE = "แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ 2569"


@pytest.fixture
def people(org, other_org, member):
    """Everyone around `org`: who should and should not hear of its documents."""
    found = {
        "staff": member("n_staff", org, Role.STAFF),
        "staff2": member("n_staff2", org, Role.STAFF),
        "executive": member("n_executive", org, Role.EXECUTIVE),
        "executive2": member("n_executive2", org, Role.EXECUTIVE),
        "gone": member("n_gone", org, Role.EXECUTIVE, is_active=False),
        "auditor": member("n_auditor", org, Role.AUDITOR),
        "other_staff": member("n_other_staff", other_org, Role.STAFF),
        "other_executive": member("n_other_executive", other_org, Role.EXECUTIVE),
        "no_email": member("n_no_email", org, Role.EXECUTIVE, email=""),
    }
    scoped = member("n_scoped", org, Role.AUDITOR)
    auditor_scope_set(user=SYSTEM, account=scoped, provinces=[org.province])
    found["scoped"] = scoped
    get_user_model().objects.create_superuser("n_admin", "n_admin@example.go.th", "n_admin-pw-2569")
    return found


def _told(event):
    """Who was told of `event` about TITLE (the demo, loaded once for the session by other tests, has
    notifications of its own)."""
    return sorted(Notification.objects.filter(event=event, title=TITLE).values_list("recipient__username", flat=True))


def _notify(event, org, actor, comment=""):
    notify(event=event, organisation=org, title=TITLE, url="/plans/1/", actor=actor, comment=comment)


def test_submitted_goes_to_those_who_may_approve(org, people):
    _notify("submitted", org, people["staff"])
    assert _told("submitted") == ["n_executive", "n_executive2", "n_no_email"]


@pytest.mark.parametrize("event", ["returned", "approved", "signed"])
def test_the_others_go_to_those_who_prepare_it_but_not_the_actor(org, people, event):
    _notify(event, org, people["executive"], comment="แก้ไขงบประมาณโครงการที่ 2")
    assert _told(event) == ["n_executive2", "n_no_email", "n_staff", "n_staff2"]
    assert set(Notification.objects.filter(event=event, title=TITLE).values_list("comment", flat=True)) == {
        "แก้ไขงบประมาณโครงการที่ 2"}


def test_the_system_as_actor_tells_everyone_concerned(org, people):
    _notify("approved", org, SYSTEM)
    assert "n_executive" in _told("approved")


def test_an_unknown_event_is_refused(org, people):
    with pytest.raises(ValueError):
        _notify("deleted", org, people["staff"])


def test_the_bell_counts_unread_and_marks_read(org, people, client_for):
    _notify("submitted", org, people["staff"])
    _notify("approved", org, people["executive2"])
    client = client_for(people["executive"])
    page = client.get(reverse("plans:list")).content.decode()
    assert 'aria-label="การแจ้งเตือน ยังไม่อ่าน 2 รายการ"' in page

    listing = client.get(reverse("notifications:list")).content.decode()
    assert listing.count("ยังไม่อ่าน</span>") == 2 and TITLE in listing and 'href="/plans/1/"' in listing
    first = Notification.objects.filter(recipient=people["executive"]).order_by("pk").first()
    assert client.post(reverse("notifications:read", args=[first.pk])).status_code == 302
    assert 'aria-label="การแจ้งเตือน ยังไม่อ่าน 1 รายการ"' in client.get(reverse("plans:list")).content.decode()

    # another's notification: nothing happens to it
    theirs = Notification.objects.filter(recipient=people["staff2"]).first()
    client.post(reverse("notifications:read", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.read_at is None

    client.post(reverse("notifications:read_all"))
    page = client.get(reverse("plans:list")).content.decode()
    assert "การแจ้งเตือน ไม่มีรายการที่ยังไม่อ่าน" in page
    assert not Notification.objects.filter(recipient=people["executive"], read_at__isnull=True).exists()


def test_the_bell_costs_one_query_whatever_the_count(org, people, rf):
    from lao_integrity.notifications.context import bell

    for _ in range(5):
        _notify("submitted", org, people["staff"])
    request = rf.get("/")
    request.user = people["executive"]
    with CaptureQueriesContext(connection) as queries:
        shown = bell(request)["bell"]
        assert (shown.unread, shown.label) == (5, "การแจ้งเตือน ยังไม่อ่าน 5 รายการ")
        assert shown.unread == 5
    assert len(queries) == 1


def test_the_list_is_newest_first_and_only_ones_own(org, people, client_for):
    notify(event="submitted", organisation=org, title="เรื่องแรก", url="/a/", actor=people["staff"])
    notify(event="submitted", organisation=org, title="เรื่องหลัง", url="/b/", actor=people["staff"])
    page = client_for(people["executive"]).get(reverse("notifications:list")).content.decode()
    assert page.index("เรื่องหลัง") < page.index("เรื่องแรก")
    assert "เรื่องแรก" not in client_for(people["staff2"]).get(reverse("notifications:list")).content.decode()


def test_emails_arrive_in_thai_after_commit(org, people, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify("returned", org, people["executive"], comment="โปรดแนบหลักฐาน")
        assert smtp.messages == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    got = sorted(address for m in smtp.messages for address in m.envelope_to)
    assert got == ["n_executive2@example.go.th", "n_staff2@example.go.th", "n_staff@example.go.th"]
    message = smtp.to("n_staff@example.go.th")[0]
    assert subject_of(message) == f"[ระบบคุณธรรม อปท.] เอกสารถูกส่งกลับให้แก้ไข: {TITLE}"
    body = body_of(message)
    assert "โปรดแนบหลักฐาน" in body and "https://integrity.example.go.th/plans/1/" in body
    assert "n_executive" in body  # who returned it (no full name: the username)


def test_nothing_is_sent_for_work_rolled_back(org, people, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify("submitted", org, people["staff"])
    assert callbacks and smtp.messages == []  # the callbacks run only on commit


def test_email_off_is_respected(org, people, smtp, client_for, django_capture_on_commit_callbacks):
    client = client_for(people["executive2"])
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'name="email"' in page and "checked" in page
    assert client.post(reverse("notifications:settings"), {}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        _notify("submitted", org, people["staff"])
    assert smtp.to("n_executive2@example.go.th") == []
    assert len(smtp.to("n_executive@example.go.th")) == 1
    # still told in the portal
    assert Notification.objects.filter(recipient=people["executive2"]).count() == 1
    client.post(reverse("notifications:settings"), {"email": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        _notify("submitted", org, people["staff"])
    assert len(smtp.to("n_executive2@example.go.th")) == 1


def test_a_mail_server_down_does_not_undo_the_event(org, people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_event(event="submitted", organisation=org, title=TITLE, url="/x/", user=people["staff"])
    assert Notification.objects.filter(event="submitted", title=TITLE).count() == 3


def test_a_kept_page_keeps_its_place_but_shows_the_new_bell(org, people, client_for):
    """The bell is put in as the page leaves (lao_integrity/late_parts.py): a notification arriving
    leaves the kept page kept, and the page shows the new count all the same."""
    client = client_for(people["executive"])
    client.get(reverse("plans:list"))
    assert client.get(reverse("plans:list"))["X-Page-Cache"] == "hit"
    _notify("submitted", org, people["staff"])
    response = client.get(reverse("plans:list"))
    assert response["X-Page-Cache"] == "hit"
    page = response.content.decode()
    assert 'aria-label="การแจ้งเตือน ยังไม่อ่าน 1 รายการ"' in page and "<!--bell-->" not in page
    listing = client.get(reverse("notifications:list")).content.decode()
    assert 'aria-current="page"' in listing.split('class="bell')[1].split(">")[0]

"""send_reminders end to end: the real obligations of the demo (lao_integrity/obligations and the
apps' providers), a real SMTP server, the command as cron runs it."""

import datetime
import io

from django.core.management import call_command

from lao_integrity.obligations.items import for_user
from tests.kernel.notifications.conftest import body_of, subject_of

TODAY = datetime.date(2026, 12, 5)
ADDRESS = "staff@banhaeng.example.go.th"


def _run(day: datetime.date) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def test_the_demo_staff_get_one_digest_naming_their_overdue_items_and_then_nothing_new(seeded, smtp):
    staff = seeded.staff
    staff.email = ADDRESS
    staff.save()
    items = for_user(staff, today=TODAY)
    overdue = [item for item in items if item.state == "overdue"]
    due_soon = [item for item in items if item.state == "due_soon"]
    assert overdue, "the demo has overdue obligations for บ้านแหง's staff"

    _run(TODAY)
    mail = smtp.to(ADDRESS)
    assert len(mail) == 1
    assert subject_of(mail[0]).startswith("[ระบบคุณธรรม อปท.] เตือนงานที่ต้องทำ")
    body = body_of(mail[0])
    for item in overdue + due_soon:
        assert item.title in body, item.title
    for item in items:
        if item.state in ("done", "upcoming") and item.title not in {i.title for i in overdue + due_soon}:
            assert item.title not in body, f"{item.title} ({item.state}) is not a reminder"

    # A second run sends nothing new.
    _run(TODAY)
    assert len(smtp.to(ADDRESS)) == 1

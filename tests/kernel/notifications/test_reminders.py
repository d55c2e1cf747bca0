"""`manage.py send_reminders`: one digest per user per day of what is due within 7 days or overdue,
never the same reminder twice, nothing to a deactivated user or about an organisation left.
obligations.items.for_user is replaced here by a fixed list of ObligationItem (its own tests are
the obligations app's)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from lao_integrity.notifications.models import Notification
from lao_integrity.obligations import items as obligations
from lao_integrity.obligations.items import ObligationItem
from lao_integrity.orgs.models import Membership, Role
from tests.kernel.notifications.conftest import body_of, subject_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 30)


def item(org, rule, state, due, title):
    return ObligationItem(key=f"{rule}:{org.code}:2569", organisation_id=org.pk, organisation_name=org.name,
                          title=title, due=due, state=state, url=f"/plans/{rule}/", responsible="staff")


@pytest.fixture
def obligations_of(monkeypatch):
    """obligations_of[user.pk] = [items]: what for_user gives each user (by default nothing)."""
    given = {}
    asked = []

    def for_user(user, *, today):
        asked.append((user.username, today))
        return list(given.get(user.pk, []))

    monkeypatch.setattr(obligations, "for_user", for_user)
    given["asked"] = asked
    return given


@pytest.fixture
def staff_member(org, member):
    return member("r_staff", org, Role.STAFF, first_name="สมหญิง", last_name="รักงาน")


def _run(date=TODAY) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--date", date.isoformat(), stdout=out)
    return out.getvalue()


def test_the_digest_names_the_overdue_and_due_soon_items(org, staff_member, obligations_of, smtp):
    obligations_of[staff_member.pk] = [
        item(org, "report6", "overdue", datetime.date(2026, 3, 31) - datetime.timedelta(days=2),
             "รายงานผลการดำเนินงานรอบ 6 เดือน ปีงบประมาณ 2569"),
        item(org, "ita-oit", "due_soon", datetime.date(2026, 4, 3), "เผยแพร่ข้อมูล OIT ปีงบประมาณ 2569"),
        item(org, "plan", "done", datetime.date(2025, 10, 31), "แผนปฏิบัติการป้องกันการทุจริต ปีงบประมาณ 2569"),
        item(org, "agreement", "upcoming", datetime.date(2026, 9, 30), "ข้อตกลงการปฏิบัติราชการ"),
    ]
    out = _run()
    assert "ส่งอีเมลสรุป 1 ฉบับ" in out
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message.envelope_to == ["r_staff@example.go.th"]
    assert subject_of(message) == "[ระบบคุณธรรม อปท.] เตือนงานที่ต้องทำ: เลยกำหนด 1 รายการ ใกล้ถึงกำหนด 1 รายการ"
    body = body_of(message)
    assert "เรียน สมหญิง รักงาน" in body
    assert "รายงานผลการดำเนินงานรอบ 6 เดือน ปีงบประมาณ 2569" in body and "เลยกำหนดแล้ว:" in body
    assert "เผยแพร่ข้อมูล OIT" in body and "https://integrity.example.go.th/plans/ita-oit/" in body
    assert "แผนปฏิบัติการป้องกันการทุจริต" not in body and "ข้อตกลง" not in body  # done, upcoming: not reminded
    assert "3 เมษายน พ.ศ. 2569" in body
    told = Notification.objects.filter(recipient=staff_member).order_by("event")
    assert [(n.event, n.url) for n in told] == [("due_soon", "/plans/ita-oit/"), ("overdue", "/plans/report6/")]


def test_a_second_run_sends_nothing_new(org, staff_member, obligations_of, smtp):
    obligations_of[staff_member.pk] = [item(org, "report6", "overdue", TODAY, "รายงานรอบ 6 เดือน")]
    _run()
    _run()  # the same day
    _run(TODAY + datetime.timedelta(days=1))  # the next day: the same item, the same state
    assert len(smtp.messages) == 1
    assert Notification.objects.filter(recipient=staff_member).count() == 1


def test_due_soon_then_overdue_is_reminded_once_more(org, staff_member, obligations_of, smtp):
    obligations_of[staff_member.pk] = [item(org, "report6", "due_soon", TODAY, "รายงานรอบ 6 เดือน")]
    _run(TODAY - datetime.timedelta(days=3))
    obligations_of[staff_member.pk] = [item(org, "report6", "overdue", TODAY, "รายงานรอบ 6 เดือน")]
    _run(TODAY + datetime.timedelta(days=1))
    _run(TODAY + datetime.timedelta(days=2))
    assert [subject_of(m).split(": ")[1] for m in smtp.messages] == ["ใกล้ถึงกำหนด 1 รายการ", "เลยกำหนด 1 รายการ"]


def test_one_digest_per_user_per_day(org, staff_member, obligations_of, smtp):
    obligations_of[staff_member.pk] = [item(org, "report6", "due_soon", TODAY, "รายงานรอบ 6 เดือน")]
    _run()
    obligations_of[staff_member.pk] = [item(org, "report6", "due_soon", TODAY, "รายงานรอบ 6 เดือน"),
                                       item(org, "oit", "overdue", TODAY, "เผยแพร่ข้อมูล OIT")]
    assert "ได้รับสรุปของวันนี้แล้ว 1 คน" in _run()  # a new item, the same day: it waits for tomorrow
    assert len(smtp.messages) == 1
    _run(TODAY + datetime.timedelta(days=1))
    assert len(smtp.messages) == 2 and "เผยแพร่ข้อมูล OIT" in body_of(smtp.messages[1])
    assert "รายงานรอบ 6 เดือน" not in body_of(smtp.messages[1])


def test_a_deactivated_user_gets_nothing(org, staff_member, obligations_of, smtp):
    obligations_of[staff_member.pk] = [item(org, "report6", "overdue", TODAY, "รายงานรอบ 6 เดือน")]
    staff_member.is_active = False
    staff_member.save()
    _run()
    assert smtp.messages == [] and not Notification.objects.filter(recipient=staff_member).exists()
    assert "r_staff" not in [name for name, _ in obligations_of["asked"]]


def test_nothing_about_an_organisation_the_user_has_left(org, other_org, staff_member, obligations_of, member, smtp):
    stays = member("r_stays", other_org, Role.STAFF)
    Membership.objects.create(user=staff_member, organisation=other_org, role=Role.STAFF)
    obligations_of[staff_member.pk] = [item(org, "report6", "overdue", TODAY, "รายงานของที่เก่า"),
                                       item(other_org, "report6", "overdue", TODAY, "รายงานของที่ใหม่")]
    obligations_of[stays.pk] = [item(org, "report6", "overdue", TODAY, "ไม่เคยเป็นสมาชิก")]
    Membership.objects.filter(user=staff_member, organisation=org).delete()
    _run()
    assert len(smtp.messages) == 1  # `stays` was never a member of `org`: nothing
    body = body_of(smtp.messages[0])
    assert "รายงานของที่ใหม่" in body and "รายงานของที่เก่า" not in body


def test_email_off_the_reminders_stay_in_the_portal(org, staff_member, obligations_of, smtp, client_for):
    client_for(staff_member).post("/notifications/settings/", {})
    obligations_of[staff_member.pk] = [item(org, "report6", "overdue", TODAY, "รายงานรอบ 6 เดือน")]
    _run()
    assert smtp.messages == []
    assert Notification.objects.filter(recipient=staff_member, event="overdue").count() == 1


def test_each_member_gets_their_own_digest(org, staff_member, obligations_of, member, smtp):
    executive = member("r_executive", org, Role.EXECUTIVE)
    for user in (staff_member, executive):
        obligations_of[user.pk] = [item(org, "report6", "overdue", TODAY, "รายงานรอบ 6 เดือน")]
    _run()
    assert sorted(m.envelope_to[0] for m in smtp.messages) == ["r_executive@example.go.th", "r_staff@example.go.th"]


def test_a_bad_date_is_a_thai_error(db):
    with pytest.raises(CommandError, match="ไม่ถูกต้อง"):
        call_command("send_reminders", "--date", "31/03/2569")


def test_the_task_runs_the_same_reminders(org, staff_member, obligations_of, smtp):
    from lao_integrity.notifications.tasks import send_reminders

    obligations_of[staff_member.pk] = [item(org, "report6", "overdue", TODAY, "รายงานรอบ 6 เดือน")]
    result = send_reminders.enqueue(TODAY.isoformat())
    assert result.return_value.startswith("1 digests")
    assert len(smtp.messages) == 1


def test_only_the_system_runs_the_reminders(staff_member):
    from django.core.exceptions import PermissionDenied

    from lao_integrity.notifications import services

    with pytest.raises(PermissionDenied):
        services.send_reminders(today=TODAY, user=staff_member)

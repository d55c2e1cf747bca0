"""for_user: the items of the organisations a user works for, per role; the kernel's own providers
(No Gift signed, the plan announcement kept public 30 days, the dated windows)."""

import datetime

import pytest
from django.urls import reverse

from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind
from lao_integrity.obligations.items import for_user
from lao_integrity.obligations.models import DatedWindow
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import auditor_scope_set
from tests.kernel.obligations.conftest import TODAY

pytestmark = pytest.mark.django_db


def keys(items):
    return {item.key for item in items}


def test_staff_see_their_organisation_only(org, other_org, staff, other_staff, only_rules):
    only_rules("no-gift")
    mine = for_user(staff, today=TODAY)
    assert {item.organisation_id for item in mine} == {org.pk}
    assert f"no-gift:{org.code}:2570" in keys(mine)
    assert {item.organisation_id for item in for_user(other_staff, today=TODAY)} == {other_org.pk}


def test_previous_year_overdue_items_are_kept_and_sorted_first(org, staff, only_rules):
    only_rules("no-gift")
    items = for_user(staff, today=TODAY)
    assert [(item.key, item.state) for item in items] == [
        (f"no-gift:{org.code}:2569", "overdue"), (f"no-gift:{org.code}:2570", "due_soon")]
    assert items[0].title == "ลงนามประกาศนโยบายไม่รับของขวัญ (No Gift Policy) ปีงบประมาณ 2569"
    assert items[0].responsible == "executive"
    assert items[0].url == reverse("announcements:list") + "?kind=no_gift"


def test_auditor_scope_and_superuser(org, other_org, django_user_model, only_rules):
    only_rules("no-gift")
    auditor = django_user_model.objects.create_user("t_obl_auditor", password="pw-2569-auditor")
    auditor_scope_set(user=SYSTEM, account=auditor, provinces=[other_org.province])
    seen = {item.organisation_id for item in for_user(auditor, today=TODAY)}
    assert other_org.pk in seen and org.pk not in seen  # the demo, when loaded, has more in that province
    admin = django_user_model.objects.create_superuser("t_obl_root", password="pw-2569-root")
    assert for_user(admin, today=TODAY) == []


def test_no_gift_is_done_once_signed_and_the_plan_kept_public_30_days(org, people, staff, executive, only_rules):
    only_rules("no-gift", "plan-kept-public")
    announcement = announcement_services.announcement_create(
        organisation=org, kind=Kind.NO_GIFT, fiscal_year=2570, user=staff, signer=people["executive"],
        announced_on=datetime.date(2026, 11, 20))
    assert {i.key: i.state for i in for_user(staff, today=TODAY)}[f"no-gift:{org.code}:2570"] == "due_soon"
    announcement_services.announcement_approve(announcement=announcement, user=executive)
    announcement_services.announcement_sign(announcement=announcement, user=executive)
    states = {i.key: i for i in for_user(staff, today=TODAY)}
    assert states[f"no-gift:{org.code}:2570"].state == "done"
    assert states[f"no-gift:{org.code}:2570"].url == reverse("announcements:detail", args=[announcement.pk])
    # No signed plan announcement: the 30-day rule has nothing to say yet.
    assert not any(key.startswith("plan-kept-public") for key in states)


def test_a_window_is_due_soon_while_open_and_gone_once_closed(org, staff, only_rules):
    only_rules("ita-windows")
    window = DatedWindow.objects.create(fiscal_year=2570, title="ตอบแบบ OIT", opens_on=datetime.date(2026, 12, 1),
                                        closes_on=datetime.date(2027, 1, 31))
    later = DatedWindow.objects.create(fiscal_year=2570, title="อุทธรณ์ผล OIT", opens_on=datetime.date(2027, 3, 1),
                                       closes_on=datetime.date(2027, 3, 15))
    items = {i.key: i for i in for_user(staff, today=TODAY)}
    assert items[f"ita-windows:{org.code}:2570:w{window.pk}"].state == "due_soon"
    assert items[f"ita-windows:{org.code}:2570:w{later.pk}"].state == "upcoming"
    assert items[f"ita-windows:{org.code}:2570:w{window.pk}"].title.startswith("ตอบแบบ OIT (01/12/2569 - 31/01/2570)")
    assert for_user(staff, today=datetime.date(2027, 3, 16)) == []


def test_a_window_outside_its_fiscal_year_is_refused(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="ต้องอยู่ในปีงบประมาณ 2570"):
        DatedWindow(fiscal_year=2570, title="ผิดปี", opens_on=datetime.date(2026, 1, 1),
                    closes_on=datetime.date(2026, 1, 5)).full_clean()
    with pytest.raises(ValidationError, match="ไม่ก่อนวันเริ่ม"):
        DatedWindow(fiscal_year=2570, title="กลับด้าน", opens_on=datetime.date(2026, 12, 5),
                    closes_on=datetime.date(2026, 12, 1)).full_clean()

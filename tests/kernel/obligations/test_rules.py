"""Obligation rules: due dates within the fiscal year, and nonsense refused with a Thai message."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lao_integrity.obligations import registry
from lao_integrity.obligations.items import state_of
from lao_integrity.obligations.models import ObligationRule

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)  # FY 2570, quarter 1


def rule(**fields) -> ObligationRule:
    base = {"key": "test-rule", "title": "ทดสอบ {ปีงบประมาณ}", "provider": "plans.approved", "due_month": 10,
            "due_day": 31}
    return ObligationRule(**{**base, **fields})


def messages(error: ValidationError) -> str:
    return " ".join(message for messages in error.message_dict.values() for message in messages)


def test_the_shipped_rules_are_valid_and_cover_the_year():
    rules = {r.key: r for r in ObligationRule.objects.all()}
    for shipped in rules.values():
        shipped.full_clean()
    assert rules["plan-report-6-months"].due_in(2569) == datetime.date(2026, 4, 30)
    assert rules["plan-report-12-months"].due_in(2569) == datetime.date(2026, 10, 31)  # after the year ends
    assert rules["no-gift"].due_in(2570) == datetime.date(2026, 12, 15)  # October-December: the year it starts
    assert rules["plan-kept-public"].due_after(datetime.date(2026, 2, 27)) == datetime.date(2026, 3, 29)


def test_the_29th_of_february_falls_back_in_a_common_year():
    assert rule(due_month=2, due_day=29).due_in(2570) == datetime.date(2027, 2, 28)
    assert rule(due_month=2, due_day=29).due_in(2571) == datetime.date(2028, 2, 29)


@pytest.mark.parametrize(("fields", "expected"), [
    ({"due_soon_days": -1}, "ต้องไม่ติดลบ"),
    ({"due_soon_days": 400}, "ไม่เกิน"),
    ({"due_month": 2, "due_day": 30}, "ไม่มีวันที่ 30"),
    ({"due_month": 13}, "1 ถึง 12"),
    ({"due_day": None}, "ระบุทั้งเดือนและวันที่"),
    ({"provider": "no.such.provider"}, "ไม่รู้จักผู้ให้ข้อมูล"),
    ({"due_month": 4, "due_day": 30, "after_year_end": True}, "หลังสิ้นปีงบประมาณ"),
    ({"due_month": None, "due_day": None}, "ต้องกำหนดเดือนและวันที่"),
    ({"provider": "ita.measure_progress", "due_month": None, "due_day": None, "days_after": -5},
     "กำหนดก่อนเหตุการณ์ไม่ได้"),
    ({"provider": "ita.measure_progress"}, "นับจากเหตุการณ์"),
    ({"provider": "ita.measure_progress", "due_month": None, "due_day": None}, "ต้องกำหนดจำนวนวันหลังเหตุการณ์"),
])
def test_a_rule_that_makes_no_sense_is_refused_in_thai(fields, expected):
    with pytest.raises(ValidationError) as caught:
        rule(**fields).full_clean()
    assert expected in messages(caught.value)


def test_the_admin_refuses_a_bad_rule_and_saves_nothing(client, django_user_model):
    admin = django_user_model.objects.create_superuser("t_obl_admin", password="admin-pw-2569-x")
    client.force_login(admin)
    before = ObligationRule.objects.count()
    response = client.post("/admin/obligations/obligationrule/add/", {
        "key": "bad", "title": "ผิด", "provider": "plans.approved", "responsible": "staff", "order": 1,
        "due_month": 10, "due_day": 31, "due_soon_days": -3, "active": "on"})
    assert response.status_code == 200
    assert "จำนวนวันที่เตือนล่วงหน้าต้องไม่ติดลบ" in response.content.decode()
    assert ObligationRule.objects.count() == before
    # The provider is picked from those registered.
    page = client.get("/admin/obligations/obligationrule/add/").content.decode()
    assert "plans.report_6_months" in page and "agreements.round1_signed" in page


def test_every_shipped_provider_is_registered():
    keys = {provider.key for provider in registry.providers()}
    assert set(ObligationRule.objects.values_list("provider", flat=True)) <= keys


@pytest.mark.parametrize(("done", "due", "expected"), [
    (True, datetime.date(2026, 1, 1), "done"),
    (False, datetime.date(2026, 12, 4), "overdue"),
    (False, datetime.date(2026, 12, 5), "due_soon"),  # due today: not late yet
    (False, datetime.date(2026, 12, 19), "due_soon"),
    (False, datetime.date(2026, 12, 20), "upcoming"),
])
def test_state_is_computed_from_the_data_and_the_date(done, due, expected):
    assert state_of(done=done, due=due, today=TODAY, due_soon_days=14) == expected

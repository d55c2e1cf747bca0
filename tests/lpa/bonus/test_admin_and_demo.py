"""The year's rule in the admin (threshold 0–100, points not negative: Thai messages), part 1 in
the admin (each dimension within its full marks), and the demo's แม่สายมิตรภาพ 2566."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from lpa.bonus.admin import BonusRuleForm, BonusScoreAdminForm
from lpa.bonus.demo import MAE_SAI
from lpa.models import BonusScore
from tests.lpa.bonus.seed_rows import make_org

D = Decimal
pytestmark = pytest.mark.django_db


def rule_form(**changes):
    data = {"fiscal_year": "2568", "lpa_threshold": "80", "points_at_or_above": "10", "points_below": "8",
            "meeting": "1/2569", "meeting_date": "2026-01-20", **changes}
    return BonusRuleForm(data)


def test_a_valid_rule_is_accepted():
    assert rule_form().is_valid(), rule_form().errors


@pytest.mark.parametrize(("field", "value", "message"), [
    ("lpa_threshold", "100.01", "ร้อยละ LPA ขั้นต่ำต้องอยู่ระหว่าง 0 ถึง 100"),
    ("lpa_threshold", "-1", "ร้อยละ LPA ขั้นต่ำต้องอยู่ระหว่าง 0 ถึง 100"),
    ("points_at_or_above", "-0.5", "คะแนนเมื่อถึงเกณฑ์ต้องไม่ติดลบ"),
    ("points_below", "-8", "คะแนนเมื่อต่ำกว่าเกณฑ์ต้องไม่ติดลบ"),
])
def test_a_rule_out_of_range_is_refused_in_thai(field, value, message):
    form = rule_form(**{field: value})
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_the_admin_refuses_a_dimension_above_its_full_marks():
    org = make_org(0, "แม่สาย", "แอดมิน")
    form = BonusScoreAdminForm({"organisation": str(org.pk), "fiscal_year": "2566", "d1": "31", "d2": "25", "d3": "15",
                           "d4": "20", "remark": ""})
    assert not form.is_valid()
    assert form.errors["d1"] == ["มิติที่ 1 ด้านประสิทธิผลการปฏิบัติราชการ ต้องอยู่ระหว่าง 0 ถึง 30 คะแนน"]


def test_the_admin_pages_open(client):
    admin = get_user_model().objects.create_superuser("bonus_admin_site", password="x")
    client.force_login(admin)
    for url in ("/admin/lpa/bonusrule/", "/admin/lpa/bonusrule/add/", "/admin/lpa/bonusscore/",
                "/admin/lpa/bonusscore/add/"):
        assert client.get(url).status_code == 200, url


def test_the_demo_enters_mae_sai_part1_as_printed(seeded):
    score = BonusScore.objects.get(organisation__code=MAE_SAI, fiscal_year=2566)
    assert (score.d1, score.d2, score.d3, score.d4, score.part1) == (D(29), D(25), D(12), D(20), D(86))

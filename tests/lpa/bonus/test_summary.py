"""The ก.ท.จ. summary reproduces the seed's table: part 1 as entered, part 2 from the LPA percentage
by the year's rule (kept as data), every printed total; districts and municipalities numbered and
named as the seed prints them; a fixed number of queries however many municipalities."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import OrgType, Role
from lao_integrity.orgs.services import membership_grant, organisation_upsert
from lpa.bonus import selectors, services
from lpa.models import BonusRule
from tests.lpa.bonus.seed_rows import FIRST_TABLE, PROVINCE, ROWS, code, make_org, store_lpa, store_seed

D = Decimal
pytestmark = pytest.mark.django_db


def member_of(orgs, username="bonus_reader"):
    """A reader who sees exactly `orgs` (an auditor by membership): the summary holds only them."""
    user, _ = get_user_model().objects.get_or_create(username=username)
    for org in orgs:
        membership_grant(user=SYSTEM, account=user, organisation=org, role=Role.AUDITOR)
    return user


def test_the_rule_of_2566_ships_as_data():
    rule = BonusRule.objects.get(fiscal_year=2566)
    assert (rule.lpa_threshold, rule.points_at_or_above, rule.points_below) == (D(80), D(10), D(8))
    assert rule.meeting == "1/2567" and rule.meeting_date.isoformat() == "2024-01-23"


def test_every_seed_row_reproduces_its_lpa_points_and_total():
    orgs = store_seed()
    summary = selectors.province_summary(member_of(orgs), PROVINCE, 2566)
    rows = {row.organisation.code: row for row in summary.rows}
    assert len(rows) == len(ROWS)
    for index, (_district, name, _d1, _d2, _d3, _d4, pct, points, total) in enumerate(ROWS):
        row = rows[code(index)]
        assert (row.name, row.lpa_percent, row.points, row.total) == (name, D(pct), D(points), D(total)), name
    named = {row.name: row.total for row in summary.rows}
    assert named["บ้านดู่"] == D("96.00") and named["ดงมะดะ"] == D("86.65") and named["แม่สายมิตรภาพ"] == D("94.00")


def test_the_first_table_is_numbered_and_named_as_the_seed_prints_it():
    orgs = store_seed(FIRST_TABLE)
    summary = selectors.province_summary(member_of(orgs), PROVINCE, 2566)
    assert [(d.number, d.name, [r.number for r in d.rows]) for d in summary.districts] == [
        (1, "เมือง", list(range(1, 11))), (2, "แม่ลาว", [11, 12]), (3, "แม่สรวย", [13, 14])]
    assert [row.name for row in summary.rows] == [r[1] for r in FIRST_TABLE]
    assert summary.totals_count == 14


@pytest.mark.parametrize(("pct", "points"), [("80.00", D(10)), ("79.99", D(8)), ("80.01", D(10))])
def test_points_at_the_80_percent_boundary(pct, points):
    org = make_org(0, "แม่สาย", "ขอบเขต")
    store_lpa(org, 2566, pct)
    services.bonus_score_save(organisation=org, fiscal_year=2566, user=SYSTEM, expected_version=0,
                              scores={"d1": D(30), "d2": D(25), "d3": D(15), "d4": D(20)})
    row = selectors.province_summary(member_of([org]), PROVINCE, 2566).rows[0]
    assert row.lpa_percent == D(pct)
    assert (row.points, row.total) == (points, D(90) + points)


def test_the_rule_is_read_per_year():
    BonusRule.objects.create(fiscal_year=2567, lpa_threshold=D(85), points_at_or_above=D(10), points_below=D(5))
    org = make_org(0, "แม่สาย", "ปีถัดไป")
    store_lpa(org, 2567, "84.99")
    services.bonus_score_save(organisation=org, fiscal_year=2567, user=SYSTEM, expected_version=0,
                              scores={"d1": D(20), "d2": D(20), "d3": D(10), "d4": D(10)})
    row = selectors.province_summary(member_of([org]), PROVINCE, 2567).rows[0]
    assert (row.points, row.total) == (D(5), D(65))


def test_no_rule_for_the_year_gives_no_points():
    org = make_org(0, "แม่สาย", "ไม่มีเกณฑ์")
    store_lpa(org, 2570, "90.00")
    services.bonus_score_save(organisation=org, fiscal_year=2570, user=SYSTEM, expected_version=0,
                              scores={"d1": D(20), "d2": D(20), "d3": D(10), "d4": D(10)})
    summary = selectors.province_summary(member_of([org]), PROVINCE, 2570)
    assert summary.rule is None
    row = summary.rows[0]
    assert (row.lpa_percent, row.points, row.total) == (D("90.00"), None, None)


def test_a_missing_or_incomplete_lpa_gives_no_points_and_says_so():
    missing = make_org(0, "แม่สาย", "ไม่มีผล")
    partial = make_org(1, "แม่สาย", "ไม่ครบ")
    store_lpa(partial, 2566, "90.00", areas=4)
    for org in (missing, partial):
        services.bonus_score_save(organisation=org, fiscal_year=2566, user=SYSTEM, expected_version=0,
                                  scores={"d1": D(20), "d2": D(20), "d3": D(10), "d4": D(10)})
    rows = selectors.province_summary(member_of([missing, partial]), PROVINCE, 2566).rows
    assert [(r.points, r.total) for r in rows] == [(None, None), (None, None)]
    assert rows[0].missing == ["ยังไม่มีผล LPA"]
    assert rows[1].missing == ["ผล LPA ยังไม่ครบ 5 ด้าน"]


def test_only_municipalities_of_the_province_that_the_user_sees():
    orgs = store_seed(FIRST_TABLE[:2])
    sao = organisation_upsert(user=SYSTEM, code="9590001", org_type=OrgType.SAO, name="องค์การบริหารส่วนตำบลทดสอบ",
                              district="แม่สาย", province=PROVINCE)
    elsewhere = organisation_upsert(user=SYSTEM, code="9590002", org_type=OrgType.TOWN, name="เทศบาลเมืองทดสอบ",
                                    district="เมืองลำปาง", province="ลำปาง")
    reader = member_of([orgs[0], sao, elsewhere])
    assert [r.name for r in selectors.province_summary(reader, PROVINCE, 2566).rows] == ["บ้านดู่"]
    assert [r.name for r in selectors.province_summary(reader, "ลำปาง", 2566).rows] == ["ทดสอบ"]


def test_the_lpa_percentages_of_many_organisations_in_one_query():
    orgs = store_seed(FIRST_TABLE[:3], with_scores=False)
    with CaptureQueriesContext(connection) as queries:
        found = selectors.lpa_percentages([o.pk for o in orgs], 2566)
    assert len(queries) == 1
    assert found == {orgs[0].pk: D("86.59"), orgs[1].pk: D("90.22"), orgs[2].pk: D("87.56")}


def test_the_summary_takes_a_fixed_number_of_queries_as_municipalities_grow():
    admin = get_user_model().objects.create_superuser("bonus_admin_q", password="x")
    store_seed(ROWS[:3])
    with CaptureQueriesContext(connection) as few:
        small = selectors.province_summary(admin, PROVINCE, 2566)
        [row.total for row in small.rows]
    store_seed(ROWS[3:25], start=3)
    with CaptureQueriesContext(connection) as many:
        large = selectors.province_summary(admin, PROVINCE, 2566)
        [row.total for row in large.rows]
    assert len(large.rows) > len(small.rows)
    assert len(many) == len(few) <= 3


def test_running_numbers_follow_the_printed_order_when_a_districts_codes_are_apart():
    first = make_org(0, "แม่สาย", "หนึ่ง")
    middle = make_org(1, "แม่จัน", "สอง")
    last = make_org(2, "แม่สาย", "สาม")
    summary = selectors.province_summary(member_of([first, middle, last]), PROVINCE, 2566)
    assert [(d.number, d.name, [(r.number, r.name) for r in d.rows]) for d in summary.districts] == [
        (1, "แม่สาย", [(1, "หนึ่ง"), (2, "สาม")]), (2, "แม่จัน", [(3, "สอง")])]

"""Unit and individual performance agreements: the weight rule, indicators, parties, rounds, scores, the demo."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agreements.performance import scoring, services
from agreements.performance.models import (
    AgreementIndicator,
    AgreementKind,
    AgreementStatus,
    IndicatorProgress,
    PerformanceAgreement,
    round_bounds,
    round_quarters,
)
from lao_integrity import thai
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import person_ensure
from tests.agreements.performance.helpers import FOUR, indicator_fields
from tests.support.pages import by_id, page

pytestmark = pytest.mark.django_db
D = Decimal


# --- the weight rule -----------------------------------------------------------------------


@pytest.mark.parametrize("last, shown", [("29.99", "99.99"), ("30.01", "100.01"), ("20", "90")])
def test_sign_refuses_weights_not_totalling_100_and_states_the_total(agreement, executive, last, shown):
    for fields in (indicator_fields("ก", "40"), indicator_fields("ข", "30"), indicator_fields("ค", last)):
        services.indicator_create(agreement=agreement, **fields, user=executive)
    with pytest.raises(ValidationError) as caught:
        services.agreement_sign(agreement=agreement, user=executive)
    assert f"ขณะนี้รวม {shown}" in " ".join(caught.value.messages)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT and agreement.signed_at is None


def test_weights_totalling_exactly_100_sign(agreement, four, executive):
    services.agreement_sign(agreement=agreement, user=executive)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.signed_by == executive and agreement.signed_at is not None
    with pytest.raises(ValidationError, match="ลงนามแล้ว"):
        services.agreement_sign(agreement=agreement, user=executive)


def test_an_agreement_without_indicators_cannot_be_signed(agreement, executive):
    with pytest.raises(ValidationError, match="ยังไม่มีตัวชี้วัด"):
        services.agreement_sign(agreement=agreement, user=executive)


def test_only_an_executive_signs(agreement, four, staff, auditor):
    for user in (staff, auditor):
        with pytest.raises(PermissionDenied):
            services.agreement_sign(agreement=agreement, user=user)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_detail_page_shows_the_running_total_in_red_and_why_signing_is_blocked(agreement, executive, client_for):
    services.indicator_create(agreement=agreement, **indicator_fields("ก", "60"), user=executive)
    html = page(client_for(executive).get(reverse("agreements:detail", args=[agreement.pk])))
    assert by_id(html, "weight-total") == "60"
    assert re.search(r'id="weight-total"[^>]*color:var\(--err\)', html)
    assert "ขณะนี้รวม 60" in by_id(html, "sign-problems")
    assert 'id="sign"' not in html  # no live sign button
    services.indicator_create(agreement=agreement, **indicator_fields("ข", "40"), user=executive)
    html = page(client_for(executive).get(reverse("agreements:detail", args=[agreement.pk])))
    assert by_id(html, "weight-total") == "100"
    assert not re.search(r'id="weight-total"[^>]*color', html)
    assert 'id="sign"' in html


# --- indicators ------------------------------------------------------------------------------


def test_targets_must_follow_the_indicator_direction(agreement):
    with pytest.raises(ValidationError, match="เพิ่มขึ้นจากระดับ 1"):
        services.indicator_create(agreement=agreement, **indicator_fields(targets=[60, 55, 50, 45, 40]), user=SYSTEM)
    with pytest.raises(ValidationError, match="ลดลงจากระดับ 1"):
        services.indicator_create(agreement=agreement, **indicator_fields(higher=False, targets=[10, 15, 20, 25, 30]), user=SYSTEM)
    with pytest.raises(ValidationError, match="เพิ่มขึ้น"):
        services.indicator_create(agreement=agreement, **indicator_fields(targets=[40, 45, 45, 55, 60]), user=SYSTEM)
    for weight in ("0", "-5", "100.5"):
        with pytest.raises(ValidationError):
            services.indicator_create(agreement=agreement, **indicator_fields(weight=weight), user=SYSTEM)
    assert not agreement.indicators.exists()
    services.indicator_create(agreement=agreement, **indicator_fields(higher=False), user=SYSTEM)
    assert agreement.indicators.count() == 1


def test_signed_indicators_are_frozen(signed, four, staff, client_for):
    indicator = four[0]
    with pytest.raises(ValidationError, match="ลงนามแล้ว"):
        services.indicator_update(indicator=indicator, weight=D("50"), user=staff)
    with pytest.raises(ValidationError, match="ลงนามแล้ว"):
        services.indicator_create(agreement=signed, **indicator_fields("ใหม่", "10"), user=staff)
    with pytest.raises(ValidationError, match="ลงนามแล้ว"):
        services.indicator_delete(indicator=indicator, user=staff)
    with pytest.raises(ValidationError):
        services.agreement_update(agreement=signed, round=2, user=staff)
    with pytest.raises(ValidationError):
        services.agreement_delete(agreement=signed, user=staff)
    client = client_for(staff)
    client.post(reverse("agreements:indicator_edit", args=[indicator.pk]),
                {**{k: str(v) for k, v in FOUR[0].items()}, "weight": "99"})
    client.post(reverse("agreements:indicator_delete", args=[indicator.pk]))
    client.post(reverse("agreements:delete", args=[signed.pk]), {"confirm_delete": "on"})
    indicator.refresh_from_db()
    assert indicator.weight == D("40") and signed.indicators.count() == 4
    assert PerformanceAgreement.objects.filter(pk=signed.pk).exists()


def test_deleting_an_indicator_closes_the_numbering_gap(agreement, four):
    services.indicator_delete(indicator=four[1], user=SYSTEM)
    assert list(agreement.indicators.values_list("order", flat=True)) == [1, 2, 3]


# --- parties --------------------------------------------------------------------------------


def test_parties_must_belong_to_the_organisation_and_differ(org, other_org, units, people, head):
    stranger = person_ensure(user=SYSTEM, organisation=other_org, prefix="นาย", first_name="ต่าง", last_name="ถิ่น",
                             position="ผู้อำนวยการกองคลัง")
    base = {"organisation": org, "fiscal_year": 2569, "round": 1, "kind": AgreementKind.UNIT,
            "unit": units["กองคลัง"], "executive": people["executive"]}
    with pytest.raises(ValidationError, match="ไม่ใช่บุคลากร"):
        services.agreement_create(**base, person=stranger, user=SYSTEM)
    with pytest.raises(ValidationError, match="คนละคน"):
        services.agreement_create(**{**base, "executive": head}, person=head, user=SYSTEM)
    with pytest.raises(ValidationError, match="ต้องระบุหน่วยงาน"):
        services.agreement_create(**{**base, "unit": None}, person=head, user=SYSTEM)
    services.agreement_create(**{**base, "unit": None, "kind": AgreementKind.INDIVIDUAL}, person=people["analyst"], user=SYSTEM)
    services.agreement_create(**base, person=head, user=SYSTEM)
    with pytest.raises(ValidationError, match="มีข้อตกลงปีงบประมาณ 2569 ครั้งที่ 1 อยู่แล้ว"):
        services.agreement_create(**base, person=head, user=SYSTEM)
    services.agreement_create(**{**base, "round": 2}, person=head, user=SYSTEM)  # the other round is fine
    assert PerformanceAgreement.objects.filter(organisation=org).count() == 3


# --- rounds and quarters ---------------------------------------------------------------------


def test_round_dates_lie_inside_the_fiscal_year():
    assert round_bounds(2567, 1) == (datetime.date(2023, 10, 1), datetime.date(2024, 3, 31))
    assert round_bounds(2567, 2) == (datetime.date(2024, 4, 1), datetime.date(2024, 9, 30))
    for year in (2566, 2567, 2568, 2569, 2570):  # 2567 and 2571 are leap years in C.E. 2024 / 2028
        start, end = thai.fiscal_year_bounds(year)
        first, second = round_bounds(year, 1), round_bounds(year, 2)
        assert first[0] == start and second[1] == end
        assert second[0] - first[1] == datetime.timedelta(days=1)
        for quarter in round_quarters(1):
            q_start, q_end = thai.quarter_bounds(year, quarter)
            assert first[0] <= q_start and q_end <= first[1]
        for quarter in round_quarters(2):
            q_start, q_end = thai.quarter_bounds(year, quarter)
            assert second[0] <= q_start and q_end <= second[1]


def test_progress_only_in_the_rounds_quarters_and_only_once_signed(agreement, four, executive, staff, client_for):
    with pytest.raises(ValidationError, match="ยังไม่ได้ลงนาม"):
        services.progress_record(indicator=four[0], quarter=1, value=D("10"), user=staff)
    services.agreement_sign(agreement=agreement, user=executive)
    for quarter in (3, 4):
        with pytest.raises(ValidationError, match=f"ไตรมาส {quarter} ไม่อยู่ในรอบการประเมินครั้งที่ 1"):
            services.progress_record(indicator=four[0], quarter=quarter, value=D("10"), user=staff)
        response = client_for(staff).post(reverse("agreements:progress", args=[four[0].pk, quarter]), {"value": "10"})
        assert response.status_code == 404
    mine = IndicatorProgress.objects.filter(indicator__agreement=agreement)
    assert not mine.exists()
    services.progress_record(indicator=four[0], quarter=2, value=D("48.5"), evidence_url="https://example.go.th/r", user=staff)
    assert mine.get().quarter == 2


def test_round_two_takes_quarters_three_and_four(org, units, people, head, executive):
    agreement = services.agreement_create(organisation=org, fiscal_year=2569, round=2, unit=units["กองคลัง"],
                                          person=head, executive=people["executive"], user=executive)
    indicator = services.indicator_create(agreement=agreement, **indicator_fields(weight="100"), user=executive)
    services.agreement_sign(agreement=agreement, user=executive)
    with pytest.raises(ValidationError, match="ไตรมาส 3 และ 4"):
        services.progress_record(indicator=indicator, quarter=2, value=D("1"), user=executive)
    services.progress_record(indicator=indicator, quarter=4, value=D("1"), user=executive)


# --- scores ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value, higher, expected", [
    ("60", True, 5), ("57", True, 4), ("40", True, 1), ("39.99", True, 0), ("100", True, 5),
    ("10", False, 5), ("12", False, 4), ("30", False, 1), ("30.01", False, 0), ("0", False, 5),
])
def test_achieved_level(value, higher, expected):
    targets = [D(t) for t in (["40", "45", "50", "55", "60"] if higher else ["30", "25", "20", "15", "10"])]
    assert scoring.achieved_level(D(value), targets, higher_is_better=higher) == expected


def test_weighted_score():
    assert scoring.weighted_score([(D(40), 5), (D(30), 4), (D(20), 3), (D(10), 0)]) == D("76.00")
    assert scoring.weighted_score([(D(100), 5)]) == D("100.00")
    assert scoring.weighted_score([(D("33.33"), 1), (D("66.67"), 2)]) == D("33.33")


def test_evaluation_computes_levels_and_score(signed, four, executive):
    # levels 5, 4, 3, 0 with weights 40, 30, 20, 10 -> 40 + 24 + 12 + 0 = 76.00
    values = {four[0].pk: D("61"), four[1].pk: D("15"), four[2].pk: D("86"), four[3].pk: D("1")}
    services.agreement_evaluate(agreement=signed, values=values, user=executive,
                                today=datetime.date(2026, 3, 31))
    signed.refresh_from_db()
    assert signed.status == AgreementStatus.EVALUATED and signed.evaluated_at is not None
    assert signed.score == D("76.00")
    levels = dict(AgreementIndicator.objects.filter(agreement=signed).values_list("pk", "achieved_level"))
    assert [levels[i.pk] for i in four] == [5, 4, 3, 0]
    assert AgreementIndicator.objects.get(pk=four[1].pk).achieved_value == D("15")
    with pytest.raises(ValidationError, match="ประเมินผลแล้ว"):
        services.agreement_evaluate(agreement=signed, values=values, user=executive)
    with pytest.raises(ValidationError, match="ประเมินผลแล้ว"):
        services.progress_record(indicator=four[0], quarter=1, value=D("1"), user=executive)


def test_evaluation_rules(agreement, four, executive, staff):
    values = {i.pk: D("50") for i in four}
    with pytest.raises(ValidationError, match="ยังไม่ได้ลงนาม"):
        services.agreement_evaluate(agreement=agreement, values=values, user=executive)
    services.agreement_sign(agreement=agreement, user=executive)
    with pytest.raises(PermissionDenied):
        services.agreement_evaluate(agreement=agreement, values=values, user=staff)
    with pytest.raises(ValidationError, match="ยังไม่ถึงรอบการประเมิน"):
        services.agreement_evaluate(agreement=agreement, values=values, user=executive,
                                    today=datetime.date(2025, 9, 30))
    with pytest.raises(ValidationError, match="กรุณาระบุผลการดำเนินงาน"):
        services.agreement_evaluate(agreement=agreement, values={four[0].pk: D("50")}, user=executive,
                                    today=datetime.date(2025, 10, 1))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED and agreement.score is None
    # The first day of the round is enough: evaluation need not wait for the round's end.
    services.agreement_evaluate(agreement=agreement, values=values, user=executive, today=datetime.date(2025, 10, 1))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EVALUATED


# --- the demo -----------------------------------------------------------------------------------


def test_demo_agreements_for_mae_sai_mittraphap(seeded):
    from agreements.performance.demo import seed_performance_agreements

    lines = seed_performance_agreements(users={})
    again = seed_performance_agreements(users={})
    assert lines == again  # idempotent
    agreements = PerformanceAgreement.objects.filter(organisation__code="5570701", fiscal_year=2567, round=1)
    assert agreements.count() == 4
    clerk = agreements.get(person__first_name="กิตติชัย")
    assert clerk.status == AgreementStatus.EVALUATED and clerk.score == D("79.00")
    assert IndicatorProgress.objects.filter(indicator__agreement=clerk).values("quarter").distinct().count() == 2
    for agreement in agreements:
        total = sum(i.weight for i in agreement.indicators.all())
        assert total == D("100"), agreement
        assert 4 <= agreement.indicators.count() <= 6
        assert agreement.executive.first_name == "อุบล"
    assert {a.status for a in agreements.exclude(pk=clerk.pk)} == {AgreementStatus.DRAFT}
    assert agreements.get(unit__name="กองช่าง").indicators.filter(higher_is_better=False).exists()

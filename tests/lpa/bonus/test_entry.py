"""Part 1 is entered by administrators only, per municipality and year: each dimension between 0
and its full marks (a Thai message naming the dimension, nothing saved), versioned (a stale form is
refused), the same through the page."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from lao_integrity.concurrency import StaleEdit
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import OrgType, Role
from lao_integrity.orgs.services import auditor_scope_set, membership_grant, organisation_upsert
from lpa.bonus import services
from lpa.models import BonusScore
from tests.lpa.bonus.seed_rows import PROVINCE, make_org, store_lpa

D = Decimal
pytestmark = pytest.mark.django_db
PRINTED = {"d1": D(29), "d2": D(25), "d3": D(12), "d4": D(20)}


@pytest.fixture
def muni():
    org = make_org(0, "แม่สาย", "แม่สายมิตรภาพ")
    store_lpa(org, 2566, "79.34")
    return org


@pytest.fixture
def admin():
    return get_user_model().objects.create_superuser("bonus_admin", password="x")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def save(org, scores, *, user=SYSTEM, version=0, remark=""):
    return services.bonus_score_save(organisation=org, fiscal_year=2566, scores=scores, user=user,
                                     expected_version=version, remark=remark)


def test_part1_is_saved_and_versioned(muni):
    score = save(muni, PRINTED)
    assert (score.part1, score.version) == (D(86), 1)
    again = save(muni, {**PRINTED, "d4": D(18)}, version=1)
    assert (again.pk, again.part1, again.version) == (score.pk, D(84), 2)


@pytest.mark.parametrize(("name", "value", "dimension"), [
    ("d1", "30.01", "มิติที่ 1 ด้านประสิทธิผลการปฏิบัติราชการ ต้องอยู่ระหว่าง 0 ถึง 30 คะแนน"),
    ("d2", "26", "มิติที่ 2 ด้านคุณภาพการให้บริการ ต้องอยู่ระหว่าง 0 ถึง 25 คะแนน"),
    ("d3", "-1", "มิติที่ 3 ด้านประสิทธิภาพการปฏิบัติราชการ ต้องอยู่ระหว่าง 0 ถึง 15 คะแนน"),
    ("d4", "20.5", "มิติที่ 4 ด้านการพัฒนาองค์กร ต้องอยู่ระหว่าง 0 ถึง 20 คะแนน"),
])
def test_a_dimension_outside_its_full_marks_is_refused_and_nothing_saved(muni, name, value, dimension):
    with pytest.raises(ValidationError) as refused:
        save(muni, {**PRINTED, name: D(value)})
    assert refused.value.message_dict == {name: [dimension]}
    assert not BonusScore.objects.filter(organisation=muni).exists()


def test_a_dimension_above_full_marks_changes_a_stored_score_in_no_field(muni):
    save(muni, PRINTED)
    with pytest.raises(ValidationError):
        save(muni, {**PRINTED, "d1": D(20), "d2": D(99)}, version=1)
    stored = BonusScore.objects.get(organisation=muni)
    assert (stored.d1, stored.d2, stored.version) == (D(29), D(25), 1)


def test_a_stale_version_is_refused(muni):
    save(muni, PRINTED)
    save(muni, {**PRINTED, "d1": D(28)}, version=1)
    with pytest.raises(StaleEdit):
        save(muni, {**PRINTED, "d1": D(27)}, version=1)
    with pytest.raises(StaleEdit):  # a form opened before the first save
        save(muni, {**PRINTED, "d1": D(27)}, version=0)
    assert BonusScore.objects.get(organisation=muni).d1 == D(28)


def test_only_administrators_write(muni):
    staff = get_user_model().objects.create_user("bonus_staff")
    membership_grant(user=SYSTEM, account=staff, organisation=muni, role=Role.STAFF)
    supervisor = get_user_model().objects.create_user("bonus_supervisor")
    auditor_scope_set(user=SYSTEM, account=supervisor, provinces=[PROVINCE])
    for user in (staff, supervisor):
        with pytest.raises(PermissionDenied):
            save(muni, PRINTED, user=user)
    assert not BonusScore.objects.filter(organisation=muni).exists()


def test_only_municipalities_are_scored():
    sao = organisation_upsert(user=SYSTEM, code="9590009", org_type=OrgType.SAO, name="องค์การบริหารส่วนตำบลทดสอบ",
                              district="แม่สาย", province=PROVINCE)
    with pytest.raises(ValidationError):
        save(sao, PRINTED)


def test_the_page_saves_part1_typed_in_thai_digits(muni, admin):
    url = reverse("lpa:bonus_entry", args=[muni.code, 2566])
    client = client_of(admin)
    page = client.get(url)
    assert page.status_code == 200
    assert "ยังไม่มีผล LPA" not in page.content.decode()
    assert "79.34" in page.content.decode()
    response = client.post(url, {"d1": "๒๙", "d2": "25", "d3": "12,00", "d4": "20", "remark": "", "version": "0"})
    assert response.status_code == 302
    assert BonusScore.objects.get(organisation=muni).part1 == D(86)


def test_the_page_refuses_a_dimension_above_full_marks_in_thai(muni, admin):
    url = reverse("lpa:bonus_entry", args=[muni.code, 2566])
    response = client_of(admin).post(url, {**{k: str(v) for k, v in PRINTED.items()}, "d2": "25.5", "version": "0"})
    assert response.status_code == 200
    assert "มิติที่ 2 ด้านคุณภาพการให้บริการ ต้องอยู่ระหว่าง 0 ถึง 25 คะแนน" in response.content.decode()
    assert not BonusScore.objects.filter(organisation=muni).exists()


def test_the_page_refuses_a_stale_form(muni, admin):
    save(muni, PRINTED)
    save(muni, {**PRINTED, "d1": D(28)}, version=1)
    url = reverse("lpa:bonus_entry", args=[muni.code, 2566])
    response = client_of(admin).post(url, {**{k: str(v) for k, v in PRINTED.items()}, "version": "1"})
    assert response.status_code == 200
    assert "มีผู้อื่นแก้ไขรายการนี้ไปแล้ว" in response.content.decode()
    assert BonusScore.objects.get(organisation=muni).d1 == D(28)


def test_the_page_is_for_administrators(muni):
    staff = get_user_model().objects.create_user("bonus_staff_page")
    membership_grant(user=SYSTEM, account=staff, organisation=muni, role=Role.STAFF)
    stranger = get_user_model().objects.create_user("bonus_stranger")
    url = reverse("lpa:bonus_entry", args=[muni.code, 2566])
    assert client_of(staff).get(url).status_code == 403
    assert client_of(staff).post(url, {**{k: str(v) for k, v in PRINTED.items()}, "version": "0"}).status_code == 403
    assert client_of(stranger).get(url).status_code == 404
    assert not BonusScore.objects.filter(organisation=muni).exists()


def test_the_page_says_when_the_lpa_result_is_missing(admin):
    org = make_org(5, "แม่สาย", "ยังไม่ประเมิน")
    page = client_of(admin).get(reverse("lpa:bonus_entry", args=[org.code, 2566])).content.decode()
    assert "ยังไม่มีผล LPA ปีงบประมาณ 2566" in page

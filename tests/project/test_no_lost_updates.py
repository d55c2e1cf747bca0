"""No lost updates: two people edit the same record, the second save is refused with what changed.

Every edit form carries the version it was loaded with; the service's conditional write refuses a
save based on an older version (lao_integrity.concurrency). Each case below: two browsers load the
same form, the first saves, the second saves and is refused with a message naming the changed
field and the first user; the record still holds the first save; the second user's input is still
in the form, which now carries the current version, so saving again is deliberate and succeeds.

Also here: signed (and evaluated) performance agreements' indicators can't be changed by any path.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse

from agreements.organisation import services as org_services
from agreements.performance import exchange, services
from agreements.performance.models import (
    AgreementIndicator,
    AgreementStatus,
    Aspect,
    PerformanceAgreement,
    SignedAgreementError,
)
from ita.measures import services as measure_services
from ita.results import services as ita_services
from lao_integrity import thai
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind
from lao_integrity.concurrency import StaleEdit, check_and_bump
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import person_ensure
from lao_integrity.tabular import ImportRejected, write_table
from plans import services as plan_services
from plans.models import DetailSheet, Plan, Project
from plans.projects import services as project_services
from tests.support.forms import form_data
from tests.support.pages import text

pytestmark = pytest.mark.django_db

D = Decimal
FIRST_NAME = "สมศรี ขยันยิ่ง"
REFUSED = "มีผู้อื่นแก้ไขรายการนี้ไปแล้ว"
NOT_SAVED = "ข้อมูลของท่านยังไม่ถูกบันทึก"


# --- the people --------------------------------------------------------------------------------


@pytest.fixture
def first(staff):
    staff.first_name, staff.last_name = FIRST_NAME.split()
    staff.save(update_fields=["first_name", "last_name"])
    return staff


@pytest.fixture
def browsers(first, executive, client_for):
    """The first editor (staff, named) and the second (the executive), each in a browser."""
    return client_for(first), client_for(executive)


# --- the records and their forms ---------------------------------------------------------------


@pytest.fixture
def head(org, units):
    return person_ensure(user=SYSTEM, organisation=org, prefix="นางสาว", first_name="มาลี", last_name="ศรีคลัง",
                         position="ผู้อำนวยการกองคลัง", unit=units["กองคลัง"])


def indicator_fields(name="ร้อยละการเบิกจ่ายงบประมาณ", weight="100"):
    return {"aspect": Aspect.HIGH_PERFORMANCE, "work_type": "core", "name": name, "unit_of_measure": "ร้อยละ",
            "baseline": D("40"), "higher_is_better": True,
            **{f"target_{i}": D(t) for i, t in enumerate(["40", "45", "50", "55", "60"], start=1)},
            "weight": D(weight)}


@pytest.fixture
def agreement(org, units, people, head):
    return services.agreement_create(organisation=org, fiscal_year=2569, round=1, unit=units["กองคลัง"],
                                     person=head, executive=people["executive"], user=SYSTEM)


@pytest.fixture
def indicator(agreement):
    return services.indicator_create(agreement=agreement, **indicator_fields(), user=SYSTEM)


@pytest.fixture
def measure(org, units):
    ita_services.result_save(organisation=org, fiscal_year=2566, scores={n: D("90") for n in range(1, 11)}, user=SYSTEM)
    return measure_services.measure_create(organisation=org, fiscal_year=2567, indicators=[1],
                                           title="จัดทำ QR Code ประเมินความพึงพอใจ", responsible_unit=units["สำนักปลัด"], user=SYSTEM)


@pytest.fixture
def announcement(org, people, staff):
    return announcement_services.announcement_create(
        organisation=org, kind=Kind.NO_GIFT, fiscal_year=2569, user=staff, signer=people["executive"],
        announced_on=datetime.date(2025, 10, 1))


@pytest.fixture
def org_agreement(org, staff):
    return org_services.org_agreement_create(organisation=org, fiscal_year=2569, user=staff)


@dataclass
class Case:
    url: Any  # (request) -> url
    field: str
    first: str
    second: str
    label: str  # the field's name in the message
    shown: str  # the first save's value as the message shows it
    stored: Any  # (request) -> the stored value, comparable with `first` / `second`
    marker: str = "version"


def _project(request) -> Project:
    return request.getfixturevalue("plan").projects.get(sequence=1)


def _edit(view: str, fixture: str, field: str, *, reread=lambda value: value, **values) -> Case:
    """The case of the record a fixture made, edited on `view` (its pk in the address); the message
    shows the first save's value as typed unless `shown` says otherwise."""
    def stored(r):
        record = r.getfixturevalue(fixture)
        return reread(getattr(type(record).objects.get(pk=record.pk), field))
    values.setdefault("shown", values["first"])
    return Case(url=lambda r: reverse(view, args=[r.getfixturevalue(fixture).pk]), field=field, stored=stored,
                **values)


CASES = {
    "plan settings": _edit("plans:settings", "plan", "data_as_of", reread=thai.format_date_short,
                           first="01/03/2569", second="15/04/2569", label="ข้อมูล ณ วันที่"),
    "project": Case(
        url=lambda r: reverse("plans:project_edit", args=[_project(r).pk]),
        field="name", first="โครงการอบรมคุณธรรม (แก้โดยคนแรก)", second="โครงการอบรมจริยธรรม (แก้โดยคนที่สอง)",
        label="รายการโครงการ", shown="โครงการอบรมคุณธรรม (แก้โดยคนแรก)", stored=lambda r: _project(r).name),
    "detail sheet": Case(
        url=lambda r: reverse("plans:sheet_edit", args=[_project(r).pk]),
        field="rationale", first="เหตุผลของคนแรก", second="เหตุผลของคนที่สอง", label="หลักการและเหตุผล",
        shown="เหตุผลของคนแรก", stored=lambda r: DetailSheet.objects.get(project=_project(r)).rationale),
    "announcement": _edit("announcements:edit", "announcement", "subject", label="เรื่อง",
                          first="นโยบายไม่รับของขวัญ ฉบับคนแรก", second="นโยบายไม่รับของขวัญ ฉบับคนที่สอง"),
    "measure": _edit("ita:measure_edit", "measure", "title", label="มาตรการ",
                     first="จัดทำ QR Code ประเมินความพึงพอใจ ทุกจุดบริการ", second="จัดทำแบบสอบถามความพึงพอใจ"),
    "agreement": _edit("agreements:edit", "agreement", "round", reread=str, first="2", second="1",
                       label="รอบการประเมิน", shown="ครั้งที่ 2 (1 เม.ย. - 30 ก.ย.)"),
    "indicator": _edit("agreements:indicator_edit", "indicator", "name", label="ตัวชี้วัด",
                       first="ร้อยละการเบิกจ่ายงบประมาณรายจ่ายประจำปี", second="ร้อยละการเบิกจ่ายงบลงทุน"),
    "topic": Case(
        url=lambda r: reverse("agreements:topic_edit", args=[r.getfixturevalue("org_agreement").topics.first().pk]),
        field="title", first="การบริหารภารกิจเพื่อประโยชน์สุขของประชาชน", second="การบริหารงานแบบมีส่วนร่วม",
        label="หัวข้อ", shown="การบริหารภารกิจเพื่อประโยชน์สุขของประชาชน",
        stored=lambda r: r.getfixturevalue("org_agreement").topics.first().title),
    "org agreement introduction": _edit("agreements:org_detail", "org_agreement", "introduction",
                                        first="ความนำของคนแรก", second="ความนำของคนที่สอง",
                                        label="ความนำของรายละเอียดแนบท้าย"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_second_of_two_edits_is_refused_and_keeps_its_input(request, name, browsers):
    case = CASES[name]
    url = case.url(request)
    one, two = browsers
    mine, theirs = form_data(one.get(url), case.marker), form_data(two.get(url), case.marker)
    assert mine[case.marker] == theirs[case.marker]

    mine[case.field] = case.first
    assert one.post(url, mine).status_code == 302
    assert case.stored(request) == case.first

    theirs[case.field] = case.second
    refused = two.post(url, theirs)
    page = text(refused)
    assert refused.status_code == 200
    assert REFUSED in page and NOT_SAVED in page
    assert case.label in page and FIRST_NAME in page and f"“{case.shown}”" in page
    assert case.stored(request) == case.first  # nothing of the second save was written
    kept = form_data(refused, case.marker)
    assert kept[case.field] == case.second  # what the second user typed is still there
    assert int(kept[case.marker]) > int(theirs[case.marker])  # ... on top of the current version

    # Saving again, having seen the other change, is a deliberate decision and goes through.
    assert two.post(url, kept).status_code == 302
    assert case.stored(request) == case.second


def test_a_project_form_opened_before_an_import_is_refused(plan, browsers, plan_file):
    """An import rewrites the project list: a project form loaded before it can't write back over it."""
    one, two = browsers
    project = plan.projects.get(sequence=1)
    url = reverse("plans:project_edit", args=[project.pk])
    data = form_data(two.get(url))
    rows = [[1, project.name, 1, "12,000.00", "", "✓", "✓", "", ""], [2, "มาตรการป้องกันผลประโยชน์ทับซ้อน", 2, "0", "✓", "", "", "", ""]]
    with open(plan_file(rows), "rb") as upload:
        assert one.post(reverse("plans:import", args=[plan.pk]), {"file": upload}).status_code == 302
    assert Project.objects.get(pk=project.pk).budget == D("12000.00")
    data["remark"] = "แก้หลังนำเข้า"
    page = text(two.post(url, data))
    assert REFUSED in page and "งบประมาณ (บาท) “10,000.00” → “12,000.00”" in page and FIRST_NAME in page
    assert Project.objects.get(pk=project.pk).remark == ""


def test_a_form_posted_without_a_version_is_refused_not_taken_as_a_blind_overwrite(plan, staff, client_for):
    """An edit that can't say which version it was based on is refused; the page shows the current
    version with what was typed, so saving again is a decision made on what is stored now."""
    project = plan.projects.get(sequence=1)
    client = client_for(staff)
    url = reverse("plans:project_edit", args=[project.pk])
    data = form_data(client.get(url))
    project_services.project_update(project=project, name="แก้ไขระหว่างนั้น", user=staff)
    data.pop("version")
    data["name"] = "ชื่อใหม่"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "จึงตรวจไม่ได้ว่ามีผู้อื่นแก้ไขไปแล้วหรือไม่" in text(refused) and NOT_SAVED in text(refused)
    stored = Project.objects.get(pk=project.pk)
    assert stored.name == "แก้ไขระหว่างนั้น"
    kept = form_data(refused)
    assert kept["name"] == "ชื่อใหม่" and int(kept["version"]) == stored.version
    assert client.post(url, kept).status_code == 302
    assert Project.objects.get(pk=project.pk).name == "ชื่อใหม่"


# --- the service, the database, the admin ----------------------------------------------------------


def test_the_service_refuses_an_old_version_and_says_what_changed(plan, first, executive):
    project = plan.projects.get(sequence=1)
    loaded = project.version
    project_services.project_update(project=project, user=first, expected_version=loaded, budget=D("12500.00"),
                                 name="โครงการอบรมคุณธรรม")
    stale = Project.objects.get(pk=project.pk)
    with pytest.raises(StaleEdit) as refused:
        project_services.project_update(project=stale, user=executive, expected_version=loaded, remark="ของคนที่สอง")
    error = refused.value
    assert error.current_version == loaded + 1 and not error.deleted
    [entry] = error.entries
    assert entry.who == FIRST_NAME
    assert {(c.field, c.old, c.new) for c in error.changes} == {
        ("รายการโครงการ", "โครงการอบรมคุณธรรมจริยธรรมบุคลากร", "โครงการอบรมคุณธรรม"),
        ("งบประมาณ (บาท)", "10,000.00", "12,500.00"),
    }
    assert Project.objects.get(pk=project.pk).remark == ""
    # Without a version (the callers that have no form), the write goes through and moves it on.
    project_services.project_update(project=stale, user=executive, remark="ของคนที่สอง")
    assert Project.objects.get(pk=project.pk).version == loaded + 2


def test_status_changes_make_open_forms_stale(plan, executive, client_for, first):
    """Approving is a change of the plan too: a settings form opened before it is refused."""
    browser = client_for(first)
    url = reverse("plans:settings", args=[plan.pk])
    data = form_data(browser.get(url))
    plan_services.plan_approve(plan=plan, user=executive)
    data["data_as_of"] = "01/03/2569"
    page = text(browser.post(url, data))
    assert REFUSED in page and "สถานะ “ร่าง” → “อนุมัติแล้ว”" in page
    assert Plan.objects.get(pk=plan.pk).data_as_of is None


def test_a_deleted_record_is_reported_as_deleted(plan):
    project = plan.projects.get(sequence=3)
    Project.objects.filter(pk=project.pk).delete()
    with pytest.raises(StaleEdit) as refused:
        check_and_bump(project, project.version)
    assert refused.value.deleted and "ถูกลบไปแล้ว" in refused.value.messages[0]


@pytest.fixture
def admins(db):
    users = get_user_model().objects
    one = users.create_superuser("t_root_one", password="t-root-pw-2569", first_name="สมศรี", last_name="ขยันยิ่ง")
    two = users.create_superuser("t_root_two", password="t-root-pw-2569")
    clients = []
    for user in (one, two):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_two_admin_edits_cannot_overwrite_each_other(plan, admins):
    project = plan.projects.get(sequence=1)
    url = f"/admin/plans/project/{project.pk}/change/"
    one, two = admins
    mine, theirs = form_data(one.get(url), "loaded_version"), form_data(two.get(url), "loaded_version")
    mine["name"] = "ชื่อจากผู้ดูแลคนแรก"
    assert one.post(url, mine).status_code == 302
    theirs["remark"] = "หมายเหตุจากผู้ดูแลคนที่สอง"
    refused = two.post(url, theirs)
    page = text(refused)
    assert refused.status_code == 200
    assert REFUSED in page and "รายการโครงการ" in page and FIRST_NAME in page
    stored = Project.objects.get(pk=project.pk)
    assert (stored.name, stored.remark) == ("ชื่อจากผู้ดูแลคนแรก", "")
    kept = form_data(refused, "loaded_version")
    assert kept["remark"] == "หมายเหตุจากผู้ดูแลคนที่สอง" and kept["name"] == theirs["name"]
    assert int(kept["loaded_version"]) == stored.version


def test_an_admin_edit_based_on_an_old_page_state_is_refused(plan, admins, staff):
    """A page save between the admin's load and save is not overwritten either."""
    project = plan.projects.get(sequence=2)
    url = f"/admin/plans/project/{project.pk}/change/"
    one, _ = admins
    data = form_data(one.get(url), "loaded_version")
    project_services.project_update(project=project, user=staff, name="มาตรการป้องกันผลประโยชน์ทับซ้อน (ปรับ)")
    data["remark"] = "จากผู้ดูแล"
    assert REFUSED in text(one.post(url, data))
    assert Project.objects.get(pk=project.pk).remark == ""


# --- a signed agreement's indicators ---------------------------------------------------------------


@pytest.fixture
def signed(agreement, indicator, executive):
    services.agreement_sign(agreement=agreement, user=executive)
    agreement.refresh_from_db()
    return agreement


def test_a_signed_agreement_s_indicators_refuse_save_create_and_delete(signed, indicator):
    indicator.refresh_from_db()
    indicator.weight = D("50")
    with pytest.raises(SignedAgreementError):
        indicator.save()
    with pytest.raises(SignedAgreementError):
        indicator.save(update_fields=["weight"])
    with pytest.raises(SignedAgreementError):
        indicator.delete()
    with pytest.raises(SignedAgreementError):
        AgreementIndicator.objects.create(agreement=signed, **indicator_fields("ตัวชี้วัดแอบเพิ่ม", "10"))
    assert AgreementIndicator.objects.get(pk=indicator.pk).weight == D("100")
    assert signed.indicators.count() == 1


def test_a_signed_agreement_s_indicators_refuse_queryset_writes(signed, indicator):
    with pytest.raises(SignedAgreementError):
        AgreementIndicator.objects.filter(pk=indicator.pk).update(target_5=D("99"))
    with pytest.raises(SignedAgreementError):
        signed.indicators.all().delete()
    indicator.refresh_from_db()
    indicator.name = "แก้ไขภายหลัง"
    with pytest.raises(SignedAgreementError), transaction.atomic():  # bulk_update's own block breaks
        AgreementIndicator.objects.bulk_update([indicator], ["name"])
    with pytest.raises(SignedAgreementError):
        check_and_bump(indicator)
    stored = AgreementIndicator.objects.get(pk=indicator.pk)
    assert stored.name == "ร้อยละการเบิกจ่ายงบประมาณ" and stored.target_5 == D("60")


def test_a_signed_agreement_cannot_go_back_to_draft_or_be_deleted(signed):
    signed.status = AgreementStatus.DRAFT
    with pytest.raises(SignedAgreementError):
        signed.save()
    signed.refresh_from_db()
    with pytest.raises(SignedAgreementError):
        signed.delete()
    with pytest.raises(SignedAgreementError):
        PerformanceAgreement.objects.filter(pk=signed.pk).delete()
    assert AgreementIndicator.objects.filter(agreement=signed).count() == 1


def test_a_signed_agreement_s_indicators_refuse_the_services_and_import(signed, indicator, staff):
    with pytest.raises(Exception, match="ลงนามแล้ว"):
        services.indicator_update(indicator=indicator, user=staff, name="แก้ไขภายหลัง")
    with pytest.raises(Exception, match="ลงนามแล้ว"):
        services.indicators_replace(agreement=signed, rows=[indicator_fields("ใหม่")], user=staff)
    rows = [[1, "ด้านที่ 2", "ประเภทที่ 1", "ตัวชี้วัดนำเข้า", "ร้อยละ", "", 1, 2, 3, 4, 5, 100]]
    with pytest.raises(ImportRejected):
        exchange.indicators_import(agreement=signed, data=write_table(exchange.HEADERS, rows, "csv"),
                                   filename="x.csv", user=staff)
    assert list(signed.indicators.values_list("name", flat=True)) == ["ร้อยละการเบิกจ่ายงบประมาณ"]


def test_a_signed_agreement_s_indicators_are_read_only_in_the_admin(signed, indicator, admins):
    url = f"/admin/agreements/performanceagreement/{signed.pk}/change/"
    one, _ = admins
    page = one.get(url)
    assert page.status_code == 200
    assert 'name="indicators-0-weight"' not in page.content.decode()  # shown, not editable
    post = {"indicators-TOTAL_FORMS": "1", "indicators-INITIAL_FORMS": "1", "indicators-MIN_NUM_FORMS": "0",
            "indicators-MAX_NUM_FORMS": "1000", "indicators-0-id": str(indicator.pk),
            "indicators-0-agreement": str(signed.pk), "indicators-0-weight": "50", "indicators-0-name": "แก้ในแอดมิน"}
    assert one.post(url, post).status_code == 403
    stored = AgreementIndicator.objects.get(pk=indicator.pk)
    assert (stored.name, stored.weight) == ("ร้อยละการเบิกจ่ายงบประมาณ", D("100"))


def test_a_draft_agreement_s_indicators_stay_editable_in_the_admin(agreement, indicator, admins):
    url = f"/admin/agreements/performanceagreement/{agreement.pk}/change/"
    one, _ = admins
    data = form_data(one.get(url), "loaded_version")
    data["indicators-0-name"] = "แก้ในแอดมินขณะยังเป็นร่าง"
    assert one.post(url, data).status_code == 302
    stored = AgreementIndicator.objects.get(pk=indicator.pk)
    assert stored.name == "แก้ในแอดมินขณะยังเป็นร่าง" and stored.version == indicator.version + 1


def test_evaluation_writes_only_the_achieved_values_and_then_nothing_changes(signed, indicator, executive):
    services.agreement_evaluate(agreement=signed, values={indicator.pk: D("52")}, user=executive,
                                today=datetime.date(2026, 3, 31))
    stored = AgreementIndicator.objects.get(pk=indicator.pk)
    assert (stored.achieved_value, stored.achieved_level) == (D("52.00"), 3)
    with pytest.raises(SignedAgreementError):
        AgreementIndicator.objects.filter(pk=indicator.pk).update(achieved_value=D("60"))
    stored.achieved_level = 5
    with pytest.raises(SignedAgreementError):
        stored.save(update_fields=["achieved_level"])
    assert AgreementIndicator.objects.get(pk=indicator.pk).achieved_level == 3

"""The OIT checklist: the year's items with their evidence, มี computed from what is published, external
URLs checked, answers versioned, the executive's confirmation and its clearing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from ita.oit import selectors, services
from ita.oit.models import OitAnswer, OitChecklist, State
from lao_integrity.concurrency import StaleEdit
from tests.ita.oit.conftest import six_month_report
from tests.support.pages import text

pytestmark = pytest.mark.django_db


def test_a_year_without_its_framework_uses_the_latest_before_it_and_says_so(org):
    page = selectors.checklist_page(org, 2569)
    assert page.framework.fiscal_year == 2566 and page.total == 43
    assert page.note == "ใช้ข้อการประเมินของกรอบปี 2566 (ยังไม่ยืนยันสำหรับปีนี้)"
    assert [g.title for g in page.groups][:1] == ["9.1 ข้อมูลพื้นฐาน"] and len(page.groups) == 7
    assert selectors.checklist_page(org, 2565).note == ""  # the year's own framework
    assert selectors.checklist_page(org, 2562).framework is None


def test_o36_and_o37_are_there_by_themselves_once_published(org, section, published_plan_announcement):
    page = selectors.checklist_page(org, 2569)
    o36 = page.row("O36")
    assert o36.state == State.YES and o36.automatic and not o36.answer  # nobody typed it
    assert o36.url == f"/public/{org.code}/announcements/{published_plan_announcement.pk}/"
    assert page.row("O37").state == "" and page.row("O37").url == ""
    section.extra = {org.code: [six_month_report(org.code)]}
    page = selectors.checklist_page(org, 2569)
    assert page.row("O37").state == State.YES and page.row("O37").url.endswith("/progress/6/")
    group = next(g for g in page.groups if g.title.startswith("10.1"))
    assert (group.done, group.total) == (2, 11) and (page.done, page.total) == (2, 43)


def test_documents_of_another_year_or_unpublished_do_not_count(org, section, published_plan_announcement):
    assert selectors.checklist_page(org, 2570).row("O36").state == ""  # the 2569 plan is not 2570's evidence
    section.extra = {org.code: [six_month_report(org.code, 2568)]}
    assert selectors.checklist_page(org, 2569).row("O37").state == ""


def test_an_external_url_with_a_note_and_a_typed_state(org, staff):
    answer = services.answer_save(organisation=org, fiscal_year=2569, item_code="o1", user=staff, state=State.YES,
                                  external_url="https://www.banhaeng.go.th/structure", note="แผนผังโครงสร้าง",
                                  expected_version=0)
    row = selectors.checklist_page(org, 2569).row("O1")
    assert (row.state, row.url, row.note, row.external) == ("yes", "https://www.banhaeng.go.th/structure",
                                                            "แผนผังโครงสร้าง", True)
    assert answer.checklist.framework.fiscal_year == 2566 and answer.updated_by == staff


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.go.th/a", "www.example", "http://", "ไม่ใช่ลิงก์"])
def test_an_external_url_must_be_http_or_https(org, staff, url):
    with pytest.raises(ValidationError) as error:
        services.answer_save(organisation=org, fiscal_year=2569, item_code="O1", user=staff, state=State.YES,
                             external_url=url, expected_version=0)
    assert "http:// หรือ https://" in " ".join(error.value.message_dict["external_url"])
    assert not OitAnswer.objects.filter(checklist__organisation=org).exists() and not OitChecklist.objects.filter(organisation=org).exists()


def test_an_external_url_needs_its_state_and_a_portal_kind_must_be_known(org, staff):
    with pytest.raises(ValidationError) as error:
        services.answer_save(organisation=org, fiscal_year=2569, item_code="O1", user=staff,
                             external_url="https://www.example.go.th/", expected_version=0)
    assert "มี หรือ ไม่มี" in error.value.message_dict["state"][0]
    with pytest.raises(ValidationError):
        services.answer_save(organisation=org, fiscal_year=2569, item_code="O1", user=staff,
                             evidence_kind="secret:files", expected_version=0)
    with pytest.raises(ValidationError, match="ไม่มีข้อ O99"):
        services.answer_save(organisation=org, fiscal_year=2569, item_code="O99", user=staff, expected_version=0)
    assert not OitAnswer.objects.filter(checklist__organisation=org).exists()


def test_a_chosen_portal_document_replaces_the_suggestion(org, staff, section, published_plan_announcement):
    services.answer_save(organisation=org, fiscal_year=2569, item_code="O35", user=staff,
                         evidence_kind="announcement:plan", expected_version=0)
    row = selectors.checklist_page(org, 2569).row("O35")
    assert row.state == State.YES and row.automatic and "announcements" in row.url


def test_an_answer_saved_on_an_old_version_is_refused(org, staff, executive):
    services.answer_save(organisation=org, fiscal_year=2569, item_code="O2", user=staff, state=State.NO,
                         note="ก", expected_version=0)
    with pytest.raises(StaleEdit):
        services.answer_save(organisation=org, fiscal_year=2569, item_code="O2", user=executive, state=State.YES,
                             note="ข", expected_version=0)
    answer = OitAnswer.objects.get(item__code="O2")
    assert (answer.note, answer.version) == ("ก", 1)
    services.answer_save(organisation=org, fiscal_year=2569, item_code="O2", user=executive, state=State.YES,
                         note="ข", expected_version=1)
    assert OitAnswer.objects.get(item__code="O2").note == "ข"


def test_the_executive_confirms_and_an_edit_after_clears_it(org, staff, executive, auditor, other_staff):
    for user in (staff, auditor):
        with pytest.raises(PermissionDenied):
            services.checklist_confirm(organisation=org, fiscal_year=2569, user=user)
    with pytest.raises(Http404):
        services.checklist_confirm(organisation=org, fiscal_year=2569, user=other_staff)
    checklist = services.checklist_confirm(organisation=org, fiscal_year=2569, user=executive, expected_version=0)
    assert checklist.confirmed_by == executive and checklist.confirmed_at
    with pytest.raises(ValidationError, match="ยืนยันแล้ว"):
        services.checklist_confirm(organisation=org, fiscal_year=2569, user=executive)
    answer = services.answer_save(organisation=org, fiscal_year=2569, item_code="O3", user=staff, state=State.NO,
                                  expected_version=0)
    assert answer.confirmation_cleared
    checklist.refresh_from_db()
    assert checklist.confirmed_at is None and checklist.confirmed_by is None
    # A confirm button shown before that edit is refused; one shown after it confirms.
    with pytest.raises(ValidationError, match="หลังจากที่ท่านเปิดหน้านี้"):
        services.checklist_confirm(organisation=org, fiscal_year=2569, user=executive, expected_version=1)
    services.checklist_confirm(organisation=org, fiscal_year=2569, user=executive, expected_version=checklist.version)


def test_the_pages_confirm_and_clear_with_thai_messages(org, staff, executive, client_for):
    staff_client, executive_client = client_for(staff), client_for(executive)
    page_url = reverse("ita:oit", args=[org.code, 2569])
    page = text(executive_client.get(page_url))
    assert "ใช้ข้อการประเมินของกรอบปี 2566 (ยังไม่ยืนยันสำหรับปีนี้)" in page and "ยังไม่ยืนยัน" in page
    assert "ยืนยันรายการตรวจ OIT" not in text(staff_client.get(page_url))  # staff fill it; no confirm button
    confirmed = executive_client.post(reverse("ita:oit_confirm", args=[org.code, 2569]), {"seen_version": "0"},
                                      follow=True)
    assert "ยืนยันรายการตรวจ OIT ปีงบประมาณ 2569 แล้ว" in text(confirmed)
    assert "ยืนยันแล้ว" in text(staff_client.get(page_url)) and executive.username in text(staff_client.get(page_url))
    answer_url = reverse("ita:oit_answer", args=[org.code, 2569, "O5"])
    form_page = text(staff_client.get(answer_url))
    assert "การบันทึกข้อนี้จะยกเลิกการยืนยันของผู้บริหาร" in form_page
    saved = staff_client.post(answer_url, {"state": "yes", "external_url": "https://www.example.go.th/contact",
                                           "note": "", "evidence_kind": "", "version": "0"}, follow=True)
    assert "บันทึกข้อ O5 แล้ว การยืนยันของผู้บริหารถูกยกเลิก" in text(saved)
    assert OitChecklist.objects.get(organisation=org).confirmed_at is None


def test_a_bad_url_on_the_page_gets_a_thai_message_and_saves_nothing(org, staff, client_for):
    response = client_for(staff).post(reverse("ita:oit_answer", args=[org.code, 2569, "O1"]), {
        "state": "yes", "external_url": "javascript:alert(1)", "note": "x", "evidence_kind": "", "version": "0"})
    assert response.status_code == 200 and "ลิงก์ไม่ถูกต้อง" in text(response)
    assert not OitAnswer.objects.filter(checklist__organisation=org).exists()


def test_the_section_is_registered_and_lists_confirmed_years(org, executive):
    from lao_integrity.publication import registry

    section = next(s for s in registry.sections() if s.key == "oit")
    assert section.title == "การเปิดเผยข้อมูลสาธารณะ (OIT)"
    assert list(section.lister(org)) == []
    services.checklist_confirm(organisation=org, fiscal_year=2569, user=executive)
    [item] = section.lister(org)
    assert item.url == reverse("public_oit:year", args=[org.code, 2569]) and item.fiscal_year == 2569

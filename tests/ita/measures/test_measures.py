"""ITA improvement measures: validation, grouping by indicator, the pages, and a measure under two indicators."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ita.measures import documents
from ita.measures import selectors as measure_selectors
from ita.measures import services as measure_services
from ita.models import Framework, Measure
from lao_integrity.orgs.access import SYSTEM
from tests.ita.measures.helpers import snapshot

SEED_2566 = {1: "95.01", 2: "84.45", 3: "88.62", 4: "83.07", 5: "86.04", 6: "85.07", 7: "84.54", 8: "82.73",
             9: "100", 10: "100"}


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _ita_documents():
    documents.register_documents()


# --- services and grouping ---------------------------------------------------------------------


def test_measures_link_to_the_analysed_result_and_its_framework(measures, result):
    qr, oit, budget = measures["qr"], measures["oit"], measures["budget"]
    assert qr.based_on == result
    assert {i.framework_id for m in measures.values() for i in m.indicators.all()} == {result.framework_id}
    assert qr.steps == "ติดตั้ง QR Code ณ จุดบริการ\nรายงานผลให้ผู้บริหารทราบ ปีละ 2 ครั้ง"
    # Items alone bring their indicator; items next to chosen indicators are references only.
    assert [i.number for i in oit.indicators.all()] == [10]
    assert sorted(i.code for i in oit.items.all()) == ["O42", "O43"]
    assert [i.number for i in budget.indicators.all()] == [2]


def test_groups_follow_indicator_order_and_number_per_group(org, measures):
    groups = measure_selectors.group_by_indicator(measure_selectors.measures_for(org, 2567))
    assert [g.indicator.number for g in groups] == [1, 2, 8, 10]
    assert [(n, m.pk) for n, m in groups[0].numbered] == [(1, measures["qr"].pk), (2, measures["praise"].pk)]
    assert [(n, m.pk) for n, m in groups[2].numbered] == [(1, measures["praise"].pk)]  # under both 1 and 8


def test_move_and_delete_keep_a_gapless_order(org, measures):
    measure_services.measure_move(measure=measures["praise"], offset=-1, user=SYSTEM)
    assert [m.pk for m in measure_selectors.measures_for(org, 2567)][:2] == [measures["praise"].pk,
                                                                          measures["qr"].pk]
    measure_services.measure_delete(measure=measures["praise"], user=SYSTEM)
    # Numbered from 1, as every reordered list is (lao_integrity/ordering.py).
    assert list(Measure.objects.filter(organisation=org).order_by("order").values_list("order", flat=True)) == [
        1, 2, 3]


def test_indicator_from_another_years_framework_is_rejected(org, measures):
    before = snapshot(org)
    old_indicator = Framework.objects.get(fiscal_year=2563).indicators.get(number=3)
    with pytest.raises(ValidationError) as error:
        measure_services.measure_create(organisation=org, fiscal_year=2567, title="มาตรการใหม่",
                                        indicators=[old_indicator], user=SYSTEM)
    assert "กรอบการประเมินปี 2563" in str(error.value) and "กรอบปี 2566" in str(error.value)
    with pytest.raises(ValidationError):
        measure_services.measure_update(measure=measures["qr"], indicators=[old_indicator], user=SYSTEM)
    old_item = Framework.objects.get(fiscal_year=2564).indicators.get(number=10).items.first()
    with pytest.raises(ValidationError, match="กรอบการประเมินปี 2564"):
        measure_services.measure_update(measure=measures["qr"], items=[old_item], user=SYSTEM)
    assert snapshot(org) == before


@pytest.mark.parametrize("title", ["", "   ", "กำหนดกิจกรรม...", "กำหนดกิจกรรม…"])
def test_empty_or_placeholder_title_is_rejected(org, measures, title):
    before = snapshot(org)
    with pytest.raises(ValidationError) as error:
        measure_services.measure_create(organisation=org, fiscal_year=2567, title=title, indicators=[1], user=SYSTEM)
    assert "title" in error.value.message_dict
    with pytest.raises(ValidationError):
        measure_services.measure_update(measure=measures["qr"], title=title, user=SYSTEM)
    assert snapshot(org) == before


def test_deadline_must_be_in_or_near_the_fiscal_year(org, result):
    ok = measure_services.measure_create(organisation=org, fiscal_year=2567, title="ก", indicators=[1],
                                         deadline=datetime.date(2024, 12, 31), user=SYSTEM)  # 3 months after FY 2567
    assert ok.pk
    with pytest.raises(ValidationError, match="ปีงบประมาณ 2567"):
        measure_services.measure_create(organisation=org, fiscal_year=2567, title="ข", indicators=[1],
                                        deadline=datetime.date(2025, 3, 31), user=SYSTEM)
    with pytest.raises(ValidationError):
        measure_services.measure_create(organisation=org, fiscal_year=2567, title="ค", indicators=[1],
                                        deadline=datetime.date(2023, 6, 30), user=SYSTEM)
    assert Measure.objects.filter(organisation=org).count() == 1


def test_unit_of_another_organisation_and_no_indicator_are_rejected(org, other_org, result):
    from lao_integrity.orgs.services import unit_ensure

    foreign = unit_ensure(user=SYSTEM, organisation=other_org, name="กองคลัง", order=0)
    with pytest.raises(ValidationError) as error:
        measure_services.measure_create(organisation=org, fiscal_year=2567, title="ก", indicators=[1],
                                        responsible_unit=foreign, user=SYSTEM)
    assert "responsible_unit" in error.value.message_dict
    with pytest.raises(ValidationError, match="อย่างน้อย 1 ตัวชี้วัด"):
        measure_services.measure_create(organisation=org, fiscal_year=2567, title="ก", user=SYSTEM)
    assert not Measure.objects.filter(organisation=org).exists()


def test_service_refuses_an_auditor(org, auditor, result):
    with pytest.raises(PermissionDenied):
        measure_services.measure_create(organisation=org, fiscal_year=2567, title="ก", indicators=[1],
                                        user=auditor)


def test_without_result_the_previous_years_framework_is_used(org):
    measure = measure_services.measure_create(organisation=org, fiscal_year=2566, title="ก", indicators=[4], user=SYSTEM)
    assert measure.based_on is None
    assert measure.indicators.get().framework.fiscal_year == 2565
    with pytest.raises(ValidationError, match="ยังไม่มีกรอบการประเมิน ITA"):
        measure_services.measure_create(organisation=org, fiscal_year=2580, title="ก", indicators=[1], user=SYSTEM)


# --- pages -------------------------------------------------------------------------------------------


def test_page_lists_measures_by_indicator_with_quarter_cells(org, measures, client_for, staff):
    html = client_for(staff).get("/ita/measures/5299901/2567/").content.decode()
    headings = re.findall(r'<h2 id="indicator-(\d+)">', html)
    assert headings == ["1", "2", "8", "10"]
    section = html.split('id="indicator-1"')[1].split('id="indicator-2"')[0]
    assert section.index("จัดทำ QR Code") < section.index("กำหนดกิจกรรมชื่นชม")
    assert all(f"ไตรมาส {q}" in section for q in (1, 2, 3, 4))
    assert html.count(f'id="m{measures["praise"].pk}"') == 1  # listed twice, anchored once
    assert "ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ — 83.07 คะแนน" in html  # < 85 and no measure
    assert "ตัวชี้วัดที่ 2 การใช้งบประมาณ — 84.45" not in html
    assert 'name="kind" value="ita_measures"' in html


def test_add_edit_through_the_form(org, result, units, client_for, staff):
    client = client_for(staff)
    framework = result.framework
    form = client.get("/ita/measures/5299901/2567/add/").content.decode()
    assert "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ (IIT)" in form and "O42 มาตรการส่งเสริมคุณธรรม" in form
    assert "ตามกรอบการประเมินปี 2566" in form
    ids = {i.number: i.pk for i in framework.indicators.all()}
    response = client.post("/ita/measures/5299901/2567/add/", {
        "title": "จัดทำคู่มือการใช้ทรัพย์สินของราชการ", "indicators": [ids[4]], "steps": "ร่างคู่มือ\nประชาสัมพันธ์",
        "responsible_unit": units["กองคลัง"].pk, "deadline": "30/09/2567", "cadence": "quarterly"})
    assert response.status_code == 302
    measure = Measure.objects.get(organisation=org)
    assert measure.deadline == datetime.date(2024, 9, 30) and measure.responsible_label == "กองคลัง"
    response = client.post(f"/ita/measure/{measure.pk}/edit/", {
        "title": "จัดทำและเผยแพร่คู่มือการใช้ทรัพย์สินของราชการ", "indicators": [ids[4], ids[5]],
        "cadence": "yearly", "deadline_text": "ตลอดปีงบประมาณ", "version": str(measure.version)})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.cadence == "yearly" and measure.deadline is None
    assert sorted(i.number for i in measure.indicators.all()) == [4, 5]
    assert client.get(f"/ita/measure/{measure.pk}/edit/").status_code == 200
    progress = client.get(f"/ita/measure/{measure.pk}/progress/3/").content.decode()
    assert "ไตรมาส 3 (เม.ย. - มิ.ย.)" in progress
    assert client.get(f"/ita/measure/{measure.pk}/progress/5/").status_code == 404


def test_page_queries_do_not_grow_with_measures(org, measures, client_for, staff, units, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE = False  # a render's queries each time, never a page kept in memory
    client = client_for(staff)
    client.get("/ita/measures/5299901/2567/")
    with CaptureQueriesContext(connection) as few:
        client.get("/ita/measures/5299901/2567/")
    for n in range(5):
        measure = measure_services.measure_create(organisation=org, fiscal_year=2567, title=f"มาตรการเพิ่ม {n}",
                                                  indicators=[3, 5], items=["O36"], responsible_unit=units["กองช่าง"], user=staff)
        measure_services.progress_record(measure=measure, quarter=2, status="done", user=staff)
    # The first page after a write also counts the menu's obligations again (a fixed number too:
    # lao_integrity/obligations/menu.py); the page's own queries are the second request's.
    client.get("/ita/measures/5299901/2567/")
    with CaptureQueriesContext(connection) as many:
        client.get("/ita/measures/5299901/2567/")
    assert len(many) == len(few)


def test_form_rejects_other_framework_indicator_and_empty_title(org, result, measures, client_for, staff):
    client = client_for(staff)
    before = snapshot(org)
    old = Framework.objects.get(fiscal_year=2563).indicators.get(number=1)
    response = client.post("/ita/measures/5299901/2567/add/", {"title": "มาตรการ", "indicators": [old.pk],
                                                              "cadence": "quarterly"})
    assert response.status_code == 200
    assert "ไม่อยู่ในกรอบการประเมินที่มาตรการปีนี้ใช้" in response.content.decode()
    own = result.framework.indicators.get(number=1)
    response = client.post(f"/ita/measure/{measures['qr'].pk}/edit/", {"title": "", "indicators": [own.pk],
                                                                       "cadence": "quarterly"})
    assert response.status_code == 200 and "กรุณาระบุชื่อมาตรการ" in response.content.decode()
    response = client.post("/ita/measures/5299901/2567/add/", {"title": "ก", "indicators": [own.pk],
                                                              "cadence": "quarterly", "deadline": "30/09/2570"})
    assert response.status_code == 200 and "กำหนดแล้วเสร็จต้องอยู่ในปีงบประมาณ 2567" in response.content.decode()
    assert snapshot(org) == before


# --- a measure under two indicators: listed once, deleted only after a question (issue 13) ------


def measure_rows(html: str, pk: int) -> list[str]:
    """The full rows (with progress and buttons) of one measure on the list page."""
    return re.findall(rf'<tr id="m{pk}">.*?</tr>', html, re.S)


def test_a_measure_under_two_indicators_is_listed_once_with_both(org, measures, client_for, staff):
    praise = measures["praise"]  # indicators 1 and 8
    html = client_for(staff).get("/ita/measures/5299901/2567/").content.decode()
    rows = measure_rows(html, praise.pk)
    assert len(rows) == 1
    assert "ตัวชี้วัดที่ 1, 8" in rows[0]
    assert html.count(f'action="/ita/measure/{praise.pk}/delete/"') == 1
    assert html.count(f'href="/ita/measure/{praise.pk}/edit/"') == 1
    assert html.count(f'href="/ita/measure/{praise.pk}/progress/1/"') == 1
    # Under indicator 8 a pointer to it, so the group does not look empty.
    section = html[html.index('id="indicator-8"'):html.index('id="indicator-10"')]
    assert f'<a href="#m{praise.pk}">{praise.title}</a>' in section
    assert "มาตรการเดียวกับที่แสดงใต้ตัวชี้วัดที่ 1 ตอบตัวชี้วัดที่ 1, 8" in section
    assert "/delete/" not in section.split(f'<a href="#m{praise.pk}">')[1].split("</tr>")[0]


def test_delete_confirmation_names_what_goes_and_a_plain_post_deletes_nothing(org, measures, client_for, staff):
    praise = measures["praise"]
    measure_services.progress_record(measure=praise, quarter=1, status="done",
                                     evidence_file=SimpleUploadedFile("r.pdf", PDF_BYTES), user=staff)
    measure_services.progress_record(measure=praise, quarter=2, status="in_progress",
                                     confirmed={"status_back"}, user=staff)  # after a "done" quarter 1: confirmed
    client = client_for(staff)
    before = snapshot(org)

    # The list's "ลบ" carries a box that names what goes; posted unticked it leads to the question,
    # deleting nothing.
    question = ("ยืนยันการลบมาตรการ “" + praise.title + "” พร้อมผลการดำเนินงาน 2 ไตรมาส และหลักฐาน 1 รายการ "
                "ลบแล้วกู้คืนไม่ได้")
    listed = client.get("/ita/measures/5299901/2567/").content.decode()
    assert 'name="confirm_delete" value="on"> ยืนยันการลบมาตรการนี้ พร้อมผลการดำเนินงาน 2 ไตรมาส และหลักฐาน 1 รายการ</label>' in listed
    response = client.post(f"/ita/measure/{praise.pk}/delete/", follow=True)
    assert response.redirect_chain[0][0] == f"/ita/measure/{praise.pk}/delete/"
    assert question + " กรุณาทำเครื่องหมายยืนยันแล้วกดอีกครั้ง" in response.content.decode()
    assert snapshot(org) == before
    for unticked in ({"confirm_delete": ""}, {"confirm_delete": "false"}, {"confirm": "yes"}):
        assert client.post(f"/ita/measure/{praise.pk}/delete/", unticked).status_code == 302
    assert snapshot(org) == before

    html = client.get(f"/ita/measure/{praise.pk}/delete/").content.decode()
    assert "ลบมาตรการนี้?" in html and praise.title in html
    assert "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่, ตัวชี้วัดที่ 8 การปรับปรุงระบบการทำงาน" in html
    assert "มาตรการเดียวกันนี้จะหายไปจากทุกตัวชี้วัดข้างต้น" in html
    assert "ผลการดำเนินงาน 2 ไตรมาส (ไตรมาส 1, 2) และหลักฐาน 1 รายการ จะถูกลบไปด้วย" in html
    assert '<input type="checkbox" name="confirm_delete" value="on"> ' + question in html
    assert f'href="/ita/measures/5299901/2567/#m{praise.pk}">ยกเลิก</a>' in html
    assert snapshot(org) == before

    response = client.post(f"/ita/measure/{praise.pk}/delete/", {"confirm_delete": "on"}, follow=True)
    assert not Measure.objects.filter(pk=praise.pk).exists()
    assert f"ลบมาตรการ “{praise.title}” แล้ว" in response.content.decode()
    assert client.put(f"/ita/measure/{measures['qr'].pk}/delete/").status_code == 405

"""ITA improvement measures: validation, grouping by indicator, quarterly progress with evidence,
the measures announcement and table, access, and `render_pdf ita-measures`."""

import datetime
import functools
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from ita.measures import documents
from ita.measures import selectors as measure_selectors
from ita.measures import services as measure_services
from ita.models import Framework, Measure, MeasureProgress, ProgressStatus
from ita.results import services
from lao_integrity.announcements import documents as announcement_documents
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.orgs.access import SYSTEM

pdftotext = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(pdftotext is None, reason="pdftotext (poppler-utils) is not installed")

SEED_2566 = {1: "95.01", 2: "84.45", 3: "88.62", 4: "83.07", 5: "86.04", 6: "85.07", 7: "84.54", 8: "82.73",
             9: "100", 10: "100"}
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A real 1x1 PNG: evidence is checked by content (Pillow opens it), not by its first bytes.
PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
             b"\x00\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82")
COLUMNS = ("มาตรการ", "ขั้นตอน/วิธีการปฏิบัติ", "ผู้รับผิดชอบ", "กำหนดแล้วเสร็จ", "การรายงานผล")


def text_of(pdf: bytes) -> str:
    result = subprocess.run([pdftotext, "-raw", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(autouse=True)
def _ita_documents():
    documents.register_documents()


@pytest.fixture
def result(org):
    return services.result_save(organisation=org, fiscal_year=2566,
                                scores={n: Decimal(v) for n, v in SEED_2566.items()}, user=SYSTEM)


@pytest.fixture
def measures(org, units, result):
    """Four FY 2567 measures answering the FY 2566 result; one under two indicators."""
    create = functools.partial(measure_services.measure_create, user=SYSTEM)
    qr = create(organisation=org, fiscal_year=2567, indicators=[1],
                title="จัดทำ QR Code ประเมินความพึงพอใจของผู้มาติดต่อหรือรับบริการ",
                steps="- ติดตั้ง QR Code ณ จุดบริการ\n\n2) รายงานผลให้ผู้บริหารทราบ ปีละ 2 ครั้ง",
                responsible_unit=units["สำนักปลัด"], deadline=datetime.date(2024, 9, 30))
    praise = create(organisation=org, fiscal_year=2567, indicators=[8, 1],
                    title="กำหนดกิจกรรมชื่นชม ยกย่องบุคลากรที่ให้บริการ",
                    steps="ผู้ปฏิบัติงานเต็มกำลังความสามารถ\nให้บริการด้วยหัวใจ ไม่เลือกปฏิบัติ",
                    responsible_text="ทุกสำนัก/กอง", deadline_text="ตลอดปีงบประมาณ", cadence="half_yearly")
    budget = create(organisation=org, fiscal_year=2567, indicators=[2], items=["O10"],
                    title="เผยแพร่แผนการใช้จ่ายงบประมาณประจำปีให้บุคลากรทราบ",
                    responsible_unit=units["กองคลัง"], deadline=datetime.date(2024, 3, 31), cadence="monthly")
    oit = create(organisation=org, fiscal_year=2567, items=["o42", "๐43"],
                 title="วิเคราะห์และดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
                 responsible_unit=units["สำนักปลัด"], cadence="yearly")
    return {"qr": qr, "praise": praise, "budget": budget, "oit": oit}


@pytest.fixture
def announcement(org, staff, people, measures):
    return announcement_services.announcement_create(
        organisation=org, kind=Kind.ITA_MEASURES, fiscal_year=2567, user=staff, signer=people["executive"],
        announced_on=datetime.date(2023, 10, 2))


def snapshot(org) -> list:
    return [(m.pk, m.title, m.steps, m.order, sorted(i.number for i in m.indicators.all()),
             sorted(i.code for i in m.items.all()), m.deadline, m.cadence)
            for m in Measure.objects.filter(organisation=org).prefetch_related("indicators", "items")
            .order_by("pk")]


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
    assert list(Measure.objects.filter(organisation=org).order_by("order").values_list("order", flat=True)) == [
        0, 1, 2]


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

    foreign = unit_ensure(organisation=other_org, name="กองคลัง", order=0)
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


# --- progress and evidence ------------------------------------------------------------------------


def test_progress_per_quarter_with_file_and_link(org, measures, client_for, staff, auditor):
    client = client_for(staff)
    qr = measures["qr"]
    response = client.post(f"/ita/measure/{qr.pk}/progress/1/", {
        "status": "done", "result": "ติดตั้ง QR Code แล้ว 3 จุด", "version": "0",
        "evidence_file": SimpleUploadedFile("report.pdf", PDF_BYTES, content_type="application/pdf")})
    assert response.status_code == 302
    response = client.post(f"/ita/measure/{qr.pk}/progress/2/", {
        "status": "in_progress", "evidence_url": "https://www.example.go.th/ita/o43", "version": "0",
        "confirm_status_back": "on"})  # quarter 1 is done: going back is confirmed
    assert response.status_code == 302
    rows = {p.quarter: p for p in MeasureProgress.objects.filter(measure=qr)}
    assert set(rows) == {1, 2}
    assert rows[1].status == ProgressStatus.DONE and rows[1].evidence_file.name.endswith(".pdf")
    assert rows[2].evidence_url == "https://www.example.go.th/ita/o43" and not rows[2].evidence_file
    html = client.get("/ita/measures/5299901/2567/").content.decode()
    row = re.search(rf'<tr id="m{qr.pk}">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="c q(\d)">(.*?)</td>', row, re.S)
    assert [q for q, _ in cells] == ["1", "2", "3", "4"]
    assert f"/ita/measure/{qr.pk}/evidence/1/" in cells[0][1] and "ดำเนินการแล้ว" in cells[0][1]
    assert "https://www.example.go.th/ita/o43" in cells[1][1]
    assert "ดำเนินการ" not in cells[2][1]
    download = client_for(auditor).get(f"/ita/measure/{qr.pk}/evidence/1/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert client.get(f"/ita/measure/{qr.pk}/evidence/2/").status_code == 404  # a link, no file
    # A new file replaces the old one.
    client.post(f"/ita/measure/{qr.pk}/progress/1/", {
        "status": "done", "evidence_file": SimpleUploadedFile("photo.png", PNG_BYTES),
        "version": str(MeasureProgress.objects.get(measure=qr, quarter=1).version)})
    assert MeasureProgress.objects.get(measure=qr, quarter=1).evidence_file.name.endswith(".png")


@pytest.mark.parametrize("name,content,message", [
    ("virus.exe", b"MZ\x90\x00", "รองรับเฉพาะไฟล์"),
    ("report.pdf", b"<html>not a pdf</html>", "เนื้อไฟล์ไม่ใช่ PDF"),
])
def test_bad_evidence_is_rejected_and_nothing_changes(measures, client_for, staff, name, content, message):
    qr = measures["qr"]
    measure_services.progress_record(measure=qr, quarter=1, status="in_progress", result="เดิม", user=staff)
    response = client_for(staff).post(f"/ita/measure/{qr.pk}/progress/1/", {
        "status": "done", "result": "ใหม่", "evidence_file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and message in response.content.decode()
    progress = MeasureProgress.objects.get(measure=qr, quarter=1)
    assert (progress.status, progress.result, progress.evidence_file.name or "") == ("in_progress", "เดิม", "")
    with pytest.raises(ValidationError):
        measure_services.progress_record(measure=qr, quarter=2, status="done",
                                         evidence_file=SimpleUploadedFile(name, content), user=staff)
    with pytest.raises(ValidationError):
        measure_services.progress_record(measure=qr, quarter=2, status="done", evidence_url="javascript:alert(1)", user=staff)
    assert not MeasureProgress.objects.filter(measure=qr, quarter=2).exists()


# --- permissions ------------------------------------------------------------------------------------


def test_auditor_reads_and_every_write_is_403(org, measures, client_for, auditor, result):
    client = client_for(auditor)
    qr = measures["qr"]
    measure_services.progress_record(measure=qr, quarter=1, status="done",
                                     evidence_file=SimpleUploadedFile("r.pdf", PDF_BYTES), user=SYSTEM)
    before = snapshot(org)
    assert client.get("/ita/measures/5299901/2567/").status_code == 200
    assert client.get("/ita/measures/5299901/2567/?preview=1").status_code == 200
    assert client.get(f"/ita/measure/{qr.pk}/evidence/1/").status_code == 200
    own = result.framework.indicators.get(number=1).pk
    writes = [
        ("get", "/ita/measures/5299901/2567/add/", None),
        ("post", "/ita/measures/5299901/2567/add/", {"title": "ก", "indicators": [own], "cadence": "quarterly"}),
        ("get", f"/ita/measure/{qr.pk}/edit/", None),
        ("post", f"/ita/measure/{qr.pk}/edit/", {"title": "แก้", "indicators": [own], "cadence": "quarterly"}),
        ("post", f"/ita/measure/{qr.pk}/edit/", {"direction": "down"}),
        ("post", f"/ita/measure/{qr.pk}/delete/", {}),
        ("get", f"/ita/measure/{qr.pk}/progress/2/", None),
        ("post", f"/ita/measure/{qr.pk}/progress/2/", {"status": "done"}),
    ]
    for method, url, data in writes:
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 403, (method, url)
    assert snapshot(org) == before
    assert list(MeasureProgress.objects.filter(measure=qr).values_list("quarter", flat=True)) == [1]
    page = client.get("/ita/measures/5299901/2567/").content.decode()
    assert "/add/" not in page and "/progress/" not in page and "จัดทำประกาศมาตรการ" not in page


def test_other_organisation_gets_404_on_every_url(org, measures, client_for, other_staff):
    client = client_for(other_staff)
    qr = measures["qr"]
    measure_services.progress_record(measure=qr, quarter=1, status="done",
                                     evidence_file=SimpleUploadedFile("r.pdf", PDF_BYTES), user=SYSTEM)
    before = snapshot(org)
    urls = ["/ita/measures/5299901/2567/", "/ita/measures/5299901/2567/?pdf=1",
            "/ita/measures/5299901/2567/?preview=1", "/ita/measures/5299901/2567/add/",
            f"/ita/measure/{qr.pk}/edit/", f"/ita/measure/{qr.pk}/delete/", f"/ita/measure/{qr.pk}/progress/1/",
            f"/ita/measure/{qr.pk}/evidence/1/"]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "x", "status": "done", "direction": "up"}).status_code == 404, url
    assert snapshot(org) == before
    assert client.get("/ita/measures/0000000/2567/").status_code == 404


def test_delete_asks_first_and_the_confirmed_post_removes_progress(org, measures, client_for, staff):
    client = client_for(staff)
    qr = measures["qr"]
    measure_services.progress_record(measure=qr, quarter=1, status="done", user=staff)
    assert client.get(f"/ita/measure/{qr.pk}/delete/").status_code == 200  # the question, nothing deleted
    assert client.post(f"/ita/measure/{qr.pk}/delete/", {"confirm": "yes"}).status_code == 302
    assert not Measure.objects.filter(pk=qr.pk).exists()
    assert not MeasureProgress.objects.filter(measure_id=qr.pk).exists()


# --- the announcement and the table --------------------------------------------------------------------


def test_announcement_standard_text_has_no_typed_indicator_count(announcement):
    content = announcement_documents.filled(announcement)
    assert content.subject == ("มาตรการและแนวทางการขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสในการดำเนินงาน "
                               "ประจำปีงบประมาณ พ.ศ. 2567")
    text = " ".join(content.paragraphs)
    assert "องค์การบริหารส่วนตำบลบ้านทดสอบ" in text and "พนักงานส่วนตำบล" in text
    assert not re.search(r"\d+\s*ตัวชี้วัด", text)
    assert "{" not in text and "เทศบาล" not in text


@needs_pdftotext
def test_announcement_pdf_groups_measures_by_indicator_before_the_closing(announcement):
    body = flat(text_of(announcement_documents.announcement_pdf(announcement)))
    expected = [
        "ประกาศองค์การบริหารส่วนตำบลบ้านทดสอบ",
        "ถือเป็นแนวทางปฏิบัติดังนี้",
        "ตัวชี้วัดที่๑การปฏิบัติหน้าที่",
        "๑.จัดทำQRCodeประเมินความพึงพอใจของผู้มาติดต่อหรือรับบริการ",
        "-ติดตั้งQRCodeณจุดบริการ",
        "-รายงานผลให้ผู้บริหารทราบปีละ๒ครั้ง",
        "๒.กำหนดกิจกรรมชื่นชมยกย่องบุคลากรที่ให้บริการ",
        "ตัวชี้วัดที่๒การใช้งบประมาณ",
        "๑.เผยแพร่แผนการใช้จ่ายงบประมาณประจำปีให้บุคลากรทราบ",
        "ตัวชี้วัดที่๘การปรับปรุงระบบการทำงาน",
        "๑.กำหนดกิจกรรมชื่นชมยกย่องบุคลากรที่ให้บริการ",
        "ตัวชี้วัดที่๑๐การป้องกันการทุจริต",
        "๑.วิเคราะห์และดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "จึงประกาศให้ทราบโดยทั่วกัน",
        "ประกาศณวันที่๒เดือนตุลาคมพ.ศ.๒๕๖๖",
        # The annex: the table in the seed's columns.
        "รายละเอียดแนบท้ายประกาศ",
        "".join(COLUMNS),
    ]
    position = 0
    for piece in expected:
        found = body.find(piece, position)
        assert found >= 0, piece
        position = found
    assert "ตัวชี้วัดที่๓" not in body  # no measures, no heading
    assert "สำนักปลัด" in body and "ทุกสำนัก/กอง" in body and "ราย๖เดือน" in body and "(ข้อO42,O43)" in body
    assert not re.search(r"[0-9]", re.sub(r"O\d+", "", body))


def test_announcement_problems(org, staff, result, measures, people):
    announcement = announcement_services.announcement_create(
        organisation=org, kind=Kind.ITA_MEASURES, fiscal_year=2567, user=staff, signer=people["executive"],
        announced_on=datetime.date(2023, 10, 2))
    blocking, warnings = announcement_documents.problems(announcement)
    assert blocking == []
    uncovered = [w for w in warnings if "แต่ยังไม่มีมาตรการ" in w]
    assert len(uncovered) == 2
    assert uncovered[0].startswith("ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ ได้ 83.07 คะแนน")
    assert uncovered[1].startswith("ตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร ได้ 84.54 คะแนน")
    assert any("ยังไม่ระบุกำหนดแล้วเสร็จ" in w and "วิเคราะห์และดำเนินการ" in w for w in warnings)
    Measure.objects.filter(pk=measures["budget"].pk).update(title="กำหนดกิจกรรม...")  # as if typed in the admin
    blocking, _ = announcement_documents.problems(announcement)
    assert blocking == ["มาตรการ “กำหนดกิจกรรม...” ยังมีข้อความเว้นไว้ให้กรอก (เช่น “...”)"]
    empty = announcement_services.announcement_create(organisation=org, kind=Kind.ITA_MEASURES, fiscal_year=2568,
                                                      user=staff, signer=people["executive"],
                                                      announced_on=datetime.date(2024, 10, 1))
    blocking, _ = announcement_documents.problems(empty)
    assert any("ยังไม่มีมาตรการ" in b for b in blocking)


@needs_pdftotext
def test_measures_table_pdf_has_the_seed_columns(org, measures):
    body = flat(text_of(documents.measures_table_pdf(org, 2567)))
    assert "".join(COLUMNS) in body
    assert flat("ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่ ๑. จัดทำ QR Code") in body
    assert flat("สำนักปลัด ๓๐ กันยายน พ.ศ. ๒๕๖๗ รายไตรมาส") in body
    assert flat("ทุกสำนัก/กอง ตลอดปีงบประมาณ ราย ๖ เดือน") in body


def test_create_announcement_from_the_measures_page(org, measures, client_for, staff):
    client = client_for(staff)
    response = client.post("/announcements/", {"organisation": org.pk, "kind": "ita_measures", "fiscal_year": 2567})
    assert response.status_code == 302
    created = Announcement.objects.get(organisation=org, kind=Kind.ITA_MEASURES)
    html = client.get("/ita/measures/5299901/2567/").content.decode()
    assert f"/announcements/{created.pk}/" in html and "จัดทำประกาศมาตรการ" not in html


# --- render_pdf -------------------------------------------------------------------------------------


@needs_pdftotext
def test_render_pdf_ita_measures(org, measures, staff, people, executive, tmp_path):
    out = tmp_path / "measures.pdf"
    call_command("render_pdf", "ita-measures", "--org", "5299901", "--fiscal-year", "2567", "-o", str(out),
                 stdout=io.StringIO())
    assert "".join(COLUMNS) in flat(text_of(out.read_bytes()))  # no announcement yet: the table
    assert "จึงประกาศ" not in flat(text_of(out.read_bytes()))
    announcement = announcement_services.announcement_create(
        organisation=org, kind=Kind.ITA_MEASURES, fiscal_year=2567, user=staff, signer=people["executive"],
        announced_on=datetime.date(2023, 10, 2))
    call_command("render_pdf", "ita-measures", "--org", "5299901", "--fiscal-year", "2567", "-o", str(out),
                 stdout=io.StringIO())
    assert "จึงประกาศให้ทราบโดยทั่วกัน" in flat(text_of(out.read_bytes()))  # the draft announcement
    announcement_services.announcement_approve(announcement=announcement, user=executive)
    signed = announcement_services.announcement_sign(announcement=announcement, user=executive)
    measure_services.measure_update(measure=measures["qr"], title="ชื่อที่แก้หลังลงนาม", user=staff)
    call_command("render_pdf", "ita-measures", "--org", "5299901", "--fiscal-year", "2567", "-o", str(out),
                 stdout=io.StringIO())
    with signed.pdf.open("rb") as handle:
        assert out.read_bytes() == handle.read()  # the stored signed PDF, not today's data
    with pytest.raises(CommandError, match="ยังไม่มีมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ 2570"):
        call_command("render_pdf", "ita-measures", "--org", "5299901", "--fiscal-year", "2570",
                     "-o", str(tmp_path / "none.pdf"))


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

    # The list's "ลบ" (a POST without the confirmation) leads to the question, deleting nothing.
    response = client.post(f"/ita/measure/{praise.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"/ita/measure/{praise.pk}/delete/"
    assert snapshot(org) == before
    assert client.post(f"/ita/measure/{praise.pk}/delete/", {"confirm": "no"}).status_code == 302
    assert snapshot(org) == before

    html = client.get(f"/ita/measure/{praise.pk}/delete/").content.decode()
    assert "ลบมาตรการนี้?" in html and praise.title in html
    assert "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่, ตัวชี้วัดที่ 8 การปรับปรุงระบบการทำงาน" in html
    assert "มาตรการเดียวกันนี้จะหายไปจากทุกตัวชี้วัดข้างต้น" in html
    assert "ผลการดำเนินงาน 2 ไตรมาส (ไตรมาส 1, 2) และหลักฐาน 1 รายการ จะถูกลบไปด้วย" in html
    assert '<input type="hidden" name="confirm" value="yes">' in html
    assert f'href="/ita/measures/5299901/2567/#m{praise.pk}">ยกเลิก</a>' in html
    assert snapshot(org) == before

    response = client.post(f"/ita/measure/{praise.pk}/delete/", {"confirm": "yes"}, follow=True)
    assert not Measure.objects.filter(pk=praise.pk).exists()
    assert f"ลบมาตรการ “{praise.title}” แล้ว" in response.content.decode()
    assert client.put(f"/ita/measure/{measures['qr'].pk}/delete/").status_code == 405


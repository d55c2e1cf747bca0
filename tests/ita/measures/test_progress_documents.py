"""ITA improvement measures: quarterly progress with evidence, who may do what, the measures announcement and table, and `render_pdf ita-measures`."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from ita.measures import documents
from ita.measures import services as measure_services
from ita.models import Measure, MeasureProgress, ProgressStatus
from lao_integrity.announcements import documents as announcement_documents
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.orgs.access import SYSTEM
from tests.ita.measures.helpers import snapshot
from tests.support.pdf import needs_pdftotext, text_of

SEED_2566 = {1: "95.01", 2: "84.45", 3: "88.62", 4: "83.07", 5: "86.04", 6: "85.07", 7: "84.54", 8: "82.73",
             9: "100", 10: "100"}


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# A real 1x1 PNG: evidence is checked by content (Pillow opens it), not by its first bytes.
PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
             b"\x00\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82")


COLUMNS = ("มาตรการ", "ขั้นตอน/วิธีการปฏิบัติ", "ผู้รับผิดชอบ", "กำหนดแล้วเสร็จ", "การรายงานผล")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(autouse=True)
def _ita_documents():
    documents.register_documents()


@pytest.fixture
def announcement(org, staff, people, measures):
    return announcement_services.announcement_create(
        organisation=org, kind=Kind.ITA_MEASURES, fiscal_year=2567, user=staff, signer=people["executive"],
        announced_on=datetime.date(2023, 10, 2))


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
    assert client.post(f"/ita/measure/{qr.pk}/delete/", {"confirm_delete": "on"}).status_code == 302
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

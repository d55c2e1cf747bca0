"""The plan's official documents: Thai digits, unbroken number groups, text layer, access."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from lao_integrity.documents.render import officialise
from plans import documents
from tests.support.pdf import needs_pdftotext, text_of


def test_officialise_converts_digits_but_not_codes_urls_or_tags():
    html = ('<html><head><title>แผน พ.ศ. 2569</title></head><body class="c1">'
            '<p style="width:3cm">ตัวชี้วัด O29 ที่ https://example.go.th/2569 จำนวน 50 คน</p></body></html>')
    out = officialise(html)
    assert "O29" in out and "https://example.go.th/2569" in out
    assert 'style="width:3cm"' in out and 'class="c1"' in out
    assert '<span class="nobr">จำนวน\u00a0๕๐\u00a0คน</span>' in out
    # The title is metadata: Thai digits, but no markup inside it.
    assert "<title>แผน พ.ศ. ๒๕๖๙</title>" in out


@needs_pdftotext
def test_plan_book_text_layer_reads_back_exactly(seeded):
    pdf = documents.plan_book_pdf(seeded.plan)
    text = text_of(pdf)
    assert "ประกาศองค์การบริหารส่วนตำบลบ้านแหง" in text
    assert "เรื่อง ประกาศใช้แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๙" in text
    assert "ประกาศ ณ วันที่ ๒๗ เดือน กุมภาพันธ์ พ.ศ. ๒๕๖๙" in text
    assert "(นายประสิทธิ์ เมืองงาว)" in text
    assert "๑๕,๐๐๐.๐๐" in text  # the computed total
    headings = [line.strip() for line in text.splitlines() if line.strip().startswith("ลำดับที่")]
    assert headings[0] == "ลำดับที่ ๑" and headings[-1] == "ลำดับที่ ๒๙"  # rows 30-31 have no sheet
    assert len(headings) == 29
    assert "ตาบล" not in text  # SARA AM survives the text layer
    assert "พนักงานส่วนตำบล" in text and "เทศบาล" not in text
    assert "2569" not in text  # Thai digits throughout


def test_plan_book_metadata_names_the_organisation(seeded):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(documents.plan_announcement_pdf(seeded.plan)))
    assert reader.metadata.author == "องค์การบริหารส่วนตำบลบ้านแหง"
    assert "แผนปฏิบัติการป้องกันการทุจริต" in reader.metadata.title
    assert len(reader.pages) == 1


def test_gaps_list_projects_without_sheets(seeded):
    from plans.selectors import plan_sheets

    gaps = documents.plan_book_gaps(plan_sheets(seeded.plan))
    assert sorted(g.project.sequence for g in gaps) == [30, 31]


def test_the_plan_page_reads_the_same_gaps_and_bands_as_the_book(seeded):
    """The plan page reads objectives, indicators and the half-year status with its projects
    (plan_summary(outline=True)); the book and the plain path read them apart: the same answers."""
    from plans import selectors
    from plans.models import ProjectProgress, SheetIndicator, SheetObjective

    plan = seeded.plan
    sheets = [p.sheet for p in selectors.plan_sheets(plan)[:4]]
    SheetObjective.objects.filter(sheet=sheets[0]).delete()
    SheetIndicator.objects.filter(sheet=sheets[1]).delete()
    SheetIndicator.objects.filter(sheet=sheets[2], kind="output").delete()  # outcomes left: no gap
    first = sheets[3].project
    ProjectProgress.objects.filter(project=first).delete()
    ProjectProgress.objects.create(project=first, quarter=1, status="in_progress")
    ProjectProgress.objects.create(project=first, quarter=3, status="done")

    def gaps(projects):
        return sorted((g.project.sequence, g.problem) for g in documents.plan_book_gaps(projects))

    page = selectors.plan_summary(plan, versions=list(plan.versions.all()), outline=True).projects
    book = selectors.plan_sheets(plan)
    assert gaps(page) == gaps(book)
    assert (sheets[0].project.sequence, "ยังไม่มีวัตถุประสงค์") in gaps(page)
    assert (sheets[1].project.sequence, "รายละเอียดโครงการยังไม่มีผลผลิต/ผลลัพธ์") in gaps(page)
    assert not [g for g in gaps(page) if g[0] == sheets[2].project.sequence]
    bands = [(r.months, r.due, r.carried_out, r.done) for r in selectors.implementation_rounds(plan, page)]
    assert bands == [(r.months, r.due, r.carried_out, r.done)
                     for r in selectors.implementation_rounds(plan, list(plan.projects.order_by("sequence")))]
    assert [p.half_year_status for p in page if p.pk == first.pk] == ["in_progress"]


def test_document_pages_respect_organisation_access(seeded, client_for):
    url = f"/plans/{seeded.plan.pk}/documents/announcement/"
    assert client_for(seeded.other_staff).get(url).status_code == 404
    response = client_for(seeded.auditor).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    preview = client_for(seeded.staff).get(url + "?preview=1")
    assert "ประกาศองค์การบริหารส่วนตำบลบ้านแหง" in preview.content.decode()
    page = client_for(seeded.staff).get(f"/plans/{seeded.plan.pk}/").content.decode()
    assert "ยังไม่ครบก่อนลงนาม 2 รายการ" in page


def test_render_pdf_command(seeded, tmp_path):
    out = tmp_path / "progress.pdf"
    call_command("render_pdf", "plan-progress", "--org", "5205401", "--fiscal-year", "2569", "--months", "6",
                 "-o", str(out), stdout=io.StringIO())
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="ยังไม่มีผลการประเมิน ITA"):
        call_command("render_pdf", "ita-analysis", "--org", "5205401", "--fiscal-year", "2569", "-o", str(out))
    with pytest.raises(CommandError, match="ยังไม่มีประกาศ"):
        call_command("render_pdf", "no-gift", "--org", "5205401", "--fiscal-year", "2569", "-o", str(out))
    with pytest.raises(CommandError, match="ยังไม่มีแผน"):
        call_command("render_pdf", "plan-book", "--org", "5205401", "--fiscal-year", "2571", "-o", str(out))


def test_same_document_is_laid_out_once(seeded, monkeypatch):
    from lao_integrity.documents import render

    calls = []
    real = render._weasyprint
    monkeypatch.setattr(render, "_weasyprint", lambda html, **kw: calls.append(1) or real(html, **kw))
    first = documents.plan_document_pdf(seeded.plan, "announcement")
    second = documents.plan_document_pdf(seeded.plan, "announcement")
    assert first == second and len(calls) <= 1
    project = seeded.plan.projects.get(sequence=1)
    project.name = "ชื่อใหม่ของโครงการ"
    project.save()
    calls.clear()
    documents.plan_document_pdf(seeded.plan, "book")
    documents.plan_document_pdf(seeded.plan, "book")
    assert len(calls) == 1  # changed data: laid out again, once


@needs_pdftotext
def test_plan_announcement_pdf_is_official(seeded):
    pypdf = pytest.importorskip("pypdf")
    pdf = documents.plan_announcement_pdf(seeded.plan)
    text = text_of(pdf)
    for phrase in ("ประกาศองค์การบริหารส่วนตำบลบ้านแหง",
                   "ประกาศใช้แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๙", "ประกาศ ณ วันที่"):
        assert phrase in text
    assert not any(ch.isascii() and ch.isdigit() for ch in text)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"]


@needs_pdftotext
def test_plan_book_table_has_every_row_and_thai_totals(seeded):
    text = text_of(documents.plan_book_pdf(seeded.plan))
    table = text.split("แผนปฏิบัติการป้องกันการทุจริต พ.ศ. ๒๕๖๙ ของ", 1)[1].split("คำอธิบาย", 1)[0]
    thai = "๐๑๒๓๔๕๖๗๘๙"
    numbers = [int("".join(str(thai.index(c)) for c in m)) for m in re.findall(r"^([๐-๙]+) (?![๐-๙])", table, re.M)]
    assert numbers == list(range(1, 32))  # 31 rows, in order, none lost or doubled
    assert "รวมทั้งสิ้น ๑๕,๐๐๐.๐๐ ๔ ๓๐ ๒๘ ๔" in table

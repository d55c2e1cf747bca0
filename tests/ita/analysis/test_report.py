"""The ITA analysis report: classification counts that match their lists, guidance, recommendations,
Thai digits in the PDF, access, and `render_pdf ita-analysis`."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ita.analysis import documents
from ita.analysis import services as analysis_services
from ita.framework_data import INDICATORS
from ita.models import IndicatorScore
from ita.results import selectors, services
from lao_integrity.orgs.access import SYSTEM
from tests.support.pdf import needs_pdftotext, text_of

SEED_2566 = {1: "95.01", 2: "84.45", 3: "88.62", 4: "83.07", 5: "86.04", 6: "85.07", 7: "84.54", 8: "82.73",
             9: "100", 10: "100"}
STRONG, KEEP, IMPROVE = [1, 9, 10], [3, 5, 6], [2, 4, 7, 8]
NAMES = {number: name for number, _, name in INDICATORS}
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def flat(text: str) -> str:
    """Without whitespace: pdftotext breaks Thai lines anywhere, so compare text without it."""
    return re.sub(r"\s+", "", text)


def th(text: str) -> str:
    return text.translate(THAI)


@pytest.fixture(autouse=True)
def _ita_documents():
    # ItaConfig.ready() calls this once the app registers its documents; calling again is harmless.
    documents.register_documents()


@pytest.fixture
def result(org):
    result = services.result_save(organisation=org, fiscal_year=2566, rank=1175,
                                  scores={n: Decimal(v) for n, v in SEED_2566.items()}, user=SYSTEM)
    analysis_services.recommendations_replace(result=result, by_tool={
        "IIT": ["ควรพัฒนาและปรับปรุงการดำเนินการตามตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ"],
        "EIT": ["ควรปรับปรุงคู่มือการปฏิบัติงาน (อ้างอิงจาก O14) ให้ลดขั้นตอน"],
    }, user=SYSTEM)
    return result


def page_lists(html: str) -> dict[str, list[int]]:
    lists = {}
    for key in ("strong", "keep", "improve"):
        block = re.search(rf'<ul id="list-{key}">(.*?)</ul>', html, re.S).group(1)
        lists[key] = [int(n) for n in re.findall(r'data-number="(\d+)"', block)]
    return lists


def page_counts(html: str) -> dict[str, int]:
    return {key: int(re.search(rf'id="count-{key}">(\d+)<', html).group(1)) for key in ("strong", "keep", "improve")}


# --- classification -----------------------------------------------------------------------------


def test_seed_scores_give_the_published_totals_and_groups(result):
    assert (result.iit, result.eit, result.oit, result.overall, result.level, result.passed) == (
        Decimal("87.44"), Decimal("84.11"), Decimal("100.00"), Decimal("91.47"), "A", True)
    context = documents.analysis_context(selectors.result_for_page(result.pk))
    groups = {g.key: g for g in context["groups"]}
    assert groups["strong"].numbers == STRONG
    assert groups["keep"].numbers == KEEP
    assert groups["improve"].numbers == IMPROVE
    assert [g.count for g in context["groups"]] == [3, 3, 4]


def test_boundaries_95_and_85(org):
    scores = {n: Decimal("90") for n in range(1, 11)}
    scores.update({1: Decimal("95.00"), 2: Decimal("94.99"), 3: Decimal("85.00"), 4: Decimal("84.99")})
    result = services.result_save(organisation=org, fiscal_year=2565, scores=scores, user=SYSTEM)
    groups = {g.key: g.numbers for g in documents.score_groups(list(selectors.result_for_page(result.pk)
                                                                   .scores.all()))}
    assert groups["strong"] == [1]
    assert 2 in groups["keep"] and 3 in groups["keep"]
    assert groups["improve"] == [4]


def test_page_counts_equal_its_lists(result, client_for, staff):
    response = client_for(staff).get(f"/ita/result/{result.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    lists, counts = page_lists(html), page_counts(html)
    assert lists == {"strong": STRONG, "keep": KEEP, "improve": IMPROVE}
    assert counts == {key: len(value) for key, value in lists.items()}
    assert '<span id="overall" style="font-size:1.3rem;font-weight:700">91.47</span>' in html
    assert '<span id="level" class="badge">A</span>' in html
    for band in ("AA", "95.00 - 100.00", "85.00 - 94.99", "50.00 - 54.99", "0.00 - 49.99"):
        assert band in html


def test_page_shows_recommendations_by_tool(result, client_for, auditor):
    html = client_for(auditor).get(f"/ita/result/{result.pk}/").content.decode()
    iit = re.search(r'id="recommendations-IIT">(.*?)</div>', html, re.S).group(1)
    eit = re.search(r'id="recommendations-EIT">(.*?)</div>', html, re.S).group(1)
    assert "การใช้ทรัพย์สินของราชการ" in iit and "คู่มือการปฏิบัติงาน" in eit
    assert 'id="recommendations-OIT"' not in html


def test_no_recommendations_no_section(org, client_for, staff):
    result = services.result_save(organisation=org, fiscal_year=2566,
                                  scores={n: Decimal(v) for n, v in SEED_2566.items()}, user=staff)
    html = client_for(staff).get(f"/ita/result/{result.pk}/").content.decode()
    assert "<h2>ข้อเสนอแนะของผู้ตรวจประเมิน" not in html  # the general guidelines mention them
    text = documents.analysis_html(selectors.result_for_page(result.pk))
    assert re.search(r"<h3>\d+\. ข้อเสนอแนะของผู้ตรวจประเมิน", text) is None
    assert re.search(r"<h3>\d+\. แนวทางการพัฒนาโดยทั่วไป", text)


# --- the PDF --------------------------------------------------------------------------------------


@needs_pdftotext
def test_pdf_lists_counts_and_thai_digits(result):
    pypdf = pytest.importorskip("pypdf")
    pdf = documents.analysis_pdf(selectors.result_for_page(result.pk))
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    body = flat(text)
    assert flat("รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส") in body
    assert flat(th("ได้คะแนนรวม 91.47 คะแนน อยู่ในระดับ A อยู่ในลำดับที่ 1,175")) in body
    expected = [
        ("จุดแข็ง (คะแนนตั้งแต่ 95 ขึ้นไป)", STRONG),
        ("ควรรักษาและยกระดับ (คะแนนตั้งแต่ 85 แต่น้อยกว่า 95)", KEEP),
        ("ต้องปรับปรุงและพัฒนา (คะแนนน้อยกว่า 85)", IMPROVE),
    ]
    position = 0
    for label, numbers in expected:
        line = f"{label} จำนวน {len(numbers)} ตัวชี้วัด ได้แก่ ตัวชี้วัดที่ {', '.join(map(str, numbers))}"
        found = body.find(flat(th(line)), position)
        assert found > 0, line
        position = found
        for number in numbers:  # each listed after its group's line, with its name and score
            score = Decimal(SEED_2566[number]).quantize(Decimal("0.01"))
            entry = flat(th(f"- ตัวชี้วัดที่ {number} {NAMES[number]} {score} คะแนน"))
            assert body.find(entry, position) > position, entry
    assert flat("ข้อเสนอแนะของผู้ตรวจประเมิน") in body
    assert flat("อ้างอิงจากO14") in body  # an item code keeps its Latin digits
    leftover = re.sub(r"\b[OIE]\d+\b", "", text)
    assert not re.search(r"[0-9]", leftover), re.findall(r".{0,20}[0-9].{0,20}", leftover)[:5]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]


@needs_pdftotext
def test_pdf_includes_next_years_measures_table(result, units):
    from ita.measures import services as measure_services

    measure_services.measure_create(organisation=result.organisation, fiscal_year=2567,
                                    title="จัดทำคู่มือการใช้ทรัพย์สินของราชการ", indicators=[4],
                                    responsible_unit=units["กองคลัง"], deadline_text="ตลอดปีงบประมาณ", user=SYSTEM)
    body = flat(text_of(documents.analysis_pdf(selectors.result_for_page(result.pk))))
    header = flat("มาตรการ ขั้นตอน/วิธีการปฏิบัติ ผู้รับผิดชอบ กำหนดแล้วเสร็จ การรายงานผล")
    assert header in body
    assert flat("ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ ๑. จัดทำคู่มือการใช้ทรัพย์สินของราชการ") in body
    assert flat("กองคลัง ตลอดปีงบประมาณ รายไตรมาส") in body


# --- guidance -------------------------------------------------------------------------------------


@needs_pdftotext
def test_guidance_saved_and_shown(result, client_for, staff):
    client = client_for(staff)
    form = client.get(f"/ita/result/{result.pk}/guidance/")
    assert form.status_code == 200 and 'name="guidance_2"' in form.content.decode()
    response = client.post(f"/ita/result/{result.pk}/guidance/", {
        "guidance_2": "จัดประชุมชี้แจงแผนการใช้จ่ายงบประมาณ 2 ครั้งต่อปี\nเผยแพร่อินโฟกราฟิกให้บุคลากร",
        "guidance_9": "  รักษามาตรฐานการเปิดเผยข้อมูล  ", "version": str(result.version)})
    assert response.status_code == 302
    saved = dict(IndicatorScore.objects.filter(result=result).values_list("indicator__number", "guidance"))
    assert saved[2] == "จัดประชุมชี้แจงแผนการใช้จ่ายงบประมาณ 2 ครั้งต่อปี\nเผยแพร่อินโฟกราฟิกให้บุคลากร"
    assert saved[9] == "รักษามาตรฐานการเปิดเผยข้อมูล"
    assert saved[1] == ""
    html = client.get(f"/ita/result/{result.pk}/").content.decode()
    improve = re.search(r'<ul id="list-improve">(.*?)</ul>', html, re.S).group(1)
    assert "จัดประชุมชี้แจงแผนการใช้จ่ายงบประมาณ" in improve
    body = flat(text_of(documents.analysis_pdf(selectors.result_for_page(result.pk))))
    assert flat("จัดประชุมชี้แจงแผนการใช้จ่ายงบประมาณ ๒ ครั้งต่อปี") in body
    assert body.index(flat("ตัวชี้วัดที่ ๒ การใช้งบประมาณ ๘๔.๔๕ คะแนน")) < body.index(
        flat("จัดประชุมชี้แจงแผนการใช้จ่ายงบประมาณ"))


def test_guidance_too_long_changes_nothing(result, client_for, staff):
    response = client_for(staff).post(f"/ita/result/{result.pk}/guidance/",
                                      {"guidance_1": "ก" * 3001, "guidance_2": "ข้อความที่ถูกต้อง"})
    assert response.status_code == 200
    assert "แนวทางยาวเกิน" in response.content.decode()
    assert set(IndicatorScore.objects.filter(result=result).values_list("guidance", flat=True)) == {""}


# --- access ---------------------------------------------------------------------------------------


def test_auditor_reads_but_cannot_edit_guidance(result, client_for, auditor):
    client = client_for(auditor)
    assert client.get(f"/ita/result/{result.pk}/").status_code == 200
    pdf = client.get(f"/ita/result/{result.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert 'filename="ita-analysis-5299901-2566.pdf"' in pdf["Content-Disposition"]
    assert client.get(f"/ita/result/{result.pk}/guidance/").status_code == 403
    assert client.post(f"/ita/result/{result.pk}/guidance/", {"guidance_1": "แก้โดยผู้ตรวจ"}).status_code == 403
    assert not IndicatorScore.objects.filter(result=result).exclude(guidance="").exists()
    page = client.get(f"/ita/result/{result.pk}/").content.decode()
    assert f"/ita/result/{result.pk}/guidance/" not in page


def test_other_organisation_gets_404_everywhere(result, client_for, other_staff):
    client = client_for(other_staff)
    for url in (f"/ita/result/{result.pk}/", f"/ita/result/{result.pk}/pdf/",
                f"/ita/result/{result.pk}/pdf/?preview=1", f"/ita/result/{result.pk}/guidance/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/ita/result/{result.pk}/guidance/", {"guidance_1": "x"}).status_code == 404
    assert client.get("/ita/result/999999/").status_code == 404


def test_preview_is_the_same_document_with_thai_digits(result, client_for, executive):
    html = client_for(executive).get(f"/ita/result/{result.pk}/pdf/?preview=1").content.decode()
    assert "๙๑.๔๗" in html and "91.47" not in html.split("<body", 1)[1]
    assert "ตัวชี้วัดที่ ๑, ๙, ๑๐" in html


# --- render_pdf -----------------------------------------------------------------------------------


def test_render_pdf_command(result, tmp_path):
    out = tmp_path / "analysis.pdf"
    call_command("render_pdf", "ita-analysis", "--org", "5299901", "--fiscal-year", "2566", "-o", str(out),
                 stdout=io.StringIO())
    assert out.read_bytes().startswith(b"%PDF")
    missing = tmp_path / "missing.pdf"
    with pytest.raises(CommandError, match="ยังไม่มีผลการประเมิน ITA ปีงบประมาณ 2565"):
        call_command("render_pdf", "ita-analysis", "--org", "5299901", "--fiscal-year", "2565", "-o", str(missing))
    assert not missing.exists()

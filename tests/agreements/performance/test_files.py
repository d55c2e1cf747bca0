"""Performance agreements as files: the indicator table's export and import, and the PDF."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from agreements.performance import documents, exchange, selectors, services
from agreements.performance.models import Aspect, WorkType
from lao_integrity import thai
from lao_integrity.documents.registry import kinds
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.tabular import ImportRejected, write_table
from tests.agreements.performance.helpers import FOUR, indicator_fields
from tests.support.pages import by_id, page
from tests.support.pdf import needs_pdftotext, text_of

pytestmark = pytest.mark.django_db
D = Decimal
FIELDS = ["aspect", "work_type", "name", "unit_of_measure", "baseline", "higher_is_better", "target_1", "target_2",
          "target_3", "target_4", "target_5", "weight"]


def _snapshot(agreement):
    return [tuple(getattr(r.indicator, f) for f in FIELDS) for r in selectors.agreement_detail(agreement).rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_import_round_trip(agreement, four, second, staff, client_for, fmt):
    response = client_for(staff).get(reverse("agreements:indicator_export", args=[agreement.pk, fmt]))
    assert response.status_code == 200
    data = response.content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).active
        assert [c.value for c in sheet[1]] == exchange.HEADERS
    else:
        assert data.decode("utf-8-sig").splitlines()[0] == ",".join(exchange.HEADERS)
    services.indicator_create(agreement=second, **indicator_fields("จะถูกแทนที่", "5"), user=staff)
    upload = SimpleUploadedFile(f"indicators.{fmt}", data)
    response = client_for(staff).post(reverse("agreements:indicator_import", args=[second.pk]), {"file": upload})
    assert response.status_code == 302
    assert _snapshot(second) == _snapshot(agreement)
    assert not second.indicators.filter(name="จะถูกแทนที่").exists()
    lower = second.indicators.get(name__startswith="จำนวนวันเฉลี่ย")
    assert lower.higher_is_better is False  # read from the falling targets


def _file(rows, name="indicators.csv"):
    fmt = name.rsplit(".", 1)[-1]
    return write_table(exchange.HEADERS, rows, fmt)


def test_import_accepts_labels_short_names_and_numbers(second):
    rows = [
        [1, "Service Excellence", "งานท้าทาย", "ตัวชี้วัดหนึ่ง", "ร้อยละ", "", 1, 2, 3, 4, 5, 50],
        [2, "ด้านที่ 5", "2", "ตัวชี้วัดสอง", "วัน", "๑๐", "๒๐", "๑๕", "๑๐", "๕", "๑", "๒๕"],
        [3, "integrity", "งานที่ได้รับมอบหมายเป็นกรณีพิเศษ", "ตัวชี้วัดสาม", "ครั้ง", "", 1, 2, 3, 4, 5, "25.00"],
    ]
    count = exchange.indicators_import(agreement=second, data=_file(rows), filename="x.csv", user=SYSTEM)
    assert count == 3
    got = list(second.indicators.order_by("order").values_list("aspect", "work_type", "higher_is_better", "weight"))
    assert got == [(Aspect.SERVICE, WorkType.CHALLENGE, True, D("50")),
                   (Aspect.INTEGRITY, WorkType.CHALLENGE, False, D("25")),
                   (Aspect.INTEGRITY, WorkType.SPECIAL, True, D("25"))]


def test_import_rejects_the_whole_file_and_lists_every_bad_line(agreement, four, staff, client_for):
    before = _snapshot(agreement)
    rows = [
        [1, "ด้านที่ไม่มี", "งานท้าทาย", "ก", "ร้อยละ", "", 1, 2, 3, 4, 5, 50],         # line 2: aspect
        [2, "Integrity", "งานสำคัญตามภารกิจหลัก", "ข", "ร้อยละ", "", 1, 2, 3, 4, 5, 25],  # line 3: fine
        [3, "Integrity", "งานท้าทาย", "ค", "ร้อยละ", "", 1, 3, 2, 4, 5, 25],              # line 4: order
        [4, "Integrity", "งานท้าทาย", "ง", "ร้อยละ", "", 1, 2, 3, 4, 5, ""],              # line 5: weight
        [5, "Integrity", "งานท้าทาย", "จ", "ร้อยละ", "", 1, 2, 3, 4, 5, "abc"],           # line 6: weight
    ]
    with pytest.raises(ImportRejected) as caught:
        exchange.indicators_import(agreement=agreement, data=_file(rows), filename="x.csv", user=staff)
    lines = [p.line for p in caught.value.problems]
    assert sorted(set(lines)) == [2, 4, 5, 6]
    assert "ด้าน “ด้านที่ไม่มี” ไม่ถูกต้อง" in str(caught.value)
    assert "บรรทัดที่ 4" in str(caught.value)
    # agreement is signed? no: still a draft, and nothing changed
    assert _snapshot(agreement) == before
    response = client_for(staff).post(reverse("agreements:indicator_import", args=[agreement.pk]),
                                      {"file": SimpleUploadedFile("x.csv", _file(rows))})
    problems = by_id(page(response), "import-problems")
    assert "บรรทัดที่ 2" in problems and "บรรทัดที่ 6" in problems and "บรรทัดที่ 3" not in problems
    assert _snapshot(agreement) == before


def test_import_only_into_a_draft(signed, four):
    rows = [[1, "Integrity", "งานท้าทาย", "ก", "ร้อยละ", "", 1, 2, 3, 4, 5, 100]]
    with pytest.raises(ImportRejected, match="ลงนามแล้ว"):
        exchange.indicators_import(agreement=signed, data=_file(rows), filename="x.csv", user=SYSTEM)
    assert signed.indicators.count() == 4


# --- the PDF -------------------------------------------------------------------------------


@needs_pdftotext
def test_pdf_text_names_indicators_parties_and_uses_thai_digits(signed, four, people, head, executive):
    text = text_of(documents.agreement_pdf(signed))
    flat = " ".join(text.split())
    assert "บันทึกข้อตกลงการปฏิบัติราชการ" in flat
    assert "องค์การบริหารส่วนตำบลบ้านทดสอบ" in flat
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๙ รอบการประเมินครั้งที่ ๑" in flat
    assert "๑ ตุลาคม ๒๕๖๘" in flat and "๓๑ มีนาคม ๒๕๖๙" in flat
    for fields in FOUR:
        assert thai.to_thai_digits(fields["name"]) in flat
    assert "ผู้รับข้อตกลง" in flat and "ผู้ให้ข้อตกลง" in flat
    assert "(นางสาวมาลี ศรีคลัง)" in flat and "(นายสมชาย ใจดี)" in flat
    assert "ผู้อำนวยการกองคลัง" in flat
    assert "ค่ายิ่งน้อยยิ่งดี" in flat
    assert re.search(r"[0-9]", text) is None, re.findall(r".{10}[0-9].{10}", text)[:3]
    assert "ตาบล" not in text
    services.agreement_evaluate(agreement=signed, user=executive, today=datetime.date(2026, 3, 1),
                                values={four[0].pk: D("61"), four[1].pk: D("15"), four[2].pk: D("86"),
                                        four[3].pk: D("1")})
    signed.refresh_from_db()
    flat = " ".join(text_of(documents.agreement_pdf(signed)).split())
    assert "คะแนนผลสัมฤทธิ์ (ร้อยละ) = ผลรวมคะแนนถ่วงน้ำหนัก ๗๖.๐๐" in flat


def test_pdf_of_a_draft_is_marked(agreement, four, staff, client_for):
    preview = page(client_for(staff).get(reverse("agreements:pdf", args=[agreement.pk]) + "?preview=1"))
    assert "ร่าง ยังไม่ได้ลงนาม" in preview
    assert "๔๐" in preview  # weights in Thai digits


def test_render_pdf_kind_is_registered_and_renders_the_year(signed, second, org):
    documents.register_documents()
    kind = kinds()["performance-agreement"]
    pdf = kind.build(org, 2569, months=12)
    assert pdf.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) >= 2  # one section per agreement
    with pytest.raises(LookupError):
        kind.build(org, 2560)

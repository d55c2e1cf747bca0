"""The ITA analysis report ends with its signature blocks, as the real report does ("ลงชื่อ …
หัวหน้าสำนักปลัด"): prepared by the head of สำนักปลัด, approved by the executive, taken from the
organisation's people; a dotted line only when nobody holds the post."""

import re
from decimal import Decimal

import pytest

from ita.analysis import documents
from ita.results import selectors, services
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import person_ensure
from tests.support.pdf import pdftotext, text_of

pytestmark = pytest.mark.django_db
SCORES = {1: "95.01", 2: "84.45", 3: "88.62", 4: "83.07", 5: "86.04", 6: "85.07", 7: "84.54", 8: "82.73",
          9: "100", 10: "100"}


@pytest.fixture
def result(org):
    documents.register_documents()
    return services.result_save(organisation=org, fiscal_year=2566,
                                scores={n: Decimal(v) for n, v in SCORES.items()}, user=SYSTEM)


def pdf_text(result) -> str:
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = documents.analysis_pdf(selectors.result_for_page(result.pk))
    text = text_of(pdf)
    return re.sub(r"\s+", "", text)


def test_report_is_signed_by_the_head_of_the_office_and_the_executive(result, org, people, units):
    head = person_ensure(user=SYSTEM, organisation=org, prefix="นาง", first_name="มาลี", last_name="ตั้งใจ",
                         position="หัวหน้าสำนักปลัด", unit=units["สำนักปลัด"])
    text = pdf_text(result)
    assert "ผู้จัดทำรายงาน" in text and "ผู้อนุมัติ" in text
    assert f"({head.full_name})".replace(" ", "") in text
    assert f"({people['executive'].full_name})".replace(" ", "") in text
    assert f"ตำแหน่ง{org.executive_title}" in text
    # The blocks come last, after the analysis.
    assert text.rindex("ผู้อนุมัติ") > text.index("การวิเคราะห์ผลการประเมิน")


def test_someone_acting_for_a_post_signs_for_it(result, org, people):
    people["executive"].is_active = False
    people["executive"].save()
    deputy = person_ensure(user=SYSTEM, organisation=org, prefix="นาย", first_name="รอง", last_name="ทำแทน",
                           position=f"ปลัด{org.name}", acting_lines=f"ปฏิบัติหน้าที่{org.executive_title}")
    [preparer, approver] = documents.signatories(org)
    assert approver.person == deputy and approver.position == f"ปลัด{org.name}"
    assert approver.acting == [f"ปฏิบัติหน้าที่{org.executive_title}"]
    assert preparer.person is None
    text = pdf_text(result)
    assert f"ปฏิบัติหน้าที่{org.executive_title}" in text


def test_nobody_known_leaves_dotted_lines(result, org):
    [preparer, approver] = documents.signatories(org)
    assert preparer.person is None and approver.person is None
    text = pdf_text(result)
    assert f"ตำแหน่งหัวหน้าสำนักปลัด{org.name}" in text
    assert f"ตำแหน่ง{org.executive_title}" in text
    assert text.count("(ลงชื่อ)") == 2

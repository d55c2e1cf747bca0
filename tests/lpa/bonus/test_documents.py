"""The summary's page, PDF and xlsx: the seed's heading (the meeting from the year's rule), its
columns in order, and its totals (Thai digits in the PDF); readable by who sees the organisations."""

import subprocess
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Role
from lao_integrity.orgs.services import auditor_scope_set, membership_grant
from lao_integrity.tabular import read_table
from tests.lpa.bonus.seed_rows import FIRST_TABLE, PROVINCE, ROWS, store_seed
from tests.support.pdf import needs_pdftotext, text_of

D = Decimal
pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reader():
    """A supervisor of the province by membership of the seed's municipalities (sees only them)."""
    orgs = store_seed()
    user = get_user_model().objects.create_user("bonus_doc_reader")
    for org in orgs:
        membership_grant(user=SYSTEM, account=user, organisation=org, role=Role.AUDITOR)
    return user


def url(name, province=PROVINCE, year=2566):
    return reverse(f"lpa:{name}", args=[province, year])


def test_the_page_shows_the_heading_and_every_total(reader):
    page = client_of(reader).get(url("bonus_summary"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "สรุปคะแนนการประเมินประสิทธิภาพและประสิทธิผลการปฏิบัติราชการ" in text
    assert "ในการประชุม ก.ท.จ.เชียงราย ครั้งที่ 1/2567 วันที่ 23 มกราคม 2567" in text
    for row in ROWS:
        assert f"<strong>{row[8]}</strong>" in text, row[1]
    assert "บันทึกส่วนที่ 1" not in text  # supervisors read only: no entry links


@needs_pdftotext
def test_the_pdf_prints_the_seed_heading_and_thai_digit_totals(reader, tmp_path):
    response = client_of(reader).get(url("bonus_summary_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "bonus.pdf"
    pdf.write_bytes(response.content)
    flat = " ".join(text_of(response.content).split())
    assert "สรุปคะแนนการประเมินประสิทธิภาพและประสิทธิผลการปฏิบัติราชการ" in flat
    assert "เพื่อขอรับเงินรางวัลประจำปี ปีงบประมาณ พ.ศ. ๒๕๖๖" in flat
    assert "ครั้งที่ ๑/๒๕๖๗ วันที่ ๒๓ มกราคม ๒๕๖๗" in flat
    for total in ("๙๖.๐๐", "๘๖.๖๕", "๙๔.๐๐", "๙๙.๙๐", "๘๙.๖๕"):
        assert total in flat, total
    assert "๘๖.๕๙" in flat and "๗๙.๕๔" in flat  # LPA percentages
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # A4 landscape: wider than high


def test_the_xlsx_has_the_seed_columns_in_order(reader):
    response = client_of(reader).get(url("bonus_summary_xlsx"))
    assert response.status_code == 200
    table = read_table(response.content, "bonus.xlsx")
    assert table.headers[:4] == ["ที่", "อำเภอ", "ลำดับ", "เทศบาล"]
    assert table.headers[4].startswith("มิติที่ 1") and table.headers[7].startswith("มิติที่ 4")
    assert table.headers[8].startswith("LPA 5 ด้าน") and table.headers[9].startswith("คะแนนที่ได้")
    assert table.headers[10].startswith("รวม") and table.headers[11] == "หมายเหตุ"
    rows = {row[3]: row for row in table}
    assert len(rows) == len(ROWS)
    first = rows["บ้านดู่"]
    assert (str(first[0]), first[1], str(first[2])) == ("1", "เมือง", "1")
    for name, total in (("บ้านดู่", "96"), ("ดงมะดะ", "86.65"), ("แม่สายมิตรภาพ", "94")):
        assert D(str(rows[name][10])) == D(total), name
        assert D(str(rows[name][9])) in (D(8), D(10))


def test_a_province_the_user_sees_nothing_of_is_not_found(reader):
    for name in ("bonus_summary", "bonus_summary_pdf", "bonus_summary_xlsx"):
        assert client_of(reader).get(url(name, province="ลำปาง")).status_code == 404


def test_a_supervisor_of_another_province_sees_nothing(reader, org):  # org: one in ลำปาง
    other = get_user_model().objects.create_user("bonus_other_supervisor")
    auditor_scope_set(user=SYSTEM, account=other, provinces=["ลำปาง"])
    assert client_of(other).get(url("bonus_summary")).status_code == 404


def test_the_page_without_a_rule_says_so():
    orgs = store_seed(FIRST_TABLE[:1], fiscal_year=2571)
    user = get_user_model().objects.create_user("bonus_no_rule")
    membership_grant(user=SYSTEM, account=user, organisation=orgs[0], role=Role.AUDITOR)
    text = client_of(user).get(url("bonus_summary", year=2571)).content.decode()
    assert "ยังไม่มีเกณฑ์คะแนนส่วนที่ 2 ของปีงบประมาณ 2571" in text


def test_administrators_get_entry_links(reader):
    admin = get_user_model().objects.create_superuser("bonus_doc_admin", password="x")
    text = client_of(admin).get(url("bonus_summary")).content.decode()
    assert reverse("lpa:bonus_entry", args=["9500001", 2566]) in text
    assert quote(PROVINCE) in url("bonus_summary")


def test_the_page_takes_a_fixed_number_of_queries_as_municipalities_grow():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    orgs = store_seed(ROWS[:3])
    user = get_user_model().objects.create_user("bonus_growing_reader")
    auditor_scope_set(user=SYSTEM, account=user, provinces=[PROVINCE])
    client = client_of(user)
    client.get(url("bonus_summary"))  # the first request of a session reads what later ones keep
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("bonus_summary")).status_code == 200
    store_seed(ROWS[3:], start=3)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("bonus_summary"))
    assert page.content.decode().count('id="row-95') == len(ROWS) > len(orgs)
    assert len(many) == len(few)

"""The LPA pages: who sees the province table (and which rows), the history, the downloads, the
PDF as printed (Thai digits, the reporter, "ข้อมูล ณ วันที่"), the import page, and queries that stay
fixed as the rows grow."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Role
from lao_integrity.orgs.services import auditor_scope_set, membership_grant
from lpa.models import LpaResult
from lpa.results import documents, selectors
from tests.support.pdf import needs_pdftotext, text_of

from .conftest import PROVINCE, SEED_CSV, run_import

pytestmark = pytest.mark.django_db
TABLE = reverse("lpa:province", kwargs={"province": PROVINCE, "fiscal_year": 2566})


@pytest.fixture
def imported(seed_orgs):
    run_import(data_as_of=datetime.date(2023, 12, 18), reporter="นายเจตณรงค์ อินกัน",
               reporter_position="ท้องถิ่นจังหวัดเชียงราย")
    return seed_orgs


def user(username, **fields):
    return get_user_model().objects.create_user(username=username, password="pw-lpa-2569", **fields)


def province_auditor(province):
    account = user(f"lpa_auditor_{len(province)}")
    auditor_scope_set(account=account, provinces=[province], user=SYSTEM)
    return account


# --- who sees what ---------------------------------------------------------------------------------


def test_a_provincial_auditor_sees_every_row_ranked(client, imported):
    client.force_login(province_auditor(PROVINCE))
    response = client.get(TABLE)
    assert response.status_code == 200
    rows = response.context["table"].rows
    assert len(rows) == 48 and rows[0].rank == 1 and rows[0].percent == Decimal("95.96")
    html = response.content.decode()
    assert "ทต.สันทราย" in html and reverse("lpa:history", args=[imported[0].code]) in html


def test_a_member_sees_only_their_own_row_with_its_place_in_the_province(client, imported):
    mae_sai = next(o for o in imported if o.name == "เทศบาลตำบลแม่สายมิตรภาพ")
    member = user("lpa_member")
    membership_grant(account=member, organisation=mae_sai, role=Role.STAFF, user=SYSTEM)
    client.force_login(member)
    response = client.get(TABLE)
    table = response.context["table"]
    assert [row.organisation for row in table.rows] == [mae_sai]
    assert table.rows[0].rank == 124 - 96 and table.ranked_in_province == 48  # printed 124th of the 48 imported
    assert "ทต.สันทราย" not in response.content.decode()


def test_staff_of_another_province_get_a_404(client, imported, staff):
    client.force_login(staff)  # บ้านทดสอบ, ลำปาง
    for name, extra in (("lpa:province", {}), ("lpa:province_pdf", {}), ("lpa:province_export", {"fmt": "xlsx"})):
        assert client.get(reverse(name, kwargs={"province": PROVINCE, "fiscal_year": 2566, **extra})).status_code == 404
    assert client.get(reverse("lpa:history", args=[imported[0].code])).status_code == 404
    client.force_login(province_auditor("ลำปาง"))
    assert client.get(TABLE).status_code == 404


def test_a_year_or_province_without_results_is_a_404_even_for_an_administrator(client, imported):
    client.force_login(user("lpa_admin", is_superuser=True, is_staff=True))
    assert client.get(reverse("lpa:province", kwargs={"province": PROVINCE, "fiscal_year": 2565})).status_code == 404
    assert client.get(reverse("lpa:province", kwargs={"province": "ลำปาง", "fiscal_year": 2566})).status_code == 404


def test_anonymous_is_sent_to_log_in(client, imported):
    response = client.get(TABLE)
    assert response.status_code == 302 and "/login" in response["Location"]


# --- the history ---------------------------------------------------------------------------------


def test_the_history_shows_each_year_with_its_rank_in_the_province(client, imported):
    rows = list(csv.reader(SEED_CSV.open(encoding="utf-8")))
    first_only = [*rows[:3], rows[3]]
    run_import(data="\n".join(",".join(r) for r in first_only).encode(), fiscal_year=2565)
    client.force_login(province_auditor(PROVINCE))
    response = client.get(reverse("lpa:history", args=[imported[0].code]))
    assert response.status_code == 200
    history = response.context["rows"]
    assert [(r.result.fiscal_year, r.rank, r.percent) for r in history] == [(2566, 1, Decimal("95.96")), (2565, 1, Decimal("95.96"))]
    html = response.content.decode()
    assert reverse("lpa:province", kwargs={"province": PROVINCE, "fiscal_year": 2565}) in html


def test_the_history_of_an_organisation_without_results_says_so(client, other_org, other_staff):
    client.force_login(other_staff)
    response = client.get(reverse("lpa:history", args=[other_org.code]))
    assert response.status_code == 200 and "ยังไม่มีผลการประเมิน LPA" in response.content.decode()


# --- downloads and the PDF -------------------------------------------------------------------------


def test_the_xlsx_download_is_the_printed_layout(client, imported):
    client.force_login(province_auditor(PROVINCE))
    response = client.get(reverse("lpa:province_export", kwargs={"province": PROVINCE, "fiscal_year": 2566,
                                                                 "fmt": "xlsx"}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:8] == ["ลำดับที่", "ภาค", "จังหวัด", "อำเภอ", "ประเภทอปท.", "ชื่อ อปท.", "รหัส อปท.", "ด้านที่ 1"]
    assert values[3][5] == "ทต.สันทราย" and values[3][-3:] == [445, 427, 95.96]
    assert len(values) == 3 + 48


@needs_pdftotext
def test_the_pdf_is_landscape_with_thai_digits_the_reporter_and_the_date_of_the_data(imported):
    table = selectors.province_table(SYSTEM, PROVINCE, 2566)
    pdf = documents.province_pdf(table)
    text = " ".join(text_of(pdf).split())
    assert "ข้อมูล ณ วันที่ ๑๘ ธันวาคม พ.ศ. ๒๕๖๖" in text
    assert "บัญชีแนบท้าย" in text and "ประกาศจังหวัดเชียงราย" in text
    assert "(นายเจตณรงค์ อินกัน)" in text and "ตำแหน่ง ท้องถิ่นจังหวัดเชียงราย" in text and "ผู้รายงาน" in text
    assert "๙๕.๙๖" in text and "๔๒๗" in text and "95.96" not in text
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape


def test_the_pdf_page_previews_as_html(client, imported):
    client.force_login(province_auditor(PROVINCE))
    url = reverse("lpa:province_pdf", kwargs={"province": PROVINCE, "fiscal_year": 2566})
    preview = client.get(url + "?preview=1")
    assert preview.status_code == 200 and "ข้อมูล ณ วันที่" in preview.content.decode()


# --- the import page ------------------------------------------------------------------------------


def test_only_an_administrator_imports(client, seed_orgs, staff):
    url = reverse("lpa:import")
    client.force_login(province_auditor(PROVINCE))
    assert client.get(url).status_code == 403
    client.force_login(staff)
    assert client.get(url).status_code == 403
    upload = SimpleUploadedFile("seed.csv", SEED_CSV.read_bytes())
    assert client.post(url, {"file": upload, "fiscal_year": "2566"}).status_code == 403
    assert not LpaResult.objects.filter(fiscal_year=2566, organisation__province=PROVINCE).exists()


def test_the_import_page_imports_the_seed_and_shows_the_notes(client, seed_orgs):
    client.force_login(user("lpa_admin", is_superuser=True, is_staff=True))
    upload = SimpleUploadedFile("seed.csv", SEED_CSV.read_bytes())
    response = client.post(reverse("lpa:import"), {"file": upload, "fiscal_year": "2566", "data_as_of": "18/12/2566",
                                                   "reporter": "นายเจตณรงค์ อินกัน"}, follow=True)
    html = response.content.decode()
    assert "นำเข้าผล LPA ปีงบประมาณ 2566 แล้ว 48 อปท." in html
    assert "บรรทัดที่ 16: ลำดับที่ 13 ได้ร้อยละ 90.33 เท่ากับลำดับที่ 12" in html
    assert LpaResult.objects.get(organisation=seed_orgs[0], fiscal_year=2566).data_as_of == datetime.date(2023, 12, 18)


def test_the_import_page_lists_every_bad_line_and_writes_nothing(client, seed_orgs):
    client.force_login(user("lpa_admin", is_superuser=True, is_staff=True))
    text = SEED_CSV.read_text(encoding="utf-8").replace("อบต.ท่าก้อ", "อบต.ท่าก้อใหม่")
    upload = SimpleUploadedFile("seed.csv", text.encode())
    response = client.post(reverse("lpa:import"), {"file": upload, "fiscal_year": "2566"})
    assert response.status_code == 200
    assert "บรรทัดที่ 13: ไม่พบ อปท. “อบต.ท่าก้อใหม่” ในอำเภอแม่สรวย จังหวัดเชียงราย" in response.content.decode()
    assert not LpaResult.objects.filter(fiscal_year=2566, organisation__province=PROVINCE).exists()


# --- queries fixed as rows grow ---------------------------------------------------------------------


def _count(client, url) -> int:
    client.get(url)  # the menu's counts (base.html) are kept after a first page: not this page's reads
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_read_a_fixed_number_of_queries(client, seed_orgs):
    rows = list(csv.reader(SEED_CSV.open(encoding="utf-8")))
    few = [*rows[:3], *rows[3:8]]
    run_import(data="\n".join(",".join(r) for r in few).encode())
    run_import(data="\n".join(",".join(r) for r in few).encode(), fiscal_year=2565)
    client.force_login(province_auditor(PROVINCE))
    history = reverse("lpa:history", args=[seed_orgs[0].code])
    small = (_count(client, TABLE), _count(client, history), _count(client, reverse("lpa:index")))
    run_import()
    run_import(fiscal_year=2564)
    run_import(fiscal_year=2563)
    large = (_count(client, TABLE), _count(client, history), _count(client, reverse("lpa:index")))
    assert large == small
    assert small[0] <= 9, small  # session, user, the marks (ranks and areas), grants, results, the menu's few
    assert LpaResult.objects.filter(organisation__province=PROVINCE).count() == 48 * 3 + 5

"""The ITAS answer sheet (xlsx), the public OIT page an assessor opens, and pages that stay at a fixed
number of queries however many items are answered."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ita.oit import services
from ita.oit.models import State
from tests.support.pages import text

pytestmark = pytest.mark.django_db


def sheet_rows(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return [tuple("" if v is None else v for v in row) for row in book.active.iter_rows(values_only=True)]


def test_the_itas_sheet_has_one_row_per_item(org, staff, auditor, client_for, section, published_plan_announcement):
    services.answer_save(organisation=org, fiscal_year=2569, item_code="O1", user=staff, state=State.YES,
                         external_url="https://www.banhaeng.go.th/structure", note="แผนผังโครงสร้าง", expected_version=0)
    services.answer_save(organisation=org, fiscal_year=2569, item_code="O2", user=staff, state=State.NO,
                         note="อยู่ระหว่างจัดทำ", expected_version=0)
    response = client_for(auditor).get(reverse("ita:oit_export", args=[org.code, 2569]))
    assert response.status_code == 200 and f"itas-oit-{org.code}-2569.xlsx" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert rows[0] == ("ข้อ", "ชื่อข้อ", "มี/ไม่มี", "URL", "คำอธิบาย")
    assert len(rows) == 44 and [r[0] for r in rows[1:4]] == ["O1", "O2", "O3"]
    assert rows[1] == ("O1", "โครงสร้าง", "มี", "https://www.banhaeng.go.th/structure", "แผนผังโครงสร้าง")
    assert rows[2] == ("O2", "ข้อมูลผู้บริหาร", "ไม่มี", "", "อยู่ระหว่างจัดทำ")
    assert rows[3] == ("O3", "อำนาจหน้าที่", "", "", "")
    o36 = next(r for r in rows if r[0] == "O36")
    assert o36[1:4] == ("แผนปฏิบัติการป้องกันการทุจริต", "มี",
                        f"http://testserver/public/{org.code}/announcements/{published_plan_announcement.pk}/")


def test_the_public_page_shows_every_item_once_confirmed(org, other_org, staff, executive, other_staff, section,
                                                         published_plan_announcement):
    services.answer_save(organisation=org, fiscal_year=2569, item_code="O1", user=staff, state=State.YES,
                         external_url="https://www.banhaeng.go.th/structure", expected_version=0)
    services.answer_save(organisation=other_org, fiscal_year=2569, item_code="O1", user=other_staff, state=State.YES,
                         external_url="https://www.other.go.th/secret-structure", note="ของที่อื่น", expected_version=0)
    anonymous = Client()
    url = reverse("public_oit:year", args=[org.code, 2569])
    assert anonymous.get(url).status_code == 404  # not yet confirmed by the executive
    assert "ปีงบประมาณ 2569" not in text(anonymous.get(reverse("public_oit:years", args=[org.code])))
    services.checklist_confirm(organisation=org, fiscal_year=2569, user=executive)
    page = anonymous.get(url)
    assert page.status_code == 200
    body = text(page)
    for number in range(1, 44):
        assert f'<span class="oit-code">O{number}</span>' in body
    assert "https://www.banhaeng.go.th/structure" in body
    assert f"/public/{org.code}/announcements/{published_plan_announcement.pk}/" in page.content.decode()
    assert "other.go.th" not in body and "ของที่อื่น" not in body
    assert "ใช้ข้อการประเมินของกรอบปี 2566 (ยังไม่ยืนยันสำหรับปีนี้)" in body
    years = text(anonymous.get(reverse("public_oit:years", args=[org.code])))
    assert "ปีงบประมาณ 2569" in years
    assert anonymous.get(reverse("public_oit:year", args=[other_org.code, 2569])).status_code == 404
    assert anonymous.get(reverse("ita:oit", args=[org.code, 2569])).status_code == 302  # the signed-in page


def _count(client, url) -> int:
    # The second of two requests, as tests/project/test_query_budget.py counts: the first after a
    # write also counts the menu's obligations again (lao_integrity/obligations/menu.py).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_cost_the_same_queries_however_many_items_are_answered(org, staff, executive, client_for, section,
                                                                     published_plan_announcement):
    client = client_for(staff)
    urls = [reverse("ita:oit", args=[org.code, 2569]), reverse("ita:oit_export", args=[org.code, 2569]),
            reverse("ita:oit_answer", args=[org.code, 2569, "O36"])]
    services.answer_save(organisation=org, fiscal_year=2569, item_code="O1", user=staff, state=State.YES,
                         external_url="https://www.example.go.th/1", expected_version=0)
    services.checklist_confirm(organisation=org, fiscal_year=2569, user=executive)
    public = reverse("public_oit:year", args=[org.code, 2569])
    few = [_count(client, url) for url in urls] + [_count(Client(), public)]
    for number in range(2, 44):
        services.answer_save(organisation=org, fiscal_year=2569, item_code=f"O{number}", user=executive,
                             state=State.NO, note=f"ข้อ {number}", expected_version=0)
    services.checklist_confirm(organisation=org, fiscal_year=2569, user=executive)
    many = [_count(client, url) for url in urls] + [_count(Client(), public)]
    assert many == few
    # The checklist reads every public section once (plans, ITA, agreements, announcements, OIT).
    assert max(few) <= 30

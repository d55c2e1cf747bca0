"""Each role's main journey through the portal in a real browser, against the demo data, on a phone
(390 px, the menu folded) and on a desktop (1366 px).

Each test logs in through the login form and leaves a full-page screenshot of every step in
artifacts/browser/<test>/. Run only these with ``pytest -m browser``; skip them with
``-m "not browser"``.
"""

import hashlib
import re

from lao_integrity.views import CSRF_REFUSED
from tests.browser.common import BAN_HAENG, BOTH_WIDTHS, BROWSER, expect, menu, open_plan

pytestmark = [*BROWSER, BOTH_WIDTHS]

BAN_HAENG_CODE = "5205401"
SLOW_MS = 90_000  # steps that render a PDF

# Anything on a page that would let its reader change data. The only POST forms an auditor may see
# are the log-out button in the header and the ITA list's export of every organisation (it starts a
# background job that writes a file for the reader; no data changes).
EDITING = ", ".join([
    'a[href*="/edit/"]', 'a[href*="/import/"]', 'a[href*="/add/"]', 'a[href*="/delete/"]',
    'a[href*="/guidance/"]', 'form[method="post" i]:not([action$="/logout/"]):not(#export-all)',
])
# Links and buttons that start with a verb that changes something ("ลบ" alone also occurs inside
# "ตำบล", hence anchored at the start of the name).
EDITING_WORDS = re.compile(r"^[+\s]*(แก้ไข|นำเข้า|เพิ่ม|ลบ|บันทึก|อนุมัติ|ลงนาม|จัดทำ|สร้าง|เริ่ม)")


def assert_read_only(page):
    expect(page.locator(EDITING)).to_have_count(0)
    expect(page.get_by_role("link", name=EDITING_WORDS)).to_have_count(0)
    expect(page.get_by_role("button", name=EDITING_WORDS)).to_have_count(0)


def totals(page) -> dict:
    return {
        "budget": page.locator("#total-budget").inner_text().strip(),
        "quarters": [int(page.locator(f"#total-q{q}").inner_text()) for q in (1, 2, 3, 4)],
        "label": page.locator("#summary tfoot tr.total").inner_text(),
    }


def test_staff_adds_a_project_and_sees_the_totals_update(page, login, shot):
    login("staff")

    open_plan(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"พ.ศ. 2569 ของ {BAN_HAENG}")
    before = totals(page)
    assert before["budget"] == "15,000.00"
    assert "31 โครงการ" in before["label"]
    shot("plan-before")

    page.get_by_role("link", name="+ เพิ่มโครงการ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เพิ่มโครงการ")
    name = "โครงการทดสอบระบบด้วยเบราว์เซอร์ ประจำปี 2569"
    page.get_by_label("รายการโครงการ").fill(name)
    dimension = page.get_by_label("มิติ")
    dimension.select_option(label=dimension.locator("option", has_text=re.compile(r"^มิติ 2 ")).inner_text())
    page.get_by_label("งบประมาณ (บาท)").fill("2,500.50")
    page.get_by_label("ไตรมาส 2 (ม.ค.-มี.ค.)").check()
    page.get_by_label("ไตรมาส 4 (ก.ค.-ก.ย.)").check()
    # The plan is approved: the form asks before the change starts a revision.
    expect(page.locator("#revision-confirm")).to_contain_text("การแก้ไขนี้จะเริ่มฉบับปรับปรุง")
    page.get_by_label(re.compile("ยืนยัน เริ่มฉบับปรับปรุง")).check()
    shot("project-form-filled")

    page.get_by_role("button", name="บันทึก").click()
    expect(page.locator(".messages")).to_contain_text("เพิ่มโครงการลำดับที่")
    added = page.locator("#summary tbody tr").filter(has_text=name)
    expect(added).to_have_count(1)
    cells = added.locator("td")
    expect(cells.nth(2)).to_have_text(re.compile(r"^\*?2$"))  # dimension 2, starred: added after approval
    expect(cells.nth(3)).to_have_text("2,500.50")
    expect(cells.nth(4).locator(".tick")).to_have_count(0)
    expect(cells.nth(5).locator(".tick")).to_have_count(1)
    expect(cells.nth(6).locator(".tick")).to_have_count(0)
    expect(cells.nth(7).locator(".tick")).to_have_count(1)
    expect(page.locator("#total-budget")).to_have_text("17,500.50")
    after = totals(page)
    q1, q2, q3, q4 = before["quarters"]
    assert after["quarters"] == [q1, q2 + 1, q3, q4 + 1]
    assert "32 โครงการ" in after["label"]
    shot("plan-after")


def test_executive_signs_and_downloads_an_announcement(page, login, shot):
    login("executive")

    menu(page).get_by_role("link", name="ประกาศ", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ประกาศ")
    shot("announcements")

    # บ้านแหง's declaration of integrity, approved in the demo and waiting for the signature.
    row = page.locator("table.data tbody tr").filter(has_text=BAN_HAENG).filter(has_text="เจตจำนงสุจริต").filter(
        has=page.get_by_role("cell", name="2569", exact=True))
    expect(row).to_have_count(1)
    row.locator("td").nth(2).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(BAN_HAENG)
    expect(page.locator("#sha256")).to_have_count(0)
    shot("announcement-approved")

    # Signing lays out and stores the PDF: seconds, more on a busy machine.
    # Signing cannot be undone: the box saying what will be frozen is ticked first.
    page.get_by_label(re.compile("เมื่อลงนามแล้ว ประกาศและ PDF จะถูกตรึง")).check()
    page.get_by_role("button", name="ลงนามและจัดเก็บ PDF").click(timeout=SLOW_MS)
    sha_shown = page.locator("#sha256")
    expect(sha_shown).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(page.get_by_role("button", name="ลงนามและจัดเก็บ PDF")).to_have_count(0)
    sha = sha_shown.inner_text()
    shot("announcement-signed")

    with page.expect_download(timeout=SLOW_MS) as download_info:
        page.get_by_role("link", name="ดาวน์โหลด PDF ที่ลงนาม").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".pdf")
    pdf = download.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == sha
    shot("downloaded")


def test_auditor_browses_ita_history_and_cannot_edit(page, login, shot, demo):
    login("auditor")

    menu(page).get_by_role("link", name="ผลการประเมิน ITA").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ผลการประเมินคุณธรรมและความโปร่งใส (ITA)")
    results = page.locator("#results tbody tr")
    expect(results).to_have_count(4)
    assert_read_only(page)
    shot("ita-list")

    results.get_by_role("link", name=BAN_HAENG, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"ผลการประเมิน ITA รายปีของ {BAN_HAENG}")
    for year in (2563, 2564, 2565, 2566):
        expect(page.locator(f"#history #y{year}")).to_be_visible()
    expect(page.locator("#chart-overall-figure svg")).to_be_visible()
    charts = page.locator(".ita-multiples figure svg")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 5
    overall_2566 = page.locator("#y2566 td.total").inner_text()
    assert_read_only(page)
    shot("ita-history")

    page.locator("#y2566").get_by_role("link", name="วิเคราะห์").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ปีงบประมาณ 2566")
    expect(page.locator("#scores tbody tr").first).to_be_visible()
    assert_read_only(page)
    shot("ita-analysis")

    # Typing the edit address is refused, and so is posting scores to it with a valid CSRF token.
    edit_url = f"{demo.url}/ita/org/{BAN_HAENG_CODE}/2566/edit/"
    response = page.goto(edit_url)
    assert response.status == 403
    shot("ita-edit-refused")
    page.go_back()
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    # A refusal by the CSRF check is also a 403: it says so (in Thai, views.csrf_failure), which the
    # permission refusal must not.
    forged = page.request.post(edit_url, form={"csrfmiddlewaretoken": "x" * 64}, max_redirects=0)
    assert forged.status == 403 and CSRF_REFUSED in forged.text()
    # With a one-time form token from the page too (lao_integrity/submissions), as a form would send.
    once = page.locator("input[name=submission_token]").first.input_value()
    for url in (edit_url, f"{demo.url}/ita/import/"):
        posted = page.request.post(url, form={"csrfmiddlewaretoken": token, "submission_token": once,
                                              "rank": "1"},
                                   headers={"Referer": page.url}, max_redirects=0)
        assert posted.status == 403, url
        assert CSRF_REFUSED not in posted.text(), "refused by the CSRF check, not by the permission check"

    page.locator(".crumbs").get_by_role("link", name=BAN_HAENG).click()
    expect(page.locator("#y2566 td.total")).to_have_text(overall_2566)
    shot("ita-history-unchanged")


def test_executive_sees_what_changed_and_approves_the_revision(page, login, shot, demo):
    login("staff")
    open_plan(page)
    first = page.locator("#summary tbody tr").first
    first.locator('a[href*="/projects/"][href*="/edit/"]').first.click()
    page.get_by_label("งบประมาณ (บาท)").fill("40,000")
    page.get_by_label(re.compile("ยืนยัน เริ่มฉบับปรับปรุง")).check()
    page.get_by_role("button", name="บันทึก").click()
    expect(page.locator(".messages")).to_be_visible()
    shot("staff-changed-the-approved-plan")
    page.locator("header .who").get_by_role("button", name="ออกจากระบบ").click()

    login("executive")
    open_plan(page)
    changes = page.locator("#changes")
    expect(changes).to_contain_text("สิ่งที่เปลี่ยนไปก่อนอนุมัติ")
    expect(changes.locator("#changes-list")).to_contain_text("→ 40,000.00 บาท")
    shot("executive-sees-the-changes")

    page.get_by_label(re.compile("ยืนยันการอนุมัติ")).check()
    page.get_by_role("button", name="อนุมัติแผน").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#changes")).to_have_count(0)
    shot("approved")

    page.get_by_role("link", name="ดูทุกฉบับ").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    newest = page.locator("main").get_by_role("link", name=re.compile("ฉบับปรับปรุง ครั้งที่")).first
    newest.click()
    expect(page.locator("main")).to_contain_text("40,000.00")
    shot("the-frozen-revision")

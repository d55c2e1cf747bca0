"""Staff start at the home page, open a due obligation, record the progress it asks for, and come
back to see it done: the state is computed from what was recorded, never ticked (issue "run the
year"). On a phone and on a desktop."""

import re

from tests.browser.common import BOTH_WIDTHS, BROWSER, expect

pytestmark = [*BROWSER, BOTH_WIDTHS]

MEASURE_REPORT = re.compile(r"^รายงานผลมาตรการ .* เดือน")


def test_staff_record_a_due_measure_report_from_the_home_page_and_see_it_done(page, login, shot):
    login("staff")
    expect(page.get_by_role("heading", level=1)).to_contain_text("สิ่งที่ต้องดำเนินการ")
    pending = page.locator("section[aria-labelledby=pending-heading]")
    link = pending.get_by_role("link", name=MEASURE_REPORT).first
    title = link.inner_text().strip()
    shot("home-before")

    link.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label("สถานะ").select_option(label="ดำเนินการแล้ว")
    page.get_by_label("ผลการดำเนินงาน").fill("เผยแพร่ข้อมูลการจัดซื้อจัดจ้างประจำเดือนบนเว็บไซต์แล้ว")
    shot("progress-form")
    page.locator("main form[method=post] button[type=submit]").last.click()
    expect(page.locator(".messages")).to_be_visible()

    page.goto(page.url.split("/ita/")[0] + "/")
    expect(pending.get_by_role("link", name=title, exact=True)).to_have_count(0)
    done = page.locator("details.card").filter(has_text="ดำเนินการแล้ว")
    done.locator("summary").click()
    expect(done.get_by_role("link", name=title, exact=True)).to_be_visible()
    shot("home-after")

"""The detail-sheet editor in a real browser: with JavaScript, "เพิ่มแถว" adds a step on the page
and "ลบแถว" takes one away, the rows are numbered again, nothing goes to the server until saving,
and the saved sheet shows exactly the rows left. (Without JavaScript: tests/plans/test_sheet_editor.py.)"""

from tests.browser.common import BAN_HAENG, BROWSER, expect

pytestmark = BROWSER


def step_rows(steps) -> list[tuple[str, str]]:
    """(level, text) of the step rows shown with some text, in order."""
    rows = []
    for row in steps.locator("tbody tr[data-row]:visible").all():
        text = row.locator("textarea").input_value()
        if text.strip():
            rows.append((row.locator("select").input_value(), text))
    return rows


def test_staff_adds_and_removes_steps_without_a_round_trip(page, login, demo, shot):
    login("staff")
    page.goto(demo.url + "/plans/")
    page.locator("table.data tbody tr").filter(has=page.get_by_role("cell", name="2569", exact=True)) \
        .get_by_role("link", name=BAN_HAENG).click()
    page.locator("tr[id^=p]").nth(1).get_by_role("link", name="ดู").click()  # the sheet of project 2
    page.get_by_role("link", name="แก้ไขรายละเอียด").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("รายละเอียดโครงการ ลำดับที่ 2")

    steps = page.locator("[data-formset=step]")
    total = steps.locator("input[name=step-TOTAL_FORMS]")
    rows_at_first = int(total.input_value())
    before = step_rows(steps)
    assert len(before) >= 2 and all(level == "1" for level, _ in before)  # the demo's project 2: seven plain steps
    assert rows_at_first == len(before)  # the empty rows kept for typing without JavaScript are gone
    requests = []
    page.on("request", lambda request: requests.append(request.url)
            if request.resource_type in ("document", "xhr", "fetch") else None)

    # Add a row: it comes empty and focused, labelled with the next number; made a sub-step, it
    # is numbered under the last step.
    steps.get_by_role("button", name="เพิ่มแถว ขั้นตอน").click()
    assert int(total.input_value()) == rows_at_first + 1
    new = page.get_by_label(f"ขั้นตอนที่ {rows_at_first + 1}", exact=True)
    expect(new).to_be_focused()
    expect(new).to_have_value("")
    new.fill("ติดตามผลหลังการอบรม")
    page.get_by_label(f"ระดับ (ขั้นตอนที่ {rows_at_first + 1})").select_option(label="ขั้นตอนย่อย")
    expect(page.get_by_label(f"ขั้นตอนที่ {rows_at_first}.1", exact=True)).to_have_value("ติดตามผลหลังการอบรม")

    # Remove the first step: its row goes and the others move up a number.
    steps.get_by_role("button", name="ลบแถว ขั้นตอนที่ 1", exact=True).click()
    expect(steps.locator("tbody tr[data-row]").first).to_be_hidden()
    expect(page.get_by_role("textbox", name="ขั้นตอนที่ 1", exact=True)).to_have_value(before[1][1])
    expect(steps.get_by_role("status")).to_have_text("ลบขั้นตอนที่ 1 แล้ว (จะหายจากรายละเอียดเมื่อบันทึก)")
    assert int(total.input_value()) == rows_at_first + 1  # marked, not taken out of the count
    assert requests == []  # all of it on the page
    shot("rows-changed")

    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.get_by_text("บันทึกรายละเอียดโครงการแล้ว")).to_be_visible()
    shot("saved")
    section = page.locator(".sheet section").filter(has=page.get_by_role("heading", name="๕. วิธีดำเนินการ"))
    shown = [line.strip() for line in section.locator("p").all_inner_texts()]
    n = len(before) - 1
    assert shown == [f"{i}) {text}" for i, (_, text) in enumerate(before[1:], start=1)] + [
        f"{n}.1) ติดตามผลหลังการอบรม"]
    expect(section.locator("p.step-2")).to_have_text(f"{n}.1) ติดตามผลหลังการอบรม")

"""In a real browser: after the first click on "บันทึก" the form's button is disabled and reads
"กำลังบันทึก…" (static/js/forms.js), so more clicks on a slow link send nothing more. (The server
refuses a repeat anyway: tests/kernel/submissions/test_submissions.py.)
"""



from tests.browser.common import BROWSER, expect, open_plan

pytestmark = BROWSER


def test_three_clicks_send_the_form_once(page, login, shot):
    login("staff")
    open_plan(page)
    page.get_by_role("link", name="+ เพิ่มโครงการ").click()
    page.get_by_label("รายการโครงการ").fill("โครงการที่กดบันทึกสามครั้ง")
    page.get_by_label("ไตรมาส 1 (ต.ค.-ธ.ค.)").check()
    # A slow link: the submissions that would leave the page are counted and kept from leaving.
    page.evaluate("""() => {
        window.sent = 0;
        window.addEventListener("submit", (event) => {
            if (!event.defaultPrevented) { window.sent += 1; }
            event.preventDefault();
        });
    }""")
    button = page.locator("main form[method=post] button[type=submit]")
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_have_text("กำลังบันทึก…")
    shot("sending")
    button.click(force=True)  # disabled: nothing happens
    page.locator("main form[method=post]").evaluate("form => form.requestSubmit()")  # Enter in a field
    assert page.evaluate("window.sent") == 1

"""The header on a phone, with JavaScript off: the menu folds behind "เมนู" and opens on a tap, the
user's name and "ออกจากระบบ" stay in sight; at a desktop width the menu is a plain bar. The skip
link leads to the main content and the menu marks the current section (templates/base.html)."""

import re

from tests.browser.common import BROWSER, expect
from tests.browser.conftest import PASSWORDS

pytestmark = BROWSER


def open_as_staff(browser, demo, width):
    context = browser.new_context(viewport={"width": width, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(demo.url + "/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("staff")
    page.get_by_label("รหัสผ่าน").fill(PASSWORDS["staff"])
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def test_the_menu_folds_on_a_phone_without_javascript(browser, demo):
    page = open_as_staff(browser, demo, 390)
    menu = page.get_by_role("navigation", name="เมนูหลัก")
    ita = menu.get_by_role("link", name="ผลการประเมิน ITA")
    expect(ita).to_be_hidden()
    expect(page.locator("header .who").get_by_text("ออกจากระบบ")).to_be_in_viewport()
    # The button says what waits too ("เมนู, N เรื่องที่ต้องดำเนินการ"), as "หน้าหลัก" does.
    expect(page.locator("header .menu-button")).to_have_text(re.compile(r"^เมนู, \d+ เรื่องที่ต้องดำเนินการ$"))
    page.locator("header .menu-button").click()
    expect(ita).to_be_visible()
    ita.click()
    page.wait_for_url("**/ita/**")
    # The new page starts with the menu folded again; the current section is marked all the same.
    expect(page.locator("header nav [aria-current=page]")).to_have_text("ผลการประเมิน ITA")


def test_the_menu_is_a_bar_at_desktop_width_and_the_skip_link_leads_to_the_content(browser, demo):
    page = open_as_staff(browser, demo, 1366)
    expect(page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="ประกาศ")).to_be_visible()
    expect(page.locator("header .menu-button")).to_be_hidden()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="ข้ามไปยังเนื้อหาหลัก")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert skip.get_attribute("href") == "#content" and page.locator("main#content").count() == 1


def test_the_search_box_is_in_the_folded_menu_on_a_phone_and_fits(browser, demo):
    page = open_as_staff(browser, demo, 390)
    box = page.get_by_label("ค้นหาโครงการ มาตรการ ITA และประกาศ จากชื่อ")
    expect(box).to_be_hidden()
    page.locator("header .menu-button").click()
    expect(box).to_be_visible()
    button = page.locator("header .site-search").get_by_role("button", name="ค้นหา")
    for element in (box, button):
        edge = element.bounding_box()
        assert edge["x"] >= 0 and edge["x"] + edge["width"] <= 390, edge
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box.fill("ธรรมจริย")  # the middle of "คุณธรรมจริยธรรม"
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.get_by_role("heading", name="โครงการในแผนปฏิบัติการป้องกันการทุจริต")).to_be_visible()
    expect(page.locator("#found-project a").first).to_contain_text("ธรรมจริย")


def test_the_search_box_sits_in_the_bar_at_desktop_width(browser, demo):
    page = open_as_staff(browser, demo, 1366)
    box = page.get_by_label("ค้นหาโครงการ มาตรการ ITA และประกาศ จากชื่อ")
    expect(box).to_be_visible()
    box.fill("ประกาศใช้แผน")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.locator("#found-announcement mark").first).to_have_text("ประกาศใช้แผน")

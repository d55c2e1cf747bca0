"""What every browser test module starts with: Playwright's `expect` (the importing module is skipped
where the package is missing, except on CI, where that is an error) and the browser tests' marks."""

import os

import pytest

try:
    from playwright.sync_api import expect
except ImportError:
    if os.environ.get("CI", "").strip().lower() == "true":
        raise
    pytest.skip("the playwright package is not installed (pip install -e '.[dev]')", allow_module_level=True)

__all__ = ["BAN_HAENG", "BOTH_WIDTHS", "BROWSER", "expect", "menu", "open_plan"]

BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
BAN_HAENG = "องค์การบริหารส่วนตำบลบ้านแหง"

# A journey walked on a phone (390 px, the menu folded) and on a desktop (1366 px).
BOTH_WIDTHS = pytest.mark.parametrize("page", [390, 1366], indirect=True, ids=["390px", "1366px"])


def menu(page):
    """The main menu, opened first where it is folded behind "เมนู" (a phone)."""
    button = page.locator("header .menu-button")
    if button.is_visible():
        button.click()
    return page.locator("header nav")


def open_plan(page, year: str = "2569"):
    """From any page (the home page after logging in), through the menu and the plan list, to
    บ้านแหง's plan of `year`."""
    menu(page).get_by_role("link", name="แผนปฏิบัติการป้องกันการทุจริต").click()
    row = page.locator("table.data tbody tr").filter(has=page.get_by_role("cell", name=year, exact=True))
    row.get_by_role("link", name=BAN_HAENG, exact=True).click()

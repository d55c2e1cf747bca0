"""A framework's source ("ที่มา: ...", issue 20) wraps on a phone: a long source with an address
written out in full keeps the score form and the OIT checklist within a 390 px window."""

import pytest
from django.urls import reverse

from ita.models import Framework
from lao_integrity.orgs.models import Organisation
from tests.browser.common import BAN_HAENG, BROWSER, expect
from tests.browser.conftest import PASSWORDS

pytestmark = BROWSER

LONG_SOURCE = ("คู่มือการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. 2566 "
               "(https://itas.nacc.go.th/manual/ITA_2566_Integrity_and_Transparency_Assessment_"
               "of_Government_Agencies_Full_Edition.pdf)")  # no break opportunity in the address


@pytest.fixture
def urls(demo):
    """Set up in the database before the browser starts (the ORM refuses Playwright's async loop)."""
    Framework.objects.filter(fiscal_year=2566).update(source=LONG_SOURCE)
    code = Organisation.objects.get(name=BAN_HAENG).code
    return [reverse("ita:result_edit", args=[code, 2566]), reverse("ita:oit", args=[code, 2566])]


def test_the_source_line_wraps_at_390_px(urls, browser, demo):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH")
    page = context.new_page()
    page.goto(demo.url + "/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("staff")
    page.get_by_label("รหัสผ่าน").fill(PASSWORDS["staff"])
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    for url in urls:
        page.goto(demo.url + url)
        line = page.locator(".framework-source")
        expect(line).to_contain_text("ที่มา: คู่มือการประเมิน")
        expect(line).to_be_visible()
        scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{url} is {scroll} px wide at {inner} px"
        assert line.bounding_box()["height"] > 40  # it wraps over several lines rather than running off
    context.close()

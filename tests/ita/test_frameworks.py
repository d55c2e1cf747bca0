"""The ITA frameworks shipped as data (issue 20): each shipped year's structure holds together and
names its source; a year not shipped (2567 on) is never passed off as confirmed, an administrator's
own framework is left as typed, and the pages that say "ยังไม่ยืนยัน" also say where a framework
comes from ("ที่มา: ...")."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from ita import framework_data
from ita.framework_data import YEARS, create_framework
from ita.models import Framework, Indicator, OitItem, Tool
from ita.results import services
from lao_integrity.orgs.access import SYSTEM
from tests.ita.results.page_helpers import uniform
from tests.support.pages import strip_tags

pytestmark = pytest.mark.django_db

MANUAL = "คู่มือการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. {}"


# --- each shipped year's structure --------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_a_shipped_year_is_confirmed_and_names_its_manual(year):
    framework = Framework.objects.get(fiscal_year=year)
    assert framework.provisional is False
    assert framework.source.startswith(MANUAL.format(year)) and "https://itas.nacc.go.th" in framework.source


@pytest.mark.parametrize("year", YEARS)
def test_a_shipped_years_weights_numbers_and_codes_hold_together(year):
    framework = Framework.objects.get(fiscal_year=year)
    tools = list(framework.tools.all())
    assert [t.code for t in tools] == ["IIT", "EIT", "OIT"]
    assert sum(t.weight for t in tools) == Decimal("1")
    numbers = list(framework.indicators.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1)) == list(range(1, 11))
    for tool in tools:
        parts = list(tool.parts.all())
        if parts:
            assert sum(p.weight for p in parts) == Decimal("1")
    assert (year >= 2566) == framework.tools.get(code="EIT").parts.exists()
    codes = list(OitItem.objects.filter(indicator__framework=framework).order_by("pk").values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 43
    assert codes == [f"O{n}" for n in range(1, 44)]
    oit = framework.tools.get(code="OIT")
    assert set(OitItem.objects.filter(indicator__framework=framework).values_list("indicator__tool", flat=True)) == {
        oit.pk}
    bands = list(framework.bands.order_by("-min_score").values_list("level", "min_score"))
    assert bands == [(level, minimum) for level, minimum in framework_data.BANDS]
    assert framework.pass_mark == Decimal("85")


def test_the_shipped_years_are_the_manuals_years_only():
    """Nothing from 2567 on is shipped as data: no public source read for issue 20 confirms
    those years' indicators, EIT parts and OIT items (see ita/framework_data.py)."""
    assert YEARS == (2563, 2564, 2565, 2566)
    assert not Framework.objects.filter(fiscal_year__gt=2566).exists()


# --- a year outside the shipped ones --------------------------------------------------------------


def test_a_year_outside_the_shipped_ones_is_a_provisional_copy_that_says_so():
    create_framework(apps, 2567)
    framework = Framework.objects.get(fiscal_year=2567)
    assert framework.provisional is True
    assert framework.source.startswith("ยังไม่ยืนยัน") and "กรอบปี 2566" in framework.source
    assert MANUAL.format(2567) not in framework.source
    assert framework.indicators.count() == 10
    assert OitItem.objects.filter(indicator__framework=framework).count() == 43


def test_an_administrators_provisional_framework_is_left_as_typed():
    typed = Framework.objects.create(fiscal_year=2567, name="กรอบที่ผู้ดูแลระบบกรอกเอง", provisional=True,
                                     pass_mark=Decimal("85"))
    iit = Tool.objects.create(framework=typed, code="IIT", name="แบบวัดภายใน", weight=Decimal("1"))
    Indicator.objects.create(framework=typed, tool=iit, number=1, name="ตัวชี้วัดที่กรอกเอง")
    create_framework(apps, 2567)
    typed.refresh_from_db()
    assert (typed.name, typed.provisional, typed.source, typed.guidelines) == (
        "กรอบที่ผู้ดูแลระบบกรอกเอง", True, "", "")
    assert list(typed.tools.values_list("code", "purpose")) == [("IIT", "")]
    assert list(typed.indicators.values_list("number", "name", "description")) == [(1, "ตัวชี้วัดที่กรอกเอง", "")]
    assert Framework.objects.filter(fiscal_year=2567).count() == 1


# --- the pages show the source ---------------------------------------------------------------------


SOURCE_LINE = f'<p class="muted framework-source">ที่มา: {MANUAL.format(2566)}'


def test_the_entry_form_shows_the_frameworks_source(client_for, staff, org):
    html = client_for(staff).get(reverse("ita:result_edit", args=[org.code, 2566])).content.decode()
    assert SOURCE_LINE in html


def test_the_analysis_page_shows_the_frameworks_source(client_for, staff, org):
    result = services.result_save(organisation=org, fiscal_year=2566, scores=uniform("90"), user=SYSTEM)
    html = client_for(staff).get(reverse("ita:result", args=[result.pk])).content.decode()
    assert SOURCE_LINE in html


def test_the_oit_checklist_shows_the_source_of_the_framework_it_uses(client_for, staff, org):
    html = client_for(staff).get(reverse("ita:oit", args=[org.code, 2566])).content.decode()
    assert SOURCE_LINE in html
    # A later year without its own framework uses 2566's items, and says whose they are.
    html = client_for(staff).get(reverse("ita:oit", args=[org.code, 2569])).content.decode()
    assert SOURCE_LINE in html and "ใช้ข้อการประเมินของกรอบปี 2566 (ยังไม่ยืนยันสำหรับปีนี้)" in html


def test_a_provisional_copy_shows_its_source_beside_the_provisional_note(client_for, staff, org):
    create_framework(apps, 2567)
    html = client_for(staff).get(reverse("ita:result_edit", args=[org.code, 2567])).content.decode()
    intro = strip_tags(html)
    assert "กรอบการประเมินปีนี้ยังไม่ยืนยันกับคู่มือของสำนักงาน ป.ป.ช." in intro
    assert "ที่มา: ยังไม่ยืนยัน: ใช้โครงสร้างของกรอบปี 2566 ชั่วคราว" in intro


def test_a_framework_without_a_source_shows_no_source_line(client_for, staff, org):
    Framework.objects.filter(fiscal_year=2566).update(source="")
    html = client_for(staff).get(reverse("ita:result_edit", args=[org.code, 2566])).content.decode()
    assert "framework-source" not in html and "ที่มา:" not in html

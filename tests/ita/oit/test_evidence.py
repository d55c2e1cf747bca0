"""O-items are matched to portal documents by their NAME (codes shift between frameworks)."""

import pytest

from ita.models import OitItem
from ita.oit import evidence

pytestmark = pytest.mark.django_db

# (code in the 2566 framework, the kinds that answer it)
MAPPED_2566 = {
    "O31": ("announcement:no_gift",),
    "O36": ("announcement:plan", "plan"),
    "O37": ("plan:progress:6",),
    "O38": ("plan:progress:12",),
    "O42": ("announcement:ita_measures", "ita:measures"),
    "O43": ("ita:measure_progress",),
}


@pytest.mark.parametrize(("name", "kinds"), [
    ("แผนปฏิบัติการป้องกันการทุจริต", ("announcement:plan", "plan")),
    ("รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริตประจำปี รอบ 6 เดือน", ("plan:progress:6",)),
    ("รายงานผลการดำเนินการป้องกันการทุจริตประจำปี", ("plan:progress:12",)),
    ("ประกาศนโยบายไม่รับของขวัญ (No Gift Policy)", ("announcement:no_gift",)),
    ("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", ("announcement:ita_measures", "ita:measures")),
    ("การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", ("ita:measure_progress",)),
    ("ประกาศข้อตกลงการปฏิบัติราชการ", ("announcement:agreement", "agreement:organisation")),
    # Spaced differently in another year's list: still the same item.
    ("รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริต ประจำปี รอบ 6  เดือน", ("plan:progress:6",)),
    # Look-alikes the portal does not hold: the budget plan and its 6-month report (9.2), the annual report.
    ("แผนดำเนินงานและการใช้งบประมาณประจำปี", ()),
    ("รายงานการกำกับติดตามการดำเนินงานและการใช้งบประมาณประจำปี รอบ 6 เดือน", ()),
    ("รายงานผลการดำเนินงานประจำปี", ()),
    ("การสร้างวัฒนธรรมองค์กรตามนโยบายไม่รับของขวัญ", ()),
    ("รายงานผลตามนโยบายไม่รับของขวัญ", ()),
    ("โครงสร้าง", ()),
])
def test_each_name_maps_to_its_evidence(name, kinds):
    assert evidence.suggested_kinds(name) == kinds


def test_the_2566_framework_items_map_by_name_and_only_those():
    items = {item.code: item.name for item in OitItem.objects.filter(indicator__framework__fiscal_year=2566)}
    assert len(items) == 43
    mapped = {code: evidence.suggested_kinds(name) for code, name in items.items() if evidence.suggested_kinds(name)}
    assert mapped == MAPPED_2566


def test_every_suggested_kind_has_a_label_staff_can_choose():
    for _pattern, kinds in evidence.RULES:
        assert all(kind in evidence.KIND_LABELS for kind in kinds)

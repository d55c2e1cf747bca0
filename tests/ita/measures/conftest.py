"""Fixtures shared by the tests of tests/ita/measures/."""

import datetime
import functools
from decimal import Decimal

import pytest

from ita.measures import services as measure_services
from ita.results import services
from lao_integrity.orgs.access import SYSTEM

SEED_2566 = {1: "95.01", 2: "84.45", 3: "88.62", 4: "83.07", 5: "86.04", 6: "85.07", 7: "84.54", 8: "82.73",
             9: "100", 10: "100"}


@pytest.fixture
def result(org):
    return services.result_save(organisation=org, fiscal_year=2566,
                                scores={n: Decimal(v) for n, v in SEED_2566.items()}, user=SYSTEM)


@pytest.fixture
def measures(org, units, result):
    """Four FY 2567 measures answering the FY 2566 result; one under two indicators."""
    create = functools.partial(measure_services.measure_create, user=SYSTEM)
    qr = create(organisation=org, fiscal_year=2567, indicators=[1],
                title="จัดทำ QR Code ประเมินความพึงพอใจของผู้มาติดต่อหรือรับบริการ",
                steps="- ติดตั้ง QR Code ณ จุดบริการ\n\n2) รายงานผลให้ผู้บริหารทราบ ปีละ 2 ครั้ง",
                responsible_unit=units["สำนักปลัด"], deadline=datetime.date(2024, 9, 30))
    praise = create(organisation=org, fiscal_year=2567, indicators=[8, 1],
                    title="กำหนดกิจกรรมชื่นชม ยกย่องบุคลากรที่ให้บริการ",
                    steps="ผู้ปฏิบัติงานเต็มกำลังความสามารถ\nให้บริการด้วยหัวใจ ไม่เลือกปฏิบัติ",
                    responsible_text="ทุกสำนัก/กอง", deadline_text="ตลอดปีงบประมาณ", cadence="half_yearly")
    budget = create(organisation=org, fiscal_year=2567, indicators=[2], items=["O10"],
                    title="เผยแพร่แผนการใช้จ่ายงบประมาณประจำปีให้บุคลากรทราบ",
                    responsible_unit=units["กองคลัง"], deadline=datetime.date(2024, 3, 31), cadence="monthly")
    oit = create(organisation=org, fiscal_year=2567, items=["o42", "๐43"],
                 title="วิเคราะห์และดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
                 responsible_unit=units["สำนักปลัด"], cadence="yearly")
    return {"qr": qr, "praise": praise, "budget": budget, "oit": oit}

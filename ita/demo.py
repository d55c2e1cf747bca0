"""Demo ITA results. เทศบาลตำบลแม่สายมิตรภาพ FY 2566 is the published result from the seed
(91.47, level A, rank 1,175 among เทศบาลตำบล) with the assessor's recommendations; the other
years and organisations are illustrative numbers so the history pages have something to show."""

import random
from decimal import Decimal

from django.db import transaction

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation

from .analysis import services as analysis_services
from .measures import services as measure_services
from .models import Cadence, Framework, Measure
from .oit import demo as oit_demo
from .results import services

MAE_SAI_2566 = [Decimal(v) for v in "95.01 84.45 88.62 83.07 86.04 85.07 84.54 82.73 100.00 100.00".split()]

RECOMMENDATIONS_2566 = {
    "IIT": [
        "เทศบาลตำบลแม่สายมิตรภาพ ได้มีการดำเนินการตามตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ ควรรักษามาตรฐานไว้ "
        "และควรพัฒนาและปรับปรุงการดำเนินการตามตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ",
        "บุคลากรบางรายในหน่วยงานไม่ทราบข้อมูลเกี่ยวกับงบประมาณของหน่วยงาน: ควรเผยแพร่และประชาสัมพันธ์"
        "แผนการดำเนินงานและแผนการใช้จ่ายงบประมาณประจำปี (O10) และให้บุคลากรมีส่วนร่วมในการกำกับติดตาม (O11)",
        "บุคลากรบางรายไม่ทราบแนวปฏิบัติที่ถูกต้องเกี่ยวกับการใช้ทรัพย์สินของราชการ: ควรกำหนดแนวทางการใช้"
        "ทรัพย์สินของราชการไว้ในคู่มือมาตรฐานการปฏิบัติงาน (O13) และเสริมสร้างจิตสำนึกตามมาตรฐานทางจริยธรรม (O39)",
        "บุคลากรบางรายเห็นว่ายังไม่มีการนำผลการประเมิน ITA ไปปรับปรุงการทำงาน: ควรวิเคราะห์มาตรการเสริมสร้าง"
        "ความโปร่งใส (O42) ดำเนินการตามมาตรการ (O43) และนำผลมาประกอบแผนปฏิบัติการป้องกันการทุจริต (O36, O37)",
    ],
    "EIT": [
        "ได้มีการดำเนินการตามตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน ควรรักษามาตรฐานไว้ และควรพัฒนาและปรับปรุง"
        "การดำเนินการตามตัวชี้วัดที่ 8 การปรับปรุงระบบการทำงาน",
        "ควรมอบหมายผู้รับผิดชอบตอบข้อซักถามผ่านช่องทางการติดต่อ (O8) และสื่อสังคมออนไลน์ (O9) ให้ชัดเจน",
        "ควรสำรวจความพึงพอใจในการให้บริการและนำผลมาปรับปรุงคุณภาพการให้บริการ (O16) และปรับปรุงคู่มือ"
        "การปฏิบัติงานและคู่มือการให้บริการ (O13, O14) ให้ลดขั้นตอน",
        "ควรเปิดโอกาสให้บุคคลภายนอกเข้ามามีส่วนร่วมในการดำเนินงานและเผยแพร่ผล (O30)",
    ],
    "OIT": [
        "ได้คะแนนการเปิดเผยข้อมูลสาธารณะผ่านตามหลักเกณฑ์ ควรรักษามาตรฐานไว้และพัฒนาประสิทธิภาพอย่างต่อเนื่อง",
    ],
}

# Illustrative histories: (code, years) for the organisations other than the seed result.
HISTORIES = {
    "5570701": (2563, 2564, 2565),
    "5205401": (2563, 2564, 2565, 2566),
    "4960801": (2563, 2564, 2565, 2566),
    "6411201": (2564, 2565, 2566),
}


def _illustrative_scores(code: str, year: int) -> dict[int, Decimal]:
    rng = random.Random(f"{code}-{year}")
    base = 70 + (year - 2563) * 4 + rng.uniform(-6, 6)
    scores = {}
    for number in range(1, 11):
        spread = 12 if number >= 9 else 8
        value = min(100, max(40, base + rng.uniform(-spread, spread) + (8 if number >= 9 else 0)))
        scores[number] = Decimal(str(round(value, 2)))
    return scores


@transaction.atomic
def seed(*, users: dict) -> list[str]:
    frameworks = {f.fiscal_year: f for f in Framework.objects.all()}
    spec_cache = {year: services.framework_spec(framework) for year, framework in frameworks.items()}
    count = 0
    for code, years in HISTORIES.items():
        organisation = Organisation.objects.get(code=code)
        for year in years:
            if year not in frameworks:
                continue
            services.result_save(organisation=organisation, fiscal_year=year, framework=frameworks[year],
                                 spec=spec_cache[year], scores=_illustrative_scores(code, year), user=SYSTEM)
            count += 1
    mae_sai = Organisation.objects.get(code="5570701")
    result = services.result_save(
        organisation=mae_sai, fiscal_year=2566, scores=dict(zip(range(1, 11), MAE_SAI_2566, strict=True)),
        part_scores={"public": Decimal("87.60"), "survey": Decimal("80.62")}, national_rank=1175, user=SYSTEM)
    analysis_services.recommendations_replace(result=result, by_tool=RECOMMENDATIONS_2566, user=SYSTEM)
    count += 1
    measures = _measures_2567(mae_sai)
    return [f"ผลการประเมิน ITA: {count} รายการ (แม่สายมิตรภาพ 2566: {result.overall} ระดับ {result.level})",
            f"มาตรการ ITA ปี 2567 แม่สายมิตรภาพ: {measures} มาตรการ", *oit_demo.seed(users=users)]


# FY 2567 measures answering the FY 2566 recommendations, one per weak indicator and more.
MEASURES_2567 = [
    ("มาตรการเผยแพร่แผนการดำเนินงานและแผนการใช้จ่ายงบประมาณประจำปีให้บุคลากรทราบ", [2], ["O10", "O11"],
     "จัดประชุมชี้แจงแผนการใช้จ่ายงบประมาณประจำปีแก่บุคลากรทุกกอง\n"
     "จัดทำอินโฟกราฟิกสรุปงบประมาณ เผยแพร่ทางกลุ่มไลน์และบอร์ดประชาสัมพันธ์ภายใน\n"
     "รายงานผลการเบิกจ่ายงบประมาณในที่ประชุมประจำเดือน", "กองคลัง", "ตลอดปีงบประมาณ", Cadence.QUARTERLY),
    ("มาตรการกำกับการใช้และการยืมทรัพย์สินของราชการ", [4], ["O13", "O39"],
     "กำหนดแนวทางการใช้และการยืมทรัพย์สินของราชการไว้ในคู่มือการปฏิบัติงาน\n"
     "ตรวจสอบวัสดุและครุภัณฑ์ของแต่ละกองเป็นระยะ\nประชาสัมพันธ์แนวทางให้บุคลากรถือปฏิบัติ",
     "กองคลัง", "31 มีนาคม 2567", Cadence.QUARTERLY),
    ("มาตรการนำผลการประเมิน ITA ไปปรับปรุงการทำงาน", [5, 10], ["O42", "O43", "O36", "O37"],
     "วิเคราะห์ผลการประเมิน ITA ปี 2566 และจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใส\n"
     "ดำเนินการตามมาตรการและรายงานผลต่อผู้บริหาร\nนำผลการวิเคราะห์มาประกอบแผนปฏิบัติการป้องกันการทุจริต",
     "สำนักปลัดเทศบาล", "ตลอดปีงบประมาณ", Cadence.QUARTERLY),
    ("มาตรการปรับปรุงคู่มือการปฏิบัติงานและคู่มือการให้บริการเพื่อลดขั้นตอน", [7, 8], ["O13", "O14", "O16"],
     "สำรวจความพึงพอใจของผู้รับบริการและนำผลมาปรับปรุงการให้บริการ\n"
     "ปรับปรุงคู่มือการให้บริการให้ระบุขั้นตอนและระยะเวลาชัดเจน\n"
     "มอบหมายผู้รับผิดชอบตอบข้อซักถามทางช่องทางออนไลน์", "ทุกสำนัก/กอง", "30 กันยายน 2567", Cadence.HALF_YEARLY),
]


def _measures_2567(organisation) -> int:
    if Measure.objects.filter(organisation=organisation, fiscal_year=2567).exists():
        return Measure.objects.filter(organisation=organisation, fiscal_year=2567).count()
    for title, indicators, items, steps, responsible, deadline, cadence in MEASURES_2567:
        measure_services.measure_create(organisation=organisation, fiscal_year=2567, title=title,
                                        indicators=indicators, items=items, steps=steps,
                                        responsible_text=responsible, deadline_text=deadline, cadence=cadence, user=SYSTEM)
    return len(MEASURES_2567)

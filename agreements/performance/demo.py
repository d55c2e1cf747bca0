"""Demo: เทศบาลตำบลแม่สายมิตรภาพ's unit agreements for FY 2567, round 1 (1 Oct 2566 - 31 Mar 2567).

The meeting bundle (seed) tells us the municipality made agreements between the mayor and each
head of unit, with indicators by the six aspects and four work types, followed quarterly; the
ปลัดเทศบาล's round-1 agreement was evaluated with evidence. The indicators, targets, weights and
results below are illustrative, written in the style of such agreements; they are not the
municipality's real figures. The heads of กองคลัง, กองช่าง and กองการศึกษา are invented names
(the seed does not name them). The mayor and the ปลัด come from the organisations demo.

The ปลัด's agreement is signed here, after seed_demo gave แม่สายมิตรภาพ its demo certificate
(lao_integrity/signing/demo.py): its PDF is stored at signing with a PAdES signature.

Idempotent: an agreement that exists is left as it is.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.html import escape

from lao_integrity.documents.render import html_to_pdf
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, Person
from lao_integrity.orgs.services import person_ensure, unit_ensure

from . import services
from .models import AgreementKind, AgreementStatus, Aspect, PerformanceAgreement, WorkType

MAE_SAI_CODE = "5570701"
FISCAL_YEAR = 2567
ROUND = 1
UNITS = ["สำนักปลัดเทศบาล", "กองคลัง", "กองช่าง", "กองการศึกษา"]

# Illustrative heads of unit (invented names; the seed does not name them).
HEADS = {
    "กองคลัง": ("นางสาว", "พิมพ์ชนก", "ศรีสุวรรณ", "ผู้อำนวยการกองคลัง"),
    "กองช่าง": ("นาย", "วีระพงษ์", "คำแสน", "ผู้อำนวยการกองช่าง"),
    "กองการศึกษา": ("นาง", "รัชนี", "อินทร์แก้ว", "ผู้อำนวยการกองการศึกษา"),
}


def _i(aspect, work_type, name, unit, baseline, targets, weight, *, higher=True) -> dict:
    t = [Decimal(str(v)) for v in targets]
    return {"aspect": aspect, "work_type": work_type, "name": name, "unit_of_measure": unit,
            "baseline": None if baseline is None else Decimal(str(baseline)), "higher_is_better": higher,
            "target_1": t[0], "target_2": t[1], "target_3": t[2], "target_4": t[3], "target_5": t[4],
            "weight": Decimal(str(weight))}


# The ปลัด's indicators with (Q1 value, Q2 value = end-of-round result).
CLERK = [
    (_i(Aspect.SERVICE, WorkType.CORE, "ร้อยละความพึงพอใจของประชาชนต่อการให้บริการของเทศบาล", "ร้อยละ",
        85, [80, 82, 85, 88, 90], 25), Decimal("86.40"), Decimal("89.50")),
    (_i(Aspect.INTEGRITY, WorkType.BENCHMARK,
        "คะแนนการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)", "คะแนน",
        Decimal("91.47"), [85, 88, 90, 92, 95], 25), None, Decimal("92.10")),
    (_i(Aspect.COLLABORATION, WorkType.CHALLENGE, "จำนวนช่องทางการรับเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
        "ช่องทาง", 3, [2, 3, 4, 5, 6], 15), Decimal("4"), Decimal("5")),
    (_i(Aspect.PROFESSIONAL, WorkType.CORE, "ร้อยละของบุคลากรที่ได้รับการพัฒนาตามแผนพัฒนาบุคลากร", "ร้อยละ",
        70, [60, 70, 80, 90, 100], 20), Decimal("45"), Decimal("85")),
    (_i(Aspect.INTEGRITY, WorkType.SPECIAL, "ร้อยละของเรื่องร้องเรียนที่ดำเนินการแล้วเสร็จภายในระยะเวลาที่กำหนด",
        "ร้อยละ", 90, [80, 85, 90, 95, 100], 15), Decimal("100"), Decimal("100")),
]

DRAFTS = {
    "กองคลัง": [
        _i(Aspect.HIGH_PERFORMANCE, WorkType.CORE, "ร้อยละการเบิกจ่ายงบประมาณรายจ่ายประจำปี (สะสมสิ้นรอบ)",
           "ร้อยละ", 42, [35, 40, 45, 50, 55], 30),
        _i(Aspect.HIGH_PERFORMANCE, WorkType.CHALLENGE, "ร้อยละการจัดเก็บรายได้ตามประมาณการ (สะสมสิ้นรอบ)",
           "ร้อยละ", 48, [40, 45, 50, 55, 60], 25),
        _i(Aspect.INTEGRITY, WorkType.CORE,
           "ร้อยละของโครงการจัดซื้อจัดจ้างที่เผยแพร่ผลการพิจารณาทางเว็บไซต์ภายในเวลาที่กำหนด", "ร้อยละ",
           90, [80, 85, 90, 95, 100], 25),
        _i(Aspect.SERVICE, WorkType.BENCHMARK, "จำนวนวันเฉลี่ยในการเบิกจ่ายเงินให้ผู้รับจ้างหลังตรวจรับ", "วัน",
           10, [15, 12, 10, 7, 5], 20, higher=False),
    ],
    "กองช่าง": [
        _i(Aspect.SERVICE, WorkType.BENCHMARK, "จำนวนวันเฉลี่ยในการออกใบอนุญาตก่อสร้าง", "วัน",
           30, [30, 25, 20, 15, 10], 30, higher=False),
        _i(Aspect.SERVICE, WorkType.CORE, "ร้อยละของคำร้องซ่อมไฟฟ้าสาธารณะที่ดำเนินการแล้วเสร็จภายใน 7 วัน",
           "ร้อยละ", 75, [70, 75, 80, 85, 90], 25),
        _i(Aspect.HIGH_PERFORMANCE, WorkType.CORE, "ร้อยละของโครงการก่อสร้างที่แล้วเสร็จตามสัญญา", "ร้อยละ",
           80, [70, 75, 80, 90, 100], 25),
        _i(Aspect.INTEGRITY, WorkType.CHALLENGE, "จำนวนโครงการก่อสร้างที่เปิดเผยข้อมูลการตรวจรับงานต่อสาธารณะ",
           "โครงการ", 2, [2, 4, 6, 8, 10], 20),
    ],
    "กองการศึกษา": [
        _i(Aspect.SERVICE, WorkType.CORE, "ร้อยละของเด็กในศูนย์พัฒนาเด็กเล็กที่มีพัฒนาการสมวัย", "ร้อยละ",
           88, [80, 85, 90, 95, 100], 30),
        _i(Aspect.SERVICE, WorkType.BENCHMARK, "ร้อยละความพึงพอใจของผู้ปกครองต่อการจัดการศึกษาปฐมวัย", "ร้อยละ",
           84, [75, 80, 85, 90, 95], 20),
        _i(Aspect.ASEAN, WorkType.CHALLENGE, "จำนวนกิจกรรมส่งเสริมทักษะภาษาอังกฤษสำหรับเด็กและเยาวชน", "ครั้ง",
           2, [1, 2, 3, 4, 5], 20),
        _i(Aspect.COLLABORATION, WorkType.SPECIAL, "จำนวนภาคีเครือข่ายที่ร่วมจัดกิจกรรมวันเด็กแห่งชาติ",
           "เครือข่าย", 5, [3, 5, 7, 9, 11], 15),
        _i(Aspect.PROFESSIONAL, WorkType.CORE, "ร้อยละของครูผู้ดูแลเด็กที่ได้รับการอบรมพัฒนาความรู้", "ร้อยละ",
           60, [50, 60, 70, 80, 100], 15),
    ],
}


def _evidence_pdf(org, indicators) -> bytes:
    """A one-page illustrative evidence report, so the demo's evidence links open something."""
    items = "".join(f"<li>{escape(i.name)}</li>" for i in indicators)
    html = (f'<html lang="th"><body><h1 class="doc-title">รายงานผลการดำเนินงานตามข้อตกลง (ตัวอย่าง)</h1>'
            f'<p class="subject">{escape(org.name)} ปีงบประมาณ พ.ศ. ๒๕๖๗ รอบการประเมินครั้งที่ ๑</p>'
            f"<ol>{items}</ol><p>เอกสารตัวอย่างสำหรับการสาธิตระบบ</p></body></html>")
    return html_to_pdf(html)


def _create(org, unit, person, executive, indicators) -> tuple[PerformanceAgreement, bool]:
    existing = PerformanceAgreement.objects.filter(organisation=org, fiscal_year=FISCAL_YEAR, round=ROUND,
                                                   person=person).first()
    if existing:
        return existing, False
    agreement = services.agreement_create(organisation=org, fiscal_year=FISCAL_YEAR, round=ROUND,
                                          kind=AgreementKind.UNIT, unit=unit, person=person, executive=executive,
                                          user=SYSTEM)
    services.indicators_replace(agreement=agreement, rows=indicators, user=SYSTEM)
    return agreement, True


@transaction.atomic
def seed_performance_agreements(*, users) -> list[str]:
    org = Organisation.objects.filter(code=MAE_SAI_CODE).first()
    if org is None:
        return ["ข้อตกลงการปฏิบัติราชการ: ไม่พบเทศบาลตำบลแม่สายมิตรภาพ (ข้าม)"]
    units = {name: unit_ensure(user=SYSTEM, organisation=org, name=name, order=i) for i, name in enumerate(UNITS)}
    mayor = Person.objects.get(organisation=org, first_name="อุบล", last_name="ใจวรรณ")
    clerk = Person.objects.get(organisation=org, first_name="กิตติชัย", last_name="เจริญยิ่ง")
    heads = {name: person_ensure(user=SYSTEM, organisation=org, prefix=prefix, first_name=first, last_name=last,
                                 position=position, unit=units[name])
             for name, (prefix, first, last, position) in HEADS.items()}

    lines = []
    # The ปลัด heads the administration; his agreement is made for สำนักปลัดเทศบาล.
    agreement, created = _create(org, units["สำนักปลัดเทศบาล"], clerk, mayor, [row for row, _, _ in CLERK])
    if created:
        # No demo login is the mayor of แม่สายมิตรภาพ: the system signs and evaluates for the demo.
        services.agreement_sign(agreement=agreement, user=SYSTEM, signed_on=datetime.date(2023, 10, 20))
        indicators = list(agreement.indicators.order_by("order"))
        evidence = _evidence_pdf(org, indicators)
        for indicator, (_row, q1, q2) in zip(indicators, CLERK, strict=True):
            services.progress_record(indicator=indicator, quarter=1, value=q1,
                                     note="ดำเนินการตามแผน รายงานผลสะสมไตรมาสที่ 1" if q1 is not None else
                                     "ผลการประเมินประกาศในไตรมาสที่ 2", user=SYSTEM)
            services.progress_record(indicator=indicator, quarter=2, value=q2,
                                     note="ผลสะสมสิ้นรอบการประเมินครั้งที่ 1",
                                     evidence_file=ContentFile(evidence, name="round-1-report.pdf"), user=SYSTEM)
        services.agreement_evaluate(agreement=agreement, values={i.pk: q2 for i, (_, _, q2) in
                                                                 zip(indicators, CLERK, strict=True)}, user=SYSTEM,
                                    today=datetime.date(2024, 4, 5))
        agreement.refresh_from_db()
    lines.append(f"ข้อตกลงการปฏิบัติราชการ {org.name} ปี {FISCAL_YEAR} ครั้งที่ {ROUND}: "
                 f"{clerk.full_name} ({agreement.get_status_display()}"
                 f"{', คะแนน ' + str(agreement.score) if agreement.status == AgreementStatus.EVALUATED else ''})")
    for unit_name, indicators in DRAFTS.items():
        agreement, _ = _create(org, units[unit_name], heads[unit_name], mayor, indicators)
        lines.append(f"ข้อตกลงการปฏิบัติราชการ {org.name} ปี {FISCAL_YEAR} ครั้งที่ {ROUND}: "
                     f"{unit_name} ({agreement.get_status_display()})")
    return lines

"""Indicator fields for performance agreements, and the four indicators most tests sign."""

from decimal import Decimal

from agreements.performance.models import Aspect, WorkType

D = Decimal


def indicator_fields(name="ร้อยละการเบิกจ่ายงบประมาณ", weight="25", *, higher=True, targets=None,
                     aspect=Aspect.HIGH_PERFORMANCE, work_type=WorkType.CORE, unit="ร้อยละ", baseline="40"):
    targets = targets or ([40, 45, 50, 55, 60] if higher else [30, 25, 20, 15, 10])
    return {"aspect": aspect, "work_type": work_type, "name": name, "unit_of_measure": unit,
            "baseline": None if baseline is None else D(baseline), "higher_is_better": higher,
            **{f"target_{i}": D(str(t)) for i, t in enumerate(targets, start=1)}, "weight": D(weight)}


FOUR = [
    indicator_fields("ร้อยละการเบิกจ่ายงบประมาณ", "40"),
    indicator_fields("จำนวนวันเฉลี่ยในการออกใบอนุญาตก่อสร้าง", "30", higher=False, unit="วัน",
                     aspect=Aspect.SERVICE, work_type=WorkType.BENCHMARK, baseline="30"),
    indicator_fields("ร้อยละความพึงพอใจของผู้รับบริการ", "20", targets=[80, 82, 85, 88, 90],
                     aspect=Aspect.SERVICE, work_type=WorkType.CORE, baseline="85"),
    indicator_fields("จำนวนช่องทางการรับเรื่องร้องเรียนภายใน 7 วัน", "10", targets=[2, 3, 4, 5, 6], unit="ช่องทาง",
                     aspect=Aspect.INTEGRITY, work_type=WorkType.CHALLENGE, baseline=None),
]

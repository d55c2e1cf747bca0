"""The ก.ท.จ. summary of fiscal year 2566 as the seed prints it (meeting-bundle-mae-sai-mittraphap-2567.txt,
meeting 1/2567): the whole first table (บ้านดู่ … เจดีย์หลวง) and the second (ยางหอม … บ้านเหล่า); each
row: district, short name, d1..d4, LPA %, printed points, printed total. Stored here with codes starting 95."""

from decimal import Decimal

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import OrgType
from lao_integrity.orgs.services import organisation_upsert
from lpa.models import Area, LpaAreaScore, LpaResult

D = Decimal
PROVINCE = "เชียงราย"
ROWS = [
    ("เมืองเชียงราย", "บ้านดู่", "28", "25", "13", "20", "86.59", "10", "96.00"),
    ("เมืองเชียงราย", "นางแล", "29", "25", "15", "20", "90.22", "10", "99.00"),
    ("เมืองเชียงราย", "ป่าอ้อดอนชัย", "29", "24.90", "14", "20", "87.56", "10", "97.90"),
    ("เมืองเชียงราย", "แม่ยาว", "25", "25", "15", "20", "87.19", "10", "95.00"),
    ("เมืองเชียงราย", "สันทราย", "29", "24.90", "15", "20", "95.96", "10", "98.90"),
    ("เมืองเชียงราย", "ท่าสุด", "30", "24.90", "15", "20", "80.89", "10", "99.90"),
    ("เมืองเชียงราย", "ท่าสาย", "29", "25", "15", "20", "90.33", "10", "99.00"),
    ("เมืองเชียงราย", "ดอยลาน", "30", "25", "13", "20", "84.84", "10", "98.00"),
    ("เมืองเชียงราย", "ห้วยสัก", "29", "25", "15", "20", "88.00", "10", "99.00"),
    ("เมืองเชียงราย", "ดอยฮาง", "30", "25", "12", "20", "88.99", "10", "97.00"),
    ("แม่ลาว", "แม่ลาว", "21", "24.65", "14", "20", "90.00", "10", "89.65"),
    ("แม่ลาว", "ดงมะดะ", "19", "24.65", "15", "20", "79.54", "8", "86.65"),
    ("แม่สรวย", "เวียงสรวย", "29", "24.75", "15", "20", "77.14", "8", "96.75"),
    ("แม่สรวย", "เจดีย์หลวง", "27", "24.65", "15", "20", "85.43", "10", "96.65"),
    ("ขุนตาล", "ยางหอม", "28", "25", "10", "20", "85.11", "10", "93.00"),
    ("ขุนตาล", "บ้านด้า", "28", "23.50", "12", "20", "86.37", "10", "93.50"),
    ("ขุนตาล", "ป่าตาล", "24", "24.30", "15", "20", "82.42", "10", "93.30"),
    ("แม่จัน", "แม่จัน", "29", "25", "12", "20", "90.77", "10", "96.00"),
    ("แม่จัน", "จันจว้า", "29", "25", "12", "20", "95.22", "10", "96.00"),
    ("แม่จัน", "ป่าซาง", "29", "24.90", "12", "20", "82.44", "10", "95.90"),
    ("แม่สาย", "เวียงปางคำ", "30", "25", "12", "20", "85.43", "10", "97.00"),
    ("แม่สาย", "แม่สายมิตรภาพ", "29", "25", "12", "20", "79.34", "8", "94.00"),
    ("แม่สาย", "ห้วยไคร้", "29", "24.90", "12", "18", "87.33", "10", "93.90"),
    ("เชียงแสน", "เวียง", "29", "25", "13", "20", "88.18", "10", "97.00"),
    ("เชียงแสน", "เวียงเชียงแสน", "29", "24.90", "12", "15", "77.30", "8", "88.90"),
    ("เชียงแสน", "บ้านแซว", "27", "25", "12", "18", "79.57", "8", "90.00"),
    ("เชียงแสน", "แม่เงิน", "29", "24.90", "13", "20", "80.67", "10", "96.90"),
    ("พญาเม็งราย", "พญาเม็งราย", "28", "25", "15", "20", "88.13", "10", "98.00"),
    ("พญาเม็งราย", "ไม้ยา", "28", "25", "12", "19", "83.74", "10", "94.00"),
    ("พญาเม็งราย", "เม็งราย", "20", "25", "12", "19", "82.89", "10", "86.00"),
    ("เวียงเชียงรุ้ง", "บ้านเหล่า", "24", "25", "13", "19", "81.74", "10", "91.00"),
]
FIRST_TABLE = ROWS[:14]


def code(index: int) -> str:
    return f"95{index + 1:05d}"


def store_lpa(organisation, fiscal_year: int, pct: str, *, areas: int = 5):
    """An LPA result whose five-area percentage is `pct`: full marks 20 an area (100 in all), the
    score split over the areas to the cent."""
    result = LpaResult.objects.create(organisation=organisation, fiscal_year=fiscal_year)
    cents = int(D(pct) * 100)
    share, rest = divmod(cents, 5)
    for index, area in enumerate(list(Area)[:areas]):
        score = D(share + (1 if index < rest else 0)) / 100
        LpaAreaScore.objects.create(result=result, area=area, full_marks=D(20), score=score)
    return result


def make_org(index: int, district: str, name: str, prefix: str = "95"):
    return organisation_upsert(user=SYSTEM, code=f"{prefix}{index + 1:05d}", org_type=OrgType.SUBDISTRICT_MUNI,
                               name=f"เทศบาลตำบล{name}", district=district, province=PROVINCE)


def store_seed(rows=ROWS, *, fiscal_year: int = 2566, with_scores: bool = True, start: int = 0):
    """The seed's municipalities with their LPA results (and part 1 when `with_scores`); their orgs."""
    from lpa.bonus import services

    orgs = []
    for index, (district, name, d1, d2, d3, d4, pct, _points, _total) in enumerate(rows, start=start):
        org = make_org(index, district, name)
        store_lpa(org, fiscal_year, pct)
        if with_scores:
            services.bonus_score_save(organisation=org, fiscal_year=fiscal_year, user=SYSTEM, expected_version=0,
                                      scores={"d1": D(d1), "d2": D(d2), "d3": D(d3), "d4": D(d4)})
        orgs.append(org)
    return orgs

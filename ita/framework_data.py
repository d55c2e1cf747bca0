"""The 10-indicator ITA framework used for fiscal years 2563-2566, shipped as data.

Tools, weights, indicators (official numbers and names), level bands and the pass mark follow
the NACC manuals. FY 2566 splits EIT into two equally weighted parts (EIT public, EIT survey),
as the published results show (87.60 and 80.62 -> EIT 84.11). OIT item names were
reconstructed from the manuals' structure; administrators can correct them in the admin.
"""

from decimal import Decimal

TOOLS = [
    ("IIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (Internal Integrity and Transparency Assessment)",
     Decimal("0.30")),
    ("EIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (External Integrity and Transparency Assessment)",
     Decimal("0.30")),
    ("OIT", "แบบวัดการเปิดเผยข้อมูลสาธารณะ (Open Data Integrity and Transparency Assessment)", Decimal("0.40")),
]

INDICATORS = [
    (1, "IIT", "การปฏิบัติหน้าที่"),
    (2, "IIT", "การใช้งบประมาณ"),
    (3, "IIT", "การใช้อำนาจ"),
    (4, "IIT", "การใช้ทรัพย์สินของราชการ"),
    (5, "IIT", "การแก้ไขปัญหาการทุจริต"),
    (6, "EIT", "คุณภาพการดำเนินงาน"),
    (7, "EIT", "ประสิทธิภาพการสื่อสาร"),
    (8, "EIT", "การปรับปรุงระบบการทำงาน"),
    (9, "OIT", "การเปิดเผยข้อมูล"),
    (10, "OIT", "การป้องกันการทุจริต"),
]

BANDS = [
    ("AA", Decimal("95")), ("A", Decimal("85")), ("B", Decimal("75")), ("C", Decimal("65")),
    ("D", Decimal("55")), ("E", Decimal("50")), ("F", Decimal("0")),
]

# The codes are the file format's keys; people only ever see the Thai names (ToolPart.short_name).
EIT_PARTS_2566 = [("public", "ส่วนที่ 1 ผู้รับบริการหรือติดต่อราชการตอบด้วยตนเอง", Decimal("0.5")),
                  ("survey", "ส่วนที่ 2 ผู้ประเมินจัดเก็บข้อมูล", Decimal("0.5"))]

OIT_ITEMS = [
    (9, "9.1 ข้อมูลพื้นฐาน", [
        "โครงสร้าง", "ข้อมูลผู้บริหาร", "อำนาจหน้าที่", "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน", "ข้อมูลการติดต่อ",
        "กฎหมายที่เกี่ยวข้อง", "ข่าวประชาสัมพันธ์", "Q&A", "Social Network"]),
    (9, "9.2 การบริหารงาน", [
        "แผนดำเนินงานและการใช้งบประมาณประจำปี",
        "รายงานการกำกับติดตามการดำเนินงานและการใช้งบประมาณประจำปี รอบ 6 เดือน",
        "รายงานผลการดำเนินงานประจำปี", "คู่มือหรือมาตรฐานการปฏิบัติงาน", "คู่มือหรือมาตรฐานการให้บริการ",
        "ข้อมูลเชิงสถิติการให้บริการ", "รายงานผลการสำรวจความพึงพอใจการให้บริการ", "E-Service"]),
    (9, "9.3 การจัดซื้อจัดจ้างหรือการจัดหาพัสดุ", [
        "แผนการจัดซื้อจัดจ้างหรือแผนการจัดหาพัสดุ", "ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ",
        "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน", "รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี"]),
    (9, "9.4 การบริหารและพัฒนาทรัพยากรบุคคล", [
        "นโยบายการบริหารทรัพยากรบุคคล", "การดำเนินการตามนโยบายการบริหารทรัพยากรบุคคล",
        "หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล", "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี"]),
    (9, "9.5 การส่งเสริมความโปร่งใส", [
        "แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
        "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
        "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบประจำปี", "ช่องทางการรับฟังความคิดเห็น",
        "การเปิดโอกาสให้เกิดการมีส่วนร่วม"]),
    (10, "10.1 การดำเนินการเพื่อป้องกันการทุจริต", [
        "ประกาศนโยบายไม่รับของขวัญ (No Gift Policy)", "การสร้างวัฒนธรรมองค์กรตามนโยบายไม่รับของขวัญ",
        "รายงานผลตามนโยบายไม่รับของขวัญ", "การประเมินความเสี่ยงการทุจริตประจำปี",
        "การดำเนินการเพื่อจัดการความเสี่ยงการทุจริต", "แผนปฏิบัติการป้องกันการทุจริต",
        "รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริตประจำปี รอบ 6 เดือน",
        "รายงานผลการดำเนินการป้องกันการทุจริตประจำปี", "ประมวลจริยธรรมสำหรับเจ้าหน้าที่ของรัฐ",
        "การขับเคลื่อนจริยธรรม", "การประเมินการปฏิบัติตามประมวลจริยธรรม"]),
    (10, "10.2 มาตรการภายในเพื่อส่งเสริมความโปร่งใสและป้องกันการทุจริต", [
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"]),
]

YEARS = (2563, 2564, 2565, 2566)


def create_framework(apps, fiscal_year: int) -> None:
    """Used by the data migration (with historical models) and by tests."""
    Framework = apps.get_model("ita", "Framework")
    Tool = apps.get_model("ita", "Tool")
    ToolPart = apps.get_model("ita", "ToolPart")
    Indicator = apps.get_model("ita", "Indicator")
    OitItem = apps.get_model("ita", "OitItem")
    LevelBand = apps.get_model("ita", "LevelBand")
    if Framework.objects.filter(fiscal_year=fiscal_year).exists():
        return
    framework = Framework.objects.create(fiscal_year=fiscal_year, provisional=False, pass_mark=Decimal("85"),
                                         name=f"ITA ปีงบประมาณ {fiscal_year} (10 ตัวชี้วัด)")
    tools = {}
    for order, (code, name, weight) in enumerate(TOOLS):
        tools[code] = Tool.objects.create(framework=framework, code=code, name=name, weight=weight, order=order)
    if fiscal_year >= 2566:
        for code, name, weight in EIT_PARTS_2566:
            ToolPart.objects.create(tool=tools["EIT"], code=code, name=name, weight=weight)
    indicators = {}
    for number, tool, name in INDICATORS:
        indicators[number] = Indicator.objects.create(framework=framework, tool=tools[tool], number=number,
                                                      name=name)
    code = 0
    for number, sub_indicator, names in OIT_ITEMS:
        for name in names:
            code += 1
            OitItem.objects.create(indicator=indicators[number], code=f"O{code}", name=name,
                                   sub_indicator=sub_indicator)
    for level, minimum in BANDS:
        LevelBand.objects.create(framework=framework, level=level, min_score=minimum)

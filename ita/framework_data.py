"""The 10-indicator ITA framework used for fiscal years 2563-2566, shipped as data.

Tools, weights, indicators (official numbers and names), level bands and the pass mark follow
the NACC manuals. FY 2566 splits EIT into two equally weighted parts (EIT public, EIT survey),
as the published results show (87.60 and 80.62 -> EIT 84.11). OIT item names were
reconstructed from the manuals' structure; administrators can correct them in the admin.

FY 2567 and later are not shipped (issue 20). NACC changed the assessment from 2567, and the public
material searched for this module confirms too little of it to ship as data:
- The result levels are no longer bands of the overall score alone: NACC's statement on the State
  Audit Office's FY 2568 result (92.43 in 2567, 94.64 in 2568) says its "Rating Score" fell from
  "ผ่านดี" to "ผ่าน" because its EIT score was under 85 (https://mgronline.com/uptodate/detail/9680000079675).
  A level that depends on each tool's score cannot be written as LevelBand rows.
- No NACC manual for 2567, 2568 or 2569 could be read: the indicators, the EIT parts and the OIT
  items (codes and names) of those years stay unconfirmed. An assessed agency's own pages for FY 2567
  (https://www.sakonarea1.go.th/new2024/iit/ and .../new2024/oit-open-data-integrity/) still show
  indicators 1-5 under IIT (30 points) and 9-10 under OIT, but OIT as 35 items for 40 points, not
  the 43 items of 2566; they do not list the items. Other agencies' websites show item lists of
  different lengths and wordings per agency type, which is no source for NACC's list.
A year without a shipped framework is typed by an administrator and stays "ยังไม่ยืนยัน"
(Framework.provisional) until it is checked against NACC's manual; create_framework gives a year
outside YEARS only a provisional copy of the FY 2566 structure, marked as such in its source.
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

YEARS = (2563, 2564, 2565, 2566)  # the years shipped as data (migration 0002), each confirmed by its manual


def source(fiscal_year: int) -> str:
    if fiscal_year not in YEARS:
        return (f"ยังไม่ยืนยัน: ใช้โครงสร้างของกรอบปี {YEARS[-1]} ชั่วคราว ยังไม่ได้ตรวจกับคู่มือการประเมิน"
                f"ประจำปีงบประมาณ พ.ศ. {fiscal_year} ของสำนักงาน ป.ป.ช.")
    return (f"คู่มือการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. {fiscal_year} "
            "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (https://itas.nacc.go.th)")


# What each tool is for, as the analysis report explains it.
TOOL_PURPOSES = {
    "IIT": "เพื่อประเมินระดับการรับรู้ของบุคลากรภายในหน่วยงานที่ปฏิบัติงานมาไม่น้อยกว่า 1 ปี "
           "ที่มีต่อการดำเนินงานของหน่วยงานตนเอง",
    "EIT": "เพื่อประเมินระดับการรับรู้ของผู้รับบริการ ผู้มาติดต่อ หรือผู้มีส่วนได้ส่วนเสียของหน่วยงาน "
           "ที่มีต่อการดำเนินงานของหน่วยงาน ในปีงบประมาณที่ประเมิน",
    "OIT": "เพื่อประเมินระดับการเปิดเผยข้อมูลต่อสาธารณชนผ่านเว็บไซต์ของหน่วยงาน "
           "และการดำเนินการเพื่อป้องกันการทุจริต ตามข้อมูลที่หน่วยงานเผยแพร่",
}

# Per indicator: what it measures, and the standard advice on what to improve.
INDICATOR_TEXTS = {
    1: ("ประเมินการรับรู้ของบุคลากรภายในต่อการปฏิบัติงานของบุคลากรในหน่วยงาน ในประเด็นการปฏิบัติงานตามมาตรฐาน "
        "ขั้นตอน และระยะเวลาที่กำหนดอย่างโปร่งใส การให้บริการแก่ผู้มาติดต่อทั่วไปกับผู้ที่รู้จักเป็นการส่วนตัวอย่างเท่าเทียมกัน "
        "และการรับเงิน ทรัพย์สิน หรือประโยชน์อื่นใดเพื่อแลกกับการปฏิบัติหน้าที่",
        "ควรกำชับให้บุคลากรปฏิบัติงานตามคู่มือและมาตรฐานการปฏิบัติงาน ให้บริการอย่างเท่าเทียม เปิดเผยขั้นตอนและระยะเวลา "
        "การให้บริการ และย้ำนโยบายไม่รับของขวัญและสินบนทุกรูปแบบ"),
    2: ("ประเมินการรับรู้ของบุคลากรภายในต่อการใช้จ่ายงบประมาณของหน่วยงาน ในประเด็นการจัดทำและเผยแพร่แผนการใช้จ่ายงบประมาณประจำปี "
        "การใช้งบประมาณอย่างคุ้มค่าและตรงตามวัตถุประสงค์ การเบิกจ่ายที่ถูกต้อง การไม่เอื้อประโยชน์แก่ผู้ใด "
        "และการเปิดโอกาสให้บุคลากรมีส่วนร่วมในการตรวจสอบการใช้งบประมาณและการจัดซื้อจัดจ้าง",
        "ควรเผยแพร่แผนการใช้จ่ายงบประมาณประจำปีให้บุคลากรทราบอย่างทั่วถึง เปิดโอกาสให้บุคลากรมีส่วนร่วมในการจัดทำ "
        "และกำกับติดตามการใช้งบประมาณ และตรวจสอบการเบิกจ่ายให้ถูกต้องตามระเบียบ"),
    3: ("ประเมินการรับรู้ของบุคลากรภายในต่อการใช้อำนาจของผู้บังคับบัญชา ในประเด็นการมอบหมายงาน การประเมินผลการปฏิบัติงาน "
        "การคัดเลือกบุคลากรเพื่อให้สิทธิประโยชน์อย่างเป็นธรรม และการสั่งการให้กระทำในสิ่งที่ไม่ถูกต้องหรือเกี่ยวข้องกับการทุจริต",
        "ผู้บังคับบัญชาควรมอบหมายงานและประเมินผลการปฏิบัติงานอย่างเป็นธรรม เปิดเผยหลักเกณฑ์การคัดเลือกบุคลากร "
        "เพื่อรับสิทธิประโยชน์ และไม่สั่งการในสิ่งที่ไม่ถูกต้อง"),
    4: ("ประเมินการรับรู้ของบุคลากรภายในต่อการใช้ทรัพย์สินของราชการ ในประเด็นการนำทรัพย์สินของราชการไปเป็นของตนเอง "
        "หรือให้ผู้อื่นนำไปใช้ การขอยืมทรัพย์สินของราชการตามขั้นตอนที่ถูกต้อง และการกำกับดูแลและตรวจสอบการใช้ทรัพย์สินของราชการ",
        "ควรจัดทำแนวปฏิบัติและขั้นตอนการขอยืมทรัพย์สินของราชการ เผยแพร่ให้บุคลากรทราบและถือปฏิบัติ "
        "และตรวจสอบการใช้วัสดุและครุภัณฑ์ในแต่ละส่วนงานเป็นระยะ"),
    5: ("ประเมินการรับรู้ของบุคลากรภายในต่อการแก้ไขปัญหาการทุจริตของหน่วยงาน ในประเด็นการให้ความสำคัญของผู้บริหารสูงสุด "
        "ในการต่อต้านการทุจริต การนำผลการประเมินไปปรับปรุงการทำงาน การจัดการเรื่องร้องเรียน และการเฝ้าระวัง ตรวจสอบ "
        "และลงโทษเมื่อมีการทุจริต",
        "ผู้บริหารควรแสดงเจตจำนงในการต่อต้านการทุจริต นำผลการประเมิน ITA ไปปรับปรุงการทำงานและมาตรการป้องกันการทุจริต "
        "และจัดให้มีช่องทางร้องเรียนที่คุ้มครองผู้แจ้งเบาะแส"),
    6: ("ประเมินการรับรู้ของผู้รับบริการ ผู้มาติดต่อ หรือผู้มีส่วนได้ส่วนเสียต่อคุณภาพการดำเนินงานของหน่วยงาน ในประเด็น "
        "การปฏิบัติงานตามขั้นตอนและระยะเวลาที่กำหนด การให้ข้อมูลอย่างตรงไปตรงมา การปฏิบัติงานอย่างเท่าเทียม "
        "โดยคำนึงถึงประโยชน์ของประชาชนและส่วนรวม และการเรียกรับสินบน",
        "ควรให้บริการตามขั้นตอนและระยะเวลาที่ประกาศไว้ ให้ข้อมูลที่ถูกต้องชัดเจน และปฏิบัติต่อผู้รับบริการทุกคนอย่างเท่าเทียมกัน"),
    7: ("ประเมินการรับรู้ของผู้รับบริการ ผู้มาติดต่อ หรือผู้มีส่วนได้ส่วนเสียต่อประสิทธิภาพการสื่อสารของหน่วยงาน ในประเด็น "
        "การเผยแพร่ข้อมูลที่เข้าถึงง่ายผ่านช่องทางที่หลากหลาย การเผยแพร่ผลงานและข้อมูลที่สาธารณชนควรรับรู้ "
        "ช่องทางรับฟังคำติชมและการชี้แจงข้อสงสัย และช่องทางร้องเรียนการทุจริต",
        "ควรเผยแพร่ข้อมูลผ่านหลายช่องทางในรูปแบบที่เข้าใจง่าย มอบหมายผู้รับผิดชอบตอบข้อซักถาม "
        "และประชาสัมพันธ์ช่องทางร้องเรียนการทุจริตในจุดที่เห็นได้ง่าย"),
    8: ("ประเมินการรับรู้ของผู้รับบริการ ผู้มาติดต่อ หรือผู้มีส่วนได้ส่วนเสียต่อการปรับปรุงระบบการทำงานของหน่วยงาน ในประเด็น "
        "การปรับปรุงคุณภาพการปฏิบัติงานและการให้บริการ การนำเทคโนโลยีมาใช้ให้เกิดความสะดวกรวดเร็ว "
        "และการเปิดโอกาสให้ผู้มีส่วนได้ส่วนเสียเข้ามามีส่วนร่วมในการปรับปรุงการดำเนินงาน",
        "ควรสำรวจความพึงพอใจของผู้รับบริการและนำผลมาปรับปรุงการให้บริการ นำเทคโนโลยีมาใช้ลดขั้นตอน "
        "และเปิดโอกาสให้ประชาชนมีส่วนร่วมในการปรับปรุงการดำเนินงาน"),
    9: ("ประเมินการเปิดเผยข้อมูลต่อสาธารณชนบนเว็บไซต์ของหน่วยงาน ทั้งข้อมูลพื้นฐาน การบริหารงาน การจัดซื้อจัดจ้าง "
        "การบริหารและพัฒนาทรัพยากรบุคคล และการส่งเสริมความโปร่งใส",
        "ควรเผยแพร่ข้อมูลให้ครบทุกข้อการประเมิน เป็นปัจจุบัน และตรวจสอบว่าลิงก์ที่ตอบในแบบ OIT เปิดได้และตรงกับข้อการประเมิน"),
    10: ("ประเมินการดำเนินการเพื่อป้องกันการทุจริตของหน่วยงาน ทั้งการดำเนินการเพื่อป้องกันการทุจริต "
         "และมาตรการภายในเพื่อส่งเสริมความโปร่งใสและป้องกันการทุจริต ตามที่หน่วยงานเผยแพร่",
         "ควรจัดทำและเผยแพร่แผนปฏิบัติการป้องกันการทุจริต รายงานผลรอบ 6 เดือนและประจำปี "
         "และวิเคราะห์ผลการประเมินเพื่อกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสในปีถัดไป"),
}

GUIDELINES = "\n".join([
    "ผู้บริหารประกาศเจตจำนงสุจริตและสื่อสารให้บุคลากรทุกระดับรับทราบและถือปฏิบัติ",
    "นำผลการประเมินและข้อเสนอแนะของผู้ตรวจประเมินไปจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
    "กำหนดผู้รับผิดชอบ และกำกับติดตามให้มีการปฏิบัติ",
    "เผยแพร่ข้อมูลสาธารณะบนเว็บไซต์ของหน่วยงานให้ครบถ้วน ถูกต้อง เป็นปัจจุบัน และเข้าถึงได้ง่าย",
    "สร้างการรับรู้ให้บุคลากรและผู้มีส่วนได้ส่วนเสียเข้าใจการประเมิน และมีส่วนร่วมในการตอบแบบวัดการรับรู้",
    "รายงานผลการดำเนินการตามมาตรการต่อผู้บริหารตามรอบที่กำหนด และนำผลไปปรับปรุงในปีถัดไป",
])


def set_texts(apps, framework) -> None:
    """The standard texts of the analysis report for a framework of this module's shape; kept apart
    from create_framework because migration 0002's historical models have no text fields."""
    Tool = apps.get_model("ita", "Tool")
    Indicator = apps.get_model("ita", "Indicator")
    Framework = apps.get_model("ita", "Framework")
    Framework.objects.filter(pk=framework.pk, source="").update(source=source(framework.fiscal_year))
    Framework.objects.filter(pk=framework.pk, guidelines="").update(guidelines=GUIDELINES)
    for code, purpose in TOOL_PURPOSES.items():
        Tool.objects.filter(framework_id=framework.pk, code=code, purpose="").update(purpose=purpose)
    for number, (description, advice) in INDICATOR_TEXTS.items():
        Indicator.objects.filter(framework_id=framework.pk, number=number, description="").update(
            description=description, advice=advice)


def create_framework(apps, fiscal_year: int) -> None:
    """Used by the data migration (with historical models) and by tests.

    A year that already has a framework is left as it is, whoever typed it. A year outside YEARS
    (tests, the benchmark's generator) gets the FY 2566 structure marked provisional: it is no
    confirmed framework of that year, and its source says so."""
    Framework = apps.get_model("ita", "Framework")
    Tool = apps.get_model("ita", "Tool")
    ToolPart = apps.get_model("ita", "ToolPart")
    Indicator = apps.get_model("ita", "Indicator")
    OitItem = apps.get_model("ita", "OitItem")
    LevelBand = apps.get_model("ita", "LevelBand")
    if Framework.objects.filter(fiscal_year=fiscal_year).exists():
        return
    framework = Framework.objects.create(fiscal_year=fiscal_year, provisional=fiscal_year not in YEARS,
                                         pass_mark=Decimal("85"),
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
    if any(field.name == "purpose" for field in Tool._meta.get_fields()):
        set_texts(apps, framework)

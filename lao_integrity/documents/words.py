"""Thai words that a line must never break inside, in headings and table cells.

Pango breaks Thai lines at libthai's dictionary boundaries, and libthai splits compounds that
are one word on the page: "หน่วย|งาน", "ดำเนิน|การ", "ตัว|ชี้|วัด", "ผู้|รับผิดชอบ". A narrow
cell or a long title then printed "ยังไม่ดำเนิน" / "การ". These are the compounds the documents
themselves print (headings, column heads, statuses, framework names) that libthai splits; the
renderer keeps each whole (a no-wrap span with break opportunities either side). Keep entries
short (a nowrap word wider than its cell would overflow it) and add words as documents need them.
"""

KEEP_WHOLE = (
    "ดำเนินการ", "ดำเนินงาน", "ตัวชี้วัด", "หน่วยงาน", "ภาครัฐ", "หน่วยนับ", "ค่าฐาน", "ค่าเป้าหมาย",
    "ถ่วงน้ำหนัก", "ผลสัมฤทธิ์", "ผลผลิต", "ผลประโยชน์", "ประเมินผล", "ผ่านเกณฑ์", "จุดแข็ง", "ยกระดับ",
    "ข้อเสนอแนะ", "กลุ่มเป้าหมาย", "ระยะเวลา", "แล้วเสร็จ", "ใช้จ่าย", "จัดทำ", "ปฏิบัติงาน",
    "ปฏิบัติราชการ", "ปีงบประมาณ", "ประจำปีงบประมาณ", "ประจำปี", "รายไตรมาส", "มีส่วนร่วม",
    "ความโปร่งใส", "ความพึงพอใจ", "สิ้นรอบ", "สำนักปลัด", "ส่วนท้องถิ่น", "เทศบาลตำบล",
    "ผู้รับผิดชอบ", "ผู้บริหาร", "ผู้อนุมัติ", "ผู้ประเมิน", "ผู้รับบริการ", "ผู้จัดทำ",
)

"""Demo organisations, people and one user per role. Passwords are for demos only."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .access import SYSTEM
from .models import OrgType, Role
from .services import membership_grant, organisation_upsert, person_ensure, unit_ensure

# Codes are illustrative, not the Department of Local Administration's.
ORGANISATIONS = [
    ("5205401", OrgType.SAO, "องค์การบริหารส่วนตำบลบ้านแหง", "งาว", "ลำปาง"),
    ("5570701", OrgType.SUBDISTRICT_MUNI, "เทศบาลตำบลแม่สายมิตรภาพ", "แม่สาย", "เชียงราย"),
    ("4960801", OrgType.TOWN, "เทศบาลเมืองตากใบ", "ตากใบ", "นราธิวาส"),
    ("6411201", OrgType.SAO, "องค์การบริหารส่วนตำบลบ้านม่วง", "บ้านดุง", "อุดรธานี"),
]
BAN_HAENG_UNITS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม", "หน่วยตรวจสอบภายใน"]

DEMO_USERS = [
    # username, password, first name, role, organisation codes
    ("staff", "staff-demo-2569", "เจ้าหน้าที่ (บ้านแหง)", Role.STAFF, ["5205401"]),
    ("executive", "executive-demo-2569", "ผู้บริหาร (บ้านแหง)", Role.EXECUTIVE, ["5205401"]),
    ("auditor", "auditor-demo-2569", "ผู้ตรวจสอบ", Role.AUDITOR, [o[0] for o in ORGANISATIONS]),
    ("staff_maesai", "staff-demo-2567", "เจ้าหน้าที่ (แม่สายมิตรภาพ)", Role.STAFF, ["5570701"]),
]
ADMIN = ("admin", "admin-demo-2569")


@transaction.atomic
def seed() -> dict:
    orgs = {}
    for code, org_type, name, district, province in ORGANISATIONS:
        orgs[code] = organisation_upsert(user=SYSTEM, code=code, org_type=org_type, name=name, district=district,
                                         province=province)
    ban_haeng = orgs["5205401"]
    units = {name: unit_ensure(user=SYSTEM, organisation=ban_haeng, name=name, order=i) for i, name in enumerate(BAN_HAENG_UNITS)}
    person_ensure(user=SYSTEM, organisation=ban_haeng, prefix="นาย", first_name="ประสิทธิ์", last_name="เมืองงาว",
                  position=ban_haeng.executive_title)
    person_ensure(user=SYSTEM, organisation=ban_haeng, prefix="นางสาว", first_name="สุกัญญา", last_name="เทพา",
                  position="นักวิเคราะห์นโยบายและแผน", unit=units["สำนักปลัด"])
    # The seed spells her surname two ways (ใจวรรณ, ไจวรรณะ); one person, one spelling here.
    mae_sai = orgs["5570701"]
    person_ensure(user=SYSTEM, organisation=mae_sai, prefix="นางสาว", first_name="อุบล", last_name="ใจวรรณ",
                  position=mae_sai.executive_title)
    person_ensure(user=SYSTEM, organisation=mae_sai, prefix="ร้อยโท ", first_name="กิตติชัย", last_name="เจริญยิ่ง",
                  position=mae_sai.clerk_title)
    if not mae_sai.phone:
        mae_sai.phone = "053-734083"
        mae_sai.save(update_fields=["phone"])
    ban_muang = orgs["6411201"]
    person_ensure(user=SYSTEM, organisation=ban_muang, prefix="นาย", first_name="ณัฐพิชร์", last_name="บุชา",
                  position=f"รองปลัด{ban_muang.name}",
                  acting_lines=f"รักษาราชการแทนปลัด{ban_muang.name}\nปฏิบัติหน้าที่{ban_muang.executive_title}")

    User = get_user_model()
    users = {}
    for username, password, first_name, role, codes in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = first_name
        user.set_password(password)
        user.save()
        for code in codes:
            membership_grant(user=SYSTEM, account=user, organisation=orgs[code], role=role)
        users.setdefault(role.value, user)
    admin, _ = User.objects.get_or_create(username=ADMIN[0])
    admin.is_staff = admin.is_superuser = True
    admin.set_password(ADMIN[1])
    admin.save()
    return users


def logins() -> list[tuple[str, str, str]]:
    rows = [(u, p, role.label) for u, p, _, role, _ in DEMO_USERS]
    rows.append((ADMIN[0], ADMIN[1], "ผู้ดูแลระบบ"))
    return rows

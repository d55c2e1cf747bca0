"""Organisations (อปท.), their units and people, and who may work on them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from lao_integrity.history import Trail
from lao_integrity.records import Versioned


class OrgType(models.TextChoices):
    PAO = "pao", "อบจ."
    CITY = "city", "เทศบาลนคร"
    TOWN = "town", "เทศบาลเมือง"
    SUBDISTRICT_MUNI = "tambon_muni", "เทศบาลตำบล"
    SAO = "sao", "อบต."
    BANGKOK = "bangkok", "กรุงเทพมหานคร"
    PATTAYA = "pattaya", "เมืองพัทยา"


# Wording that depends on the type of organisation. Documents take it from here, so an
# อบต. document never says "เทศบาล" because someone copied last year's file.
ORG_VOCABULARY = {
    OrgType.PAO: {
        "prefix": "องค์การบริหารส่วนจังหวัด",
        "abbr": "อบจ.",
        "executive_prefix": "นายกองค์การบริหารส่วนจังหวัด",
        "staff": "พนักงานส่วนจังหวัด",
        "ordinance": "ข้อบัญญัติ",
        "council": "สภาองค์การบริหารส่วนจังหวัด",
    },
    OrgType.CITY: {
        "prefix": "เทศบาลนคร",
        "abbr": "ทน.",
        "executive_prefix": "นายกเทศมนตรีนคร",
        "staff": "พนักงานเทศบาล",
        "ordinance": "เทศบัญญัติ",
        "council": "สภาเทศบาลนคร",
    },
    OrgType.TOWN: {
        "prefix": "เทศบาลเมือง",
        "abbr": "ทม.",
        "executive_prefix": "นายกเทศมนตรีเมือง",
        "staff": "พนักงานเทศบาล",
        "ordinance": "เทศบัญญัติ",
        "council": "สภาเทศบาลเมือง",
    },
    OrgType.SUBDISTRICT_MUNI: {
        "prefix": "เทศบาลตำบล",
        "abbr": "ทต.",
        "executive_prefix": "นายกเทศมนตรีตำบล",
        "staff": "พนักงานเทศบาล",
        "ordinance": "เทศบัญญัติ",
        "council": "สภาเทศบาลตำบล",
    },
    OrgType.SAO: {
        "prefix": "องค์การบริหารส่วนตำบล",
        "abbr": "อบต.",
        "executive_prefix": "นายกองค์การบริหารส่วนตำบล",
        "staff": "พนักงานส่วนตำบล",
        "ordinance": "ข้อบัญญัติ",
        "council": "สภาองค์การบริหารส่วนตำบล",
    },
    OrgType.BANGKOK: {
        "prefix": "กรุงเทพมหานคร",
        "abbr": "กทม.",
        "executive_prefix": "ผู้ว่าราชการกรุงเทพมหานคร",
        "staff": "ข้าราชการกรุงเทพมหานคร",
        "ordinance": "ข้อบัญญัติ",
        "council": "สภากรุงเทพมหานคร",
    },
    OrgType.PATTAYA: {
        "prefix": "เมืองพัทยา",
        "abbr": "เมืองพัทยา",
        "executive_prefix": "นายกเมืองพัทยา",
        "staff": "พนักงานเมืองพัทยา",
        "ordinance": "ข้อบัญญัติ",
        "council": "สภาเมืองพัทยา",
    },
}

# Spellings people use for the type in spreadsheets.
ORG_TYPE_ALIASES = {
    "อบจ": OrgType.PAO,
    "องค์การบริหารส่วนจังหวัด": OrgType.PAO,
    "เทศบาลนคร": OrgType.CITY,
    "ทน": OrgType.CITY,
    "เทศบาลเมือง": OrgType.TOWN,
    "ทม": OrgType.TOWN,
    "เทศบาลตำบล": OrgType.SUBDISTRICT_MUNI,
    "ทต": OrgType.SUBDISTRICT_MUNI,
    "อบต": OrgType.SAO,
    "องค์การบริหารส่วนตำบล": OrgType.SAO,
    "กรุงเทพมหานคร": OrgType.BANGKOK,
    "กทม": OrgType.BANGKOK,
    "เมืองพัทยา": OrgType.PATTAYA,
}


def parse_org_type(text: str) -> str:
    """Return the OrgType value for what a user typed, or raise ValueError."""
    key = (text or "").strip().replace(" ", "").rstrip(".")
    if key in OrgType.values:
        return key
    try:
        return ORG_TYPE_ALIASES[key]
    except KeyError:
        choices = ", ".join(OrgType.labels)
        raise ValueError(f"ประเภท อปท. “{text}” ไม่ถูกต้อง (ใช้ได้: {choices})") from None


def emblem_path(organisation, filename: str) -> str:
    return f"emblems/{organisation.code}{filename[filename.rfind('.'):].lower()}"


def signature_path(person, filename: str) -> str:
    return f"signatures/{person.organisation_id}/{person.pk or 'new'}{filename[filename.rfind('.'):].lower()}"


org_code_validator = RegexValidator(r"^\d{7}$", "รหัส อปท. ต้องเป็นตัวเลข 7 หลัก")


class Organisation(Versioned):  # the profile form (contact line, emblem) is checked against its version
    code = models.CharField("รหัส อปท.", max_length=7, unique=True, validators=[org_code_validator])
    org_type = models.CharField("ประเภท", max_length=16, choices=OrgType.choices)
    name = models.CharField("ชื่อเต็ม", max_length=200, help_text="เช่น องค์การบริหารส่วนตำบลบ้านแหง")
    district = models.CharField("อำเภอ", max_length=100)
    province = models.CharField("จังหวัด", max_length=100, db_index=True)
    phone = models.CharField("โทรศัพท์", max_length=100, blank=True, help_text="เช่น 053-734083")
    # The emblem printed on every official document (ตราครุฑ for ประกาศ), 3 cm high.
    emblem = models.ImageField("ตราสัญลักษณ์ (ครุฑ)", upload_to=emblem_path, blank=True)
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "องค์กรปกครองส่วนท้องถิ่น"
        ordering = ["province", "name"]
        indexes = [
            models.Index(fields=["org_type", "province"]),
            # National lists sort by name (plans, agreements, ITA by name) or by province, always
            # ending on the unique code: a page is read along one of these, never sorted in full.
            models.Index(fields=["name", "code"], name="org_name_code_idx"),
            models.Index(fields=["province", "name", "code"], name="org_province_name_code_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        prefix = self.vocabulary["prefix"] if self.org_type else ""
        if prefix and self.name and not self.name.startswith(prefix):
            raise ValidationError({"name": f"ชื่อของ {self.get_org_type_display()} ต้องขึ้นต้นด้วย “{prefix}”"})

    @property
    def vocabulary(self) -> dict:
        return ORG_VOCABULARY[OrgType(self.org_type)]

    @property
    def short_name(self) -> str:
        """"บ้านแหง" for องค์การบริหารส่วนตำบลบ้านแหง."""
        return self.name.removeprefix(self.vocabulary["prefix"]) or self.name

    @property
    def abbreviated_name(self) -> str:
        if self.org_type in (OrgType.BANGKOK, OrgType.PATTAYA):
            return self.name
        return f"{self.vocabulary['abbr']}{self.short_name}"

    @property
    def executive_title(self) -> str:
        """Executive's position, e.g. นายกองค์การบริหารส่วนตำบลบ้านแหง."""
        if self.org_type == OrgType.BANGKOK:
            return self.vocabulary["executive_prefix"]
        return f"{self.vocabulary['executive_prefix']}{self.short_name}"

    @property
    def clerk_title(self) -> str:
        """Permanent secretary's position (ปลัด...)."""
        return f"ปลัด{self.name}"

    @property
    def staff_term(self) -> str:
        return self.vocabulary["staff"]

    @property
    def ordinance_term(self) -> str:
        return self.vocabulary["ordinance"]


class Unit(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units", verbose_name="อปท.")
    name = models.CharField("ชื่อหน่วยงาน", max_length=200, help_text="เช่น สำนักปลัด, กองคลัง")
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "หน่วยงานภายใน"
        ordering = ["organisation", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name")]

    def __str__(self):
        return self.name


class Person(Versioned):  # the signature form is checked against its version
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people", verbose_name="อปท.")
    prefix = models.CharField("คำนำหน้า", max_length=50, help_text="นาย / นาง / นางสาว / ยศ")
    first_name = models.CharField("ชื่อ", max_length=100)
    last_name = models.CharField("นามสกุล", max_length=100)
    position = models.CharField("ตำแหน่ง", max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="people",
                             verbose_name="หน่วยงาน")
    acting_lines = models.TextField(
        "ปฏิบัติหน้าที่/รักษาราชการแทน", blank=True,
        help_text="บรรทัดละหนึ่งตำแหน่ง เช่น รักษาราชการแทนปลัดองค์การบริหารส่วนตำบล...",
    )
    is_active = models.BooleanField("ยังดำรงตำแหน่ง", default=True)
    signature_image = models.ImageField(
        "ลายมือชื่อ (สแกน)", upload_to=signature_path, blank=True,
        help_text="พิมพ์เหนือชื่อในเอกสารที่ลงนามแล้วเท่านั้น",
    )
    history = Trail()

    class Meta:
        verbose_name = verbose_name_plural = "บุคลากร"
        ordering = ["organisation", "first_name", "last_name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        # Thai style: the prefix is written against the first name (นายประสิทธิ์ เมืองงาว).
        return f"{self.prefix}{self.first_name} {self.last_name}"

    full_name.fget.short_description = "ชื่อ-สกุล"  # the admin list's column

    @property
    def acting_list(self) -> list[str]:
        return [line.strip() for line in self.acting_lines.splitlines() if line.strip()]


class Role(models.TextChoices):
    STAFF = "staff", "เจ้าหน้าที่"
    EXECUTIVE = "executive", "ผู้บริหาร"
    AUDITOR = "auditor", "ผู้ตรวจสอบ (อ่านอย่างเดียว)"


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name="ผู้ใช้")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships",
                                     verbose_name="อปท.")
    role = models.CharField("บทบาท", max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "สิทธิ์การใช้งาน"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation.name} · {self.get_role_display()}"

    def clean(self):
        if (self.user_id and self.role != Role.AUDITOR
                and AuditorScope.objects.filter(user_id=self.user_id).exists()):
            raise ValidationError({"role": "ผู้ใช้นี้เป็นผู้ตรวจสอบ (อ่านอย่างเดียว) ให้ได้เฉพาะบทบาทผู้ตรวจสอบ"})


def normalise_province(text: str) -> str:
    """"จ.เชียงราย", "จังหวัดเชียงราย " -> "เชียงราย", the spelling Organisation.province uses."""
    value = " ".join((text or "").split())
    for prefix in ("จังหวัด", "จ."):
        if value.startswith(prefix):
            value = value.removeprefix(prefix).strip()
    return value


def normalise_district(text: str) -> str:
    """"อ.แม่สาย", "อำเภอแม่สาย" -> "แม่สาย", the spelling Organisation.district uses."""
    value = " ".join((text or "").split())
    for prefix in ("อำเภอ", "อ.", "เขต"):
        if value.startswith(prefix):
            value = value.removeprefix(prefix).strip()
    return value


def district_key(province: str, district: str) -> str:
    """How a district is written in a scope: "เชียงราย/แม่สาย"."""
    return f"{province}/{district}"


def split_district(text: str) -> tuple[str, str] | None:
    """"จ.เชียงราย / อ.แม่สาย" -> ("เชียงราย", "แม่สาย"); None when it is not "จังหวัด/อำเภอ"."""
    if not isinstance(text, str) or text.count("/") != 1:
        return None
    province, district = (part.strip() for part in text.split("/"))
    province, district = normalise_province(province), normalise_district(district)
    return (province, district) if province and district else None


class AuditorScope(models.Model):
    """What a supervisor who is not a member of an organisation may read: every organisation
    (national), those of some provinces (a provincial office of local administration, ท้องถิ่น
    จังหวัด) or of some districts (ท้องถิ่นอำเภอ). Read only: a user with a scope never changes
    or approves anything, whatever memberships they hold."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auditor_scope",
                                verbose_name="ผู้ใช้")
    all_organisations = models.BooleanField("อ่านได้ทุก อปท.", default=False)
    provinces = models.JSONField(
        "จังหวัด", default=list, blank=True,
        help_text="อ่านได้ทุก อปท. ในจังหวัดเหล่านี้ เช่น [\"เชียงราย\", \"ลำปาง\"]",
    )
    districts = models.JSONField(
        "อำเภอ", default=list, blank=True,
        help_text="อ่านได้ทุก อปท. ในอำเภอเหล่านี้ เขียนเป็น จังหวัด/อำเภอ เช่น [\"เชียงราย/แม่สาย\"]",
    )

    class Meta:
        verbose_name = verbose_name_plural = "ขอบเขตผู้ตรวจสอบ"

    def __str__(self):
        if self.all_organisations:
            return f"{self.user} · ทุก อปท."
        parts = []
        if self.provinces:
            parts.append(f"จังหวัด{', '.join(self.provinces)}")
        if self.districts:
            parts.append(f"อำเภอ {', '.join(self.districts)}")
        return f"{self.user} · {' · '.join(parts) or '(ไม่มี)'}"

    @property
    def district_pairs(self) -> list[tuple[str, str]]:
        return [pair for pair in (split_district(text) for text in self.districts or []) if pair]

    def clean(self):
        if not isinstance(self.provinces, list) or not all(isinstance(p, str) for p in self.provinces):
            raise ValidationError({"provinces": "จังหวัดต้องเป็นรายการชื่อจังหวัด"})
        self.provinces = sorted({normalise_province(p) for p in self.provinces if normalise_province(p)})
        if not isinstance(self.districts, list):
            raise ValidationError({"districts": "อำเภอต้องเป็นรายการ จังหวัด/อำเภอ"})
        bad = [str(text) for text in self.districts if split_district(text) is None]
        if bad:
            raise ValidationError({"districts": f"เขียนอำเภอเป็น จังหวัด/อำเภอ เช่น เชียงราย/แม่สาย "
                                                f"(ไม่ถูกต้อง: {', '.join(bad)})"})
        pairs = sorted({split_district(text) for text in self.districts})
        # A district of a province already in the scope adds nothing: kept out, so the scope reads plainly.
        pairs = [pair for pair in pairs if pair[0] not in self.provinces]
        self.districts = [district_key(*pair) for pair in pairs]
        if not self.all_organisations and not self.provinces and not self.districts:
            raise ValidationError("ระบุจังหวัดหรืออำเภออย่างน้อยหนึ่งแห่ง หรือเลือกอ่านได้ทุก อปท.")
        if pairs:
            condition = models.Q(pk__in=[])
            for province, district in pairs:
                condition |= models.Q(province=province, district=district)
            known_pairs = set(Organisation.objects.filter(condition).values_list("province", "district").distinct())
            missing = [district_key(*pair) for pair in pairs if pair not in known_pairs]
            if missing:
                raise ValidationError({"districts": f"ไม่มี อปท. ในทะเบียนที่อยู่อำเภอ {', '.join(missing)} "
                                                    "(ตรวจการสะกดจังหวัดและอำเภอ)"})
        # A misspelt province would silently show nothing: accept only provinces the registry has.
        known = set(Organisation.objects.filter(province__in=self.provinces).values_list("province", flat=True))
        unknown = [p for p in self.provinces if p not in known]
        if unknown:
            raise ValidationError({"provinces": f"ไม่มี อปท. ในทะเบียนที่อยู่จังหวัด {', '.join(unknown)} "
                                                "(ตรวจการสะกด หรือนำเข้า อปท. ของจังหวัดนั้นก่อน)"})
        if self.user_id and self.user.memberships.exclude(role=Role.AUDITOR).exists():
            raise ValidationError("ผู้ใช้นี้เป็นเจ้าหน้าที่หรือผู้บริหารของ อปท. อยู่ ผู้ตรวจสอบต้องอ่านได้อย่างเดียว "
                                  "ถอนสิทธิ์นั้นก่อน")

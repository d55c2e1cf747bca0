"""Organisation registry file: รหัส,ประเภท,ชื่อ,อำเภอ,จังหวัด (csv or xlsx)."""

from import_export import fields, resources, widgets

from lao_integrity import thai

from .models import ORG_VOCABULARY, Organisation, OrgType, parse_org_type

HEADERS = ["รหัส", "ประเภท", "ชื่อ", "อำเภอ", "จังหวัด"]


class CodeWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = thai.to_arabic_digits(str(value if value is not None else "").strip())
        if text.endswith(".0"):
            text = text[:-2]
        # Excel drops leading zeros from numeric cells.
        if text.isdigit() and len(text) < 7:
            text = text.zfill(7)
        return text


class OrgTypeWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_org_type(str(value or ""))

    def render(self, value, obj=None, **kwargs):
        return OrgType(value).label if value else ""


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value if value is not None else "").strip()


class OrganisationResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="รหัส", widget=CodeWidget())
    org_type = fields.Field(attribute="org_type", column_name="ประเภท", widget=OrgTypeWidget())
    name = fields.Field(attribute="name", column_name="ชื่อ", widget=TextWidget())
    district = fields.Field(attribute="district", column_name="อำเภอ", widget=TextWidget())
    province = fields.Field(attribute="province", column_name="จังหวัด", widget=TextWidget())

    FIELD_LABELS = dict(zip(["code", "org_type", "name", "district", "province"], HEADERS, strict=True))

    class Meta:
        model = Organisation
        fields = ("code", "org_type", "name", "district", "province")
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_diff = True

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # "บ้านแหง" with type อบต. means องค์การบริหารส่วนตำบลบ้านแหง.
        if instance.org_type and instance.name:
            prefix = ORG_VOCABULARY[OrgType(instance.org_type)]["prefix"]
            if not instance.name.startswith(prefix) and not any(
                instance.name.startswith(v["prefix"]) for v in ORG_VOCABULARY.values()
            ):
                instance.name = prefix + instance.name

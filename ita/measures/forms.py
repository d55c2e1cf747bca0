"""Forms for ITA measures and their quarterly progress. The services validate again and decide;
these give the page its fields, choices and first, field-level messages in Thai."""

from django import forms

from lao_integrity import confirmation
from lao_integrity.concurrency import VersionField
from lao_integrity.evidence import EvidenceFileField
from lao_integrity.fields import KeysChoiceField, ThaiDateField
from lao_integrity.orgs.models import Organisation, Unit

from ..models import Cadence, Framework, Measure, OitItem, ProgressStatus, Recommendation, Result
from . import services


class IndicatorChoices(KeysChoiceField):
    def label_from_instance(self, obj):
        return f"ตัวชี้วัดที่ {obj.number} {obj.name} ({obj.tool.code})"


class ItemChoices(KeysChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class RecommendationChoices(KeysChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.tool.code} {obj.label}" if obj.code else f"{obj.tool.code} {obj.advice[:120]}"


class MeasureForm(forms.Form):
    title = forms.CharField(label="มาตรการ", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                            error_messages={"required": "กรุณาระบุชื่อมาตรการ",
                                            "max_length": "ชื่อมาตรการยาวเกิน 500 ตัวอักษร"})
    indicators = IndicatorChoices(
        label="ตัวชี้วัดที่มาตรการนี้มุ่งแก้ไข", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="มาตรการที่เลือกหลายตัวชี้วัดจะแสดงในประกาศใต้ทุกตัวชี้วัดที่เลือก",
        error_messages={"invalid_choice": "ตัวชี้วัดที่เลือกไม่อยู่ในกรอบการประเมินที่มาตรการปีนี้ใช้",
                        "invalid_pk_value": "ตัวชี้วัดที่เลือกไม่ถูกต้อง"})
    items = ItemChoices(
        label="ข้อการประเมิน OIT ที่เกี่ยวข้อง", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="เช่น O42 ถ้าเลือกเฉพาะข้อ OIT โดยไม่เลือกตัวชี้วัด ระบบใช้ตัวชี้วัดของข้อนั้น",
        error_messages={"invalid_choice": "ข้อ OIT ที่เลือกไม่อยู่ในกรอบการประเมินที่มาตรการปีนี้ใช้",
                        "invalid_pk_value": "ข้อ OIT ที่เลือกไม่ถูกต้อง"})
    recommendations = RecommendationChoices(
        label="ข้อเสนอแนะของผู้ตรวจประเมินที่มาตรการนี้ตอบ", queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="ข้อเสนอแนะจากผลการประเมินปีก่อน (ข้อคำถามและประเด็น)",
        error_messages={"invalid_choice": "ข้อเสนอแนะที่เลือกไม่ใช่ของผลการประเมินที่มาตรการปีนี้ตอบ",
                        "invalid_pk_value": "ข้อเสนอแนะที่เลือกไม่ถูกต้อง"})
    steps = forms.CharField(label="ขั้นตอน/วิธีการปฏิบัติ", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                            help_text="บรรทัดละหนึ่งขั้นตอน ไม่ต้องพิมพ์ลำดับหรือเครื่องหมาย - ระบบใส่ให้เอง")
    responsible_unit = forms.ModelChoiceField(label="ผู้รับผิดชอบ (หน่วยงาน)", queryset=None, required=False,
                                              empty_label="— ไม่ระบุ —")
    responsible_text = forms.CharField(label="ผู้รับผิดชอบ (ข้อความ)", max_length=200, required=False,
                                       help_text="ใช้แทนหน่วยงาน เช่น ทุกสำนัก/กอง",
                                       error_messages={"max_length": "ข้อความผู้รับผิดชอบยาวเกิน 200 ตัวอักษร"})
    deadline = ThaiDateField(label="กำหนดแล้วเสร็จ (วันที่)", required=False)
    deadline_text = forms.CharField(label="กำหนดแล้วเสร็จ (ข้อความ)", max_length=100, required=False,
                                    help_text="ใช้เมื่อไม่มีวันที่แน่นอน เช่น ตลอดปีงบประมาณ",
                                    error_messages={"max_length": "ข้อความกำหนดแล้วเสร็จยาวเกิน 100 ตัวอักษร"})
    cadence = forms.ChoiceField(label="การรายงานผล", choices=Cadence.choices, initial=Cadence.QUARTERLY,
                                error_messages={"invalid_choice": "กรุณาเลือกรอบการรายงานผลจากรายการ"})
    version = VersionField()  # of the measure as loaded (edit only)

    def __init__(self, *args, organisation: Organisation, framework: Framework, measure: Measure | None = None,
                 result: Result | None = None, **kwargs):
        if measure is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": measure.title, "steps": measure.steps, "responsible_unit": measure.responsible_unit_id,
                "responsible_text": measure.responsible_text, "deadline": measure.deadline,
                "deadline_text": measure.deadline_text, "cadence": measure.cadence,
                "indicators": [i.pk for i in measure.indicators.all()], "items": [i.pk for i in measure.items.all()],
                "recommendations": [r.pk for r in measure.recommendations.all()], "version": measure.version,
            }
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.fields["indicators"].queryset = framework.indicators.select_related("tool").order_by("number")
        self.fields["items"].queryset = (OitItem.objects.filter(indicator__framework=framework)
                                         .select_related("indicator").order_by("indicator__number", "id"))
        self.fields["responsible_unit"].queryset = Unit.objects.filter(organisation=organisation)
        # The coded recommendations of the result the year's measures answer (the year before's), by
        # tool then code; a general one (no question code) only when the measure answers it already.
        linked = {r.pk for r in measure.recommendations.all()} if measure is not None else set()
        recommendations = sorted((r for r in result.recommendations.select_related("tool") if r.code or r.pk in linked),
                                 key=lambda r: r.sort_key) if result else []
        if recommendations:
            self.fields["recommendations"].queryset = Recommendation.objects.filter(result=result).select_related("tool")
            self.fields["recommendations"].choices = [
                (rec.pk, self.fields["recommendations"].label_from_instance(rec)) for rec in recommendations]
        else:
            del self.fields["recommendations"]
        if measure is None:
            del self.fields["version"]  # a new measure has no version to carry
        else:
            self.initial.setdefault("version", measure.version)

    def clean(self):
        cleaned = super().clean()
        if ("indicators" not in self.errors and "items" not in self.errors
                and not cleaned.get("indicators") and not cleaned.get("items")):
            self.add_error("indicators", "กรุณาเลือกตัวชี้วัดที่มาตรการนี้มุ่งแก้ไขอย่างน้อย 1 ตัวชี้วัด")
        return cleaned

    def service_kwargs(self) -> dict:
        """The measure's fields for the service; the loaded version is `expected_version()`."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["indicators"] = list(data["indicators"])
        data["items"] = list(data["items"])
        if "recommendations" in data:
            data["recommendations"] = list(data["recommendations"])
        return data

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")


class MeasureProgressForm(forms.Form):
    status = forms.ChoiceField(label="สถานะ", choices=ProgressStatus.choices,
                               error_messages={"invalid_choice": "กรุณาเลือกสถานะจากรายการ"})
    result = forms.CharField(label="ผลการดำเนินงาน", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    evidence_file = EvidenceFileField(help_text=services.EVIDENCE_HELP)
    evidence_url = forms.URLField(label="ลิงก์หลักฐาน", required=False, max_length=500, assume_scheme="https",
                                  error_messages={"invalid": "ลิงก์หลักฐานไม่ถูกต้อง เช่น https://www.example.go.th/ita"})
    remove_file = forms.BooleanField(label="ลบไฟล์หลักฐานเดิม", required=False)
    version = VersionField()  # of the quarter's progress as loaded; 0 when there was none yet

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        confirmation.posted_confirmations(self)

    def confirmation_fields(self):
        return confirmation.confirmation_fields(self)

    def service_kwargs(self) -> dict:
        """The progress for the service; the version and the confirmations go separately."""
        return {name: value for name, value in self.cleaned_data.items()
                if name != "version" and not name.startswith(confirmation.PREFIX)}

from decimal import Decimal

from django import forms
from django.forms import formset_factory

from lao_integrity import confirmation
from lao_integrity.concurrency import VersionField
from lao_integrity.evidence import EvidenceFileField
from lao_integrity.fields import (
    BahtField,
    FiscalYearField,
    ThaiDateField,
    ThaiDecimalField,
    ThaiIntegerField,
    thai_formfield,
)
from lao_integrity.orgs.forms import OrganisationField
from lao_integrity.orgs.models import Person, Unit
from lao_integrity.uploads import TableUploadForm

from . import sheet_layout
from .models import Comparator, Plan, ProgressStatus, Project, ProjectKind


class PlanCreateForm(forms.Form):
    organisation = OrganisationField(denied="ท่านไม่มีสิทธิ์จัดทำแผนของ")
    fiscal_year = FiscalYearField()

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PlanSettingsForm(forms.ModelForm):
    data_as_of = ThaiDateField(label="ข้อมูล ณ วันที่", required=False)
    version = VersionField()

    class Meta:
        model = Plan
        formfield_callback = thai_formfield
        fields = ["data_as_of", "issuer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        self.fields["issuer"].queryset = Person.objects.filter(organisation=self.instance.organisation,
                                                               is_active=True)
        self.fields["issuer"].empty_label = "— ยังไม่ระบุ —"


class ProjectForm(forms.ModelForm):
    budget = BahtField(label="งบประมาณ (บาท)", min_value=0, required=False,
                       help_text="0 = ดำเนินการโดยไม่ใช้งบประมาณ")
    version = VersionField()

    class Meta:
        model = Project
        formfield_callback = thai_formfield
        fields = ["name", "kind", "dimension", "budget", "q1", "q2", "q3", "q4", "responsible_unit", "remark",
                  "is_added", "added_note"]
        widgets = {"name": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        self.fields["dimension"].queryset = plan.framework.dimensions.order_by("number")
        self.fields["dimension"].empty_label = None
        self.fields["responsible_unit"].queryset = Unit.objects.filter(organisation=plan.organisation)
        self.fields["responsible_unit"].empty_label = "— ไม่ระบุ —"
        self.fields["kind"].required = False
        self.fields["kind"].choices = [("", "— ตามคำขึ้นต้นของชื่อ —"), *ProjectKind.choices]
        self.fields["kind"].help_text = "เว้นว่าง = ดูจากคำขึ้นต้นของชื่อ"
        if self.instance.pk is None:
            del self.fields["version"]  # a new project has no version to carry
        else:
            self.initial.setdefault("version", self.instance.version)

    def clean_budget(self):
        value = self.cleaned_data.get("budget")
        return Decimal("0.00") if value is None else value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("added_note") and not cleaned.get("is_added"):
            self.add_error("added_note", "ใส่เชิงอรรถได้เฉพาะโครงการที่เพิ่มเติมหลังแผนตั้งต้น")
        return cleaned


class SheetForm(forms.Form):
    """The sheet's own text; its headings and numbers are the sections' (sheet_layout)."""

    rationale = forms.CharField(label=sheet_layout.BY_KEY["rationale"].title, widget=forms.Textarea(attrs={"rows": 8}),
                                required=False, help_text="เว้นบรรทัดว่างระหว่างย่อหน้า")
    duration = forms.CharField(label=sheet_layout.BY_KEY["duration"].title, required=False, max_length=300,
                               help_text="เติมให้จากไตรมาสที่เลือกไว้ในตารางโครงการ แก้ได้")
    budget_note = forms.CharField(label="รายละเอียดงบประมาณเพิ่มเติม", required=False, max_length=300,
                                  help_text="จำนวนเงินมาจากงบประมาณของโครงการ ไม่ต้องพิมพ์ซ้ำ")
    responsible = forms.CharField(label=sheet_layout.BY_KEY["responsible"].title, required=False, max_length=300,
                                  help_text="เติมให้จากหน่วยงานรับผิดชอบของโครงการ แก้ได้")
    version = VersionField()  # of the sheet as loaded; 0 when there was none yet


class ObjectiveForm(forms.Form):
    text = forms.CharField(label="วัตถุประสงค์", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TargetGroupForm(forms.Form):
    description = forms.CharField(label="กลุ่มเป้าหมาย", max_length=500, required=False)
    count = ThaiIntegerField(label="จำนวน", min_value=0, required=False)
    unit = forms.CharField(label="หน่วยนับ", max_length=50, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("count") is not None and not cleaned.get("unit"):
            self.add_error("unit", "กรุณาระบุหน่วยนับ เช่น คน")
        if (cleaned.get("count") is not None or cleaned.get("unit")) and not cleaned.get("description"):
            self.add_error("description", "กรุณาระบุกลุ่มเป้าหมาย")
        return cleaned


class StepForm(forms.Form):
    text = forms.CharField(label="ขั้นตอน", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    level = forms.TypedChoiceField(label="ระดับ", coerce=int, initial=1,
                                   choices=[(1, "ขั้นตอนหลัก"), (2, "ขั้นตอนย่อย"), (3, "ย่อยระดับ 3")])


class IndicatorForm(forms.Form):
    statement = forms.CharField(label="ตัวชี้วัด", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    comparator = forms.ChoiceField(label="เงื่อนไข", choices=Comparator.choices, required=False)
    target_value = ThaiDecimalField(label="ค่าเป้าหมาย", max_digits=14, decimal_places=2, min_value=0,
                                      required=False)
    unit = forms.CharField(label="หน่วย", max_length=50, required=False)

    def clean(self):
        cleaned = super().clean()
        has_target = cleaned.get("target_value") is not None
        if has_target and not cleaned.get("unit"):
            self.add_error("unit", "กรุณาระบุหน่วย เช่น ร้อยละ หรือ ฉบับ")
        if not has_target and (cleaned.get("comparator") or cleaned.get("unit")):
            self.add_error("target_value", "กรุณาระบุค่าเป้าหมาย")
        if (has_target or cleaned.get("comparator")) and not cleaned.get("statement"):
            self.add_error("statement", "กรุณาระบุตัวชี้วัด")
        return cleaned


# A sheet never needs more rows; the caps also bound the work a forged TOTAL_FORMS can ask for
# (without them one POST claiming 10^9 forms builds 2,000 forms per formset: a minute of CPU).
ObjectiveFormSet = formset_factory(ObjectiveForm, extra=2, can_delete=True, max_num=30, absolute_max=30)
TargetGroupFormSet = formset_factory(TargetGroupForm, extra=2, can_delete=True, max_num=30, absolute_max=30)
StepFormSet = formset_factory(StepForm, extra=3, can_delete=True, max_num=100, absolute_max=100)
IndicatorFormSet = formset_factory(IndicatorForm, extra=2, can_delete=True, max_num=30, absolute_max=30)


class ProgressForm(forms.Form):
    """A quarter's progress with e-PlanNACC's fields (its report: status and reason, the budget in
    the ordinance, the amount disbursed)."""

    status = forms.ChoiceField(label="สถานะ", choices=ProgressStatus.choices)
    unable_reason = forms.CharField(label="เหตุผลที่ไม่สามารถดำเนินการได้", required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text="ต้องระบุเมื่อเลือก “ไม่สามารถดำเนินการได้”")
    ordinance_budget = BahtField(label="งบประมาณตามข้อบัญญัติ/เทศบัญญัติ (บาท)", min_value=0, required=False,
                                 help_text="งบประมาณที่ตั้งไว้ในข้อบัญญัติ/เทศบัญญัติงบประมาณรายจ่าย ตามที่ e-PlanNACC ถาม")
    amount_spent = BahtField(label="เบิกจ่าย (บาท)", min_value=0, required=False,
                             help_text="จำนวนเงินที่เบิกจ่ายในไตรมาสนี้")
    result = forms.CharField(label="ผลการดำเนินงาน", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    evidence_file = EvidenceFileField(help_text="PDF, รูปภาพ, Word หรือ Excel ไม่เกิน 10 MB")
    evidence_url = forms.URLField(label="ลิงก์หลักฐาน", required=False, max_length=500,
                                  assume_scheme="https")
    version = VersionField()  # of the quarter's progress as loaded; 0 when there was none yet

    def __init__(self, *args, ordinance_term: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if ordinance_term:  # ข้อบัญญัติ (อบต., อบจ.) or เทศบัญญัติ (เทศบาล)
            self.fields["ordinance_budget"].label = f"งบประมาณตาม{ordinance_term} (บาท)"
            self.fields["ordinance_budget"].help_text = f"งบประมาณที่ตั้งไว้ใน{ordinance_term}งบประมาณรายจ่าย"
        confirmation.posted_confirmations(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ProgressStatus.UNABLE and not (cleaned.get("unable_reason") or "").strip():
            self.add_error("unable_reason", "กรุณาระบุเหตุผลที่ไม่สามารถดำเนินการได้")
        return cleaned

    def service_kwargs(self) -> dict:
        """The progress for the service; the version and the confirmations go separately."""
        return {name: value for name, value in self.cleaned_data.items()
                if name != "version" and not name.startswith(confirmation.PREFIX)}

    def clean_amount_spent(self):
        value = self.cleaned_data.get("amount_spent")
        return Decimal("0.00") if value is None else value


class PlanImportForm(TableUploadForm):
    organisation = OrganisationField(denied="ท่านไม่มีสิทธิ์นำเข้าแผนของ")
    fiscal_year = FiscalYearField()

    field_order = ["organisation", "fiscal_year", "file"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

"""Forms of the agreement pages. They shape input; the rules live in services."""


from django import forms

from lao_integrity.concurrency import VersionField
from lao_integrity.evidence import EvidenceFileField
from lao_integrity.fields import FiscalYearField, KeysChoiceField, ThaiDecimalField, thai_formfield
from lao_integrity.orgs.forms import OrganisationField
from lao_integrity.orgs.models import Person, Unit

from .models import AgreementIndicator, AgreementKind, PerformanceAgreement

ROUND_CHOICES = PerformanceAgreement._meta.get_field("round").choices
YEAR_ERRORS = {"invalid": "กรุณากรอกปีงบประมาณเป็นตัวเลข พ.ศ. เช่น 2569", "required": "กรุณากรอกปีงบประมาณ"}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        return f"{person.full_name} ({person.position})"


class _PartiesForm(forms.Form):
    fiscal_year = FiscalYearField(error_messages=YEAR_ERRORS)
    round = forms.TypedChoiceField(label="รอบการประเมิน", choices=ROUND_CHOICES, coerce=int)
    kind = forms.ChoiceField(label="ระดับ", choices=AgreementKind.choices, initial=AgreementKind.UNIT)
    unit = forms.ModelChoiceField(label="หน่วยงาน", queryset=Unit.objects.none(), required=False,
                                  empty_label="— ไม่ระบุ —",
                                  help_text="ต้องระบุสำหรับข้อตกลงระดับหน่วยงาน")
    person = PersonChoiceField(label="ผู้รับข้อตกลง", queryset=Person.objects.none(),
                               help_text="หัวหน้าส่วนราชการ หรือพนักงานผู้ทำข้อตกลงระดับบุคคล")
    executive = PersonChoiceField(label="ผู้ให้ข้อตกลง (ผู้บริหาร)", queryset=Person.objects.none())


class OrganisationPickForm(forms.Form):
    """The first step for a user who may act for many organisations (past SELECT_LIMIT): which one
    the new agreement is for, by its code. The create form then lists that organisation's units
    and people only, never those of the whole country."""

    org = OrganisationField(denied="ท่านไม่มีสิทธิ์จัดทำข้อตกลงของ")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = organisations


class AgreementCreateForm(_PartiesForm):
    organisation = OrganisationField(denied="ท่านไม่มีสิทธิ์จัดทำข้อตกลงของ")

    field_order = ["organisation", "fiscal_year", "round", "kind", "unit", "person", "executive"]

    def __init__(self, *args, organisations, picked=None, **kwargs):
        """`picked`: the organisation already chosen in OrganisationPickForm, shown there; this form
        carries it hidden instead of showing it a second time."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if picked is not None:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = picked.pk
        self.fields["unit"].queryset = Unit.objects.filter(organisation__in=organisations).select_related(
            "organisation")
        people = Person.objects.filter(organisation__in=organisations, is_active=True)
        self.fields["person"].queryset = people
        self.fields["executive"].queryset = people


class AgreementForm(_PartiesForm):
    """The parties and the round of a draft agreement of one organisation."""

    version = VersionField()  # of the agreement as loaded

    def __init__(self, *args, agreement: PerformanceAgreement, **kwargs):
        kwargs.setdefault("initial", {
            "fiscal_year": agreement.fiscal_year, "round": agreement.round, "kind": agreement.kind,
            "unit": agreement.unit_id, "person": agreement.person_id, "executive": agreement.executive_id,
            "version": agreement.version,
        })
        super().__init__(*args, **kwargs)
        organisation = agreement.organisation
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)
        people = Person.objects.filter(organisation=organisation, is_active=True)
        self.fields["person"].queryset = people
        self.fields["executive"].queryset = people


class ProjectChoiceField(KeysChoiceField):
    def label_from_instance(self, project) -> str:
        return f"ลำดับที่ {project.sequence} {project.name}"


class LinkProjectsForm(forms.Form):
    projects = ProjectChoiceField(label="โครงการในแผนปฏิบัติการป้องกันการทุจริตที่ข้อตกลงนี้ดำเนินการ",
                                  queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    version = VersionField()  # of the agreement as loaded

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = queryset


class IndicatorForm(forms.ModelForm):
    version = VersionField()  # of the indicator as loaded (edit only)

    class Meta:
        model = AgreementIndicator
        formfield_callback = thai_formfield  # Thai digits in targets, baseline and weight
        fields = ["aspect", "work_type", "name", "unit_of_measure", "baseline", "higher_is_better",
                  "target_1", "target_2", "target_3", "target_4", "target_5", "weight"]
        widgets = {"name": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"target_1": "ค่าที่ต้องทำได้จึงได้ระดับ 1 (ต่ำสุด) ถึงระดับ 5 (สูงสุด)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]  # a new indicator has no version to carry
        else:
            self.initial.setdefault("version", self.instance.version)
        # The service checks weight and order with Thai messages; the model's validators would
        # repeat them in Django's words.
        self.fields["weight"].validators = []
        self.fields["weight"].min_value = None
        for name in ("weight", "target_1", "target_2", "target_3", "target_4", "target_5", "baseline"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal"})

    @property
    def targets(self):
        """The five levels' target fields, in order: the form shows them as one row of a table."""
        return [self[f"target_{level}"] for level in range(1, 6)]

    def _post_clean(self):
        # Model validation happens in the service, once, so messages are not doubled.
        pass


class ProgressForm(forms.Form):
    value = ThaiDecimalField(label="ผลการดำเนินงานสะสม", max_digits=12, decimal_places=2, required=False,
                               help_text="ค่าตามหน่วยนับของตัวชี้วัด สะสมตั้งแต่ต้นรอบ")
    note = forms.CharField(label="รายละเอียดผลการดำเนินงาน", widget=forms.Textarea(attrs={"rows": 4}),
                           required=False)
    evidence_file = EvidenceFileField(help_text="PDF, รูปภาพ, Word หรือ Excel ไม่เกิน 10 MB")
    evidence_url = forms.URLField(label="ลิงก์หลักฐาน", required=False, max_length=500, assume_scheme="https")
    version = VersionField()  # of the quarter's progress as loaded; 0 when there was none yet


class EvaluateForm(forms.Form):
    """One achieved value per indicator, proposed from the last quarter's cumulative value."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            indicator = row.indicator
            self.fields[f"value_{indicator.pk}"] = ThaiDecimalField(
                label=f"{row.number}. {indicator.name} ({indicator.unit_of_measure})",
                max_digits=12, decimal_places=2, initial=row.latest_value,
                error_messages={"required": "กรุณาระบุผลการดำเนินงาน", "invalid": "กรุณากรอกเป็นตัวเลข"})

    def values(self) -> dict[int, object]:
        return {row.indicator.pk: self.cleaned_data[f"value_{row.indicator.pk}"] for row in self.rows}

    def bound_rows(self):
        return [(row, self[f"value_{row.indicator.pk}"]) for row in self.rows]

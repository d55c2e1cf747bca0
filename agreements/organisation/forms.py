"""Forms of the organisation-level agreement pages. Validation that matters lives in services."""

from django import forms
from django.forms import formset_factory

from lao_integrity.announcements.kinds import TOKEN_ORG, TOKEN_STAFF, TOKEN_YEAR
from lao_integrity.concurrency import VersionField
from lao_integrity.fields import FiscalYearField
from lao_integrity.orgs.forms import OrganisationField

from .annex_text import TITLE_MAX
from .services import START_ANNOUNCEMENT, START_PREVIOUS, START_STANDARD

TOKEN_HELP = f"ใช้ {TOKEN_ORG} {TOKEN_YEAR} {TOKEN_STAFF} แทนชื่อ อปท. ปีงบประมาณ และชื่อเรียกพนักงาน ระบบจะเติมให้เอง"
YEAR_ERRORS = {"invalid": "ปีงบประมาณต้องเป็นตัวเลข พ.ศ. เช่น 2569", "required": "กรุณาระบุปีงบประมาณ"}


class OrgAgreementCreateForm(forms.Form):
    organisation = OrganisationField(denied="ท่านไม่มีสิทธิ์จัดทำข้อตกลงของ",
                                     error_messages={"invalid_choice": "ท่านไม่มีสิทธิ์จัดทำข้อตกลงของ อปท. นี้"})
    fiscal_year = FiscalYearField(error_messages=YEAR_ERRORS)
    start_from = forms.ChoiceField(
        label="เริ่มจาก", initial=START_PREVIOUS,
        choices=[(START_PREVIOUS, "ข้อตกลงปีก่อนของ อปท. นี้ (ถ้าไม่มี ใช้รายละเอียดแนบท้ายมาตรฐาน)"),
                 (START_STANDARD, "รายละเอียดแนบท้ายมาตรฐาน"),
                 (START_ANNOUNCEMENT, "รายละเอียดแนบท้ายที่พิมพ์ไว้ในประกาศปีนี้")],
        widget=forms.RadioSelect)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class IntroductionForm(forms.Form):
    introduction = forms.CharField(label="ความนำของรายละเอียดแนบท้าย", required=False,
                                   widget=forms.Textarea(attrs={"rows": 6}),
                                   help_text="หนึ่งย่อหน้าต่อหนึ่งบรรทัด " + TOKEN_HELP)
    version = VersionField()  # of the agreement as loaded


class TopicForm(forms.Form):
    title = forms.CharField(label="หัวข้อ", max_length=TITLE_MAX,
                            help_text="ไม่ต้องพิมพ์เลขข้อ ระบบใส่ ๑. ๒. ... ตามลำดับให้เอง",
                            error_messages={"required": "กรุณาระบุชื่อหัวข้อ",
                                            "max_length": f"ชื่อหัวข้อยาวเกิน {TITLE_MAX} ตัวอักษร"},
                            widget=forms.TextInput(attrs={"size": 90}))
    explanation = forms.CharField(label="คำอธิบาย", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="ย่อหน้าใต้หัวข้อ (ถ้ามี) หนึ่งย่อหน้าต่อหนึ่งบรรทัด")
    version = VersionField()  # of the topic as loaded (edit only)

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["version"]  # a new topic has no version to carry


class ItemForm(forms.Form):
    text = forms.CharField(label="ข้อย่อย", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.CharField(label="รายการดำเนินการ", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="บรรทัดละหนึ่งรายการ ไม่ต้องพิมพ์ -")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("actions", "").strip() and not cleaned.get("text", "").strip():
            self.add_error("text", "กรุณาระบุข้อย่อยของรายการดำเนินการเหล่านี้")
        return cleaned


# ORDER (can_order) reorders the rows without JavaScript: change the numbers and save.
# absolute_max bounds the work a forged TOTAL_FORMS can ask for (Django's default builds up to 2,000 forms).
ItemFormSet = formset_factory(ItemForm, extra=2, can_delete=True, can_order=True, max_num=100, absolute_max=100)


def item_rows(formset) -> list[dict]:
    """The formset's rows in their chosen order, deleted and empty rows left out."""
    rows = []
    for form in formset.ordered_forms:
        data = form.cleaned_data
        if data.get("text", "").strip() or data.get("actions", "").strip():
            rows.append({"text": data.get("text", ""), "actions": data.get("actions", "")})
    return rows

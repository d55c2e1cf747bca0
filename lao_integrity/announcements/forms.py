from django import forms
from django.core.exceptions import ValidationError

from lao_integrity.concurrency import VersionField
from lao_integrity.fields import FiscalYearField, ThaiDateField, thai_formfield
from lao_integrity.orgs.forms import OrganisationField
from lao_integrity.orgs.models import Person

from .kinds import TOKENS
from .models import Announcement, Kind

TOKEN_HELP = "ใช้ " + " ".join(TOKENS) + " แทนชื่อ อปท. ปีงบประมาณ เรื่อง และชื่อเรียกพนักงาน ระบบจะเติมให้เอง"


class AnnouncementCreateForm(forms.Form):
    organisation = OrganisationField(denied="ท่านไม่มีสิทธิ์จัดทำประกาศของ")
    kind = forms.ChoiceField(label="ชนิดประกาศ", choices=Kind.choices)
    fiscal_year = FiscalYearField(required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") and cleaned["kind"] != Kind.OTHER and not cleaned.get("fiscal_year"):
            self.add_error("fiscal_year", "ประกาศชนิดนี้ต้องระบุปีงบประมาณ")
        return cleaned


class AnnouncementForm(forms.ModelForm):
    fiscal_year = FiscalYearField(required=False)
    announced_on = ThaiDateField(label="ประกาศ ณ วันที่", required=False)
    version = VersionField()

    class Meta:
        model = Announcement
        formfield_callback = thai_formfield  # Thai digits in the year and number
        fields = ["fiscal_year", "number", "subject", "body", "closing", "annex", "announced_on", "signer",
                  "archive_format"]
        widgets = {
            "subject": forms.TextInput(attrs={"size": 90}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "annex": forms.Textarea(attrs={"rows": 16}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        organisation = self.instance.organisation
        self.fields["signer"].queryset = Person.objects.filter(organisation=organisation, is_active=True)
        self.fields["signer"].empty_label = "— ยังไม่ระบุ —"
        self.fields["body"].help_text = "หนึ่งย่อหน้าต่อหนึ่งบรรทัด " + TOKEN_HELP
        self.fields["subject"].help_text = TOKEN_HELP
        self.fields["subject"].error_messages["required"] = "กรุณากรอกเรื่อง"
        self.fields["body"].error_messages["required"] = "กรุณากรอกข้อความประกาศ"
        if self.instance.kind == Kind.PLAN:
            # The plan's annex is the plan itself; a free-text one would contradict it.
            del self.fields["annex"]

    def clean_fiscal_year(self):
        value = self.cleaned_data.get("fiscal_year")
        if self.instance.kind != Kind.OTHER and not value:
            raise ValidationError("ประกาศชนิดนี้ต้องระบุปีงบประมาณ")
        return value

"""The answer form of one O-item. The service validates again and decides; this gives the page its
fields, choices and first, field-level messages in Thai."""

from django import forms

from lao_integrity.concurrency import VersionField

from . import evidence
from .models import State


class AnswerForm(forms.Form):
    evidence_kind = forms.ChoiceField(
        label="เอกสารในระบบที่ใช้เป็นหลักฐาน", required=False,
        help_text="ถ้าเอกสารนี้เผยแพร่แล้ว ข้อนี้เป็น “มี” โดยอัตโนมัติ และใช้ที่อยู่หน้าสาธารณะของเอกสารเป็น URL",
        error_messages={"invalid_choice": "กรุณาเลือกเอกสารในระบบจากรายการ"})
    external_url = forms.URLField(
        label="หรือลิงก์ภายนอก (URL)", required=False, max_length=500, assume_scheme="https",
        help_text="ใช้แทนเอกสารในระบบ เช่น หน้าเว็บไซต์ของหน่วยงาน ขึ้นต้นด้วย http:// หรือ https://",
        error_messages={"invalid": "ลิงก์ไม่ถูกต้อง ต้องเป็นที่อยู่เว็บ เช่น https://www.example.go.th/",
                        "max_length": "ลิงก์ยาวเกิน 500 ตัวอักษร"})
    state = forms.ChoiceField(
        label="สถานะ", required=False, widget=forms.RadioSelect,
        choices=[("", "ยังไม่ระบุ"), *State.choices],
        help_text="เมื่อมีลิงก์ภายนอก ต้องเลือก มี หรือ ไม่มี",
        error_messages={"invalid_choice": "สถานะต้องเป็น มี หรือ ไม่มี"})
    note = forms.CharField(label="คำอธิบาย", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="ข้อความที่กรอกในช่องคำอธิบายของ ITAS")
    version = VersionField()  # of the answer as loaded; 0 when there was none yet

    def __init__(self, *args, suggested: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        automatic = "ตามชื่อข้อ: " + " / ".join(evidence.KIND_LABELS.get(k, k) for k in suggested) if suggested \
            else "ไม่มีเอกสารในระบบที่ตรงกับข้อนี้"
        self.fields["evidence_kind"].choices = [("", f"อัตโนมัติ ({automatic})"), *evidence.KIND_LABELS.items()]

    def service_kwargs(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

from django import forms
from django.contrib import admin

from . import sealing
from .certificates import read_pkcs12
from .models import SigningCertificate
from .services import certificate_upload


class CertificateUploadForm(forms.ModelForm):
    """The PKCS#12 and its password are read here and never kept as uploaded: the service keeps
    the chain and the sealed key."""

    pkcs12_file = forms.FileField(label="ไฟล์ใบรับรอง PKCS#12 (.p12 / .pfx)",
                                  help_text="ใบรับรองพร้อมกุญแจส่วนตัวของ อปท. การอัปโหลดใหม่จะแทนที่ใบรับรองเดิม")
    passphrase = forms.CharField(label="รหัสผ่านของไฟล์", required=False, strip=False,
                                 widget=forms.PasswordInput(render_value=False),
                                 help_text="ไม่ถูกจัดเก็บ ใช้เพื่อเปิดไฟล์เท่านั้น")

    class Meta:
        model = SigningCertificate
        fields = ["organisation"]

    def clean(self):
        cleaned = super().clean()
        sealing.check_configured()
        upload = cleaned.get("pkcs12_file")
        if upload is not None:
            if upload.size > 1024 * 1024:
                raise forms.ValidationError("ไฟล์ใบรับรองต้องมีขนาดไม่เกิน 1 MB")
            cleaned["pkcs12_data"] = upload.read()
            read_pkcs12(cleaned["pkcs12_data"], cleaned.get("passphrase") or "")
        return cleaned


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    form = CertificateUploadForm
    list_display = ["organisation", "subject", "not_before", "not_after", "fingerprint_sha256"]
    search_fields = ["=organisation__code", "organisation__name", "subject"]
    search_help_text = "รหัส อปท. 7 หลัก หรือส่วนหนึ่งของชื่อ อปท. หรือชื่อผู้ถือใบรับรอง"
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["subject", "issuer", "serial_number", "fingerprint_sha256", "not_before", "not_after",
                       "uploaded_by", "uploaded_at"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        # A certificate stays its organisation's; a new one for it replaces the old one here.
        return [*self.readonly_fields, "organisation"] if obj is not None else self.readonly_fields

    def get_fields(self, request, obj=None):
        upload = ["pkcs12_file", "passphrase"]
        if obj is None:
            return ["organisation", *upload]
        return ["organisation", *self.readonly_fields, *upload]

    def save_model(self, request, obj, form, change):
        organisation = obj.organisation if change else form.cleaned_data["organisation"]
        kept = certificate_upload(organisation=organisation, pkcs12_data=form.cleaned_data["pkcs12_data"],
                                  passphrase=form.cleaned_data.get("passphrase") or "", user=request.user)
        obj.__dict__.update({k: v for k, v in kept.__dict__.items() if not k.startswith("_")})

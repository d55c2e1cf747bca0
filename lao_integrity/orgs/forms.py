from django import forms

from lao_integrity.uploads import validate_image


class OrganisationProfileForm(forms.Form):
    phone = forms.CharField(label="โทรศัพท์สำนักงาน", max_length=100, required=False,
                            help_text="พิมพ์บนโปสเตอร์ No Gift Policy เช่น 053-734083")
    emblem = forms.FileField(label="ตราสัญลักษณ์ (ครุฑ)", required=False,
                             help_text="PNG หรือ JPEG ไม่เกิน 2 MB พิมพ์สูง 3 ซม. กึ่งกลางหน้าแรกของประกาศ")
    remove_emblem = forms.BooleanField(label="ลบตราสัญลักษณ์", required=False)

    def clean_emblem(self):
        upload = self.cleaned_data.get("emblem")
        if upload:
            validate_image(upload)
        return upload


class SignatureForm(forms.Form):
    image = forms.FileField(label="ลายมือชื่อ (สแกน)", required=False,
                            help_text="PNG พื้นโปร่งใสหรือ JPEG พื้นขาว ไม่เกิน 2 MB")
    remove = forms.BooleanField(label="ลบลายมือชื่อ", required=False)

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload:
            validate_image(upload)
        return upload

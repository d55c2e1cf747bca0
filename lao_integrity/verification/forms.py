"""The verification form: a PDF (hashed by hashing.HashingUploadHandler) or a pasted SHA-256."""

from __future__ import annotations

import re

from django import forms

from .hashing import MAX_MB, HashedFile

HEX64 = re.compile(r"[0-9a-f]{64}")
FILE_FIELD = "pdf"

NOTHING_GIVEN = "เลือกไฟล์ PDF หรือวางค่า SHA-256 ของไฟล์ อย่างใดอย่างหนึ่ง"
BAD_HASH = "ค่า SHA-256 ต้องเป็นเลขฐานสิบหก (0–9 และ a–f) 64 ตัว"
EMPTY_FILE = "ไฟล์ที่เลือกว่างเปล่า"
NOT_PDF = "ไฟล์นี้ไม่ใช่ PDF ตรวจสอบได้เฉพาะไฟล์ PDF"
TOO_LARGE = f"ไฟล์ใหญ่เกิน {MAX_MB} MB ระบบไม่รับและไม่ได้อ่านไฟล์นี้"


class VerifyForm(forms.Form):
    sha256 = forms.CharField(label="หรือวางค่า SHA-256 ของไฟล์", required=False, max_length=200, strip=True,
                             help_text="ตัวอักษร 0–9 และ a–f จำนวน 64 ตัว ตามที่แสดงบนหน้าประกาศ")

    def clean_sha256(self) -> str:
        value = self.cleaned_data["sha256"].lower()
        if value and not HEX64.fullmatch(value):
            raise forms.ValidationError(BAD_HASH)
        return value

    def clean(self):
        cleaned = super().clean()
        upload = self.files.get(FILE_FIELD)
        if not isinstance(upload, HashedFile):
            upload = None
        if upload is not None:
            if not upload.size:
                self.add_error(None, EMPTY_FILE)
            elif not upload.is_pdf:
                self.add_error(None, NOT_PDF)
        elif not cleaned.get("sha256") and not self.has_error("sha256"):
            self.add_error(None, NOTHING_GIVEN)
        cleaned["upload"] = upload
        return cleaned

    @property
    def digest(self) -> str:
        """The SHA-256 to look up: the uploaded file's, else the pasted one."""
        upload = self.cleaned_data["upload"]
        return upload.sha256 if upload is not None else self.cleaned_data["sha256"]

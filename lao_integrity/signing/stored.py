"""A document kept at signing, the same way for every kind (announcements, performance agreements):
rendered once, PAdES-signed when the organisation has a valid certificate, stored with its SHA-256
on the record's `pdf`, `pdf_sha256` and `digital_signer` fields, and read back only while its bytes
still match."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from lao_integrity.orgs.models import Organisation

from . import pades

CHANGED = "ไฟล์ PDF ที่จัดเก็บไม่ตรงกับค่า SHA-256 ที่บันทึกไว้ตอนลงนาม โปรดแจ้งผู้ดูแลระบบ"


def keep(record, pdf: bytes, *, organisation: Organisation, reason: str, name: str) -> None:
    """Sign `pdf` for the organisation (B-B, or B-T with DJANGO_TSA_URL) if it has a valid
    certificate, and set the record's file (`name`-<digest>.pdf), digest and signer; the caller saves
    the record in the same transaction."""
    certificate = pades.valid_certificate(organisation)
    if certificate is not None:
        pdf = pades.sign_pdf(pdf, certificate=certificate, reason=reason)
        record.digital_signer = certificate.subject
    digest = hashlib.sha256(pdf).hexdigest()
    record.pdf.save(f"{name}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
    record.pdf_sha256 = digest


def read(record) -> bytes:
    """The stored bytes, refused (ValidationError, in Thai) when they no longer match the digest."""
    with record.pdf.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != record.pdf_sha256:
        raise ValidationError(CHANGED)
    return data

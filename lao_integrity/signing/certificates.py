"""Reading a PKCS#12 an administrator uploads: its key and chain, refused in Thai when unusable."""

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from django.utils import timezone


def describe(name: x509.Name) -> str:
    """The name as a reader shows it: the common name, then the organisation if it differs."""
    parts = []
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        for attribute in name.get_attributes_for_oid(oid):
            if attribute.value not in parts:
                parts.append(attribute.value)
    return ", ".join(parts) or name.rfc4514_string()


def read_pkcs12(data: bytes, passphrase: str) -> tuple:
    """(private key, certificate, other certificates), refused in Thai when unreadable or unusable."""
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(data, passphrase.encode() or None)
    except ValueError as error:
        raise ValidationError("อ่านไฟล์ PKCS#12 ไม่ได้: ไฟล์ไม่ถูกต้องหรือรหัสผ่านไม่ถูกต้อง") from error
    if key is None or certificate is None:
        raise ValidationError("ไฟล์ PKCS#12 ต้องมีทั้งใบรับรองและกุญแจส่วนตัว")
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if (key.public_key().public_bytes(serialization.Encoding.DER, public)
            != certificate.public_key().public_bytes(serialization.Encoding.DER, public)):
        raise ValidationError("กุญแจส่วนตัวในไฟล์ไม่ตรงกับใบรับรอง")
    if certificate.not_valid_after_utc < timezone.now():
        raise ValidationError("ใบรับรองนี้หมดอายุแล้ว")
    return key, certificate, list(others)

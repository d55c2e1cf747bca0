"""Writes and uses of signing certificates: an administrator's upload, and signing a PDF with one.

Only administrators (superusers, or the system for commands and the demo) keep certificates: the
private key signs in the organisation's name.
"""

import datetime
import io

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lao_integrity.history import records_user
from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation

from . import sealing
from .models import SigningCertificate


def _require_admin(user) -> None:
    if not (access.is_system(user) or (user.is_authenticated and user.is_superuser)):
        raise PermissionDenied("เฉพาะผู้ดูแลระบบเท่านั้นที่จัดการใบรับรองสำหรับลงลายมือชื่อดิจิทัลได้")


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


@records_user
@transaction.atomic
def certificate_upload(*, organisation: Organisation, pkcs12_data: bytes, passphrase: str, user
                       ) -> SigningCertificate:
    """Keep (or replace) the organisation's certificate: its chain in PEM, its key sealed."""
    _require_admin(user)
    sealing.check_configured()
    key, certificate, others = read_pkcs12(pkcs12_data, passphrase)
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [certificate, *others]).decode("ascii")
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex().upper()
    kept, _ = SigningCertificate.objects.select_for_update().update_or_create(
        organisation=organisation,
        defaults={
            "subject": describe(certificate.subject), "issuer": describe(certificate.issuer),
            "serial_number": format(certificate.serial_number, "X"),
            "fingerprint_sha256": ":".join(fingerprint[i:i + 2] for i in range(0, len(fingerprint), 2)),
            "not_before": certificate.not_valid_before_utc, "not_after": certificate.not_valid_after_utc,
            "certificate_chain_pem": chain, "sealed_private_key": sealing.seal(key_der),
            "uploaded_by": access.person(user),
        })
    return kept


def valid_certificate(organisation: Organisation, moment: datetime.datetime | None = None
                      ) -> SigningCertificate | None:
    """The organisation's certificate if it has one valid now (an expired one signs nothing)."""
    certificate = SigningCertificate.objects.filter(organisation=organisation).first()
    if certificate is None or not certificate.is_valid_at(moment):
        return None
    return certificate


def _signer(certificate: SigningCertificate):
    from asn1crypto import keys as asn1_keys
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    chain = list(load_certs_from_pemder_data(certificate.certificate_chain_pem.encode("ascii")))
    key = asn1_keys.PrivateKeyInfo.load(sealing.unseal(certificate.sealed_private_key))
    return signers.SimpleSigner(signing_cert=chain[0], signing_key=key,
                                cert_registry=SimpleCertificateStore.from_certs(chain))


def _timestamper():
    """RFC 3161 timestamps (PAdES B-T) when DJANGO_TSA_URL names an authority; B-B without."""
    if not settings.TSA_URL:
        return None
    from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper

    return HTTPTimeStamper(settings.TSA_URL, timeout=30)


def sign_pdf(pdf: bytes, *, certificate: SigningCertificate, reason: str = "", timestamper=None) -> bytes:
    """The PDF with a PAdES signature appended as an incremental update: the bytes WeasyPrint wrote
    stay as they were (their PDF/A metadata included) and the signature field is invisible, so the
    printed page is unchanged."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name="PortalSignature", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None, use_pades_lta=False)
    output = signers.sign_pdf(writer, metadata, signer=_signer(certificate),
                              timestamper=timestamper or _timestamper(), in_place=False)
    return output.getvalue()

"""PAdES signatures with pyHanko: which certificate signs for an organisation, and signing a PDF."""

import datetime
import io

from django.conf import settings

from lao_integrity.orgs.models import Organisation

from . import sealing
from .certificates import describe
from .models import SigningCertificate


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


# What the verification page (lao_integrity/verification) says of a file's signatures.
SIGNED_HERE = "ถูกต้อง ไฟล์ไม่ถูกแก้ไขหลังลงนาม ลงนามโดย {signer} ด้วยใบรับรองที่ลงทะเบียนไว้กับระบบนี้"
SIGNED_ELSEWHERE = ("ไฟล์ไม่ถูกแก้ไขหลังลงนาม ลงนามโดย {signer} แต่ใบรับรองนี้ไม่ได้ลงทะเบียนไว้กับระบบนี้ "
                    "จึงยืนยันผู้ลงนามไม่ได้")
ADDED_AFTER = "ลายมือชื่อของ {signer} ไม่ครอบคลุมทั้งไฟล์ มีการเพิ่มเติมไฟล์หลังลงนาม"
BROKEN = "ไม่ถูกต้อง ไฟล์ถูกแก้ไขหลังลงนาม ลายมือชื่อไม่ตรงกับเนื้อไฟล์"  # no name: nothing in it can be trusted
UNREADABLE = "อ่านลายมือชื่อดิจิทัลในไฟล์นี้ไม่ได้"


def _registered_certificates() -> list:
    """Every certificate of the chains registered here (the organisations' and their issuers'): the
    only ones the verification page trusts."""
    from pyhanko.keys import load_certs_from_pemder_data

    found = []
    for chain in SigningCertificate.objects.values_list("certificate_chain_pem", flat=True):
        found += load_certs_from_pemder_data(chain.encode("ascii"))
    return found


def _who(certificate) -> str:
    """The holder as the certificates' admin names them: pyHanko's (asn1crypto) certificate read by
    `cryptography` and named by certificates.describe (the common name, then the organisation if
    it differs)."""
    if certificate is None:
        return "ไม่ทราบชื่อ"
    from cryptography import x509

    return describe(x509.load_der_x509_certificate(certificate.dump()).subject)


def check(pdf: bytes) -> str:
    """Each signature of `pdf` checked by pyHanko (never fetching anything: no revocation lookups
    from a public page): intact and covering the whole file, and whose certificate leads to one
    registered here. One line per signature, Thai."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 (any malformed upload: say so, never a 500)
        return UNREADABLE
    if not signatures:
        return UNREADABLE
    roots = _registered_certificates()
    lines = []
    for signature in signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(signature, context)
        except (SignatureValidationError, ValueError, KeyError, TypeError):
            lines.append(UNREADABLE)
            continue
        signer = _who(status.signing_cert)
        if not status.intact or not status.valid:
            lines.append(BROKEN)
        elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            lines.append(ADDED_AFTER.format(signer=signer))
        elif status.trusted:
            lines.append(SIGNED_HERE.format(signer=signer))
        else:
            lines.append(SIGNED_ELSEWHERE.format(signer=signer))
    return " · ".join(lines)

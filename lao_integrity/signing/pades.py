"""PAdES signatures with pyHanko: which certificate signs for an organisation, and signing a PDF."""

import datetime
import io

from django.conf import settings

from lao_integrity.orgs.models import Organisation

from . import sealing
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

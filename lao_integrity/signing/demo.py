"""The demo's own certificate authority and a signing certificate for each demo organisation that
signs announcements (or performance agreements), so `make run` shows PDFs whose PAdES signature validates against it.

The CA's certificate is kept at `signing/demo-ca.pem` in the upload storage (media/signing/ with
`make run`): a tester trusts it in a PDF reader or passes it to a validator. Its private key is
kept beside it sealed like the organisations' keys, so a later run issues from the same CA.
NOT for production: anybody with the demo can issue certificates under it.
"""

import datetime
import warnings

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation

from . import sealing, services
from .models import SigningCertificate

CA_PATH = "signing/demo-ca.pem"
CA_KEY_PATH = "signing/demo-ca-key.sealed"
DEMO_PASSPHRASE = "demo"
# The organisations whose announcements the demo signs (lao_integrity/announcements/demo.py); 5570701
# (แม่สายมิตรภาพ) signs the demo's performance agreement too (agreements/performance/demo.py).
SIGNING_ORGANISATIONS = ("5205401", "6411201", "5570701")


def _attribute(oid, value: str) -> x509.NameAttribute:
    # RFC 5280 bounds a name by 64 characters; cryptography counts UTF-8 bytes, which a Thai name of
    # 22 characters already exceeds. The characters are what the standard (and the readers) mean.
    if len(value) > 64:
        raise ValueError(f"ชื่อยาวเกิน 64 ตัวอักษร: {value}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return x509.NameAttribute(oid, value, _validate=False)


def _name(common_name: str, organisation: str | None = None) -> x509.Name:
    attributes = [_attribute(NameOID.COUNTRY_NAME, "TH")]
    if organisation:
        attributes.append(_attribute(NameOID.ORGANIZATION_NAME, organisation))
    attributes.append(_attribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def make_ca() -> tuple:
    """(key, certificate) of a new self-signed demo CA, valid ten years."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name("CA ทดสอบ lao-integrity (ห้ามใช้จริง)", "lao-integrity demo")
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def issue_pkcs12(ca: tuple, common_name: str, *, passphrase: str = DEMO_PASSPHRASE, days: int = 1095,
                 not_before: datetime.datetime | None = None) -> bytes:
    """A PKCS#12 (key, certificate issued by `ca`, the CA) for `common_name`, as an administrator
    would receive it from a certificate authority."""
    ca_key, ca_certificate = ca
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start = not_before or datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    certificate = (
        x509.CertificateBuilder().subject_name(_name(common_name, common_name))
        .issuer_name(ca_certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        common_name.encode(), key, certificate, [ca_certificate],
        serialization.BestAvailableEncryption(passphrase.encode()))


def demo_ca() -> tuple:
    """The demo CA kept in storage, made (and kept) the first time."""
    if default_storage.exists(CA_PATH) and default_storage.exists(CA_KEY_PATH):
        with default_storage.open(CA_PATH, "rb") as handle:
            certificate = x509.load_pem_x509_certificate(handle.read())
        with default_storage.open(CA_KEY_PATH, "rb") as handle:
            key = serialization.load_der_private_key(sealing.unseal(handle.read().decode("ascii")), None)
        return key, certificate
    key, certificate = make_ca()
    for path in (CA_PATH, CA_KEY_PATH):
        if default_storage.exists(path):
            default_storage.delete(path)
    default_storage.save(CA_PATH, ContentFile(certificate.public_bytes(serialization.Encoding.PEM)))
    sealed = sealing.seal(key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    default_storage.save(CA_KEY_PATH, ContentFile(sealed.encode("ascii")))
    return key, certificate


def seed(*, users: dict) -> list[str]:
    """Before anything is signed (seed_demo runs it first): the signed PDFs then carry a digital signature."""
    missing = [o for o in Organisation.objects.filter(code__in=SIGNING_ORGANISATIONS).order_by("code")
               if not SigningCertificate.objects.filter(organisation=o).exists()]
    if not missing:
        return []
    ca = demo_ca()
    for organisation in missing:
        services.certificate_upload(organisation=organisation, pkcs12_data=issue_pkcs12(ca, organisation.name),
                                    passphrase=DEMO_PASSPHRASE, user=SYSTEM)
    try:
        where = default_storage.path(CA_PATH)
    except NotImplementedError:  # object storage: the name in the bucket
        where = CA_PATH
    return [f"ใบรับรองลงลายมือชื่อดิจิทัล (จาก CA ทดสอบ): {', '.join(o.name for o in missing)}",
            f"ใบรับรองของ CA ทดสอบ: {where}"]

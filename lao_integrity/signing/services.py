"""Writes to signing certificates: an administrator's upload, one transaction.

Only administrators (superusers, or the system for commands and the demo) keep certificates: the
private key signs in the organisation's name. The decision is access.can_manage_certificates.
"""

from cryptography.hazmat.primitives import hashes, serialization
from django.core.exceptions import PermissionDenied
from django.db import transaction

from lao_integrity.history import records_user
from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation

from . import sealing
from .certificates import describe, read_pkcs12
from .models import SigningCertificate


def _require_admin(user) -> None:
    if not access.can_manage_certificates(user):
        raise PermissionDenied("เฉพาะผู้ดูแลระบบเท่านั้นที่จัดการใบรับรองสำหรับลงลายมือชื่อดิจิทัลได้")


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

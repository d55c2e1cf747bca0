"""PAdES signatures on signed announcements: the certificate an administrator uploads, its key
sealed at rest, the signature pyHanko and poppler's pdfsig both check, and signing without one."""

import base64
import datetime
import io

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from lao_integrity.announcements import documents, services
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.signing import demo, pades, sealing
from lao_integrity.signing import services as signing
from lao_integrity.signing.models import SigningCertificate
from tests.support.pades import changed_in_signed_region, needs_pdfsig, pdfsig_report, pyhanko_status

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def ca():
    return demo.make_ca()


@pytest.fixture(scope="module")
def ca_pem(ca) -> bytes:
    return ca[1].public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def p12(ca) -> bytes:
    return demo.issue_pkcs12(ca, "องค์การบริหารส่วนตำบลทดสอบ", passphrase="รหัส-ทดสอบ")


@pytest.fixture
def certificate(org, p12):
    return signing.certificate_upload(organisation=org, pkcs12_data=p12, passphrase="รหัส-ทดสอบ", user=SYSTEM)


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("t_admin", password="t_admin-pw-2569")


def _sign(draft, executive, staff, *, archive=True):
    if archive:
        draft = services.announcement_update(announcement=draft, user=staff, archive_format=True)
    services.announcement_approve(announcement=draft, user=executive)
    return services.announcement_sign(announcement=draft, user=executive)


def _stored(announcement) -> bytes:
    return services.verified_pdf(announcement)


# --- the certificate and its key at rest ---------------------------------------------------


def test_upload_keeps_the_chain_and_never_the_key_in_clear(certificate, p12):
    key, cert, _ = pkcs12.load_key_and_certificates(p12, "รหัส-ทดสอบ".encode())
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    with connection.cursor() as cursor:  # the column as the database holds it
        cursor.execute(f"SELECT * FROM {SigningCertificate._meta.db_table} WHERE id = %s", [certificate.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "PRIVATE KEY" not in row
    for form in (key_der, key_der[-64:]):
        assert base64.b64encode(form).decode() not in row and form.hex() not in row.lower()
    assert sealing.unseal(certificate.sealed_private_key) == key_der  # sealed, and only the setting opens it
    with override_settings(SIGNING_KEY="another key"), pytest.raises(sealing.UnsealError):
        sealing.unseal(certificate.sealed_private_key)
    assert certificate.subject == "องค์การบริหารส่วนตำบลทดสอบ"
    assert certificate.issuer == "CA ทดสอบ lao-integrity (ห้ามใช้จริง), lao-integrity demo"
    assert certificate.not_before <= timezone.now() <= certificate.not_after
    assert len(certificate.fingerprint_sha256) == 95
    assert certificate.certificate_chain_pem.count("BEGIN CERTIFICATE") == 2


def test_only_administrators_keep_certificates(org, p12, executive, staff, admin_user):
    for user in (executive, staff):
        with pytest.raises(PermissionDenied):
            signing.certificate_upload(organisation=org, pkcs12_data=p12, passphrase="รหัส-ทดสอบ", user=user)
    assert not SigningCertificate.objects.filter(organisation=org).exists()
    signing.certificate_upload(organisation=org, pkcs12_data=p12, passphrase="รหัส-ทดสอบ", user=admin_user)
    assert SigningCertificate.objects.get(organisation=org).uploaded_by == admin_user


def test_who_manages_certificates_is_decided_in_access(executive, staff, auditor, admin_user):
    from django.contrib.auth.models import AnonymousUser

    from lao_integrity.orgs import access

    assert access.can_manage_certificates(SYSTEM) and access.can_manage_certificates(admin_user)
    for user in (executive, staff, auditor, AnonymousUser()):
        assert not access.can_manage_certificates(user)


def test_the_verification_names_a_signer_as_the_admin_does(ca, p12):
    """pades._who (pyHanko's certificate) names the holder with certificates.describe, as the upload did."""
    from asn1crypto import x509 as asn1_x509

    from lao_integrity.signing.certificates import describe

    _, holder, _ = pkcs12.load_key_and_certificates(p12, "รหัส-ทดสอบ".encode())
    for certificate in (holder, ca[1]):
        loaded = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
        assert pades._who(loaded) == describe(certificate.subject)
    assert describe(ca[1].subject) == "CA ทดสอบ lao-integrity (ห้ามใช้จริง), lao-integrity demo"
    assert pades._who(None) == "ไม่ทราบชื่อ"


def test_a_wrong_password_or_an_expired_certificate_is_refused_in_thai(org, p12, ca):
    with pytest.raises(ValidationError, match="รหัสผ่านไม่ถูกต้อง"):
        signing.certificate_upload(organisation=org, pkcs12_data=p12, passphrase="ผิด", user=SYSTEM)
    expired = demo.issue_pkcs12(ca, "หมดอายุ", days=2,
                                not_before=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=10))
    with pytest.raises(ValidationError, match="หมดอายุ"):
        signing.certificate_upload(organisation=org, pkcs12_data=expired, passphrase=demo.DEMO_PASSPHRASE,
                                   user=SYSTEM)
    assert not SigningCertificate.objects.filter(organisation=org).exists()


def test_the_admin_uploads_and_shows_the_certificate(org, p12, admin_user, client_for):
    client = client_for(admin_user)
    response = client.post("/admin/signing/signingcertificate/add/", {
        "organisation": org.pk, "passphrase": "ผิด",
        "pkcs12_file": SimpleUploadedFile("org.p12", p12, content_type="application/x-pkcs12")})
    assert response.status_code == 200 and "รหัสผ่านไม่ถูกต้อง" in response.content.decode()
    response = client.post("/admin/signing/signingcertificate/add/", {
        "organisation": org.pk, "passphrase": "รหัส-ทดสอบ",
        "pkcs12_file": SimpleUploadedFile("org.p12", p12, content_type="application/x-pkcs12")})
    assert response.status_code == 302, response.content.decode()[:2000]
    kept = SigningCertificate.objects.get(organisation=org)
    page = client.get(f"/admin/signing/signingcertificate/{kept.pk}/change/").content.decode()
    assert kept.subject in page and kept.fingerprint_sha256 in page
    assert "PRIVATE KEY" not in page and kept.sealed_private_key not in page


def test_the_digital_signer_is_never_typed_in_the_admin(draft, admin_user, client_for):
    page = client_for(admin_user).get(f"/admin/announcements/announcement/{draft.pk}/change/").content.decode()
    assert "ลายมือชื่อดิจิทัลโดย" in page and 'name="digital_signer"' not in page


# --- signing -------------------------------------------------------------------------------


@needs_pdfsig
def test_a_signed_announcement_carries_a_pades_signature_that_validates(
        certificate, ca_pem, draft, executive, staff, client_for):
    signed = _sign(draft, executive, staff)
    pdf = _stored(signed)
    assert signed.digital_signer == certificate.subject
    status = pyhanko_status(pdf, ca_pem)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.signer_reported_dt is not None
    report = pdfsig_report(pdf)
    assert "Signature is Valid." in report and "ETSI.CAdES.detached" in report
    # An incremental update: WeasyPrint's bytes come first, untouched, so the page looks the same.
    assert pdf.startswith(documents.announcement_pdf(signed, signing=True))
    assert pdf.count(b"%%EOF") == 2
    # PDF/A-3b is still claimed: the XMP with pdfaid and the output intent survive the update.
    root = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/OutputIntents" in root
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp and b"pdfaid:conformance" in xmp
    page = client_for(executive).get(f"/announcements/{signed.pk}/").content.decode()
    assert f"ลงลายมือชื่อดิจิทัล (PAdES) โดย <strong>{certificate.subject}</strong>" in page


@needs_pdfsig
def test_one_changed_byte_breaks_both_checks(certificate, ca_pem, draft, executive, staff):
    pdf = _stored(_sign(draft, executive, staff))
    tampered = changed_in_signed_region(pdf)
    status = pyhanko_status(tampered, ca_pem)
    assert not status.intact and not status.bottom_line
    report = pdfsig_report(tampered)
    assert "Signature is Valid." not in report and "Signature Validation:" in report


def test_another_ca_is_not_trusted(certificate, draft, executive, staff):
    pdf = _stored(_sign(draft, executive, staff, archive=False))
    stranger = demo.make_ca()[1].public_bytes(serialization.Encoding.PEM)
    status = pyhanko_status(pdf, stranger)
    assert status.intact and not status.trusted and not status.bottom_line


@needs_pdfsig
def test_without_a_certificate_signing_works_as_before_and_says_so(org, draft, executive, staff, client_for):
    signed = _sign(draft, executive, staff, archive=False)
    pdf = _stored(signed)
    assert signed.digital_signer == "" and signed.pdf_sha256
    assert "does not contain any signatures" in pdfsig_report(pdf)
    assert b"/ByteRange" not in pdf
    page = client_for(executive).get(f"/announcements/{signed.pk}/").content.decode()
    assert "ไฟล์ PDF นี้ไม่มีลายมือชื่อดิจิทัล" in page


def test_a_key_that_no_longer_opens_refuses_the_signing_in_thai(certificate, draft, executive, staff):
    """Signing without the digital signature the organisation expects would be a silent downgrade."""
    services.announcement_approve(announcement=draft, user=executive)
    with override_settings(SIGNING_KEY="another key"), pytest.raises(ValidationError, match="DJANGO_SIGNING_KEY"):
        services.announcement_sign(announcement=draft, user=executive)
    draft.refresh_from_db()
    assert draft.status == "approved" and not draft.pdf
    with override_settings(SIGNING_KEY=""), pytest.raises(ValidationError, match="ยังไม่ได้ตั้งค่า"):
        signing.certificate_upload(organisation=draft.organisation, pkcs12_data=b"", passphrase="", user=SYSTEM)


def test_an_expired_certificate_signs_nothing(certificate, draft, executive, staff):
    SigningCertificate.objects.filter(pk=certificate.pk).update(
        not_after=timezone.now() - datetime.timedelta(minutes=1))
    signed = _sign(draft, executive, staff, archive=False)
    assert signed.digital_signer == "" and b"/ByteRange" not in _stored(signed)


def test_a_timestamp_authority_makes_it_b_t():
    assert pades._timestamper() is None  # B-B
    with override_settings(TSA_URL="http://tsa.example.invalid/tsr"):
        timestamper = pades._timestamper()
    assert timestamper is not None and timestamper.url == "http://tsa.example.invalid/tsr"

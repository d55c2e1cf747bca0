"""The agreement as signed: rendered once at signing, PAdES-signed with the organisation's certificate
when it has a valid one (lao_integrity/signing), kept with its SHA-256 and served as kept; found by
/verify/. As the signed announcements' (tests/kernel/signing)."""

import datetime
import hashlib
import re
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from agreements.performance import documents, selectors, services
from agreements.performance.models import AgreementStatus, PerformanceAgreement, SignedAgreementError
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.publication import services as publication_services
from lao_integrity.publication.models import Publication
from lao_integrity.signing import demo, pades
from lao_integrity.signing import services as signing
from lao_integrity.signing.models import SigningCertificate
from lao_integrity.verification import forms
from tests.support.pades import changed_in_signed_region, needs_pdfsig, pdfsig_report, pyhanko_status

pytestmark = pytest.mark.django_db
VERIFY = "/verify/"


@pytest.fixture(scope="module")
def ca():
    return demo.make_ca()


@pytest.fixture(scope="module")
def ca_pem(ca) -> bytes:
    return ca[1].public_bytes(serialization.Encoding.PEM)


@pytest.fixture
def certificate(org, ca):
    p12 = demo.issue_pkcs12(ca, "องค์การบริหารส่วนตำบลทดสอบ", passphrase="รหัส-ทดสอบ")
    return signing.certificate_upload(organisation=org, pkcs12_data=p12, passphrase="รหัส-ทดสอบ", user=SYSTEM)


def _sign(agreement, executive) -> PerformanceAgreement:
    services.agreement_sign(agreement=agreement, user=executive)
    return PerformanceAgreement.objects.get(pk=agreement.pk)


def _upload(pdf: bytes) -> str:
    upload = SimpleUploadedFile("ข้อตกลง.pdf", pdf, content_type="application/pdf")
    return Client().post(VERIFY, {forms.FILE_FIELD: upload}).content.decode()


def _download(client, agreement, name="pdf"):
    response = client.get(f"/agreements/{agreement.pk}/{name}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", response
    return response.content


# --- the demo ------------------------------------------------------------------------------------


@pytest.fixture
def demo_ca_pem(seeded) -> bytes:
    with default_storage.open(demo.CA_PATH, "rb") as handle:
        return handle.read()


@needs_pdfsig
def test_every_signed_agreement_of_the_demo_is_stored_signed_and_validates(seeded, demo_ca_pem):
    signed = list(PerformanceAgreement.objects.filter(status__in=(AgreementStatus.SIGNED, AgreementStatus.EVALUATED))
                  .select_related("organisation", "executive"))
    assert signed, "the demo signs แม่สายมิตรภาพ's ปลัด's agreement (agreements/performance/demo.py)"
    for agreement in signed:
        pdf = selectors.signed_pdf(agreement)  # every signed one has its stored PDF, unchanged
        certificate = SigningCertificate.objects.get(organisation=agreement.organisation)
        assert agreement.digital_signer == certificate.subject == agreement.organisation.name
        status = pyhanko_status(pdf, demo_ca_pem)
        assert status.bottom_line and status.trusted and status.intact, (agreement, status.pretty_print_details())
        assert status.coverage.name == "ENTIRE_FILE"
        assert "Signature is Valid." in pdfsig_report(pdf), agreement
        tampered = changed_in_signed_region(pdf)
        assert not pyhanko_status(tampered, demo_ca_pem).bottom_line, agreement
        assert "Signature is Valid." not in pdfsig_report(tampered), agreement


def test_verify_recognises_the_demo_agreements_file_and_its_hash(seeded):
    agreement = (PerformanceAgreement.objects.exclude(pdf_sha256="").select_related("organisation", "executive")
                 .order_by("pk").first())
    pdf = selectors.signed_pdf(agreement)
    html = _upload(pdf)
    assert "ระบบนี้ออกเอกสารนี้" in html and "ไม่พบเอกสารนี้ในระบบ" not in html
    assert agreement.organisation.name in html and agreement.organisation.code in html
    assert "ข้อตกลงการปฏิบัติราชการระดับหน่วยงาน" in html and "(ประเมินผลแล้ว)" in html
    assert agreement.executive.full_name in html and agreement.pdf_sha256 in html
    assert "ลายมือชื่อดิจิทัล: " + pades.SIGNED_HERE.format(signer=agreement.digital_signer) in html
    by_hash = Client().post(VERIFY, {"sha256": agreement.pdf_sha256.upper()}).content.decode()
    assert "ระบบนี้ออกเอกสารนี้" in by_hash and agreement.executive.full_name in by_hash
    changed = _upload(changed_in_signed_region(pdf))
    assert "ไม่พบเอกสารนี้ในระบบ" in changed and pades.BROKEN in changed


# --- signing with a certificate ------------------------------------------------------------------


@needs_pdfsig
def test_signing_stores_one_pades_signed_pdf_served_as_stored(certificate, ca_pem, agreement, four, executive,
                                                              client_for):
    signed = _sign(agreement, executive)
    assert signed.status == AgreementStatus.SIGNED and signed.digital_signer == certificate.subject
    pdf = selectors.signed_pdf(signed)
    assert hashlib.sha256(pdf).hexdigest() == signed.pdf_sha256
    status = pyhanko_status(pdf, ca_pem)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    report = pdfsig_report(pdf)
    assert "Signature is Valid." in report and "ETSI.CAdES.detached" in report
    # An incremental update over the document as rendered at signing: the printed page is the same.
    assert pdf.startswith(documents.agreement_pdf(signed)) and pdf.count(b"%%EOF") == 2
    client = client_for(executive)
    assert _download(client, signed) == pdf  # the stored bytes, not a fresh render
    assert _download(client, signed, "signed-pdf") == pdf
    page = client.get(f"/agreements/{signed.pk}/").content.decode()
    assert f"ลงลายมือชื่อดิจิทัล (PAdES) โดย <strong>{certificate.subject}</strong>" in page
    assert signed.pdf_sha256 in page and f'href="/agreements/{signed.pk}/signed-pdf/"' in page


@needs_pdfsig
def test_one_changed_byte_breaks_both_checks(certificate, ca_pem, agreement, four, executive):
    tampered = changed_in_signed_region(selectors.signed_pdf(_sign(agreement, executive)))
    status = pyhanko_status(tampered, ca_pem)
    assert not status.intact and not status.bottom_line
    report = pdfsig_report(tampered)
    assert "Signature is Valid." not in report and "Signature Validation:" in report


def test_a_stored_file_changed_on_disk_is_refused_in_thai(certificate, agreement, four, executive, client_for):
    signed = _sign(agreement, executive)
    name = signed.pdf.name
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"%PDF-1.7 another file"))
    with pytest.raises(ValidationError, match="ไม่ตรงกับค่า SHA-256"):
        selectors.signed_pdf(signed)
    response = client_for(executive).get(f"/agreements/{signed.pk}/pdf/", follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "ไม่ตรงกับค่า SHA-256" in response.content.decode()


def test_a_key_that_no_longer_opens_leaves_the_agreement_unsigned(certificate, agreement, four, executive):
    """Signing, the PDF and its signature are one transaction: no signature, no signing."""
    with override_settings(SIGNING_KEY="another key"), pytest.raises(ValidationError, match="DJANGO_SIGNING_KEY"):
        services.agreement_sign(agreement=agreement, user=executive)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT and not agreement.pdf and agreement.pdf_sha256 == ""


def test_the_stored_pdf_is_frozen_with_the_signed_row(certificate, agreement, four, executive):
    signed = _sign(agreement, executive)
    for field, value in (("pdf_sha256", "0" * 64), ("digital_signer", "ผู้อื่น"), ("pdf", "other.pdf")):
        with pytest.raises(SignedAgreementError):
            PerformanceAgreement.objects.filter(pk=signed.pk).update(**{field: value})
        setattr(signed, field, value)
        with pytest.raises(SignedAgreementError):
            signed.save(update_fields=[field])
        signed.refresh_from_db()


def test_evaluation_renders_the_results_and_keeps_the_signed_file(certificate, agreement, four, executive,
                                                                 client_for):
    signed = _sign(agreement, executive)
    stored = selectors.signed_pdf(signed)
    services.agreement_evaluate(agreement=signed, user=executive, today=datetime.date(2026, 4, 5),
                                values={i.pk: Decimal("50") for i in signed.indicators.all()})
    evaluated = PerformanceAgreement.objects.get(pk=signed.pk)
    assert evaluated.status == AgreementStatus.EVALUATED and evaluated.pdf_sha256 == signed.pdf_sha256
    client = client_for(executive)
    assert _download(client, evaluated, "signed-pdf") == stored
    assert _download(client, evaluated) != stored  # the document with its results, rendered as before


# --- without a certificate -----------------------------------------------------------------------


@needs_pdfsig
def test_without_a_certificate_the_pdf_is_stored_unsigned_and_the_page_says_so(agreement, four, executive,
                                                                                client_for):
    signed = _sign(agreement, executive)
    pdf = selectors.signed_pdf(signed)
    assert signed.digital_signer == "" and signed.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert "does not contain any signatures" in pdfsig_report(pdf) and b"/ByteRange" not in pdf
    client = client_for(executive)
    assert _download(client, signed) == pdf
    page = client.get(f"/agreements/{signed.pk}/").content.decode()
    assert "ไฟล์ PDF นี้ไม่มีลายมือชื่อดิจิทัล" in page and signed.pdf_sha256 in page
    assert "ลงลายมือชื่อดิจิทัล (PAdES)" not in page


def test_an_expired_certificate_signs_nothing(certificate, agreement, four, executive):
    SigningCertificate.objects.filter(pk=certificate.pk).update(
        not_after=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1))
    signed = _sign(agreement, executive)
    assert signed.digital_signer == "" and b"/ByteRange" not in selectors.signed_pdf(signed)


def test_a_draft_has_no_signed_file(agreement, four, staff, client_for):
    client = client_for(staff)
    assert client.get(f"/agreements/{agreement.pk}/signed-pdf/").status_code == 404
    assert 'id="signed-file"' not in client.get(f"/agreements/{agreement.pk}/").content.decode()


def test_an_agreement_signed_before_pdfs_were_kept_is_rendered_and_says_so(agreement, four, executive, client_for):
    """Signed before migration 0012: no stored file; its download is rendered as it always was."""
    PerformanceAgreement.objects.filter(pk=agreement.pk).update(
        status=AgreementStatus.SIGNED, signed_at=datetime.datetime.now(datetime.UTC))
    client = client_for(executive)
    assert _download(client, agreement).startswith(b"%PDF")
    assert client.get(f"/agreements/{agreement.pk}/signed-pdf/").status_code == 404
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "ลงนามก่อนที่ระบบจะเก็บไฟล์ PDF ที่ลงนามไว้" in page


# --- /verify/ ------------------------------------------------------------------------------------


def test_verify_names_the_agreement_and_its_publication(certificate, agreement, four, executive, org):
    signed = _sign(agreement, executive)
    html = Client().post(VERIFY, {"sha256": signed.pdf_sha256}).content.decode()
    assert "ระบบนี้ออกเอกสารนี้" in html and org.name in html
    assert f"ข้อตกลงการปฏิบัติราชการ ปีงบประมาณ พ.ศ. {signed.fiscal_year} ครั้งที่ {signed.round}" in html
    assert signed.executive.full_name in html and "ผู้ให้ข้อตกลง" in html
    assert "เป็นฉบับล่าสุด" in html and "ยังไม่ได้เผยแพร่" in html
    publication_services.publish(document=signed, user=executive)
    html = Client().post(VERIFY, {"sha256": signed.pdf_sha256}).content.decode()
    assert "เผยแพร่เมื่อ" in html
    assert f'href="/public/{org.code}/agreements/performance/{signed.pk}/">เปิดหน้าเผยแพร่' in html
    Publication.objects.filter(subject="agreements.performanceagreement", object_id=signed.pk).update(
        withdrawn_at=datetime.datetime.now(datetime.UTC), withdraw_reason="ทดสอบการถอน")
    html = Client().post(VERIFY, {"sha256": signed.pdf_sha256}).content.decode()
    assert "ถอนการเผยแพร่แล้ว" in html and "ทดสอบการถอน" not in html
    assert f"/agreements/performance/{signed.pk}/" not in html


def test_the_public_page_gives_the_signed_files_fingerprint_not_the_file(certificate, agreement, four, executive):
    signed = _sign(agreement, executive)
    publication_services.publish(document=signed, user=executive)
    html = Client().get(f"/public/{signed.organisation.code}/agreements/performance/{signed.pk}/").content.decode()
    block = re.search(r'<p id="signed-file">(.*?)</p>', html, re.S).group(1)
    assert signed.pdf_sha256 in block and f"ลงลายมือชื่อดิจิทัลโดย {signed.digital_signer}" in block
    assert 'href="/verify/"' in block
    assert ".pdf" not in html and "signed-pdf" not in html  # the file names the receiving party

"""/verify/: a portal-issued PDF is recognised by upload and by pasted SHA-256, with its organisation,
document, signer and whether it is the latest revision; a changed byte or a stranger's PDF is not;
an oversized file or a file that is not a PDF is refused in Thai; the page is rate-limited,
CSRF-protected, and stores nothing (no row, no file in MEDIA_ROOT, no temporary upload file)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Announcement, Status
from lao_integrity.orgs.models import Organisation
from lao_integrity.publication import services as publication_services
from lao_integrity.publication.models import Publication
from lao_integrity.signing import demo, pades, sealing
from lao_integrity.signing.models import SigningCertificate
from lao_integrity.verification import forms, hashing, registry, views
from tests.support.pades import changed_in_signed_region

pytestmark = pytest.mark.django_db
URL = "/verify/"
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _signed(seeded) -> Announcement:
    """The demo's first signed announcement of บ้านแหง (its adoption announcement, published)."""
    return Announcement.objects.filter(organisation=seeded.org, status=Status.SIGNED).order_by("pk").first()


def _pdf(announcement) -> bytes:
    return announcement_services.verified_pdf(announcement)


def _upload(client, data: bytes, name="ประกาศ.pdf"):
    return client.post(URL, {forms.FILE_FIELD: SimpleUploadedFile(name, data, content_type="application/pdf")})


def _text(response) -> str:
    return response.content.decode()


def test_the_url_is_verify():
    assert reverse("verification:verify") == URL


def test_the_form_is_open_to_anyone(seeded):
    response = Client().get(URL)
    assert response.status_code == 200
    html = _text(response)
    assert "ตรวจสอบเอกสาร" in html and f"ไม่เกิน {hashing.MAX_MB} MB" in html
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert "no-store" in response["Cache-Control"]


def test_a_portal_pdf_uploaded_names_its_organisation_document_and_signer(seeded):
    announcement = _signed(seeded)
    response = _upload(Client(), _pdf(announcement))
    html = _text(response)
    assert response.status_code == 200
    assert "ระบบนี้ออกเอกสารนี้" in html and "ไม่พบเอกสารนี้ในระบบ" not in html
    assert seeded.org.name in html and seeded.org.code in html
    assert announcement.subject_text in html and announcement.get_kind_display() in html
    assert str(announcement.fiscal_year) in html
    assert announcement.signer_name in html and announcement.signer_position in html
    assert "เป็นฉบับล่าสุด" in html and "ไม่ใช่ฉบับล่าสุด" not in html
    assert announcement.pdf_sha256 in html
    # The demo signs บ้านแหง's announcements with PAdES (lao_integrity/signing) under a certificate
    # registered here: pyHanko finds the signature intact, whole and trusted.
    assert announcement.digital_signer
    assert "ลายมือชื่อดิจิทัล: " + pades.SIGNED_HERE.format(signer=announcement.digital_signer) in html


def test_a_pasted_hash_in_upper_case_with_spaces_finds_the_same_document(seeded):
    announcement = _signed(seeded)
    response = Client().post(URL, {"sha256": f"  {announcement.pdf_sha256.upper()} \n"})
    html = _text(response)
    assert "ระบบนี้ออกเอกสารนี้" in html and announcement.subject_text in html
    assert hashing.HASH_ONLY in html


def test_the_public_page_of_a_published_announcement_is_linked_both_ways(seeded):
    announcement = _signed(seeded)
    assert Publication.objects.filter(subject="announcements.announcement", object_id=announcement.pk,
                                      withdrawn_at=None).exists(), "the demo publishes it"
    page = f"/public/{seeded.org.code}/announcements/{announcement.pk}/"
    assert 'href="/verify/">ตรวจสอบไฟล์นี้' in _text(Client().get(page))
    html = _text(Client().post(URL, {"sha256": announcement.pdf_sha256}))
    assert f'href="{page}"' in html and "เผยแพร่เมื่อ" in html


def test_an_older_revision_is_not_the_latest_and_links_the_newer_one(seeded):
    old = _signed(seeded)
    newer = announcement_services.announcement_revise(announcement=old, user=seeded.executive)
    # Unsigned, the new draft is no newer document yet.
    assert "เป็นฉบับล่าสุด" in _text(Client().post(URL, {"sha256": old.pdf_sha256}))
    Announcement.objects.filter(pk=newer.pk).update(announced_on=old.announced_on or old.signed_at.date())
    newer.refresh_from_db()
    announcement_services.announcement_approve(announcement=newer, user=seeded.executive)
    newer = announcement_services.announcement_sign(announcement=newer, user=seeded.executive)
    html = _text(Client().post(URL, {"sha256": old.pdf_sha256}))
    assert "ไม่ใช่ฉบับล่าสุด" in html and "ฉบับปรับปรุงครั้งที่ 1" in html
    assert "ฉบับล่าสุดยังไม่ได้เผยแพร่ต่อสาธารณะ" in html
    assert f"/announcements/{old.pk}/" not in html  # replaced: its public page is gone
    publication_services.publish(document=newer, user=seeded.executive)
    html = _text(Client().post(URL, {"sha256": old.pdf_sha256}))
    assert f'href="/public/{seeded.org.code}/announcements/{newer.pk}/">เปิดดูฉบับล่าสุด' in html
    latest = _text(_upload(Client(), _pdf(newer)))
    assert "เป็นฉบับล่าสุด" in latest and "ฉบับปรับปรุงครั้งที่ 1" in latest


def test_a_withdrawn_publication_is_said(seeded):
    announcement = Announcement.objects.filter(status=Status.SIGNED, kind="other").order_by("pk").first() \
        or _signed(seeded)
    Publication.objects.filter(subject="announcements.announcement", object_id=announcement.pk,
                               withdrawn_at=None).update(withdrawn_at=announcement.signed_at, withdraw_reason="ทดสอบ")
    if not Publication.objects.filter(subject="announcements.announcement", object_id=announcement.pk).exists():
        pytest.skip("the demo publishes none of this kind")
    html = _text(Client().post(URL, {"sha256": announcement.pdf_sha256}))
    assert "ถอนการเผยแพร่แล้ว" in html and "ทดสอบ" not in html  # the reason stays inside the portal


def test_a_changed_byte_is_not_issued(seeded):
    data = bytearray(_pdf(_signed(seeded)))
    data[len(data) // 2] ^= 0x01
    html = _text(_upload(Client(), bytes(data)))
    assert "ไม่พบเอกสารนี้ในระบบ" in html and "ระบบนี้ออกเอกสารนี้" not in html
    assert seeded.org.name not in html


def test_a_strangers_pdf_is_not_issued_and_nothing_of_the_portal_is_shown(seeded):
    stranger = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    html = _text(_upload(Client(), stranger, name="stranger.pdf"))
    assert "ไม่พบเอกสารนี้ในระบบ" in html and "ระบบนี้ออกเอกสารนี้" not in html
    for name in Organisation.objects.values_list("name", flat=True):
        assert name not in html
    assert "ลายมือชื่อดิจิทัล: " + hashing.NO_SIGNATURE in html


def test_a_pdf_with_a_broken_signature_field_is_said_to_be_unreadable(seeded):
    signed_looking = b"%PDF-1.7\n1 0 obj << /Type /Sig /ByteRange [0 10 20 30] >> endobj\n%%EOF\n"
    html = _text(_upload(Client(), signed_looking))
    assert "ลายมือชื่อดิจิทัล: " + pades.UNREADABLE in html


def test_a_changed_byte_breaks_the_signature_the_page_checks(seeded):
    pdf = _pdf(_signed(seeded))
    html = _text(_upload(Client(), changed_in_signed_region(pdf)))
    assert "ไม่พบเอกสารนี้ในระบบ" in html
    assert "ลายมือชื่อดิจิทัล: ไม่ถูกต้อง" in html and "ถูกแก้ไขหลังลงนาม" in html


def test_a_signature_under_a_certificate_not_registered_here_is_intact_but_unconfirmed(seeded):
    stranger_ca = demo.make_ca()
    key, certificate, others = pkcs12.load_key_and_certificates(
        demo.issue_pkcs12(stranger_ca, "หน่วยงานอื่น", passphrase="อื่น"), "อื่น".encode())
    stranger = SigningCertificate(certificate_chain_pem="".join(
        c.public_bytes(serialization.Encoding.PEM).decode() for c in [certificate, *others]),
        sealed_private_key=sealing.seal(key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption())))
    signed = pades.sign_pdf(b"".join(_pdf(_signed(seeded)).partition(b"%%EOF")[:2]) + b"\n", certificate=stranger)
    html = _text(_upload(Client(), signed))
    assert "ไม่พบเอกสารนี้ในระบบ" in html
    assert "ไม่ได้ลงทะเบียนไว้กับระบบนี้" in html and "ไฟล์ไม่ถูกแก้ไขหลังลงนาม" in html


def test_the_signature_mark_is_found_across_chunks():
    handler = hashing.HashingUploadHandler(max_bytes=10_000)
    handler.new_file("pdf", "a.pdf", "application/pdf", 100)
    for chunk in (b"%PDF-1.7 /Byte", b"Range [0 1 2 3]"):
        assert handler.receive_data_chunk(chunk, 0) is None
    assert handler.file_complete(29).has_signature
    handler.new_file("pdf", "b.pdf", "application/pdf", 100)
    handler.receive_data_chunk(b"%PDF-1.7 /Byte", 0)
    handler.receive_data_chunk(b"Rank 0", 0)
    assert not handler.file_complete(20).has_signature


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(seeded):
    big = b"%PDF-1.7\n" + b"0" * (hashing.MAX_BYTES + 1)
    with CaptureQueriesContext(connection) as queries:
        response = _upload(Client(), big)
    assert response.status_code == 413
    assert forms.TOO_LARGE in _text(response) and f"{hashing.MAX_MB} MB" in forms.TOO_LARGE
    assert not any("announcement" in q["sql"] for q in queries.captured_queries)


def test_a_file_that_outgrows_its_declared_length_stops_being_read():
    handler = hashing.HashingUploadHandler(max_bytes=10)
    handler.new_file("pdf", "a.pdf", "application/pdf", 5)
    handler.receive_data_chunk(b"%PDF-", 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"123456", 5)
    assert handler.too_large


def test_a_file_that_is_not_a_pdf_is_refused_in_thai(seeded):
    response = _upload(Client(), b"PK\x03\x04 not a pdf at all", name="file.pdf")
    html = _text(response)
    assert forms.NOT_PDF in html and "ระบบนี้ออกเอกสารนี้" not in html and "ไม่พบเอกสารนี้ในระบบ" not in html
    assert forms.EMPTY_FILE in _text(_upload(Client(), b""))


@pytest.mark.parametrize(("value", "message"), [("", forms.NOTHING_GIVEN), ("abc", forms.BAD_HASH),
                                                ("g" * 64, forms.BAD_HASH), ("a" * 65, forms.BAD_HASH)])
def test_a_bad_or_missing_hash_is_refused_in_thai(seeded, value, message):
    html = _text(Client().post(URL, {"sha256": value}))
    assert message in html and "ไม่พบเอกสารนี้ในระบบ" not in html


def test_the_page_is_rate_limited_per_address(seeded):
    with override_settings(PUBLIC_RATE_LIMIT=3):
        client = Client()
        assert client.get(URL).status_code == 200
        assert client.post(URL, {"sha256": "a" * 64}).status_code == 200
        assert client.post(URL, {"sha256": "a" * 64}).status_code == 200
        refused = client.post(URL, {"sha256": "a" * 64})
        assert refused.status_code == 429 and "Retry-After" in refused
        assert "ถี่เกินไป" in _text(refused)
        other = Client(REMOTE_ADDR="192.0.2.77")
        assert other.get(URL).status_code == 200


def test_a_post_without_the_csrf_token_is_refused(seeded):
    announcement = _signed(seeded)
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, {"sha256": announcement.pdf_sha256})
    assert response.status_code == 403
    html = _text(response)
    assert views.CSRF_REFUSED in html and announcement.subject_text not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _text(client.get(URL))).group(1)
    accepted = client.post(URL, {"sha256": announcement.pdf_sha256, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 200 and announcement.subject_text in _text(accepted)


def _media_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def test_nothing_is_stored(seeded, monkeypatch):
    announcement = _signed(seeded)
    # Bigger than Django's in-memory limit, so Django's own handlers would spool it to a temporary file.
    big = _pdf(announcement) + b"%" + b"0" * (settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1)

    def no_temporary_file(*args, **kwargs):
        raise AssertionError("the upload went to a temporary file")

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", no_temporary_file)
    before = _media_files()
    with CaptureQueriesContext(connection) as queries:
        client = Client()
        assert "ระบบนี้ออกเอกสารนี้" in _text(_upload(client, _pdf(announcement)))
        assert "ไม่พบเอกสารนี้ในระบบ" in _text(_upload(client, big))
        assert "ระบบนี้ออกเอกสารนี้" in _text(client.post(URL, {"sha256": announcement.pdf_sha256}))
    writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
    assert writes == []
    assert _media_files() == before


def test_the_page_costs_a_fixed_number_of_queries(seeded):
    digest = _signed(seeded).pdf_sha256
    client = Client()
    client.post(URL, {"sha256": digest})
    with CaptureQueriesContext(connection) as found:
        client.post(URL, {"sha256": digest})
    with CaptureQueriesContext(connection) as missing:
        client.post(URL, {"sha256": "0" * 64})
    with CaptureQueriesContext(connection) as form:
        client.get(URL)
    assert len(found) <= 6, [q["sql"] for q in found.captured_queries]
    # A hash no one issued: one indexed lookup per registered issuer (announcements, agreements...).
    assert len(missing) <= len(registry.issuers()) and len(form) == 0


def test_the_submitted_file_name_is_shown_escaped(seeded):
    html = _text(_upload(Client(), b"%PDF-1.4 x", name="<b>x</b>.pdf"))
    assert "<b>x</b>" not in html


def test_a_head_request_answers_like_a_get(seeded):
    assert Client().head(URL).status_code == 200
    assert Client().put(URL).status_code == 405



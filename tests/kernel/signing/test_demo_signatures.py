"""The demo's signed announcements carry PAdES signatures that validate against the demo CA, the
certificate a tester finds at signing/demo-ca.pem in the upload storage (README)."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from lao_integrity.announcements import services
from lao_integrity.announcements.models import Announcement, Status
from lao_integrity.signing import demo
from lao_integrity.signing.models import SigningCertificate
from tests.support.pades import changed_in_signed_region, needs_pdfsig, pdfsig_report, pyhanko_status


@pytest.fixture
def demo_ca_pem(seeded) -> bytes:
    with default_storage.open(demo.CA_PATH, "rb") as handle:
        return handle.read()


@needs_pdfsig
def test_every_stored_signed_announcement_of_the_demo_validates(seeded, demo_ca_pem):
    signed = list(Announcement.objects.filter(status=Status.SIGNED).select_related("organisation"))
    assert {a.organisation.code for a in signed} >= set(demo.SIGNING_ORGANISATIONS)
    for announcement in signed:
        pdf = services.verified_pdf(announcement)
        certificate = SigningCertificate.objects.get(organisation=announcement.organisation)
        assert announcement.digital_signer == certificate.subject == announcement.organisation.name
        status = pyhanko_status(pdf, demo_ca_pem)
        assert status.bottom_line and status.trusted and status.intact, (announcement, status.pretty_print_details())
        assert "Signature is Valid." in pdfsig_report(pdf), announcement
        tampered = changed_in_signed_region(pdf)
        assert not pyhanko_status(tampered, demo_ca_pem).bottom_line, announcement
        assert "Signature is Valid." not in pdfsig_report(tampered), announcement


def test_the_public_pages_of_signed_demo_announcements_name_the_certificate(seeded, client):
    shown = 0
    for announcement in Announcement.objects.filter(status=Status.SIGNED).select_related("organisation"):
        response = client.get(f"/public/{announcement.organisation.code}/announcements/{announcement.pk}/")
        if response.status_code == 404:  # not published in the demo
            continue
        assert f"ลงลายมือชื่อดิจิทัลโดย {announcement.digital_signer}" in response.content.decode()
        shown += 1
    assert shown >= 1  # บ้านแหง's plan announcement is published (lao_integrity/publication/demo.py)


def test_seeding_again_keeps_the_certificates_and_the_ca(seeded, demo_ca_pem):
    fingerprints = sorted(SigningCertificate.objects.values_list("fingerprint_sha256", flat=True))
    call_command("seed_demo", stdout=io.StringIO())
    assert sorted(SigningCertificate.objects.values_list("fingerprint_sha256", flat=True)) == fingerprints
    with default_storage.open(demo.CA_PATH, "rb") as handle:
        assert handle.read() == demo_ca_pem

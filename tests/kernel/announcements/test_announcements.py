"""Announcements: standard text, checks before signing, signing, immutability, access, PDFs."""

import datetime
import hashlib
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from PIL import Image

from lao_integrity.announcements import annex, documents, selectors, services
from lao_integrity.announcements.models import Announcement, Kind, SignedAnnouncementError, Status
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, Person
from lao_integrity.orgs.services import organisation_update_profile, person_set_signature
from tests.support.pdf import needs_pdftotext, text_of

pypdf = pytest.importorskip("pypdf")
PAGE_A4 = (595.28, 841.89)


def png_bytes(size=(60, 60), color=(200, 0, 0)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def signed(draft, executive):
    services.announcement_approve(announcement=draft, user=executive)
    return services.announcement_sign(announcement=draft, user=executive)


# --- standard text --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [Kind.PLAN, Kind.AGREEMENT, Kind.NO_GIFT])
def test_standard_text_is_filled_from_organisation_and_year(org, staff, kind):
    announcement = services.announcement_create(organisation=org, kind=kind, fiscal_year=2569, user=staff)
    content = documents.filled(announcement)
    assert content.subject.endswith("ประจำปีงบประมาณ พ.ศ. 2569")
    text = " ".join(content.paragraphs)
    assert org.name in text
    assert "{" not in text and "}" not in text  # every token filled
    assert "เทศบาล" not in text  # an อบต. is never called a เทศบาล


def test_agreement_clause_one_quotes_the_subject_even_after_it_changes(org, staff):
    announcement = services.announcement_create(organisation=org, kind=Kind.AGREEMENT, fiscal_year=2569,
                                                user=staff)
    services.announcement_update(announcement=announcement, user=staff, subject="ข้อตกลงฉบับทดสอบ ปี {ปีงบประมาณ}")
    announcement.refresh_from_db()
    clause = [p for p in documents.filled(announcement).paragraphs if p.startswith("ข้อ 1")]
    assert clause == ["ข้อ 1 ประกาศนี้เรียกว่า “ข้อตกลงฉบับทดสอบ ปี 2569”"]


def test_municipality_gets_its_own_staff_term(other_org, other_staff):
    announcement = services.announcement_create(organisation=other_org, kind=Kind.NO_GIFT, fiscal_year=2567,
                                                user=other_staff)
    text = " ".join(documents.filled(announcement).paragraphs)
    assert "พนักงานเทศบาล" in text and "พนักงานส่วนตำบล" not in text


def test_other_kind_needs_no_year_but_the_others_do(org, staff):
    with pytest.raises(ValidationError):
        services.announcement_create(organisation=org, kind=Kind.NO_GIFT, fiscal_year=None, user=staff)
    other = services.announcement_create(organisation=org, kind=Kind.OTHER, fiscal_year=None, user=staff)
    assert other.subject == "" and other.status == Status.DRAFT


# --- checks before signing ------------------------------------------------------------------


def test_missing_signer_date_and_placeholders_block_approval(org, staff, executive):
    announcement = services.announcement_create(organisation=org, kind=Kind.OTHER, fiscal_year=None, user=staff)
    announcement = services.announcement_update(announcement=announcement, user=staff,
                                                subject="แต่งตั้งคณะทำงาน", body="ให้ (ระบุชื่อ) เป็นประธาน")
    blocking, _ = documents.problems(announcement)
    assert "ยังไม่ได้กำหนดวันที่ประกาศ" in blocking
    assert "ยังไม่ได้เลือกผู้ลงนาม" in blocking
    assert any("ระบุชื่อ" in message for message in blocking)
    with pytest.raises(ValidationError):
        services.announcement_approve(announcement=announcement, user=executive)
    announcement.refresh_from_db()
    assert announcement.status == Status.DRAFT


def test_another_organisation_type_s_words_are_a_warning(draft, staff):
    draft = services.announcement_update(announcement=draft, user=staff,
                                         body=draft.body + "\nให้พนักงานเทศบาลทุกคนถือปฏิบัติ")
    blocking, warnings = documents.problems(draft)
    assert blocking == []
    assert any("“เทศบาล”" in w for w in warnings)


def test_annex_numbering_that_skips_blocks_signing(org, staff):
    announcement = services.announcement_create(organisation=org, kind=Kind.AGREEMENT, fiscal_year=2569,
                                                user=staff)
    blocking, _ = documents.problems(announcement)
    assert not any("ไม่ต่อเนื่อง" in m for m in blocking)  # the standard annex is numbered right
    announcement = services.announcement_update(
        announcement=announcement, user=staff,
        annex=announcement.annex.replace("๓.๒ การจัดซื้อ", "๓.๔ การจัดซื้อ"))
    blocking, _ = documents.problems(announcement)
    assert any("3.4" in m and "ไม่ต่อเนื่อง" in m for m in blocking)


def test_annex_parser_structure():
    blocks, problems = annex.parse("# หัว\nนำ\n๑. ก\n๑.๑ ข\n- ค\n๒. ง\n๒.๒ จ\n๔. ฉ")
    assert [b.kind for b in blocks] == ["title", "paragraph", "topic", "subitem", "bullet", "topic", "subitem",
                                        "topic"]
    assert blocks[3].number == "1.1" and blocks[3].text == "ข"
    assert problems == ["เลขข้อ 2.2 ไม่ต่อเนื่อง (ควรเป็น 2.1)", "หัวข้อที่ 4 ไม่ต่อเนื่อง (ควรเป็น 3)"]


def test_plan_announcement_needs_an_approved_plan_and_lists_gaps(seeded):
    announcement = selectors.latest_announcement(seeded.org, Kind.PLAN, 2569)
    blocking, warnings = documents.problems(announcement)
    assert blocking == []
    assert sorted(int(re.match(r"ลำดับที่ (\d+)", w).group(1)) for w in warnings) == [30, 31]
    seeded.plan.status = "draft"
    seeded.plan.save()
    blocking, _ = documents.problems(announcement)
    assert any("แผนยังไม่ได้รับอนุมัติ" in m for m in blocking)


# --- signing --------------------------------------------------------------------------------


def test_signing_stores_pdf_with_its_sha256_and_freezes_the_signer(signed, people):
    stored = signed.pdf.read()
    assert stored.startswith(b"%PDF")
    assert hashlib.sha256(stored).hexdigest() == signed.pdf_sha256
    assert signed.signer_name == "นายสมชาย ใจดี"
    person = people["executive"]
    person.position = "อดีตนายก"
    person.save()
    signed.refresh_from_db()
    assert documents.signer_lines(signed)["position"] == signed.signer_position != "อดีตนายก"
    assert services.verified_pdf(signed) == stored


def test_sign_requires_approval_first(draft, executive):
    with pytest.raises(ValidationError):
        services.announcement_sign(announcement=draft, user=executive)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not draft.pdf


def test_editing_an_approved_announcement_sends_it_back_to_draft(draft, staff, executive):
    services.announcement_approve(announcement=draft, user=executive)
    services.announcement_update(announcement=draft, user=staff, number="12/2569")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.approved_by is None


def test_tampered_stored_file_is_refused(signed):
    with open(signed.pdf.path, "ab") as handle:
        handle.write(b"% changed")
    with pytest.raises(ValidationError, match="SHA-256"):
        services.verified_pdf(signed)


def test_signature_image_is_printed_only_on_the_signed_copy(draft, people, executive):
    person_set_signature(person=people["executive"], image=SimpleUploadedFile("sig.png", png_bytes((300, 100))), user=executive)
    draft.refresh_from_db()

    def images(pdf):
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        return sum(len(page.images) for page in reader.pages)

    assert images(documents.announcement_pdf(draft)) == 0
    services.announcement_approve(announcement=draft, user=executive)
    signed = services.announcement_sign(announcement=draft, user=executive)
    assert images(signed.pdf.read()) == 1


# --- a signed announcement can't be changed --------------------------------------------------


def test_model_and_queryset_refuse_to_change_a_signed_announcement(signed):
    signed.subject = "แก้ไขภายหลัง"
    with pytest.raises(SignedAnnouncementError):
        signed.save()
    with pytest.raises(SignedAnnouncementError):
        signed.delete()
    with pytest.raises(SignedAnnouncementError):
        Announcement.objects.filter(pk=signed.pk).update(subject="แก้ไขภายหลัง")
    with pytest.raises(SignedAnnouncementError):
        Announcement.objects.filter(pk=signed.pk).delete()
    with pytest.raises(SignedAnnouncementError), transaction.atomic():
        Announcement.objects.bulk_update([signed], ["subject"])
    fresh = Announcement.objects.get(pk=signed.pk)
    assert fresh.subject != "แก้ไขภายหลัง" and fresh.pdf_sha256 == signed.pdf_sha256


def test_services_refuse_to_change_a_signed_announcement(signed, staff, executive):
    with pytest.raises(SignedAnnouncementError):
        services.announcement_update(announcement=signed, user=staff, subject="ใหม่")
    with pytest.raises(SignedAnnouncementError):
        services.announcement_delete(announcement=signed, user=staff)
    with pytest.raises(SignedAnnouncementError):
        services.announcement_sign(announcement=signed, user=executive)


def test_pages_refuse_to_change_a_signed_announcement(signed, staff, executive, client_for):
    before = signed.pdf.read()
    client = client_for(staff)
    response = client.post(f"/announcements/{signed.pk}/edit/", {"subject": "ใหม่", "body": "ใหม่",
                                                                   "closing": "x", "fiscal_year": "2569"})
    assert response.status_code == 302
    assert client.post(f"/announcements/{signed.pk}/delete/", {"confirm_delete": "on"}).status_code == 302
    assert client_for(executive).post(f"/announcements/{signed.pk}/sign/", {"confirm_sign": "on"}).status_code == 302
    fresh = Announcement.objects.get(pk=signed.pk)
    assert fresh.subject == signed.subject and fresh.pdf.read() == before


def test_admin_shows_a_signed_announcement_read_only(signed, client):
    admin = get_user_model().objects.create_superuser("root", password="root-pw-2569")
    client.force_login(admin)
    url = f"/admin/announcements/announcement/{signed.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and b'name="subject"' not in page.content
    assert client.post(url, {"subject": "ใหม่", "body": "ใหม่"}).status_code == 403
    assert client.post(url.replace("change", "delete"), {"post": "yes"}).status_code == 403
    assert Announcement.objects.get(pk=signed.pk).subject == signed.subject


def test_revision_refers_to_the_signed_one_it_replaces(signed, staff, executive):
    revision = services.announcement_revise(announcement=signed, user=staff)
    assert revision.replaces == signed and revision.revision == 2 and revision.status == Status.DRAFT
    # The signed one stays in force until the revision is signed.
    assert selectors.current_announcement(signed.organisation, Kind.NO_GIFT, 2569) == signed
    with pytest.raises(ValidationError):
        services.announcement_revise(announcement=signed, user=staff)
    revision = services.announcement_update(announcement=revision, user=staff,
                                            announced_on=datetime.date(2026, 1, 5))
    services.announcement_approve(announcement=revision, user=executive)
    services.announcement_sign(announcement=revision, user=executive)
    assert selectors.current_announcement(signed.organisation, Kind.NO_GIFT, 2569) == revision


# --- access ---------------------------------------------------------------------------------


def test_staff_draft_but_only_executives_approve_and_sign(draft, staff, executive, client_for):
    assert client_for(staff).post(f"/announcements/{draft.pk}/approve/").status_code == 403
    assert client_for(executive).post(f"/announcements/{draft.pk}/approve/", {"confirm_approve": "on"}).status_code == 302
    assert client_for(staff).post(f"/announcements/{draft.pk}/sign/").status_code == 403
    assert client_for(executive).post(f"/announcements/{draft.pk}/sign/", {"confirm_sign": "on"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SIGNED


def test_other_organisations_and_auditors(draft, other_staff, auditor, client_for):
    for url in (f"/announcements/{draft.pk}/", f"/announcements/{draft.pk}/document/",
                f"/announcements/{draft.pk}/poster/", f"/announcements/{draft.pk}/edit/"):
        assert client_for(other_staff).get(url).status_code == 404
    assert client_for(auditor).get(f"/announcements/{draft.pk}/").status_code == 200
    assert client_for(auditor).get(f"/announcements/{draft.pk}/edit/").status_code == 403
    assert client_for(auditor).post(f"/announcements/{draft.pk}/approve/").status_code == 403
    listing = client_for(other_staff).get("/announcements/").content.decode()
    assert draft.subject not in listing


def test_create_page_refuses_another_organisation(org, other_staff, client_for):
    response = client_for(other_staff).post("/announcements/", {"organisation": org.pk, "kind": "no_gift",
                                                                "fiscal_year": "2569"})
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not Announcement.objects.filter(organisation=org).exists()


def test_create_page_opens_the_existing_one_instead_of_a_duplicate(draft, org, staff, client_for):
    response = client_for(staff).post("/announcements/", {"organisation": org.pk, "kind": "no_gift",
                                                          "fiscal_year": "2569"})
    assert response.status_code == 302 and response.url == f"/announcements/{draft.pk}/"
    assert Announcement.objects.filter(organisation=org).count() == 1


def test_edit_page_shows_thai_errors_and_changes_nothing(draft, staff, client_for):
    response = client_for(staff).post(f"/announcements/{draft.pk}/edit/", {
        "fiscal_year": "2569", "subject": "", "body": "ข้อความ", "closing": "จึงประกาศ",
        "announced_on": "31/02/2569"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["subject"] == ["กรุณากรอกเรื่อง"] and "announced_on" in errors
    draft.refresh_from_db()
    assert draft.body != "ข้อความ"


# --- documents ------------------------------------------------------------------------------


@needs_pdftotext
def test_agreement_pdf_reproduces_the_seed_structure(seeded):
    organisation = Organisation.objects.get(code="6411201")
    announcement = selectors.current_announcement(organisation, Kind.AGREEMENT, 2565)
    assert announcement.is_signed
    text = text_of(services.verified_pdf(announcement))
    assert "ประกาศองค์การบริหารส่วนตำบลบ้านม่วง" in text
    assert "ข้อ ๑ ประกาศนี้เรียกว่า “ข้อตกลงในการปฏิบัติราชการ" in text
    assert "ประกาศ ณ วันที่ ๑ เดือน ตุลาคม พ.ศ. ๒๕๖๕" in text
    assert "ปฏิบัติหน้าที่นายกองค์การบริหารส่วนตำบลบ้านม่วง" in text
    headings = ["การบริหารภารกิจเพื่อให้เกิดประโยชน์สุขแก่ประชาชน",
                "การบริหารงานเพื่อให้เกิดผลสัมฤทธิ์ต่อภารกิจขององค์กรปกครองส่วนท้องถิ่น",
                "การบริหารภารกิจอย่างมีประสิทธิภาพและเกิดความคุ้มค่าในเชิงภารกิจ",
                "การลดขั้นตอนการปฏิบัติงาน", "การปรับปรุงภารกิจขององค์กรปกครองส่วนท้องถิ่น",
                "การอำนวยความสะดวกและการตอบสนองความต้องการของประชาชน", "การประเมินผลการปฏิบัติงาน"]
    thai_numbers = "๑๒๓๔๕๖๗"
    positions = [text.index(f"{thai_numbers[i]}. {heading}") for i, heading in enumerate(headings)]
    assert positions == sorted(positions)
    assert not re.search(r"[0-9]", text)


@needs_pdftotext
def test_no_gift_announcement_and_poster(seeded, client_for):
    organisation = Organisation.objects.get(code="5570701")
    announcement = selectors.current_announcement(organisation, Kind.NO_GIFT, 2567)
    text = text_of(services.verified_pdf(announcement))
    assert "ประกาศเทศบาลตำบลแม่สายมิตรภาพ" in text and "(No Gift Policy)" in text
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗" in text  # the seed's poster says "พ.ศ.๖๖๗"
    poster = text_of(documents.poster_pdf(announcement))
    for line in ("«ไม่รับของขวัญหรือของกำนัลทุกชนิด»", "NO GIFT POLICY", "นางสาวอุบล ใจวรรณ",
                 "นายกเทศมนตรีตำบลแม่สายมิตรภาพ", "โทร ๐๕๓-๗๓๔๐๘๓", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"):
        assert line in poster
    assert len(pypdf.PdfReader(io.BytesIO(documents.poster_pdf(announcement))).pages) == 1


def test_pdf_is_a4_with_metadata_and_embedded_fonts(draft):
    reader = pypdf.PdfReader(io.BytesIO(documents.announcement_pdf(draft)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == PAGE_A4
    assert reader.metadata.author == draft.organisation.name
    assert reader.trailer["/Root"]["/Lang"] == "th"
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        descriptor = ref.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor  # embedded
        assert "+" in str(ref.get_object()["/BaseFont"])  # subset


def test_archive_option_writes_pdf_a(draft, staff):
    draft = services.announcement_update(announcement=draft, user=staff, archive_format=True)
    reader = pypdf.PdfReader(io.BytesIO(documents.announcement_pdf(draft)))
    root = reader.trailer["/Root"]
    assert "/OutputIntents" in root and "/Metadata" in root
    assert b"pdfaid:part" in root["/Metadata"].get_object().get_data()


def test_emblem_upload_is_checked_and_printed(org, draft, staff, client_for):
    client = client_for(staff)
    response = client.post(f"/organisations/{org.code}/", {
        "phone": "053-000000", "emblem": SimpleUploadedFile("garuda.png", b"<html>not an image</html>"),
        "version": str(org.version)})
    assert response.status_code == 200
    assert "ไม่ใช่รูปภาพ" in response.content.decode()
    org.refresh_from_db()
    assert not org.emblem and org.phone == ""

    response = client.post(f"/organisations/{org.code}/", {
        "phone": "053-000000", "emblem": SimpleUploadedFile("garuda.jpg", png_bytes((300, 300))),
        "version": str(org.version)})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.emblem.name.endswith(".png")  # named by content, not by what it was called
    draft.refresh_from_db()
    reader = pypdf.PdfReader(io.BytesIO(documents.announcement_pdf(draft)))
    assert len(reader.pages[0].images) == 1
    assert client.get(f"/organisations/{org.code}/emblem/").status_code == 200


def test_only_executives_set_signatures(org, people, staff, executive, client_for):
    url = f"/organisations/{org.code}/people/{people['executive'].pk}/signature/"
    upload = {"image": SimpleUploadedFile("s.png", png_bytes())}
    assert client_for(staff).post(url, upload).status_code == 403
    assert client_for(executive).post(url, {"image": SimpleUploadedFile("s.png", png_bytes()),
                                            "version": str(people["executive"].version)}).status_code == 302
    assert Person.objects.get(pk=people["executive"].pk).signature_image


def test_organisation_profile_update_is_all_or_nothing(org):
    with pytest.raises(ValidationError):
        organisation_update_profile(organisation=org, phone="x" * 500, user=SYSTEM)
    org.refresh_from_db()
    assert org.phone == ""


def test_render_pdf_announcement_kinds(seeded, tmp_path):
    out = tmp_path / "agreement.pdf"
    call_command("render_pdf", "agreement", "--org", "6411201", "--fiscal-year", "2565", "-o", str(out),
                 stdout=io.StringIO())
    stored = selectors.current_announcement(Organisation.objects.get(code="6411201"), Kind.AGREEMENT, 2565)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == stored.pdf_sha256  # the signed file itself
    poster = tmp_path / "poster.pdf"
    call_command("render_pdf", "no-gift-poster", "--org", "เทศบาลตำบลแม่สายมิตรภาพ", "--fiscal-year", "2567",
                 "-o", str(poster), stdout=io.StringIO())
    assert poster.read_bytes().startswith(b"%PDF")


def test_preview_is_the_same_document_as_html(draft, staff, client_for):
    html = client_for(staff).get(f"/announcements/{draft.pk}/document/?preview=1").content.decode()
    assert "ประกาศองค์การบริหารส่วนตำบลบ้านทดสอบ" in html
    assert "ร่าง — ยังไม่ได้ลงนาม" in html
    assert "๒๕๖๙" in html and "2569" not in html.split("<body", 1)[1]

"""Uploaded files: checked by content (one check for every evidence file and import), kept under
MEDIA_ROOT and served only through the permission-checked views, as downloads that browsers
neither run nor sniff.

Each attack below is a file someone could upload; the comment says what the portal answers.
"""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from openpyxl import Workbook, load_workbook
from PIL import Image

from agreements.performance.models import IndicatorProgress
from ita.measures import services as measure_services
from ita.models import Measure
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import organisation_update_profile
from lao_integrity.tabular import ImportRejected, read_table, write_table
from lao_integrity.uploads import (
    validate_document,
    validate_image,
    validate_table_bytes,
    validate_table_upload,
)
from plans import services as plan_services
from plans.models import ProgressStatus

THAI_TEXT = re.compile(r"[\u0E00-\u0E7F]")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2040

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PPT_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def image_bytes(fmt="PNG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def xlsx_bytes(rows=(("a", "b"), (1, 2))) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ooxml_bytes(main_type: str, part: str = "word/document.xml", *, extra: dict | None = None,
                quote: str = '"') -> bytes:
    q = quote
    types = (f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             f'content-types"><Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName={q}/{part}{q} ContentType={q}{main_type}{q}/></Types>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(part, "<document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def odf_bytes(mimetype="application/vnd.oasis.opendocument.text", *, mimetype_first=True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if not mimetype_first:
            archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, first, as ODF requires
        if mimetype_first:
            archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def zip_bomb(uncompressed_mb: int, main_type=WORD_MAIN) -> bytes:
    """A valid-looking docx whose one extra member unpacks to `uncompressed_mb` MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         f'<Types><Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>')
        archive.writestr("word/document.xml", "<document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(uncompressed_mb):
                member.write(chunk)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image (a decompression bomb for whoever decodes it)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def upload(name, data) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# --- validate_document: what is accepted -------------------------------------------------------------


@pytest.mark.parametrize("name, data, kind", [
    ("รายงาน.pdf", PDF, ".pdf"),
    ("photo.PNG", image_bytes("PNG"), ".png"),
    ("photo.jpg", image_bytes("JPEG"), ".jpg"),
    ("photo.jpeg", image_bytes("JPEG"), ".jpg"),
    ("report.docx", ooxml_bytes(WORD_MAIN), ".docx"),
    ("report.docx", ooxml_bytes(WORD_MAIN, quote="'"), ".docx"),
    ("table.xlsx", xlsx_bytes(), ".xlsx"),
    ("slides.pptx", ooxml_bytes(PPT_MAIN, "ppt/presentation.xml"), ".pptx"),
    ("report.odt", odf_bytes(), ".odt"),
    ("table.ods", odf_bytes("application/vnd.oasis.opendocument.spreadsheet"), ".ods"),
    ("slides.odp", odf_bytes("application/vnd.oasis.opendocument.presentation"), ".odp"),
    ("old.doc", OLE2, ".doc"),
    ("old.xls", OLE2, ".xls"),
])
def test_real_documents_are_accepted_and_named_by_content(name, data, kind):
    assert validate_document(upload(name, data)) == kind


def test_the_upload_can_be_read_again_after_the_check():
    file = upload("รายงาน.pdf", PDF)
    validate_document(file)
    assert file.read() == PDF


# --- validate_document: attacks -------------------------------------------------------------------------


ATTACKS = [
    # (what it is, name, content, part of the Thai answer)
    ("HTML renamed .pdf", "report.pdf", b"<html><script>alert(1)</script></html>", "เนื้อไฟล์ไม่ใช่ PDF"),
    ("SVG with script renamed .png", "logo.png",
     b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "เนื้อไฟล์ไม่ใช่ PNG"),
    ("SVG under its own name", "logo.svg", b"<svg/>", "รองรับเฉพาะไฟล์"),
    ("HTML under its own name", "page.html", b"<html></html>", "รองรับเฉพาะไฟล์"),
    ("Windows executable renamed .pdf", "report.pdf", b"MZ\x90\x00" + b"\0" * 200, "เนื้อไฟล์ไม่ใช่ PDF"),
    ("executable with a double extension", "report.pdf.exe", b"MZ\x90\x00", "รองรับเฉพาะไฟล์"),
    ("no extension at all", "report", PDF, "รองรับเฉพาะไฟล์"),
    ("PNG renamed .pdf", "report.pdf", image_bytes("PNG"), "เป็นไฟล์ PNG"),
    ("PDF renamed .docx", "report.docx", PDF, "เป็นไฟล์ PDF"),
    ("JPEG renamed .png", "photo.png", image_bytes("JPEG"), "เป็นไฟล์ JPEG"),
    ("xlsx renamed .docx", "report.docx", xlsx_bytes(), "เป็นไฟล์ Excel"),
    ("Word 97 renamed .pdf", "report.pdf", OLE2, "เนื้อไฟล์ไม่ใช่ PDF"),
    ("PDF cut off before %%EOF", "report.pdf", PDF[:40], "ไม่สมบูรณ์"),
    ("PNG header followed by junk", "photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "รูปภาพเสีย"),
    ("JPEG cut in half", "photo.jpg", image_bytes("JPEG")[:60], "รูปภาพเสีย"),
    ("GIF renamed .png", "photo.png", b"GIF89a" + b"\0" * 40, "เนื้อไฟล์ไม่ใช่ PNG"),
    ("macro-enabled workbook renamed .xlsx", "table.xlsx", ooxml_bytes(XLSM_MAIN, "xl/workbook.xml"),
     "ไม่ใช่เอกสาร"),
    ("plain zip renamed .docx", "report.docx", None, "ไม่ใช่เอกสาร"),
    ("zip cut off (no central directory)", "report.docx", ooxml_bytes(WORD_MAIN)[:100], "zip เสีย"),
    ("ODF drawing renamed .odt", "report.odt", odf_bytes("application/vnd.oasis.opendocument.graphics"),
     "ไม่ใช่เอกสาร"),
    ("ODF with the mimetype not first", "report.odt", odf_bytes(mimetype_first=False), "ไม่ใช่เอกสาร"),
    ("Office 97 header only", "old.doc", OLE2[:16], "ไม่สมบูรณ์"),
    ("empty file", "report.pdf", b"", "ไฟล์ว่างเปล่า"),
    ("PNG claiming 100,000 x 100,000 pixels", "photo.png", png_claiming(100_000, 100_000), "รูปภาพเสีย"),
    ("zip bomb, 60 MB of zeros in a docx", "report.docx", "bomb60", "zip bomb"),
    ("zip bomb, 5 MB of zeros (ratio ~1000:1)", "report.docx", "bomb5", "zip bomb"),
]


@pytest.mark.parametrize("what, name, data, answer", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attacks_on_evidence_are_refused_in_thai(what, name, data, answer):
    if data is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("readme.txt", "hello")
        data = out.getvalue()
    elif data == "bomb60":
        data = zip_bomb(60)
    elif data == "bomb5":
        data = zip_bomb(5)
    with pytest.raises(ValidationError) as excinfo:
        validate_document(upload(name, data))
    assert answer in " ".join(excinfo.value.messages), excinfo.value.messages


def test_pdf_polyglot_with_html_is_accepted_but_only_ever_downloaded():
    """A file that starts as a PDF and carries HTML is a PDF by our rule; the download answers it as an
    attachment, application/pdf, nosniff, so no browser renders the HTML (see the download tests)."""
    polyglot = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    assert validate_document(upload("x.pdf", polyglot)) == ".pdf"


@override_settings(MAX_UPLOAD_BYTES=1024)
def test_size_limit_comes_from_settings():
    with pytest.raises(ValidationError, match="ไฟล์ใหญ่เกิน"):
        validate_document(upload("big.pdf", b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF"))
    with pytest.raises(ValidationError, match="ไฟล์ใหญ่เกิน"):
        validate_table_bytes(b"a,b\n" * 600, "big.csv")


def test_allowed_narrows_the_kinds():
    with pytest.raises(ValidationError, match="รองรับเฉพาะไฟล์ .xlsx"):
        validate_document(upload("r.pdf", PDF), allowed={".xlsx"})
    assert validate_document(upload("t.xlsx", xlsx_bytes()), allowed={".xlsx"}) == ".xlsx"


# --- import files ------------------------------------------------------------------------------------------


TABLE_ATTACKS = [
    ("xlsx that is a PDF", "t.xlsx", PDF, "เป็น PDF ไม่ใช่ Excel"),
    ("xlsx that is a Word file", "t.xlsx", ooxml_bytes(WORD_MAIN), "ไม่ใช่ Excel"),
    ("xlsx that is an old .xls", "t.xlsx", OLE2, "Excel 97-2003"),
    ("truncated xlsx", "t.xlsx", xlsx_bytes()[:300], "เปิดไฟล์ xlsx ไม่ได้"),
    ("xlsx zip bomb", "t.xlsx", "bomb", "zip bomb"),
    ("csv in UTF-16", "t.csv", "รหัส,ชื่อ\n1,ก\n".encode("utf-16"), "UTF-16"),
    ("csv with NUL bytes", "t.csv", b"a,b\n1,\x002\n", "NUL"),
    ("csv that is an xlsx renamed", "t.csv", xlsx_bytes(), "ไม่ใช่ไฟล์ข้อความ csv"),
    ("csv of random bytes", "t.csv", bytes([0x81, 0x82, 0xff, 0xfe, 0x90]) * 20, "ไม่ใช่ข้อความ UTF-8"),
    ("empty csv", "t.csv", b"", "ไฟล์ว่างเปล่า"),
    ("a pdf", "t.pdf", PDF, "รองรับเฉพาะไฟล์ .csv และ .xlsx"),
]


@pytest.mark.parametrize("what, name, data, answer", TABLE_ATTACKS, ids=[a[0] for a in TABLE_ATTACKS])
def test_bad_import_files_are_refused_before_reading(what, name, data, answer):
    if data == "bomb":
        data = zip_bomb(60, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    with pytest.raises(ValidationError) as excinfo:
        validate_table_bytes(data, name)
    assert answer in " ".join(excinfo.value.messages)
    with pytest.raises(ValidationError):
        validate_table_upload(upload(name, data))
    with pytest.raises(ImportRejected) as rejected:
        read_table(data, name)
    assert answer in str(rejected.value)


def test_csv_in_windows_874_is_still_read():
    data = "รหัส,ชื่อ\n5205401,บ้านแหง\n".encode("cp874")
    assert validate_table_bytes(data, "t.csv") == "csv"
    assert read_table(data, "t.csv").dict == [{"รหัส": "5205401", "ชื่อ": "บ้านแหง"}]


def test_a_tiny_xlsx_claiming_a_million_rows_is_refused_quickly():
    workbook = Workbook()
    workbook.active["A1"] = "รหัส"
    workbook.active["XFD1048576"] = "x"  # read as-is, this yields 10^6 rows of 16,384 cells
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ImportRejected, match="มากกว่า 50,000 แถว"):
        read_table(out.getvalue(), "t.xlsx")


def test_a_csv_cell_longer_than_the_csv_module_allows_is_a_clean_rejection():
    data = ("รหัส,ชื่อ\n1," + "ก" * 200_000 + "\n").encode()
    with pytest.raises(ImportRejected, match="อ่านไฟล์ csv ไม่ได้"):
        read_table(data, "t.csv")


def test_too_many_columns_or_rows_in_csv():
    with pytest.raises(ImportRejected, match="คอลัมน์"):
        read_table(("," * 150 + "x\n").encode(), "t.csv")
    with pytest.raises(ImportRejected, match="แถว"):
        read_table(b"a\n" + b"1\n" * 50_001, "t.csv")


# --- export: no formula injection ---------------------------------------------------------------------------


DANGEROUS = ["=1+1", '=HYPERLINK("http://evil.example","คลิก")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
             "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "=cmd|' /C notepad'!'A1'"]
HARMLESS = ["-", "-5", "-1,234.50", "+66", "ปกติ", "อีเมล a@b.c"]


def test_write_table_neutralises_formulas_in_xlsx():
    data = write_table(["ชื่อ", "=หัว"], [[text, 1] for text in DANGEROUS + HARMLESS], "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert [sheet.cell(row=i + 2, column=1).value for i in range(len(DANGEROUS + HARMLESS))] == DANGEROUS + HARMLESS
    assert sheet["B1"].value == "=หัว" and sheet["B1"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_write_table_neutralises_formulas_in_csv_and_reads_them_back():
    data = write_table(["ชื่อ"], [[text] for text in DANGEROUS + HARMLESS], "csv")
    text = data.decode("utf-8-sig")
    cells = [line for line in text.splitlines()[1:]]
    for line in cells[: len(DANGEROUS)]:
        assert line.lstrip('"').startswith("'"), line
    for line, original in zip(cells[len(DANGEROUS):], HARMLESS, strict=True):
        assert line.strip('"') == original
    # What was exported comes back as it was typed.
    assert [row[0] for row in read_table(data, "t.csv")] == [t.strip() for t in DANGEROUS + HARMLESS]


# --- storage and downloads ----------------------------------------------------------------------------------


@pytest.fixture
def evidence(seeded, settings):
    """One evidence file in each app, stored through the services, and the demo's admin client."""
    project = seeded.plan.projects.order_by("sequence").first()
    plan_services.progress_record(project=project, quarter=1, status=ProgressStatus.DONE,
                                  evidence_file=ContentFile(PDF, name="รายงาน ผล\"อบรม\".pdf"), user=SYSTEM)
    measure = Measure.objects.order_by("pk").first()
    measure_services.progress_record(measure=measure, quarter=1, status="done",
                                     evidence_file=ContentFile(image_bytes("JPEG"), name="photo.jpg"), user=SYSTEM)
    progress = IndicatorProgress.objects.exclude(evidence_file="").select_related("indicator").first()
    organisation_update_profile(organisation=seeded.org, phone="053-000000",
                                emblem=ContentFile(image_bytes("PNG"), name="garuda.png"), user=SYSTEM)
    assert measure.organisation != seeded.org and progress.indicator.agreement.organisation != seeded.org
    # (url, stored file, a reader, someone of another organisation)
    return {
        "plans": (f"/plans/projects/{project.pk}/progress/1/evidence/",
                  project.progress.get(quarter=1).evidence_file, seeded.staff, seeded.other_staff),
        "ita": (f"/ita/measure/{measure.pk}/evidence/1/", measure.progress.get(quarter=1).evidence_file,
                seeded.other_staff, seeded.staff),
        "agreements": (f"/agreements/indicator/{progress.indicator_id}/evidence/{progress.quarter}/",
                       progress.evidence_file, seeded.other_staff, seeded.staff),
        "emblem": (f"/organisations/{seeded.org.code}/emblem/", seeded.org.emblem, seeded.staff, seeded.other_staff),
    }


def test_uploads_live_under_media_root_outside_static(evidence, settings):
    media = Path(settings.MEDIA_ROOT).resolve()
    for _, field, _, _ in evidence.values():
        path = Path(field.path).resolve()
        assert path.is_file() and path.is_relative_to(media)
    for folder in [*settings.STATICFILES_DIRS, settings.STATIC_ROOT]:
        assert not media.is_relative_to(Path(folder).resolve())


def test_media_is_not_served_by_url(evidence, client_for, seeded):
    admin = client_for(type(seeded.staff).objects.get(username="admin"))
    for _, field, _, _ in evidence.values():
        for client in (Client(), admin):
            for prefix in ("/media/", "/static/", "/static/../media/", "/"):
                assert client.get(prefix + field.name).status_code == 404, prefix + field.name


@pytest.mark.parametrize("app", ["plans", "ita", "agreements", "emblem"])
def test_downloads_are_permission_checked_attachments_without_sniffing(evidence, client_for, seeded, app):
    url, field, reader, outsider = evidence[app]
    with field.open("rb") as handle:
        stored = handle.read()
    response = client_for(reader).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    if app == "emblem":
        assert disposition.startswith("inline") and response["Content-Type"] == "image/png"
    else:
        assert disposition.startswith("attachment;")
        assert response["Content-Type"] in {"application/pdf", "image/jpeg"}
    # The name comes from the stored name: no quotes, separators or line breaks can reach the header.
    assert "\n" not in disposition and "/" not in disposition.split("filename", 1)[1]
    assert disposition.count('"') in (0, 2)
    # Anonymous: to the login page. Another organisation's staff: 404 (or 403), never the file.
    assert Client().get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 404


def test_a_missing_file_is_a_404_not_a_500(evidence, client_for, seeded):
    admin = client_for(type(seeded.staff).objects.get(username="admin"))
    for url, field, _, _ in evidence.values():
        path = Path(field.path)
        hidden = path.rename(path.with_name(path.name + ".away"))  # the demo's files serve later tests
        try:
            assert admin.get(url).status_code == 404, url
        finally:
            hidden.rename(path)


# --- the same check everywhere an evidence file comes in --------------------------------------------------


@pytest.mark.parametrize("name, data", [("report.pdf", image_bytes("PNG")), ("report.pdf", b"<html></html>"),
                                        ("report.exe", b"MZ\x90\x00")])
def test_every_evidence_form_uses_the_content_check(name, data):
    from agreements.performance.forms import ProgressForm as AgreementProgressForm
    from ita.measures.forms import MeasureProgressForm
    from plans.forms import ProgressForm as PlanProgressForm

    for form_class, fields in [(PlanProgressForm, {"status": ProgressStatus.DONE, "amount_spent": "0"}),
                               (MeasureProgressForm, {"status": "done"}),
                               (AgreementProgressForm, {"value": "1"})]:
        form = form_class(fields, {"evidence_file": upload(name, data)})
        assert not form.is_valid() and form.errors.get("evidence_file"), form_class
        assert THAI_TEXT.search(" ".join(form.errors["evidence_file"]))
        good = form_class(fields, {"evidence_file": upload("report.pdf", PDF)})
        assert "evidence_file" not in good.errors, (form_class, good.errors)


def test_services_refuse_bad_evidence_too(seeded):
    """A command or the shell meets the same rule as the form: nothing is stored."""
    project = seeded.plan.projects.order_by("sequence").first()
    with pytest.raises(ValidationError) as excinfo:
        plan_services.progress_record(project=project, quarter=3, status=ProgressStatus.DONE,
                                      evidence_file=ContentFile(image_bytes("PNG"), name="report.pdf"), user=SYSTEM)
    assert "เป็นไฟล์ PNG" in " ".join(excinfo.value.messages)
    assert not project.progress.filter(quarter=3).exists()
    with pytest.raises(ValidationError):
        measure_services.validate_evidence_file(upload("x.docx", zip_bomb(5)))


@pytest.mark.parametrize("url_name", ["plan", "ita", "agreement"])
def test_import_forms_check_content_before_reading(url_name, seeded, client_for):
    """An import page answers a disguised file with a Thai error on the file field."""
    from agreements.performance.models import PerformanceAgreement

    agreement = PerformanceAgreement.objects.filter(status="draft").order_by("pk").first()
    user, url = {"plan": (seeded.staff, f"/plans/{seeded.plan.pk}/import/"),
                 "ita": (seeded.staff, "/ita/import/"),
                 "agreement": (seeded.other_staff, f"/agreements/{agreement.pk}/indicators/import/")}[url_name]
    response = client_for(user).post(url, {"file": upload("plan.xlsx", PDF)})
    assert response.status_code == 200
    assert "เป็น PDF ไม่ใช่ Excel" in response.content.decode()



@pytest.mark.parametrize("admin_url", ["/admin/orgs/organisation/import/", "/admin/plans/project/import/",
                                       "/admin/ita/result/import/"])
def test_admin_imports_check_content_before_reading(admin_url, seeded):
    """The admin's imports (the import pages' form and services) refuse what the import pages refuse,
    and change nothing."""
    from django.contrib.auth import get_user_model

    from lao_integrity.orgs.models import Organisation

    admin = get_user_model().objects.create_superuser("upload-admin", password="x-admin-pass-2569")
    client = Client()
    client.force_login(admin)
    form = client.get(admin_url)
    assert form.status_code == 200
    assert 'type="file"' in form.content.decode()
    before = Organisation.objects.count()
    bomb = zip_bomb(60, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    for name, data, answer in [("orgs.xlsx", PDF, "เป็น PDF ไม่ใช่ Excel"), ("orgs.xlsx", bomb, "zip bomb")]:
        response = client.post(admin_url, {"file": upload(name, data),
                                           "plan": f"{seeded.org.code} {seeded.plan.fiscal_year}"})
        assert response.status_code == 200
        assert answer in response.content.decode()
    assert Organisation.objects.count() == before


def test_an_image_bomb_is_refused_as_emblem_too():
    with pytest.raises(ValidationError):
        validate_image(upload("garuda.png", png_claiming(100_000, 100_000)))


def test_every_table_upload_page_uses_the_kernels_one_form():
    """One form for csv/xlsx uploads (lao_integrity.uploads.TableUploadForm): ITA's wording kept."""
    from agreements.performance import views as agreement_views
    from ita.results.forms import ResultImportForm
    from lao_integrity.uploads import TableUploadForm
    from plans import views as plan_views
    from plans.forms import PlanImportForm

    assert plan_views.TableUploadForm is agreement_views.TableUploadForm is TableUploadForm
    assert issubclass(PlanImportForm, TableUploadForm) and issubclass(ResultImportForm, TableUploadForm)
    assert ResultImportForm({}, {}).errors["file"] == ["กรุณาเลือกไฟล์"]
    assert ResultImportForm({}, {"file": upload("x.csv", b"")}).errors["file"] == ["ไฟล์ว่างเปล่า"]
    refused = TableUploadForm({}, {"file": upload("plan.xlsx", PDF)})
    assert "เป็น PDF ไม่ใช่ Excel" in " ".join(refused.errors["file"])
    good = TableUploadForm({}, {"file": upload("plan.xlsx", xlsx_bytes())})
    assert good.is_valid() and good.cleaned_data["file"].read(2) == b"PK"

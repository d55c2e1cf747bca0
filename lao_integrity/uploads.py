"""Checks for uploaded files, by content rather than by name."""

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4000


def validate_image(upload) -> str:
    """Raise a Thai ValidationError unless `upload` really is a PNG or JPEG of sane size.

    Returns the file extension that matches the content, so a file is stored under the
    name of what it is, whatever it was called.
    """
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError("รูปภาพต้องมีขนาดไม่เกิน 2 MB")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError("ไฟล์นี้ไม่ใช่รูปภาพ PNG หรือ JPEG ที่เปิดได้") from None
    if image_format not in IMAGE_FORMATS:
        raise ValidationError("รองรับเฉพาะรูปภาพ PNG หรือ JPEG")
    if max(width, height) > MAX_IMAGE_SIDE:
        raise ValidationError(f"รูปภาพใหญ่เกินไป (ไม่เกิน {MAX_IMAGE_SIDE} พิกเซลต่อด้าน)")
    return IMAGE_FORMATS[image_format]



class ImageFileField(forms.FileField):
    """An optional PNG or JPEG (an emblem, a scanned signature), checked by content (validate_image)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            validate_image(upload)
        return upload

# --- evidence documents and import files ---------------------------------------------------------

# Canonical extension -> what staff call it. The extension of the name must agree with the content.
DOCUMENT_KINDS = {
    ".pdf": "PDF", ".png": "PNG", ".jpg": "JPEG",
    ".docx": "Word", ".xlsx": "Excel", ".pptx": "PowerPoint",
    ".odt": "OpenDocument Text", ".ods": "OpenDocument Spreadsheet", ".odp": "OpenDocument Presentation",
    ".doc": "Word/Excel 97-2003", ".xls": "Excel 97-2003",
}
# Extensions people use -> the canonical one.
DOCUMENT_EXTENSIONS = {".pdf": ".pdf", ".png": ".png", ".jpg": ".jpg", ".jpeg": ".jpg",
                       ".docx": ".docx", ".xlsx": ".xlsx", ".pptx": ".pptx",
                       ".odt": ".odt", ".ods": ".ods", ".odp": ".odp", ".doc": ".doc", ".xls": ".xls"}
DOCUMENT_HELP = "PDF, รูปภาพ (JPG/PNG), Word, Excel, PowerPoint หรือ OpenDocument"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word/Excel 97-2003: the content alone can't tell which
_PNG = b"\x89PNG\r\n\x1a\n"
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": ".pptx",
}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ".odt",
    b"application/vnd.oasis.opendocument.spreadsheet": ".ods",
    b"application/vnd.oasis.opendocument.presentation": ".odp",
}
# Zip bombs. Evidence and import files unpack to far less than this; a reader (openpyxl, zipfile)
# never produces more than the sizes declared here, so checking the declared sizes is enough.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_RATIO = 200  # uncompressed / compressed, for members bigger than 1 MB
MAX_ZIP_MEMBERS = 10_000
_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b[^>]*>")
_ATTRIBUTE = re.compile(rb"""\b(PartName|ContentType)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class _Refused(Exception):
    """The content is of no accepted kind; the message says why (Thai)."""


def _max_mb() -> int:
    return settings.MAX_UPLOAD_BYTES // (1024 * 1024)


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _zip_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _Refused("ไฟล์ zip เสียหรือไม่สมบูรณ์") from None
    with archive:
        if not members or len(members) > MAX_ZIP_MEMBERS:
            raise _Refused("ไฟล์ zip มีจำนวนไฟล์ภายในผิดปกติ")
        total = sum(m.file_size for m in members)
        if total > MAX_UNZIPPED_BYTES or any(
                m.file_size > 1024 * 1024 and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1)
                for m in members):
            raise _Refused("ไฟล์บีบอัดขยายตัวผิดปกติ (อาจเป็น zip bomb)")
        names = {m.filename for m in members}
        try:
            first = members[0]
            if first.filename == "mimetype" and first.file_size < 200:
                mimetype = archive.read(first).strip()
                if mimetype in _ODF_MIMETYPES:
                    if "content.xml" not in names:
                        raise _Refused("เอกสาร OpenDocument ไม่สมบูรณ์")
                    return _ODF_MIMETYPES[mimetype]
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > 1024 * 1024:
                    raise _Refused("เอกสาร Office ไม่สมบูรณ์")
                types = archive.read(info)
                for element in _OVERRIDE.findall(types):
                    attributes = {m.group(1): (m.group(2) or m.group(3) or b"") for m in _ATTRIBUTE.finditer(element)}
                    kind = _OOXML_MAIN.get(attributes.get(b"ContentType", b"").decode("ascii", "replace"))
                    part = attributes.get(b"PartName", b"").decode("utf-8", "replace").lstrip("/")
                    if kind and part in names:
                        return kind
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            raise _Refused("ไฟล์ zip เสียหรือไม่สมบูรณ์") from None
    raise _Refused("ไฟล์บีบอัดนี้ไม่ใช่เอกสาร Word, Excel, PowerPoint หรือ OpenDocument")


def _image_kind(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _Refused("รูปภาพเสียหรือเปิดไม่ได้") from None
    if image_format not in IMAGE_FORMATS:
        raise _Refused("รองรับเฉพาะรูปภาพ PNG หรือ JPEG")
    return IMAGE_FORMATS[image_format]


def document_kind(data: bytes) -> str:
    """The canonical extension of what `data` really is (".doc" for any OLE2 file); _Refused otherwise."""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-8192:]:  # some scanners pad the end; a cut-off file has no end marker
            raise _Refused("ไฟล์ PDF ไม่สมบูรณ์ (ไม่พบส่วนท้ายไฟล์ %%EOF)")
        return ".pdf"
    if data.startswith(_PNG) or data.startswith(b"\xff\xd8\xff"):
        return _image_kind(data)
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(_OLE2):
        if len(data) < 1536:  # header plus at least two sectors
            raise _Refused("ไฟล์ Office 97-2003 ไม่สมบูรณ์")
        return ".doc"
    raise _Refused("")


def validate_document(upload, *, allowed: Iterable[str] | None = None) -> str:
    """Raise a Thai ValidationError unless `upload` is an evidence document we accept.

    Accepted: PDF, PNG/JPEG, Word/Excel/PowerPoint (OOXML), OpenDocument text/spreadsheet/
    presentation and Word/Excel 97-2003, recognised by content; the name's extension must agree
    with the content (a ".pdf" that is a PNG is refused); at most settings.MAX_UPLOAD_BYTES.
    HTML, SVG, executables, archives and zip bombs are refused. `allowed` narrows the accepted
    extensions (e.g. {".xlsx"}). Returns the canonical extension of the content (".jpg", ".docx").
    """
    suffix = Path(getattr(upload, "name", "") or "").suffix.lower()
    accepted = set(DOCUMENT_EXTENSIONS) if allowed is None else set(allowed) & set(DOCUMENT_EXTENSIONS)
    if suffix not in accepted:
        listed = DOCUMENT_HELP if allowed is None else ", ".join(sorted(accepted))
        raise ValidationError(f"รองรับเฉพาะไฟล์ {listed}")
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(f"ไฟล์ใหญ่เกิน {_max_mb()} MB")
    if not upload.size:
        raise ValidationError("ไฟล์ว่างเปล่า")
    expected = DOCUMENT_EXTENSIONS[suffix]
    try:
        actual = document_kind(_read_all(upload))
    except _Refused as refused:
        detail = f" ({refused})" if str(refused) else ""
        raise ValidationError(
            f"เนื้อไฟล์ไม่ใช่ {suffix.lstrip('.').upper()} ตามนามสกุล{detail} โปรดตรวจไฟล์อีกครั้ง") from None
    if actual == ".doc" and expected in (".doc", ".xls"):
        return expected
    if actual != expected:
        raise ValidationError(
            f"เนื้อไฟล์ไม่ใช่ {suffix.lstrip('.').upper()} ตามนามสกุล (เป็นไฟล์ {DOCUMENT_KINDS[actual]}) "
            f"โปรดตรวจไฟล์อีกครั้ง")
    return actual


TABLE_EXTENSIONS = (".csv", ".xlsx")


def validate_table_bytes(data: bytes, filename: str) -> str:
    """Raise a Thai ValidationError unless `data` is an import file we can read safely.

    .xlsx must be a real Excel workbook (OOXML spreadsheet, no zip bomb); .csv must be text in
    UTF-8 or windows-874 (TIS-620) without NUL bytes. Returns "csv" or "xlsx".
    """
    suffix = Path(filename or "").suffix.lower()
    if suffix not in TABLE_EXTENSIONS:
        raise ValidationError("รองรับเฉพาะไฟล์ .csv และ .xlsx")
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(f"ไฟล์ใหญ่เกิน {_max_mb()} MB")
    if not data:
        raise ValidationError("ไฟล์ว่างเปล่า")
    if suffix == ".xlsx":
        try:
            kind = document_kind(data)
        except _Refused as refused:
            detail = f": {refused}" if str(refused) else ""
            raise ValidationError(f"เปิดไฟล์ xlsx ไม่ได้ (ไฟล์เสียหรือไม่ใช่ Excel){detail}") from None
        if kind == ".doc":
            raise ValidationError("ไฟล์นี้เป็น Excel 97-2003 (.xls) กรุณาบันทึกเป็น .xlsx หรือ .csv ก่อนนำเข้า")
        if kind != ".xlsx":
            raise ValidationError(f"ไฟล์นี้เป็น {DOCUMENT_KINDS[kind]} ไม่ใช่ Excel (.xlsx)")
        return "xlsx"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError("ไฟล์ csv นี้บันทึกเป็น UTF-16 กรุณาบันทึกใหม่เป็น CSV UTF-8")
    if data.startswith((b"PK\x03\x04", _OLE2, b"%PDF-")):
        raise ValidationError("ไฟล์นี้ไม่ใช่ไฟล์ข้อความ csv (อาจเป็นไฟล์ Excel หรือ PDF ที่เปลี่ยนนามสกุล)")
    if b"\x00" in data:
        raise ValidationError("ไฟล์ csv มีอักขระ NUL จึงไม่ใช่ไฟล์ข้อความ กรุณาบันทึกใหม่เป็น CSV UTF-8")
    for encoding in ("utf-8-sig", "cp874"):
        try:
            data.decode(encoding)
            return "csv"
        except UnicodeDecodeError:
            continue
    raise ValidationError("อ่านไฟล์ไม่ได้: ไม่ใช่ข้อความ UTF-8 หรือ TIS-620")


def validate_table_upload(upload) -> str:
    """`validate_table_bytes` for an uploaded file (import forms); returns "csv" or "xlsx"."""
    suffix = Path(getattr(upload, "name", "") or "").suffix.lower()
    if suffix not in TABLE_EXTENSIONS:
        raise ValidationError("รองรับเฉพาะไฟล์ .csv และ .xlsx")
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(f"ไฟล์ใหญ่เกิน {_max_mb()} MB")
    return validate_table_bytes(_read_all(upload), upload.name)


def stored_file_response(field, *, as_attachment: bool = True, filename: str | None = None,
                         content_type: str | None = None):
    """A stored upload (a FieldFile) as the response of a view that has already checked access:
    404 when there is none or the row outlived its file (never a 500), named after the stored name.
    nosniff comes from SecurityMiddleware."""
    from django.http import FileResponse, Http404

    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=as_attachment, filename=filename or field.name.rsplit("/", 1)[-1],
                        **({"content_type": content_type} if content_type else {}))


class TableUploadForm(forms.Form):
    """The one form for uploading a csv/xlsx table: the file is checked by content (zip bombs,
    renamed files, encodings, size) before anything reads it, and left at its start.
    `file_error_messages` replaces Django's own messages for the file field where an app words them."""

    file_error_messages: dict[str, str] = {}

    file = forms.FileField(label="ไฟล์ .csv หรือ .xlsx")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.file_error_messages:
            self.fields["file"].error_messages = {**self.fields["file"].error_messages, **self.file_error_messages}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_table_upload(upload)  # csv text or a real xlsx workbook, by content
        return upload

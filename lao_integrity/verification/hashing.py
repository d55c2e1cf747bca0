"""The uploaded file is hashed as it arrives and kept nowhere: held in memory for the request only
when it carries a signature field (its digital signature is then checked), no temporary file,
nothing in MEDIA_ROOT. `HashingUploadHandler` is this page's only upload handler
(installed before any middleware reads the body: lao_integrity.middleware.ViewUploadHandlers); it
refuses a body larger than the limit from its Content-Length, before reading it."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

MAX_BYTES = 20 * 1024 * 1024
MAX_MB = MAX_BYTES // (1024 * 1024)
# The form's other fields and the multipart headers around the file: far less than this.
FORM_OVERHEAD = 64 * 1024
# A PDF starts with "%PDF-"; readers accept it anywhere in the first 1024 bytes.
PDF_MAGIC = b"%PDF-"
HEAD_BYTES = 1024
# Every PDF signature dictionary has a /ByteRange, written uncompressed (its offsets are the file's
# own bytes), so a byte search finds it without parsing the file.
SIGNATURE_MARK = b"/ByteRange"


@dataclass
class HashedFile:
    """What is left of an upload: its name, size, SHA-256 and two facts read on the way."""

    name: str
    size: int
    sha256: str
    is_pdf: bool
    has_signature: bool
    content: io.BytesIO | None = field(default=None, repr=False)  # the bytes, while the request lasts

    def close(self) -> None:  # HttpRequest.close() closes every uploaded file
        if self.content is not None:
            self.content.close()
            self.content = None


class HashingUploadHandler(FileUploadHandler):
    chunk_size = 64 * 1024

    def __init__(self, request=None, max_bytes: int | None = None):
        super().__init__(request)
        self.max_bytes = MAX_BYTES if max_bytes is None else max_bytes
        self.too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.max_bytes + FORM_OVERHEAD:
            # Answered from the header alone: no field is parsed, the body is never read.
            self.too_large = True
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._digest = hashlib.sha256()
        self._size = 0
        self._head = b""
        self._tail = b""
        self._signature = False
        # The bytes, in memory for this request only (at most MAX_BYTES): a signature's check reads
        # the whole file, and a signature dictionary may be anywhere in it.
        self._content = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        self._size += len(raw_data)
        if self._size > self.max_bytes:  # a Content-Length that understated the file
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self._digest.update(raw_data)
        self._content.write(raw_data)
        if len(self._head) < HEAD_BYTES:
            self._head += raw_data[:HEAD_BYTES - len(self._head)]
        if not self._signature:
            self._signature = SIGNATURE_MARK in self._tail + raw_data
            self._tail = raw_data[-(len(SIGNATURE_MARK) - 1):]
        return None  # no other handler sees the bytes

    def file_complete(self, file_size):
        content = self._content if self._signature else None
        if content is None:
            self._content.close()
        return HashedFile(name=self.file_name or "", size=file_size, sha256=self._digest.hexdigest(),
                          is_pdf=PDF_MAGIC in self._head, has_signature=self._signature, content=content)


def upload_handlers(request) -> list:
    """The verification page's handlers (ViewUploadHandlers reads this from the view)."""
    return [HashingUploadHandler(request)]


def too_large(request) -> bool:
    """After the body was parsed: whether this page's handler refused it for its size."""
    return any(getattr(handler, "too_large", False) for handler in request.upload_handlers)


# --- the digital signature ------------------------------------------------------------------------

NO_SIGNATURE = "เอกสารนี้ไม่มีลายมือชื่อดิจิทัล"
HASH_ONLY = "ตรวจสอบลายมือชื่อดิจิทัลได้เฉพาะเมื่ออัปโหลดไฟล์ ค่า SHA-256 อย่างเดียวตรวจไม่ได้"


def digital_signature(upload: HashedFile | None) -> str:
    """The "ลายมือชื่อดิจิทัล: …" line: for an uploaded file with a signature field, pyHanko's check
    of each signature (lao_integrity/signing/pades.py check) against the certificates registered here."""
    if upload is None:
        return HASH_ONLY
    if not upload.has_signature or upload.content is None:
        return NO_SIGNATURE
    from lao_integrity.signing.pades import check

    return check(upload.content.getvalue())

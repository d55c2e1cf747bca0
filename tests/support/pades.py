"""Checking a PAdES signature the way an outsider would: pyHanko's validator against a trusted CA,
and poppler's `pdfsig` (what Linux PDF readers use)."""

import io
import os
import shutil
import subprocess
import tempfile

import pytest

pdfsig = shutil.which("pdfsig")
# Skipped only off CI: .ci/run installs poppler-utils, so there a missing pdfsig is a failure.
needs_pdfsig = pytest.mark.skipif(pdfsig is None and os.environ.get("CI", "").lower() != "true",
                                  reason="pdfsig (poppler-utils) is not installed")


def pyhanko_status(pdf: bytes, ca_pem: bytes):
    """The validation status of the PDF's one signature, trusting only the CA `ca_pem`."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    assert len(signatures) == 1, f"{len(signatures)} signatures"
    context = ValidationContext(trust_roots=list(load_certs_from_pemder_data(ca_pem)), allow_fetching=False)
    return validate_pdf_signature(signatures[0], context)


def pdfsig_report(pdf: bytes) -> str:
    """`pdfsig`'s report. Without the CA in an NSS database (no certutil here) it can't trust the
    issuer, so what it proves is the signature over the bytes: "Signature is Valid."."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        result = subprocess.run([pdfsig, handle.name], capture_output=True, text=True)
    return result.stdout + result.stderr


def changed_in_signed_region(pdf: bytes) -> bytes:
    """One byte changed in the first signed range (the page content WeasyPrint wrote)."""
    position = len(pdf) // 4
    return pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1:]

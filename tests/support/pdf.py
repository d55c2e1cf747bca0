"""Reading a PDF the portal printed: its text layer (pdftotext) and its embedded fonts."""

import io
import shutil
import subprocess

import pytest

pdftotext = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(pdftotext is None, reason="pdftotext (poppler-utils) is not installed")


def text_of(pdf: bytes) -> str:
    """The text layer as `pdftotext -raw` reads it (what a reader copies or searches)."""
    result = subprocess.run([pdftotext, "-raw", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def embedded_fonts(pdf) -> list:
    """(BaseFont, embedded TrueType) for every font the PDF's pages use; fails on one not embedded."""
    from fontTools.ttLib import TTFont

    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the embedded fonts (a dev dependency)")

    fonts = []
    for page in pypdf.PdfReader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            data = descriptor["/FontFile2"].get_object().get_data()
            fonts.append((str(font["/BaseFont"]), TTFont(io.BytesIO(data))))
    return fonts


def lines_with_left(pdf: bytes) -> list[tuple[str, float]]:
    """Each line of the text layer with where it starts from the page's left edge, in points
    (`pdftotext -bbox-layout`): an indented line starts further right."""
    import html
    import re

    result = subprocess.run([pdftotext, "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    lines = []
    for match in re.finditer(r'<line xMin="([\d.]+)"[^>]*>(.*?)</line>', result.stdout.decode("utf-8"), re.S):
        words = re.findall(r"<word[^>]*>(.*?)</word>", match.group(2), re.S)
        lines.append((html.unescape(" ".join(words)), float(match.group(1))))
    return lines

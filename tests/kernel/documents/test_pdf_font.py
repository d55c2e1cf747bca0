"""The PDF font: Thai copies and searches correctly out of WeasyPrint's PDFs, and looks the same.

Text layers are read with `pdftotext -raw` (poppler-utils) and pypdf. pdftotext's default mode
reorders Thai marks by position (ที่ comes out ท่ี), so it is not used.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from weasyprint import HTML

from lao_integrity.documents.fonts import FACES, FAMILY, FONT_DIR, build_pdf_font, font_face_css
from tests.support.pdf import embedded_fonts

# Every tone over SARA AM, tall consonants (ป ฝ shift the marks), and plain SARA AA words.
WORDS = (
    "องค์การบริหารส่วนตำบลบ้านแหง น้ำ ทำ ที่ ๒๕๖๙ ตำบล กำหนด ค่ำ ซ้ำ ย้ำ นั้น ต๊ำ จ๋ำ ป่ำ ฝ้ำ ตาบล นา O29 10,000.00"
).split()
SARA_AM_WORDS = [word for word in WORDS if "ำ" in word]
STYLES = {
    "Regular": "",
    "Bold": "font-weight: 700",
    "Italic": "font-style: italic",
    "Bold Italic": "font-weight: 700; font-style: italic",
}
UPSTREAM_FAMILY = "Sarabun Upstream"  # the unmodified files, under a name no system font has


def _upstream_css() -> str:
    return "".join(
        f'@font-face {{ font-family: "{UPSTREAM_FAMILY}"; src: url("{face.upstream.as_uri()}");'
        f" font-weight: {face.weight}; font-style: {'italic' if face.italic else 'normal'} }}\n"
        for face in FACES
    )


def _render(path: Path, css: str, family: str) -> Path:
    paragraphs = "".join(f'<p style="{style}">{" ".join(WORDS)}</p>' for style in STYLES.values())
    html = (
        f"<html lang='th'><head><style>{css}\n"
        f'body {{ font-family: "{family}"; font-size: 14pt }}</style></head>'
        f"<body>{paragraphs}</body></html>"
    )
    HTML(string=html, base_url=str(FONT_DIR)).write_pdf(path)
    return path


def _pdftotext_raw(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    return subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pypdf():
    return pytest.importorskip("pypdf", reason="pypdf reads the PDF text layer (a dev dependency)")


def _pypdf_text(pdf: Path) -> str:
    pypdf = _pypdf()
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)


@pytest.fixture(scope="module")
def fixed_pdf(tmp_path_factory):
    return _render(tmp_path_factory.mktemp("pdf") / "fixed.pdf", font_face_css(), FAMILY)


@pytest.fixture(scope="module")
def upstream_pdf(tmp_path_factory):
    return _render(tmp_path_factory.mktemp("pdf") / "upstream.pdf", _upstream_css(), UPSTREAM_FAMILY)


def _assert_every_word(text: str) -> None:
    tokens = text.split()
    missing = [word for word in WORDS if tokens.count(word) < len(STYLES)]
    assert not missing, f"not read back exactly: {missing}\n{text}"


def test_pdftotext_reads_every_word(fixed_pdf):
    _assert_every_word(_pdftotext_raw(fixed_pdf))


def test_pypdf_reads_every_word(fixed_pdf):
    _assert_every_word(_pypdf_text(fixed_pdf))


def test_derived_font_is_embedded_for_each_style(fixed_pdf):
    fonts = embedded_fonts(fixed_pdf)
    assert len(fonts) == len(FACES)
    for base_font, font in fonts:
        assert "Sarabun-PDF" in base_font
        assert font["name"].getDebugName(1) == FAMILY
    assert {font["name"].getDebugName(2) for _, font in fonts} == set(STYLES)


def test_characterisation_upstream_font_loses_sara_am(upstream_pdf):
    """Characterisation of the bug the derived font guards against (proves the checks can fail).

    With the unmodified Sarabun, WeasyPrint's text layer drops SARA AM: "ตำบล" reads "ตาบล" and
    "น้ำ" reads "นา". If this starts failing, WeasyPrint has changed how it maps glyphs to text:
    re-check whether the derived font is still needed.
    """
    for text in (_pdftotext_raw(upstream_pdf), _pypdf_text(upstream_pdf)):
        tokens = text.split()
        assert not [word for word in SARA_AM_WORDS if word in tokens]
        assert tokens.count("ตาบล") > len(STYLES)
        assert tokens.count("นา") > len(STYLES)


def test_derived_font_draws_the_same_pixels(fixed_pdf, upstream_pdf, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    from PIL import Image, ImageChops

    images = []
    for pdf in (fixed_pdf, upstream_pdf):
        prefix = tmp_path / pdf.stem
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf), str(prefix)], check=True)
        images.append(Image.open(f"{prefix}.png").convert("RGB"))
    assert images[0].size == images[1].size
    assert ImageChops.difference(*images).getbbox() is None, "the derived font renders differently"


def test_font_face_css_has_one_rule_per_face_and_no_unicode_range():
    css = font_face_css()
    assert css.count("@font-face") == len(FACES)
    assert "unicode-range" not in css
    for face in FACES:
        assert face.path.as_uri() in css
        assert face.path.is_file()
    assert (FONT_DIR / "OFL.txt").is_file()


def test_build_pdf_font_from_upstream(tmp_path):
    """A fresh build from the upstream file fixes the text layer too, and refuses to fix twice."""
    regular = FACES[0]
    built = tmp_path / regular.path.name
    build_pdf_font(regular.upstream, built)
    font = TTFont(built)
    assert font["name"].getDebugName(1) == FAMILY
    assert {"uni0E32.am", "uni0E32.am0E48", "uni0E32.am0E4B"} <= set(font.getGlyphOrder())

    css = f'@font-face {{ font-family: "Fresh Build"; src: url("{built.as_uri()}") }}'
    pdf = _render(tmp_path / "fresh.pdf", css, "Fresh Build")
    assert set(SARA_AM_WORDS) <= set(_pypdf_text(pdf).split())

    with pytest.raises(ValueError, match="already has the SARA AM fix"):
        build_pdf_font(built, tmp_path / "twice.ttf")

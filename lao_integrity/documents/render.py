"""HTML templates to A4 PDF with WeasyPrint; the same HTML is the browser preview.

Official text gets Thai digits in one place (`officialise`), after the template is rendered, so
no template can forget; codes such as O29 and URLs keep their Latin digits.
"""

import functools
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from lao_integrity import thai

from .fonts import FACES, font_face_css
from .words import KEEP_WHOLE

DOCUMENT_CSS = settings.BASE_DIR / "static" / "css" / "document.css"
NBSP = "\u00a0"
_UNITS = "คน|บาท|ฉบับ|ครั้ง|ชุด|เรื่อง|ช่องทาง|หน่วยงาน|วัน|เดือน|ปี|โครงการ|ราย|คะแนน"
# A number with the word before it ("พ.ศ. ๒๕๖๙", "จำนวน ๕๐") and/or its unit after ("๕๐ คน");
# "ประจำปีงบประมาณ พ.ศ. ๒๕๖๙" stays whole too, as the seeds' subject lines keep it.
_NUMBER_GROUP = re.compile(
    rf"(?:(?:(?:(?:ประจำ)?ปีงบประมาณ[ \t\u00a0]+)?พ\.ศ\.|จำนวน|ร้อยละ|ข้อ|ลำดับที่|ไตรมาส(?:ที่)?|ครั้งที่)[ \t\u00a0]*)?"
    rf"[๐-๙][๐-๙,.]*(?:[ \t\u00a0]+(?:{_UNITS})(?![ก-ฮ]))?"
)
_TAG = re.compile(r"<[^>]*>")
ZWSP = "\u200b"
# A compound of KEEP_WHOLE, not inside a syllable (no leading vowel before, no mark after).
_WORD = (r"(?<![\u0e40-\u0e44])(?:" + "|".join(re.escape(w) for w in sorted(KEEP_WHOLE, key=len, reverse=True))
         + r")(?![\u0e30-\u0e3a\u0e45\u0e47-\u0e4e])")
_NUMBER_OR_WORD = re.compile(f"(?P<number>{_NUMBER_GROUP.pattern})|(?P<word>{_WORD})")
# Elements whose text never breaks inside a Thai word: headings and table cells.
_WORD_CONTEXT = re.compile(r"<(/?)(h[1-6]|th|td)\b", re.I)
_RAW_TEXT = re.compile(r"<(/?)(style|script)\b", re.I)


def _keep_together(text: str, *, words: bool = False) -> str:
    def wrap(match: re.Match) -> str:
        group = match.group(0)
        if match.lastgroup == "word":
            # nowrap keeps the word whole; the zero-width spaces keep the breaks either side,
            # which WeasyPrint would otherwise lose at the span's edges.
            return f'{ZWSP}<span class="nobr">{group}</span>{ZWSP}'
        if not re.search(r"[ \t\u00a0]", group):
            return group
        return '<span class="nobr">' + re.sub(r"[ \t]+", NBSP, group) + "</span>"

    return (_NUMBER_OR_WORD if words else _NUMBER_GROUP).sub(wrap, text)


def officialise(html: str) -> str:
    """Thai digits in text (not in tags), and no line break inside "พ.ศ. ๒๕๖๙" or "จำนวน ๕๐ คน".

    Pango's Thai word breaking ignores a no-break space next to Thai letters, so the group is
    wrapped in a nowrap span; only inside <body>, so the document title stays plain text. In
    headings and table cells the compounds of `words.KEEP_WHOLE` stay whole too ("หน่วยงาน",
    not "หน่วย" / "งาน"), whatever libthai's dictionary says.
    """
    html = thai.to_thai_digits(html, html=True)
    head, marker, body = html.partition("<body")
    if not marker:
        head, body = "", html
    out, pos, depth, raw = [], 0, 0, False
    for tag in _TAG.finditer(body):
        text = body[pos:tag.start()]
        out.append(text if raw else _keep_together(text, words=depth > 0))
        out.append(tag.group(0))
        pos = tag.end()
        if found := _RAW_TEXT.match(tag.group(0)):
            raw = not found.group(1)
        elif found := _WORD_CONTEXT.match(tag.group(0)):
            depth = max(0, depth + (-1 if found.group(1) else 1))
    out.append(_keep_together(body[pos:]))
    return head + marker + "".join(out)


def render_html(template_name: str, context: dict, *, request=None) -> str:
    return officialise(render_to_string(template_name, context, request=request))


@functools.cache
def _layout_version() -> str:
    """Changes when the stylesheet or the fonts change, so cached PDFs never outlive them."""
    digest = hashlib.sha256(DOCUMENT_CSS.read_bytes())
    digest.update(font_face_css().encode())
    for face in FACES:
        digest.update(str(face.path.stat().st_mtime_ns).encode())
    return digest.hexdigest()[:16]


def html_to_pdf(html: str, *, archive: bool = False, on_laid_out: Callable[[], None] | None = None) -> bytes:
    """A4 PDF with the project's own fonts embedded and subset; title/author/lang from the HTML.

    `archive` writes PDF/A-3b (XMP metadata, output intent) for long-term records. The result
    is cached by the hash of everything it is made from. `on_laid_out()` is called once the
    pages are laid out, before the PDF is written (a job's progress).
    """
    key = _cache_key(html, archive=archive)
    cache = caches["documents"]
    pdf = cache.get(key)
    if pdf is None:
        pdf = _weasyprint(html, archive=archive, on_laid_out=on_laid_out)
        cache.set(key, pdf)
    return pdf


def _cache_key(html: str, *, archive: bool) -> str:
    return "pdf:" + hashlib.sha256(f"{_layout_version()}|{archive}|{html}".encode()).hexdigest()


def cached_pdf(html: str, *, archive: bool = False) -> bytes | None:
    """The PDF of `html` if it has been laid out already (html_to_pdf's cache), else None: lets a
    page serve a known document at once and send only a new one to a background job."""
    return caches["documents"].get(_cache_key(html, archive=archive))


def layout(html: str):
    """The laid-out pages of `html` (a WeasyPrint Document), with the project's fonts and CSS."""
    font_config = FontConfiguration()
    fonts = CSS(string=font_face_css(), font_config=font_config)
    stylesheet = CSS(filename=str(DOCUMENT_CSS), font_config=font_config)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[fonts, stylesheet], font_config=font_config
    )


def _weasyprint(html: str, *, archive: bool, on_laid_out: Callable[[], None] | None = None) -> bytes:
    document = layout(html)
    if on_laid_out is not None:
        on_laid_out()
    return document.write_pdf(pdf_variant="pdf/a-3b" if archive else None)


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_html(template_name, context))

"""An announcement as a document: its filled text, its checks before signing, its HTML and PDF."""

import dataclasses
import html
import re
from dataclasses import dataclass

from django.utils.safestring import mark_safe

from lao_integrity.documents.fonts import missing_glyphs
from lao_integrity.documents.registry import register
from lao_integrity.documents.render import html_to_pdf, render_html
from lao_integrity.orgs.models import ORG_VOCABULARY, OrgType

from . import annex, kinds
from .models import Announcement, Kind

# Left in by hand in the seeds: "ระบุชื่อ", rows of dots, "xxx", unfilled tokens.
_PLACEHOLDER = re.compile(r"ระบุ(?:ชื่อ|วันที่|ตำแหน่ง)|\.{6,}|…{2,}|[xX]{3,}|\{[^}]*\}")


@dataclass(frozen=True)
class Filled:
    subject: str
    paragraphs: list[str]
    closing: str
    annex_blocks: list[annex.Block]


def filled(announcement: Announcement) -> Filled:
    org, year = announcement.organisation, announcement.fiscal_year

    def f(text):
        return kinds.fill(text, organisation=org, fiscal_year=year, subject=announcement.subject)

    blocks, _ = annex.parse(f(announcement.annex))
    return Filled(subject=f(announcement.subject), paragraphs=[f(p) for p in announcement.paragraphs],
                  closing=f(announcement.closing), annex_blocks=blocks)


def _foreign_words(organisation) -> list[str]:
    """Other organisation types' own words, which in this organisation's text are a copy-paste slip."""
    own = ORG_VOCABULARY[OrgType(organisation.org_type)]
    words = set()
    for org_type, vocabulary in ORG_VOCABULARY.items():
        if org_type == organisation.org_type:
            continue
        for key in ("prefix", "staff", "council"):
            word = vocabulary[key]
            if word not in own[key] and not any(word in mine for mine in own.values()):
                words.add(word)
    if "เทศบาล" not in own["prefix"]:
        words.add("เทศบาล")
    # One message per slip: "เทศบาล" already covers "เทศบาลตำบล".
    return sorted(w for w in words if not any(other != w and other in w for other in words))


def problems(announcement: Announcement) -> tuple[list[str], list[str]]:
    """(blocking, warnings) before signing. Blocking ones must be fixed; warnings are for the signer."""
    blocking, warnings = [], []
    content = filled(announcement)
    if not content.subject.strip():
        blocking.append("ยังไม่ได้กรอกเรื่อง")
    if not content.paragraphs:
        blocking.append("ยังไม่มีข้อความประกาศ")
    if announcement.announced_on is None:
        blocking.append("ยังไม่ได้กำหนดวันที่ประกาศ")
    if announcement.signer_id is None:
        blocking.append("ยังไม่ได้เลือกผู้ลงนาม")
    elif announcement.signer.organisation_id != announcement.organisation_id:
        blocking.append("ผู้ลงนามไม่ใช่บุคลากรของ อปท. นี้")
    elif not announcement.signer.is_active:
        blocking.append(f"{announcement.signer.full_name} ไม่ได้ดำรงตำแหน่งแล้ว")
    if kinds.template_for(announcement.kind).needs_fiscal_year and not announcement.fiscal_year:
        blocking.append("ยังไม่ได้ระบุปีงบประมาณ")
    template = kinds.template_for(announcement.kind)
    annex_markup = template.annex_html(announcement) if template.annex_html else ""
    structured_annex = bool(annex_markup)
    # A structured annex from a domain app replaces the free text: only what prints is checked.
    annex_texts = [] if structured_annex else [b.text for b in content.annex_blocks]
    texts = [content.subject, *content.paragraphs, content.closing, *annex_texts]
    for text in texts:
        if match := _PLACEHOLDER.search(text):
            blocking.append(f"ข้อความยังมีช่องว่างที่ต้องกรอก: “{match.group(0)}” ใน “{text[:60]}…”")
    for text in texts:
        # A signed PDF draws every glyph from the project's font (a host font may be missing
        # tomorrow, and PDF/A refuses empty boxes): a character it lacks is replaced first.
        if missing := missing_glyphs(text):
            blocking.append(f"ข้อความมีอักขระที่พิมพ์ในเอกสารไม่ได้ “{' '.join(missing)}” ใน “{text[:60]}…” "
                            "โปรดแทนด้วยอักขระอื่น")
    body_markup = template.body_html(announcement) if template.body_html else ""
    for where, markup in (("ข้อความที่พิมพ์จากข้อมูลในระบบ", body_markup), ("รายละเอียดแนบท้าย", annex_markup)):
        if missing := missing_glyphs(html.unescape(re.sub(r"<[^>]*>", " ", markup))):
            blocking.append(f"{where}มีอักขระที่พิมพ์ในเอกสารไม่ได้ “{' '.join(missing)}” โปรดแทนด้วยอักขระอื่น")
    if not structured_annex:
        _, numbering = annex.parse(announcement.annex)
        blocking.extend(f"รายละเอียดแนบท้าย: {message}" for message in numbering)
    for word in _foreign_words(announcement.organisation):
        if any(word in text for text in texts):
            warnings.append(f"ข้อความมีคำว่า “{word}” ซึ่งไม่ใช่ประเภทของ{announcement.organisation.name} "
                            "โปรดตรวจว่าไม่ได้คัดลอกมาจากหน่วยงานอื่น")
    hook = template.problems
    if hook is not None:
        more_blocking, more_warnings = hook(announcement)
        blocking.extend(more_blocking)
        warnings.extend(more_warnings)
    return blocking, warnings


def signer_lines(announcement: Announcement) -> dict:
    """Name, position and acting lines: as copied at signing, or the person's current ones."""
    if announcement.is_signed or announcement.signer_name:
        return {"name": announcement.signer_name, "position": announcement.signer_position,
                "acting": [line for line in announcement.signer_acting_lines.splitlines() if line.strip()]}
    person = announcement.signer
    if person is None:
        return {}
    return {"name": person.full_name, "position": person.position, "acting": person.acting_list}


def context(announcement: Announcement, *, preview: bool = False, signing: bool = False) -> dict:
    template = kinds.template_for(announcement.kind)
    annex_html = template.annex_html(announcement) if template.annex_html else ""
    body_html = template.body_html(announcement) if template.body_html else ""
    signature = None
    # The scanned signature is printed only on the signed copy, never on a draft.
    if (signing or announcement.is_signed) and announcement.signer and announcement.signer.signature_image:
        signature = announcement.signer.signature_image
    content = filled(announcement)
    if annex_html:
        # The domain app's structured annex is the one that prints; the free text would contradict it.
        content = dataclasses.replace(content, annex_blocks=[])
    return {
        "announcement": announcement,
        "org": announcement.organisation,
        "content": content,
        "signer": signer_lines(announcement),
        "signature": signature,
        "body_html": mark_safe(body_html),
        "annex_html": mark_safe(annex_html),
        "preview": preview,
        "draft": not (signing or announcement.is_signed),
    }


def announcement_html(announcement: Announcement, *, request=None) -> str:
    return render_html("announcements/documents/announcement.html", context(announcement, preview=True), request=request)


def announcement_pdf(announcement: Announcement, *, signing: bool = False) -> bytes:
    html = render_html("announcements/documents/announcement.html", context(announcement, signing=signing))
    return html_to_pdf(html, archive=announcement.archive_format)


def poster_html(announcement: Announcement, *, request=None) -> str:
    return render_html("announcements/documents/no_gift_poster.html", context(announcement, preview=True), request=request)


def poster_pdf(announcement: Announcement) -> bytes:
    return html_to_pdf(render_html("announcements/documents/no_gift_poster.html", context(announcement)))


def _for_command(kind: str, *, poster: bool = False):
    from . import selectors, services

    def build(organisation, fiscal_year, **options) -> bytes:
        announcement = selectors.current_announcement(organisation, kind, fiscal_year)
        if announcement is None:
            raise LookupError(f"{organisation.name} ยังไม่มีประกาศ{Kind(kind).label} ปีงบประมาณ {fiscal_year}")
        if poster:
            return poster_pdf(announcement)
        return services.verified_pdf(announcement) if announcement.is_signed else announcement_pdf(announcement)
    return build


def register_documents() -> None:
    register("agreement", "ประกาศข้อตกลงการปฏิบัติราชการพร้อมรายละเอียดแนบท้าย", _for_command(Kind.AGREEMENT))
    register("no-gift", "ประกาศนโยบายไม่รับของขวัญ (No Gift Policy)", _for_command(Kind.NO_GIFT))
    register("no-gift-poster", "โปสเตอร์ No Gift Policy", _for_command(Kind.NO_GIFT, poster=True))

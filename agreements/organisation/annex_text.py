"""The annex as text: the cleaning every write applies, and free text read into the structure.

The annex numbering (๑. / ๑.๑) is the position of a topic or sub-item, so nobody types a number:
numbers typed into a title or sub-item are dropped. Invalid input raises ValidationError (Thai).
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from lao_integrity import thai
from lao_integrity.announcements import annex as annex_parser

from .models import Topic

TITLE_MAX = Topic._meta.get_field("title").max_length

# Numbers typed by hand in front of a title ("๑. ", "1) ") or a sub-item ("๑.๑ ", "1.1. ").
_TYPED_TOPIC_NUMBER = re.compile(r"^\s*\d{1,2}\s*[.)](?:\s+|$)")
_TYPED_ITEM_NUMBER = re.compile(r"^\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.?\s*")
_BULLET = "-•–*"
# Seed defects tolerated when converting free text: a sub-item typed as a bullet ("- ๑.๓ ..."),
# a page carry-over line ("/๑.๓ ให้เปิดเผย..."), markdown bold, a row of dots.
_SUBITEM_START = re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+")
_CARRY_OVER = re.compile(r"^/\S.*(?:\.{3}|…)$")
_DOTS = re.compile(r"^[.…\s]+$")
_HEADING_STARTS = ("รายละเอียดแนบท้าย", "หน่วยงาน", "ประจำปีงบประมาณ")


# --- cleaning ---------------------------------------------------------------------------------


def _strip_typed_number(text: str, pattern: re.Pattern) -> str:
    """Drop a leading typed number, Thai or Arabic digits, keeping the rest exactly as typed."""
    match = pattern.match(thai.to_arabic_digits(text))
    return text[match.end():] if match else text


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def paragraphs(text: str) -> str:
    """One paragraph per line, blank lines and surrounding spaces dropped."""
    return "\n".join(_one_line(line) for line in (text or "").splitlines() if line.strip())


def clean_title(title: str) -> str:
    title = _one_line(_strip_typed_number(_one_line(title), _TYPED_TOPIC_NUMBER))
    if not title:
        raise ValidationError({"title": "กรุณาระบุชื่อหัวข้อ"})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"ชื่อหัวข้อยาวเกิน {TITLE_MAX} ตัวอักษร ({len(title)} ตัวอักษร)"})
    return title


def clean_item_text(text: str) -> str:
    text = _one_line(_strip_typed_number(_one_line(text), _TYPED_ITEM_NUMBER))
    if not text:
        raise ValidationError({"text": "กรุณาระบุข้อความของข้อย่อย"})
    return text


def clean_actions(actions) -> str:
    """Lines or a list of actions → one action per line, bullets typed in front dropped."""
    lines = actions.splitlines() if isinstance(actions, str) else list(actions or ())
    cleaned = (_one_line(str(line).strip().lstrip(_BULLET)) for line in lines)
    return "\n".join(line for line in cleaned if line)


def clean_items(items) -> list[tuple[str, str]]:
    """[{"text", "actions"}] → [(text, actions)], with the row number in any error."""
    rows = []
    for index, item in enumerate(items or (), start=1):
        text, actions = item.get("text", ""), clean_actions(item.get("actions", ""))
        try:
            rows.append((clean_item_text(text), actions))
        except ValidationError:
            raise ValidationError({"items": f"ข้อย่อยแถวที่ {index}: กรุณาระบุข้อความของข้อย่อย"
                                            + (" (มีรายการดำเนินการแต่ไม่มีข้อย่อย)" if actions else "")}) from None
    return rows


# --- free text → structure ----------------------------------------------------------------------


@dataclass
class ParsedItem:
    text: str
    actions: list[str] = field(default_factory=list)


@dataclass
class ParsedTopic:
    title: str
    explanation: list[str] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)


@dataclass
class ParsedAnnex:
    introduction: list[str]
    topics: list[ParsedTopic]


def _normalise_lines(text: str) -> str:
    lines = []
    for raw in (text or "").splitlines():
        line = raw.strip().strip("*").strip()  # markdown bold around heading lines
        if not line or _DOTS.match(line) or _CARRY_OVER.match(line):
            continue
        if line[0] in _BULLET:
            rest = line.lstrip(_BULLET).strip()
            if _SUBITEM_START.match(thai.to_arabic_digits(rest)):
                line = rest  # "- ๑.๓ ให้เปิดเผย..." is a sub-item typed as a bullet
            elif line[0] == "*":
                line = "-" + line[1:]
        lines.append(line)
    return "\n".join(lines)


def parse_annex(text: str) -> ParsedAnnex:
    """The annex's topics, sub-items and actions from free text (the kernel's annex format).

    Typed numbers are dropped and the order kept; the three heading lines are dropped since the
    document prints them. Raises ValidationError (Thai) when the text has no topic.
    """
    blocks, _ = annex_parser.parse(_normalise_lines(text))
    introduction: list[str] = []
    topics: list[ParsedTopic] = []
    for block in blocks:
        topic = topics[-1] if topics else None
        if block.kind == "title":
            continue
        if block.kind == "topic":
            if not block.text:
                raise ValidationError("หัวข้อที่ไม่มีชื่อ: ทุกบรรทัดที่ขึ้นต้นด้วยเลขข้อต้องมีชื่อหัวข้อ")
            topics.append(ParsedTopic(title=block.text))
        elif block.kind == "subitem":
            if topic is None:
                raise ValidationError(f"ข้อย่อย “{block.text[:40]}” อยู่ก่อนหัวข้อแรก")
            topic.items.append(ParsedItem(text=block.text))
        elif block.kind == "bullet":
            if topic is None:
                raise ValidationError(f"รายการ “- {block.text[:40]}” อยู่ก่อนหัวข้อแรก")
            if topic.items:
                topic.items[-1].actions.append(block.text)
            else:
                # A bullet straight under a topic is what the seeds type for a sub-item.
                topic.items.append(ParsedItem(text=block.text))
        elif topic is None:
            if not introduction and block.text.startswith(_HEADING_STARTS) and len(block.text) < 150:
                continue  # a heading line typed without "#"
            introduction.append(block.text)
        elif not topic.items:
            topic.explanation.append(block.text)
        else:
            # A paragraph after a sub-item continues it (a line broken by hand).
            topic.items[-1].text = f"{topic.items[-1].text} {block.text}"
    if not topics:
        raise ValidationError("ไม่พบหัวข้อในรายละเอียดแนบท้าย (บรรทัดที่ขึ้นต้นด้วย ๑. ๒. ...)")
    for topic in topics:
        topic.title = clean_title(topic.title)
        for item in topic.items:
            item.text = clean_item_text(item.text)
    return ParsedAnnex(introduction=introduction, topics=topics)

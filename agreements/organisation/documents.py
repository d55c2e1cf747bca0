"""The structured annex on the kernel's "agreement" announcement.

`register_documents()` (called from AgreementsConfig.ready()) hooks two things onto the kind:
the annex printed after the announcement, numbered from positions (๑. ... ๗., ๑.๑ ...), and
the checks before signing. With no OrgAgreement for the announcement's organisation and year
the hook prints nothing and the announcement's free-text annex is used as before.
"""

import re

from django.template.loader import render_to_string

from lao_integrity import history
from lao_integrity.announcements import kinds as announcement_kinds
from lao_integrity.announcements.models import Announcement, Kind

from . import selectors
from .models import OrgAgreement, Topic, TopicItem

ANNEX_TEMPLATE = "agreements/organisation/documents/_annex.html"
FREE_TEXT_IGNORED = "ใช้รายละเอียดแนบท้ายแบบมีโครงสร้าง ข้อความอิสระจะไม่ถูกพิมพ์"
# Left in by hand: "ระบุชื่อ", rows of dots, "xxx", tokens nobody can fill.
_PLACEHOLDER = re.compile(r"ระบุ(?:ชื่อ|วันที่|ตำแหน่ง)|\.{6,}|…{2,}|[xX]{3,}|\{[^}]*\}")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def annex_context(agreement: OrgAgreement, *, subject: str = "") -> dict:
    """The annex as printed: tokens filled, numbers generated from positions (Arabic digits here;
    the document engine prints them in Thai)."""
    org, year = agreement.organisation, agreement.fiscal_year

    def fill(text: str) -> str:
        return announcement_kinds.fill(text, organisation=org, fiscal_year=year, subject=subject)

    topics = []
    for number, topic in enumerate(agreement.topics.all(), start=1):
        items = [{"number": f"{number}.{n}", "text": fill(item.text),
                  "actions": [fill(action) for action in item.action_list], "pk": item.pk}
                 for n, item in enumerate(topic.items.all(), start=1)]
        topics.append({"number": f"{number}.", "title": fill(topic.title),
                       "explanation": [fill(line) for line in _lines(topic.explanation)],
                       "items": items, "pk": topic.pk, "topic": topic})
    return {
        "org": org,
        "fiscal_year": year,
        "introduction": [fill(line) for line in _lines(agreement.introduction)],
        "topics": topics,
    }


def annex_html(agreement: OrgAgreement, *, subject: str = "") -> str:
    return render_to_string(ANNEX_TEMPLATE, annex_context(agreement, subject=subject))


def structure_problems(agreement: OrgAgreement) -> list[str]:
    """What must be fixed in the structured annex before the announcement is signed."""
    context = annex_context(agreement)
    problems = []
    if not context["topics"]:
        problems.append("รายละเอียดแนบท้ายยังไม่มีหัวข้อ")
    for topic in context["topics"]:
        if not topic["items"]:
            problems.append(f"รายละเอียดแนบท้าย หัวข้อ {topic['number']} {topic['title']}: ยังไม่มีข้อย่อย")
    texts = [*context["introduction"]]
    for topic in context["topics"]:
        texts += [topic["title"], *topic["explanation"]]
        for item in topic["items"]:
            texts += [item["text"], *item["actions"]]
    for text in texts:
        if match := _PLACEHOLDER.search(text):
            problems.append(f"รายละเอียดแนบท้ายยังมีช่องว่างที่ต้องกรอก: “{match.group(0)}” ใน “{text[:60]}…”")
    return problems


# Hooks on the kernel's "agreement" announcement kind.

def _agreement_for(announcement: Announcement) -> OrgAgreement | None:
    return selectors.org_agreement_by_org_year(announcement.organisation, announcement.fiscal_year)


def _announcement_annex(announcement: Announcement) -> str:
    agreement = _agreement_for(announcement)
    if agreement is None:
        return ""
    return annex_html(agreement, subject=announcement.subject)


def _announcement_problems(announcement: Announcement) -> tuple[list[str], list[str]]:
    agreement = _agreement_for(announcement)
    if agreement is None:
        return [], []
    warnings = [FREE_TEXT_IGNORED] if announcement.annex.strip() else []
    return structure_problems(agreement), warnings


# The audit trail shows the annex's text filled ({อปท.} as the organisation's name), as printed.

def _filled(agreement, text: str) -> str:
    if agreement is None or "{" not in text:
        return text
    return announcement_kinds.fill(text, organisation=agreement.organisation, fiscal_year=agreement.fiscal_year)


def _agreements(ids) -> dict:
    return OrgAgreement._base_manager.select_related("organisation").in_bulk(ids)


def _agreement_filler(records):
    agreements = _agreements({record.id for record in records})
    return lambda record, text: _filled(agreements.get(record.id), text)


def _topic_filler(records):
    agreements = _agreements({record.agreement_id for record in records})
    return lambda record, text: _filled(agreements.get(record.agreement_id), text)


def _item_filler(records):
    topics = dict(Topic._base_manager.filter(pk__in={r.topic_id for r in records}).values_list("pk", "agreement_id"))
    agreements = _agreements(set(topics.values()))
    return lambda record, text: _filled(agreements.get(topics.get(record.topic_id)), text)


def register_documents() -> None:
    announcement_kinds.register_hooks(Kind.AGREEMENT, annex_html=_announcement_annex,
                                      problems=_announcement_problems)
    history.register_text_filler(OrgAgreement, _agreement_filler)
    history.register_text_filler(Topic, _topic_filler)
    history.register_text_filler(TopicItem, _item_filler)

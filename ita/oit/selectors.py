"""Reads for the OIT checklist pages, each in a fixed number of queries however many items:
the checklist (1), the framework when there is no checklist yet (1), its items (1), the answers (1),
and what the organisation has published that year (one lister per public section)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lao_integrity.publication import registry
from lao_integrity.publication.registry import PublicItem
from lao_integrity.statements import Statement

from ..models import Framework, OitItem
from . import evidence
from .models import OitAnswer, OitChecklist, State

SECTION_KEY = "oit"
STATE_LABELS = dict(State.choices)
UNANSWERED = "ยังไม่ระบุ"


def framework_for(fiscal_year: int) -> Framework | None:
    """The year's framework, else the latest before it (its items, not invented ones): 1 query."""
    return Framework.objects.filter(fiscal_year__lte=fiscal_year).order_by("-fiscal_year").first()


def framework_note(framework: Framework | None, fiscal_year: int) -> str:
    if framework is None:
        return ""
    if framework.fiscal_year != fiscal_year:
        return f"ใช้ข้อการประเมินของกรอบปี {framework.fiscal_year} (ยังไม่ยืนยันสำหรับปีนี้)"
    if framework.provisional:
        return f"กรอบการประเมินปี {framework.fiscal_year} ยังไม่ยืนยัน"
    return ""


def checklist_of(organisation, fiscal_year: int) -> OitChecklist | None:
    return (OitChecklist.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
            .select_related("framework", "confirmed_by").first())


@dataclass
class Row:
    item: OitItem
    answer: OitAnswer | None
    state: str  # State value or ""
    url: str  # the address given to ITAS: the chosen portal document's, or the external one
    note: str
    documents: list[PublicItem]  # the published portal documents of the item's kinds
    kinds: tuple[str, ...]  # the kinds looked for (the chosen one, or the suggestion)
    automatic: bool  # มี because a linked portal document is published (computed, not typed)
    external: bool

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, UNANSWERED)

    @property
    def kind_labels(self) -> list[str]:
        return [evidence.KIND_LABELS.get(kind, kind) for kind in self.kinds]


@dataclass
class Group:
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.state == State.YES)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class Page:
    organisation: object
    fiscal_year: int
    framework: Framework | None
    checklist: OitChecklist | None
    groups: list[Group]
    note: str

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]

    @property
    def done(self) -> int:
        return sum(group.done for group in self.groups)

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def unanswered(self) -> int:
        return sum(1 for row in self.rows if not row.state)

    def row(self, code: str) -> Row | None:
        return next((row for row in self.rows if row.item.code == code), None)


def published_by_kind(organisation, fiscal_year: int) -> dict[str, list[PublicItem]]:
    """What the organisation has published for the year, by evidence kind (this checklist's own
    public section left out: it is the list, not evidence)."""
    found: dict[str, list[PublicItem]] = {}
    for section in registry.sections():
        if section.key == SECTION_KEY:
            continue
        for item in section.lister(organisation):
            if item.fiscal_year in (None, fiscal_year):
                found.setdefault(item.kind, []).append(item)
    return found


def resolve(item: OitItem, answer: OitAnswer | None, published: dict[str, list[PublicItem]]) -> Row:
    """One item's answer: an external URL when given (with the typed state); else the first published
    portal document of its kinds (state มี, computed); else the typed state, without a URL."""
    kinds = (answer.evidence_kind,) if answer is not None and answer.evidence_kind else evidence.suggested_kinds(item.name)
    documents = [document for kind in kinds for document in published.get(kind, ())]
    note = answer.note if answer is not None else ""
    if answer is not None and answer.external_url:
        return Row(item, answer, answer.state, answer.external_url, note, documents, kinds, False, True)
    if documents:
        return Row(item, answer, State.YES, documents[0].url, note, documents, kinds, True, False)
    return Row(item, answer, answer.state if answer is not None else "", "", note, documents, kinds, False, False)


def checklist_page(organisation, fiscal_year: int) -> Page:
    checklist = checklist_of(organisation, fiscal_year)
    framework = checklist.framework if checklist is not None else framework_for(fiscal_year)
    groups: list[Group] = []
    if framework is not None:
        items = list(OitItem.objects.filter(indicator__framework=framework).select_related("indicator")
                     .order_by("indicator__number", "id"))
        answers = ({answer.item_id: answer for answer in OitAnswer.objects.filter(checklist=checklist)}
                   if checklist is not None else {})
        published = published_by_kind(organisation, fiscal_year)
        by_title: dict[str, Group] = {}
        for item in items:
            title = item.sub_indicator or f"ตัวชี้วัดที่ {item.indicator.number} {item.indicator.name}"
            group = by_title.get(title)
            if group is None:
                group = by_title[title] = Group(title)
                groups.append(group)
            group.rows.append(resolve(item, answers.get(item.pk), published))
    return Page(organisation, fiscal_year, framework, checklist, groups, framework_note(framework, fiscal_year))


# Compiled once (lao_integrity/statements.py): the organisation's public page reads it on every request.
_CONFIRMED = Statement(lambda organisation_id: OitChecklist.objects.filter(
    organisation_id=organisation_id, confirmed_at__isnull=False).order_by("-fiscal_year"))


def confirmed_years(organisation) -> list[OitChecklist]:
    """The organisation's confirmed checklists, newest year first (what the public pages show): 1 query."""
    return _CONFIRMED.objects(organisation.pk)


def public_items(organisation) -> list[PublicItem]:
    """The public section's items: one per confirmed year, linking its public OIT page."""
    from django.urls import reverse

    return [PublicItem(kind="ita:oit", title=f"การเปิดเผยข้อมูลสาธารณะ (OIT) ปีงบประมาณ {checklist.fiscal_year}",
                       url=reverse("public_oit:year", args=[organisation.code, checklist.fiscal_year]),
                       fiscal_year=checklist.fiscal_year, published_at=checklist.confirmed_at)
            for checklist in confirmed_years(organisation)]

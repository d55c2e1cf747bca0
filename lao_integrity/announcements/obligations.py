"""Obligations the announcements answer (lao_integrity/obligations): an announcement of a kind
signed for the year (No Gift; plans and ita use `signed_items` for their own kinds), and the plan
announcement kept public at least 30 days after it is announced."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from lao_integrity.obligations import registry
from lao_integrity.obligations.items import make, url_maker
from lao_integrity.reversing import reversed_once
from lao_integrity.review import waiting
from lao_integrity.statements import Statement

from .models import Announcement, Kind, Status

# The kinds the providers below were made for: one query reads them all (registry.read_once).
_KINDS: set[str] = set()


# Compiled once per process (lao_integrity/statements.py): building it cost as much as running it.
_LATEST = Statement(lambda organisation_ids, kinds, years: (
    Announcement.objects.filter(organisation_id__in=organisation_ids, kind__in=kinds, fiscal_year__in=years)
    .only("pk", "organisation_id", "kind", "fiscal_year", "status", "announced_on", "signed_at", "revision")
    .order_by("organisation_id", "revision")))


@registry.read_once
def _latest(organisation_ids, years, kinds) -> dict[int, dict[str, dict[int, Announcement]]]:
    """{year: {kind: {organisation id: its newest announcement of that kind and year, signed ones
    first}}} for every kind of `kinds`: one query."""
    rows = _LATEST.objects(list(organisation_ids), list(kinds), list(years))
    found = {year: {kind: {} for kind in kinds} for year in years}
    for row in rows:
        latest = found[row.fiscal_year][row.kind]
        kept = latest.get(row.organisation_id)
        if kept is None or row.status == Status.SIGNED or kept.status != Status.SIGNED:
            latest[row.organisation_id] = row
    return found


def _latest_by_organisation(organisations, fiscal_year: int, kind: str) -> dict[int, Announcement]:
    """Each organisation's newest announcement of `kind` for the year, signed ones first."""
    _KINDS.add(kind)
    return _latest(organisations, fiscal_year, tuple(sorted(_KINDS)))[kind]


def urls_for(kind: str):
    """The page of each announcement (None: the list of `kind`): two reverse() calls in all (remembered)."""
    detail, listed = url_maker("announcements:detail"), reversed_once("announcements:list") + "?" + urlencode({"kind": kind})
    return lambda announcement: detail(announcement.pk) if announcement is not None else listed


def signed_items(kind: str):
    """A provider: done when the organisation's announcement of `kind` for the year is signed."""
    _KINDS.add(kind)

    def items_for(organisations, fiscal_year, rule, today):
        latest = _latest_by_organisation(organisations, fiscal_year, kind)
        due = rule.due_in(fiscal_year)
        url_of = urls_for(kind)
        for organisation in organisations:
            announcement = latest.get(organisation.pk)
            yield make(rule, organisation, fiscal_year, due=due, today=today, url=url_of(announcement),
                       done=announcement is not None and announcement.status == Status.SIGNED)

    return items_for


def announced_on(announcement: Announcement):
    if announcement.announced_on:
        return announcement.announced_on
    return announcement.signed_at.date() if announcement.signed_at else None


def kept_public(kind: str):
    """A provider: once the announcement of `kind` is signed, kept public `rule.days_after` days
    from its date; done when those days have passed (a signed announcement stays published)."""
    _KINDS.add(kind)

    def items_for(organisations, fiscal_year, rule, today):
        latest = _latest_by_organisation(organisations, fiscal_year, kind)
        url_of = urls_for(kind)
        for organisation in organisations:
            announcement = latest.get(organisation.pk)
            if announcement is None or announcement.status != Status.SIGNED or announced_on(announcement) is None:
                continue  # nothing published yet: the rule of signing it speaks
            due = rule.due_after(announced_on(announcement))
            yield make(rule, organisation, fiscal_year, due=due, today=today, done=today >= due,
                       url=url_of(announcement))

    return items_for


def announcements_submitted(organisation_ids):
    """Announcements staff submitted for approval (one query)."""
    for announcement in (Announcement.objects.filter(organisation_id__in=organisation_ids, status=Status.SUBMITTED)
                         .select_related("organisation").order_by("pk")):
        yield waiting.Waiting(f"อนุมัติประกาศ เรื่อง {announcement.subject_text}",
                              reverse("announcements:detail", args=[announcement.pk]),
                              announcement.organisation.name)


def announcements_to_sign(organisation_ids):
    """Announcements approved and waiting for the executive's signature (one query)."""
    for announcement in (Announcement.objects.filter(organisation_id__in=organisation_ids, status=Status.APPROVED)
                         .select_related("organisation").order_by("approved_at", "pk")):
        yield waiting.Waiting(f"ลงนามประกาศ เรื่อง {announcement.subject_text}",
                              reverse("announcements:detail", args=[announcement.pk]),
                              announcement.organisation.name, badge="รอลงนาม", note="อนุมัติแล้ว รอลงนาม")


def register_obligations() -> None:
    waiting.register(announcements_submitted)
    waiting.register(announcements_to_sign)
    registry.register("announcements.no_gift_signed", signed_items(Kind.NO_GIFT),
                      label="ลงนามประกาศนโยบายไม่รับของขวัญ (No Gift)")
    registry.register("announcements.plan_kept_public", kept_public(Kind.PLAN),
                      label="เผยแพร่ประกาศใช้แผนไว้ไม่น้อยกว่า 30 วัน", timing=registry.Timing.AFTER)

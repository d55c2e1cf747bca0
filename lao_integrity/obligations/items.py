"""The shape every reader of obligations gets (home page, reminders, calendar feed).

An interface fixed first so that its readers and its implementation could be built side by side."""

import datetime
from collections.abc import Callable
from typing import NamedTuple

from lao_integrity.reversing import reversed_once

STATES = ("upcoming", "due_soon", "done", "overdue")
STATE_LABELS = {"upcoming": "ยังไม่ถึงกำหนด", "due_soon": "ใกล้ครบกำหนด", "done": "ดำเนินการแล้ว",
                "overdue": "เลยกำหนด"}


class ObligationItem(NamedTuple):
    """One obligation of one organisation; immutable (a named tuple: a province's dashboard makes
    hundreds, and a frozen dataclass cost three times as much to make; change one with _replace)."""

    key: str  # stable across runs: "<rule>:<organisation code>:<fiscal year>[:<subject>]"
    organisation_id: int
    organisation_name: str
    title: str  # Thai, says what is due: "รายงานผลการดำเนินงานรอบ 6 เดือน ปีงบประมาณ 2569"
    due: datetime.date
    state: str  # one of STATES, computed from the data, never ticked by hand
    url: str  # where it is done
    responsible: str  # "staff" or "executive"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def pending(self) -> bool:
        """Something to do now: overdue or due soon."""
        return self.state in ("overdue", "due_soon")


def state_of(*, done: bool, due: datetime.date, today: datetime.date, due_soon_days: int) -> str:
    """The state computed from the data: done wins; then past the due date; then within the days
    before it that count as due soon."""
    if done:
        return "done"
    if today > due:
        return "overdue"
    if (due - today).days <= due_soon_days:
        return "due_soon"
    return "upcoming"


def _title(rule, fiscal_year: int, subject: str) -> str:
    """rule.title_for, once per rule (as loaded for this call), year and subject: without a subject
    every organisation's item has the same title, and a national reader has thousands."""
    try:
        titles = rule._item_titles
    except AttributeError:
        titles = rule._item_titles = {}
    found = titles.get((fiscal_year, subject))
    if found is None:
        found = titles[(fiscal_year, subject)] = rule.title_for(fiscal_year, subject)
    return found


def make(rule, organisation, fiscal_year: int, *, due: datetime.date, done: bool, today: datetime.date,
         url: str, subject: str = "", subject_key: str = "") -> ObligationItem:
    """An item of `rule` for one organisation: what providers return."""
    key = f"{rule.key}:{organisation.code}:{fiscal_year}" + (f":{subject_key}" if subject_key else "")
    state = state_of(done=done, due=due, today=today, due_soon_days=rule.due_soon_days)
    return ObligationItem(key, organisation.pk, organisation.name, _title(rule, fiscal_year, subject), due, state, url,
                          rule.responsible)


_SLOT = 987654321
_SLOT_TEXT = str(_SLOT)


def url_maker(name: str, *after) -> Callable[[int], str]:
    """`reverse(name, args=[pk, *after])` for every item of a provider at the cost of one reverse(): a
    dashboard of thousands of organisations would otherwise spend more on URLs than on its queries."""
    template = reversed_once(name, _SLOT, *after)
    return lambda pk: template.replace(_SLOT_TEXT, str(pk))


def for_user(user, *, today: datetime.date) -> list[ObligationItem]:
    """The obligations of the organisations `user` works for (access.visible_organisations: their
    memberships; an auditor's scope), as of `today`: the items of today's fiscal year, and the
    previous year's still overdue; overdue first, then by due date. A fixed number of queries."""
    from .selectors import items_for_organisations, organisations_of

    return items_for_organisations(organisations_of(user), today=today)

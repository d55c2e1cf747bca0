"""The shape every reader of obligations gets (home page, reminders, calendar feed).

An interface fixed first so that its readers and its implementation could be built side by side."""

import datetime
from dataclasses import dataclass

STATES = ("upcoming", "due_soon", "done", "overdue")


@dataclass(frozen=True)
class ObligationItem:
    key: str  # stable across runs: "<rule>:<organisation code>:<fiscal year>[:<subject>]"
    organisation_id: int
    organisation_name: str
    title: str  # Thai, says what is due: "รายงานผลการดำเนินงานรอบ 6 เดือน ปีงบประมาณ 2569"
    due: datetime.date
    state: str  # one of STATES, computed from the data, never ticked by hand
    url: str  # where it is done
    responsible: str  # "staff" or "executive"


def for_user(user, *, today: datetime.date) -> list[ObligationItem]:
    """The obligations of the organisations `user` works for, as of `today` (not implemented yet)."""
    return []

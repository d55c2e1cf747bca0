"""Items of the dated windows an administrator enters per fiscal year (models.DatedWindow).

The portal holds no ITAS answers, so nothing says a window's work was done: a window is listed
from `due_soon_days` before it opens until it closes (due soon while open), then no more."""

from __future__ import annotations

from . import registry
from .items import make
from .models import DatedWindow

PROVIDER = "obligations.windows"
ITAS = "https://itas.nacc.go.th/"


@registry.read_once
def _windows(organisation_ids, years) -> dict[int, list[DatedWindow]]:
    """{year: its windows}: national, one query for the years asked."""
    found = {year: [] for year in years}
    for window in DatedWindow.objects.filter(fiscal_year__in=years):
        found[window.fiscal_year].append(window)
    return found


def items_for(organisations, fiscal_year, rule, today):
    windows = [window for window in _windows(organisations, fiscal_year) if today <= window.closes_on]
    for window in windows:
        opens_soon = (window.opens_on - today).days <= rule.due_soon_days
        for organisation in organisations:
            item = make(rule, organisation, fiscal_year, due=window.closes_on, done=False, today=today,
                        url=window.url or ITAS, subject=f"{window.title} ({window.opens_on:%d/%m}/"
                                                      f"{window.opens_on.year + 543} - "
                                                      f"{window.closes_on:%d/%m}/{window.closes_on.year + 543})",
                        subject_key=f"w{window.pk}")
            item = item._replace(responsible=window.responsible)
            if not opens_soon:
                item = item._replace(state="upcoming")
            elif item.state == "upcoming":
                item = item._replace(state="due_soon")
            yield item


"""Who computes each obligation's state: the providers the apps register from AppConfig.ready().

The kernel knows no domain model, so an app says what completes a rule:

    registry.register("plans.report_6_months", items_for, label="รายงานผลรอบ 6 เดือน", timing=Timing.DATE)

`items_for(organisations, fiscal_year, rule, today)` gets a list of organisations (id, name, code
loaded) and returns the ObligationItems of all of them for that year, each state computed from
the data (items.state_of), in a fixed number of queries whatever the number of organisations.
`timing` says which due-date fields the rules using the provider fill (models.ObligationRule.clean).

Rules read the same rows (the plan's four rules its plans, the four agreement rules the same
agreements) and a home page asks two years: a provider reads its rows through a function decorated
with `read_once`, and the readers of many rules (selectors.items_for_organisations, the supervision
dashboards) open a `computation(organisations, years)` around their loop. Inside it each decorated
read runs once, for all those organisations and years, and every rule of every year filters its
rows in Python: a computation costs one query per read, not one per rule and year. Outside one (a
provider called alone) the read asks for the one year it is given.

    @registry.read_once
    def plans(organisation_ids, years):        # -> {year: what the rules of that year read}
        ...
    plans(organisations, fiscal_year)          # called like this, by the provider: that year's rows
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models


class Timing(models.TextChoices):
    DATE = "date", "วันที่กำหนดในปีงบประมาณ (เดือน/วัน)"
    AFTER = "after", "จำนวนวันหลังเหตุการณ์ (ลงนาม สิ้นงวด)"
    WINDOW = "window", "ตามช่วงเวลาที่ผู้ดูแลระบบบันทึกรายปี"


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    items_for: Callable[..., Iterable]
    timing: str


_PROVIDERS: dict[str, Provider] = {}


def register(key: str, items_for: Callable[..., Iterable], *, label: str = "", timing: str = Timing.DATE) -> None:
    """Called by an app's AppConfig.ready(): the function that lists a rule's items (see module)."""
    if timing not in Timing.values:
        raise ValueError(f"obligation provider {key!r}: unknown timing {timing!r}")
    _PROVIDERS[key] = Provider(key=key, label=label or key, items_for=items_for, timing=str(timing))


def get(key: str) -> Provider | None:
    return _PROVIDERS.get(key)


def providers() -> list[Provider]:
    return sorted(_PROVIDERS.values(), key=lambda provider: provider.key)


def choices() -> list[tuple[str, str]]:
    return [(provider.key, f"{provider.label} ({provider.key})") for provider in providers()]


@dataclass
class _Computation:
    organisation_ids: list[int]
    years: tuple[int, ...]
    rows: dict = field(default_factory=dict)


_OPEN: contextvars.ContextVar[_Computation | None] = contextvars.ContextVar("obligation_computation", default=None)


@contextmanager
def computation(organisations, years: Iterable[int]):
    """Within it, every `read_once` read of these organisations runs once for all of `years`
    (see module). Nothing is kept after it closes: the next computation reads afresh. Within an
    open computation of the same organisations and years, it shares that one (a page that opens
    one around several readers, as the supervision dashboard does)."""
    ids = [organisation.pk for organisation in organisations]
    open_ = _OPEN.get()
    if open_ is not None and open_.organisation_ids == ids and set(years) <= set(open_.years):
        yield
        return
    token = _OPEN.set(_Computation(ids, tuple(sorted(set(years)))))
    try:
        yield
    finally:
        _OPEN.reset(token)


def read_once(fetch: Callable[..., dict]) -> Callable[..., object]:
    """Decorates `fetch(organisation_ids, years, *args) -> {year: rows}` (a key for every year
    given; `args` hashable) into `read(organisations, fiscal_year, *args) -> that year's rows`:
    shared by every rule and year of the open computation of the same organisations, read for
    `fiscal_year` alone otherwise. Callers must not change the rows they get."""

    @functools.wraps(fetch)
    def read(organisations, fiscal_year: int, *args):
        ids = [organisation.pk for organisation in organisations]
        open_ = _OPEN.get()
        if open_ is None or fiscal_year not in open_.years or ids != open_.organisation_ids:
            return fetch(ids, (fiscal_year,), *args)[fiscal_year]
        key = (fetch, args)
        if key not in open_.rows:
            open_.rows[key] = fetch(ids, open_.years, *args)
        return open_.rows[key][fiscal_year]

    return read

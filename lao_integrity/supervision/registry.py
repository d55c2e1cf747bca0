"""The figures of a supervision dashboard: the providers the apps register from AppConfig.ready().

The kernel knows no domain model, so each app says what it counts:

    registry.register("ita", figures_for, title="ผลการประเมิน ITA", order=30)

`figures_for(area)` gets the area's organisations (`area.organisations`, a list with pk, code,
name, province and district loaded; `area.queryset`, the same as a queryset to filter by in SQL),
`area.fiscal_year` and `area.today`, and returns Groups (`area.filter(queryset, via)` limits a
queryset to the area's rows); each Figure holds the SET of organisation
ids it counts, so every number clicks through to its list. A provider reads all the organisations
at once: a fixed number of queries (aggregates or values), never one per organisation.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lao_integrity.statements import Statement


@dataclass(frozen=True)
class Figure:
    key: str  # unique within its group, URL-safe: "done", "A", "passed"
    label: str  # Thai: "ดำเนินการแล้ว"
    ids: frozenset  # the organisations it counts
    tone: str = ""  # a CSS/chart colour class: done, overdue, pending, good, fair, behind, none, level
    headline: str = ""  # when set, a column of the province's side-by-side table of districts, so titled

    @property
    def count(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Group:
    """One row of a section's table and one bar of its chart (the figures are its parts)."""

    key: str  # unique on the page, URL-safe: "plan-approved", "ita-level-2568"
    title: str
    figures: Sequence[Figure]
    note: str = ""  # how it is counted (a percentage's definition, the bands)
    percent_of: str = ""  # a figure key: show that figure's share of the group (the pass rate)

    @property
    def total(self) -> int:
        return sum(figure.count for figure in self.figures)

    def percent(self) -> str:
        figure = next((f for f in self.figures if f.key == self.percent_of), None)
        counted = sum(f.count for f in self.figures if f.tone != "none")
        if figure is None or not counted:
            return ""
        return f"{figure.count * 100 / counted:.2f}"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    groups: list[Group] = field(default_factory=list)


@dataclass(frozen=True)
class Provider:
    key: str
    title: str
    figures_for: Callable[..., Sequence[Group]]
    order: int


@dataclass(frozen=True)
class AreaData:
    """What a provider gets: the area's organisations, the fiscal year and today."""

    organisations: list
    queryset: object
    fiscal_year: int
    today: datetime.date
    province: str | None = None
    district: str | None = None
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # what providers share (read once)

    def filter(self, queryset, via: str = "organisation"):
        """`queryset` limited to the area's rows, `via` the path to their Organisation: by the
        organisation's province and district (their index), nothing at all for the nation, rather
        than `IN (the area's organisations)`, which costs most where the area is largest."""
        if self.province is not None:
            queryset = queryset.filter(**{f"{via}__province": self.province})
        if self.district is not None:
            queryset = queryset.filter(**{f"{via}__district": self.district})
        return queryset

    @property
    def ids(self) -> list[int]:
        return [organisation.pk for organisation in self.organisations]


class AreaStatement:
    """A read of an area's rows compiled once per process (lao_integrity/statements.py), as
    `area.filter` limits it: `build(*arguments)` the queryset, then `rows(area, *arguments)` (`area`
    an AreaData or an areas.Area), one compiled form per kind of area (nation, province, district).
    `via` the path to the rows' Organisation ("" for organisations themselves)."""

    def __init__(self, build: Callable, via: str = "organisation"):
        prefix = f"{via}__" if via else ""
        self._nation = Statement(build)
        self._province = Statement(lambda province, *arguments: build(*arguments).filter(
            **{f"{prefix}province": province}))
        self._district = Statement(lambda province, district, *arguments: build(*arguments).filter(
            **{f"{prefix}province": province, f"{prefix}district": district}))

    def rows(self, area, *arguments) -> list:
        if area.province is None:
            return self._nation.rows(*arguments)
        if area.district is None:
            return self._province.rows(area.province, *arguments)
        return self._district.rows(area.province, area.district, *arguments)


_PROVIDERS: dict[str, Provider] = {}


def register(key: str, figures_for: Callable[..., Sequence[Group]], *, title: str, order: int = 100) -> None:
    """Called by an app's AppConfig.ready(): one section of the dashboard (see module)."""
    _PROVIDERS[key] = Provider(key=key, title=title, figures_for=figures_for, order=order)


def providers() -> list[Provider]:
    return sorted(_PROVIDERS.values(), key=lambda provider: (provider.order, provider.key))


def sections(area: AreaData) -> list[Section]:
    """Every provider's groups for the area, in order; a provider with nothing to say is left out."""
    found = []
    for provider in providers():
        groups = list(provider.figures_for(area)) if area.organisations else []
        if groups:
            found.append(Section(key=provider.key, title=provider.title, groups=groups))
    return found


def figure_at(found: list[Section], key: str) -> tuple[Group, Figure] | None:
    """The figure "<group key>.<figure key>" of computed sections, with its group."""
    group_key, _, figure_key = key.rpartition(".")
    for section in found:
        for group in section.groups:
            if group.key == group_key:
                for figure in group.figures:
                    if figure.key == figure_key:
                        return group, figure
    return None

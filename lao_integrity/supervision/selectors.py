"""Reads shaped for the supervision pages: an area's figures, the province's districts side by
side, and one figure's organisations. A fixed number of queries whatever the number of
organisations: the area's organisations once, then each provider's few."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse

from . import areas, charts, registry
from .registry import AreaData, Figure, Group, Section


def figure_url(area: areas.Area, fiscal_year: int, group: Group | str, figure: Figure | str) -> str:
    group_key = group if isinstance(group, str) else group.key
    figure_key = figure if isinstance(figure, str) else figure.key
    return reverse("supervision:figure", args=[area.slug, fiscal_year, f"{group_key}.{figure_key}"])


@dataclass
class DistrictRow:
    area: areas.Area
    organisations: int
    cells: list  # (count, url) per headline column


@dataclass
class Dashboard:
    area: areas.Area
    fiscal_year: int
    organisations: list
    sections: list[Section]
    charts: list  # (section, its SVG) in order
    headlines: list  # (group key, figure key, column title)
    districts: list[DistrictRow]


def compute(area: areas.Area, fiscal_year: int, today: datetime.date) -> tuple[list, list[Section]]:
    organisations = areas.organisations_of(area)
    data = AreaData(organisations=organisations, queryset=area.queryset(), fiscal_year=fiscal_year, today=today)
    return organisations, registry.sections(data)


def dashboard(area: areas.Area, fiscal_year: int, today: datetime.date) -> Dashboard:
    organisations, sections = compute(area, fiscal_year, today)
    rendered = [(section, charts.stacked_bars(section.groups, title=f"{section.title} {area.label} "
                                              f"ปีงบประมาณ {fiscal_year}", chart_id=f"chart-{section.key}"))
                for section in sections]
    headlines = [(group, figure) for section in sections for group in section.groups
                 for figure in group.figures if figure.headline]
    districts = []
    if area.kind == "province":
        by_district: dict[str, set] = {}
        for organisation in organisations:
            by_district.setdefault(organisation.district, set()).add(organisation.pk)
        for district in sorted(by_district, key=areas.thai_key):
            ids = by_district[district]
            place = area.district_area(district)
            districts.append(DistrictRow(area=place, organisations=len(ids), cells=[
                (len(figure.ids & ids), figure_url(place, fiscal_year, group, figure), figure.headline)
                for group, figure in headlines]))
    return Dashboard(area=area, fiscal_year=fiscal_year, organisations=organisations, sections=sections,
                     charts=rendered, headlines=[(g.key, f.key, f.headline) for g, f in headlines],
                     districts=districts)


def figure_rows(area: areas.Area, fiscal_year: int, key: str, today: datetime.date):
    """(group, figure, organisations it counts by district and name) or None for an unknown key."""
    organisations, sections = compute(area, fiscal_year, today)
    found = registry.figure_at(sections, key)
    if found is None:
        return None
    group, figure = found
    return group, figure, [organisation for organisation in organisations if organisation.pk in figure.ids]

"""Reads shaped for the supervision pages: an area's figures, the province's districts side by
side, and one figure's organisations. A fixed number of queries whatever the number of
organisations: the area's organisations once, then each provider's few."""

from __future__ import annotations

import datetime
import functools
import html
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import mark_safe

from . import areas, charts, registry
from .registry import AreaData, Figure, Group, Section

AREA, KEY = "area-slot", "figure-slot"


@functools.lru_cache(maxsize=4096)
def _iri(text: str) -> str:
    """A path segment as an IRI: ASCII reserved characters escaped, Thai left as it is (the browser
    encodes it; a province's table of districts is a third of the size). Remembered: the same few
    hundred places and figure keys make the thousands of links of a province's page, and quoting
    them character by character was 40 % of its time."""
    return "".join(char if ord(char) > 127 else quote(char, safe="-._~") for char in text)


def figure_urls(fiscal_year: int):
    """`url(area, group, figure)` of a figure's list: reversed once, then filled in (a province's
    table of districts has a link in every cell; reverse() for each costs more than the rest)."""
    template = reverse("supervision:figure", args=[AREA, fiscal_year, KEY])

    def url(area: areas.Area, group: Group, figure: Figure) -> str:
        return template.replace(AREA, _iri(area.slug)).replace(KEY, _iri(f"{group.key}.{figure.key}"))

    return url


@dataclass
class DistrictRow:
    area: areas.Area
    organisations: int
    cells: list  # (count, url, column title) per headline column
    url: str = ""  # the district's dashboard


def district_rows_html(rows: list[DistrictRow]) -> str:
    """The body of the table of a province's districts (or the nation's provinces), written here rather than by the template
    engine: a hundred districts by eight columns is a thousand links, and the engine's cost per
    node would be most of the page's time. Every text is escaped."""
    out = []
    titles: dict[str, str] = {}  # the same eight column titles on every row: escaped once
    for row in rows:
        name = html.escape(row.area.district or row.area.province)
        place = html.escape(row.area.label)
        cells = "".join(
            f'<td class="num"><a href="{html.escape(url)}">{count}<span class="vh"> {place} '
            f'{titles.get(title) or titles.setdefault(title, html.escape(title))}</span></a></td>'
            for count, url, title in row.cells)
        out.append(f'<tr><th scope="row"><a href="{html.escape(row.url)}">{name}</a></th>'
                   f'<td class="num">{row.organisations}</td>{cells}</tr>')
    return mark_safe("\n".join(out))  # noqa: S308 (built from escaped parts above)


@dataclass
class Table:
    """Groups side by side that count the same figures: one row each, one column per figure."""

    columns: list[str]
    rows: list  # (group, [(figure, url)], pass rate text or "")
    rate: bool  # a column of each row's percentage (the pass rate)


def section_tables(section: Section, area: areas.Area, fiscal_year: int, figure_url) -> list[Table]:
    tables: list[Table] = []
    for group in section.groups:
        columns = [figure.label for figure in group.figures]
        row = (group, [(figure, figure_url(area, group, figure)) for figure in group.figures], group.percent())
        if tables and tables[-1].columns == columns:
            tables[-1].rows.append(row)
        else:
            tables.append(Table(columns=columns, rows=[row], rate=bool(group.percent_of)))
    return tables


@dataclass
class Dashboard:
    area: areas.Area
    fiscal_year: int
    organisations: list
    sections: list[Section]
    charts: list  # (section, its SVG, its tables) in order
    headlines: list  # (group key, figure key, column title)
    districts: list[DistrictRow]

    @property
    def districts_html(self) -> str:
        return district_rows_html(self.districts)


def compute(area: areas.Area, fiscal_year: int, today: datetime.date) -> tuple[list, list[Section]]:
    organisations = areas.organisations_of(area)
    data = AreaData(organisations=organisations, queryset=area.queryset(), fiscal_year=fiscal_year, today=today,
                    province=area.province, district=area.district)
    return organisations, registry.sections(data)


def dashboard(area: areas.Area, fiscal_year: int, today: datetime.date) -> Dashboard:
    organisations, sections = compute(area, fiscal_year, today)
    figure_url = figure_urls(fiscal_year)
    rendered = [(section, charts.stacked_bars(section.groups, title=f"{section.title} {area.label} "
                                              f"ปีงบประมาณ {fiscal_year}", chart_id=f"chart-{section.key}"),
                 section_tables(section, area, fiscal_year, figure_url))
                for section in sections]
    headlines = [(group, figure) for section in sections for group in section.groups
                 for figure in group.figures if figure.headline]
    districts = []
    dashboard_url = reverse("supervision:dashboard", args=[AREA, fiscal_year])
    if area.kind != "district":
        # Side by side: a province's districts, the nation's provinces.
        by_part: dict[str, set] = {}
        for organisation in organisations:
            part = organisation.district if area.kind == "province" else organisation.province
            by_part.setdefault(part, set()).add(organisation.pk)
        for part in sorted(by_part, key=areas.thai_key):
            ids = by_part[part]
            place = area.district_area(part) if area.kind == "province" else areas.Area(part)
            cells = [(len(figure.ids & ids), figure_url(place, group, figure), figure.headline)
                     for group, figure in headlines]
            districts.append(DistrictRow(area=place, organisations=len(ids), cells=cells,
                                         url=dashboard_url.replace(AREA, _iri(place.slug))))
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
    listed = [organisation for organisation in organisations if organisation.pk in figure.ids]
    listed.sort(key=lambda o: (areas.thai_key(o.district), areas.thai_key(o.name), o.code))  # as the districts' table
    return group, figure, listed

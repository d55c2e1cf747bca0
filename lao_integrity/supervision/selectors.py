"""Reads shaped for the supervision pages: an area's figures, the province's districts side by
side, and one figure's organisations. A fixed number of queries whatever the number of
organisations: the area's organisations once, then each provider's few."""

from __future__ import annotations

import datetime
import functools
import html
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from lao_integrity.obligations import registry as obligation_registry
from lao_integrity.reversing import reversed_once

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


# A place's name escaped, remembered as _iri is: the same few hundred on every page.
_escaped = functools.lru_cache(maxsize=4096)(html.escape)


def figure_urls(fiscal_year: int):
    """`url(area, group, figure)` of a figure's list: reversed once, then filled in (a province's
    table of districts has a link in every cell; reverse() for each costs more than the rest)."""
    template = reversed_once("supervision:figure", AREA, fiscal_year, KEY)

    def url(area: areas.Area, group: Group, figure: Figure) -> str:
        return template.replace(AREA, _iri(area.slug)).replace(KEY, _iri(f"{group.key}.{figure.key}"))

    return url


@dataclass
class DistrictRow:
    area: areas.Area
    organisations: int
    cells: list  # (count, url, column title) per headline column
    url: str = ""  # the district's dashboard


def _split(template: str, *slots: str) -> list[str]:
    """`template` cut at each of `slots` in turn: the fixed parts between them, HTML-escaped."""
    parts = []
    for slot in slots:
        before, _, template = template.partition(slot)
        parts.append(html.escape(before))
    return [*parts, html.escape(template)]


def _braced(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


# The rows' parts (_row_parts) by their table's links, columns and province, then by place: the
# same places, figures and years on every page (the links' fixed parts hold the script prefix).
_ROWS: dict[tuple, dict[str, tuple]] = {}
_MOST_TABLES = 256


def _row_parts(place: areas.Area, links: tuple, keys: tuple, ends: tuple) -> tuple:
    """What a row of the districts' table writes whatever its counts: its cells' links, its
    dashboard's link, and its HTML with a slot ({}) for each count."""
    head, middle, tail, board_head, board_tail = links
    slug = _iri(place.slug)
    label = _escaped(place.label)
    start = f"{head}{slug}{middle}"
    urls = tuple(f"{start}{key}{tail}" for key in keys)
    url = f"{board_head}{slug}{board_tail}"
    written = (_braced(f'<tr><th scope="row"><a href="{url}">{_escaped(place.district or place.province)}</a></th>'
                       '<td class="num">') + "{}</td>"
               + "".join(_braced(f'<td class="num"><a href="{link}">') + "{}" + _braced(f'<span class="vh"> {label}{end}')
                         for link, end in zip(urls, ends, strict=True))
               + "</tr>")
    return urls, url, written


def district_rows(area: areas.Area, fiscal_year: int, organisations: list, headlines: list) -> tuple[list, str]:
    """The rows of the table of a province's districts (or the nation's provinces), and their HTML,
    written here rather than by the template engine: a hundred districts by eight columns is a
    thousand links. Each column counts its figure's organisations by district in one pass, and
    each link is put together from its row's part and its column's part (what figure_urls would
    give; _iri leaves nothing that HTML escapes, so only the fixed parts are escaped)."""
    by_province = area.kind != "province"
    part_of = {o.pk: o.province if by_province else o.district for o in organisations}
    parts = sorted(set(part_of.values()), key=areas.thai_key)
    index = {part: position for position, part in enumerate(parts)}
    slot = {pk: index[part] for pk, part in part_of.items()}
    sizes = [0] * len(parts)
    for position in slot.values():
        sizes[position] += 1
    counts = [[0] * len(headlines) for _ in parts]  # per part, per column
    keys, titles, ends = [], [], []  # per column: the link's tail, the title, the cell's end (escaped)
    for column, (group, figure) in enumerate(headlines):
        for pk in figure.ids:
            position = slot.get(pk)  # an organisation outside the area's list (moved meanwhile) counts nowhere
            if position is not None:
                counts[position][column] += 1
        keys.append(_iri(f"{group.key}.{figure.key}"))
        titles.append(figure.headline)
        ends.append(f" {html.escape(figure.headline)}</span></a></td>")
    links = (*_split(reversed_once("supervision:figure", AREA, fiscal_year, KEY), AREA, KEY),
             *_split(reversed_once("supervision:dashboard", AREA, fiscal_year), AREA))
    keys, ends = tuple(keys), tuple(ends)
    table = (links, keys, ends, None if by_province else area.province)
    known = _ROWS.get(table)
    if known is None:
        if len(_ROWS) >= _MOST_TABLES:
            _ROWS.clear()
        known = _ROWS[table] = {}
    rows, out = [], []
    for position, part in enumerate(parts):
        found = known.get(part)
        if found is None:
            place = areas.Area(part) if by_province else area.district_area(part)
            found = known[part] = (place, *_row_parts(place, links, keys, ends))
        place, urls, url, written = found
        here = counts[position]
        rows.append(DistrictRow(area=place, organisations=sizes[position], cells=list(zip(here, urls, titles, strict=True)),
                                url=url))
        out.append(written.format(sizes[position], *here))
    return rows, mark_safe("\n".join(out))  # noqa: S308 (built from escaped parts above)


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
    districts_html: str = ""  # the rows of `districts`, written (district_rows)


def compute(area: areas.Area, fiscal_year: int, today: datetime.date) -> tuple[list, list[Section]]:
    organisations = areas.organisations_of(area)
    # The queryset built only when a provider asks for it (none of today's does).
    data = AreaData(organisations=organisations, queryset=SimpleLazyObject(area.queryset), fiscal_year=fiscal_year,
                    today=today, province=area.province, district=area.district)
    # One obligations computation for every section: a provider's read of the rows the obligations
    # read too (plans: each plan's projects) is then read once for the page (registry.read_once).
    with obligation_registry.computation(organisations, (fiscal_year,)):
        return organisations, registry.sections(data)


def dashboard(area: areas.Area, fiscal_year: int, today: datetime.date) -> Dashboard:
    organisations, sections = compute(area, fiscal_year, today)
    figure_url = figure_urls(fiscal_year)
    rendered = [(section, mark_safe(charts.stacked_bars(  # noqa: S308 (charts escapes every text)
                    section.groups, title=f"{section.title} {area.label} ปีงบประมาณ {fiscal_year}",
                    chart_id=f"chart-{section.key}")),
                 section_tables(section, area, fiscal_year, figure_url))
                for section in sections]
    headlines = [(group, figure) for section in sections for group in section.groups
                 for figure in group.figures if figure.headline]
    districts, districts_html = [], ""
    if area.kind != "district":
        # Side by side: a province's districts, the nation's provinces.
        districts, districts_html = district_rows(area, fiscal_year, organisations, headlines)
    return Dashboard(area=area, fiscal_year=fiscal_year, organisations=organisations, sections=sections,
                     charts=rendered, headlines=[(g.key, f.key, f.headline) for g, f in headlines],
                     districts=districts, districts_html=districts_html)


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

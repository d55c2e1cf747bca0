"""Server-rendered SVG for the dashboard: one stacked bar per group, each figure a part of it.

No JavaScript and no library. Each chart is an accessible image (role="img", <title>, <desc> that
says every number), each part carries its own <title>, and the same numbers stand in the table
next to the chart, so nothing is only a colour."""

from __future__ import annotations

import functools
import hashlib
from html import escape

INK, MUTED = "#1d2733", "#5b6877"
TONES = {
    "done": "#2e7d32", "good": "#2e7d32", "passed": "#2e7d32",
    "overdue": "#b3261e", "behind": "#b3261e", "failed": "#b3261e",
    "pending": "#6b7a8a", "fair": "#b26a00",
    "none": "#c9d1da",
}
LEVELS = ("#0b3d6b", "#1f5f99", "#2e75b6", "#5b9bd5", "#8fb8e0", "#b9d3ee", "#dce8f5")
DARK_TEXT_TONES = {"none"}
WIDTH, LEFT, BAR, GAP, LINE = 420, 4, 26, 12, 19
ZERO_WIDTH = set("\u0e31" + "".join(map(chr, range(0x0E34, 0x0E3B))) + "".join(map(chr, range(0x0E47, 0x0E4F))))
TITLE_CHARS = 46  # a title line's length before it wraps (Thai letters, tone marks take no width)


@functools.lru_cache(maxsize=1024)
def _lines(text: str) -> tuple[str, ...]:
    """`text` wrapped at spaces into lines of about TITLE_CHARS letters (a word longer stays whole).
    Remembered: the same few titles on every dashboard, counted letter by letter."""
    lines, line = [], ""
    for word in text.split():
        width = sum(1 for char in f"{line} {word}" if char not in ZERO_WIDTH)
        if line and width > TITLE_CHARS:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return tuple(lines + ([line] if line else []))


def tone_fill(tone: str) -> str:
    if tone.startswith("level-"):
        index = int(tone.removeprefix("level-") or 0)
        return LEVELS[min(index, len(LEVELS) - 1)]
    return TONES.get(tone, "#6b7a8a")


def _text_fill(tone: str) -> str:
    if tone in DARK_TEXT_TONES or (tone.startswith("level-") and int(tone.removeprefix("level-") or 0) >= 4):
        return INK
    return "#ffffff"


def stacked_bars(groups, *, title: str, chart_id: str = "") -> str:
    """One horizontal bar per group (its title above it), split into its figures by count."""
    groups = [group for group in groups if group.figures]
    chart_id = chart_id or "chart-" + hashlib.sha1(title.encode()).hexdigest()[:8]
    inner = WIDTH - 2 * LEFT
    parts, desc = [], []
    y = 4
    for group in groups:
        total = group.total
        for line in _lines(group.title):
            parts.append(f'<text x="{LEFT}" y="{y + 15}" font-size="15" fill="{INK}">{escape(line)}</text>')
            y += LINE
        x = float(LEFT)
        said = []
        if not total:
            parts.append(f'<rect x="{LEFT}" y="{y}" width="{inner}" height="{BAR}" fill="#eef1f4"/>'
                         f'<text x="{LEFT + 6}" y="{y + 17}" font-size="14" fill="{MUTED}">ไม่มีข้อมูล</text>')
        for figure in group.figures:
            said.append(f"{figure.label} {figure.count}")
            if not figure.count or not total:
                continue
            width = inner * figure.count / total
            fill = tone_fill(figure.tone)
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" fill="{fill}">'
                         f'<title>{escape(group.title)}: {escape(figure.label)} {figure.count}</title></rect>')
            if width >= 28:
                parts.append(f'<text x="{x + width / 2:.1f}" y="{y + 18}" font-size="14" text-anchor="middle" '
                             f'fill="{_text_fill(figure.tone)}">{figure.count}</text>')
            x += width
        desc.append(f"{group.title}: {', '.join(said)}")
        y += BAR + GAP
    # The legend: every figure label once, in order of first appearance.
    legend, seen = [], set()
    for group in groups:
        for figure in group.figures:
            if (figure.label, figure.tone) not in seen:
                seen.add((figure.label, figure.tone))
                legend.append(figure)
    lx, ly = LEFT, y
    for figure in legend:
        step = 26 + 14 * len(figure.label) * 0.55
        if lx + step > WIDTH - LEFT:
            lx, ly = LEFT, ly + 22
        parts.append(f'<rect x="{lx:.0f}" y="{ly}" width="12" height="12" fill="{tone_fill(figure.tone)}"/>'
                     f'<text x="{lx + 16:.0f}" y="{ly + 11}" font-size="14" fill="{INK}">{escape(figure.label)}</text>')
        lx += step
    height = ly + 20
    return (f'<svg class="chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {WIDTH} {height}" '
            f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape("; ".join(desc))}</desc>'
            + "".join(parts) + "</svg>")

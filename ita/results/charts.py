"""Server-rendered SVG charts: pure functions from values to an SVG string.

No JavaScript and no library: the portal serves every byte itself. Each chart is an accessible
image (role="img" with a <title> and <desc>), and every plotted value is also written as a text
label, so the numbers can be read without seeing the line. Text is escaped; numbers are
written with Arabic digits and two decimals, like the tables next to the charts.
"""

import hashlib
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from html import escape

Number = Decimal | int | float

# Colours as presentation attributes, so a chart looks right without the page's CSS (in a PDF,
# or saved on its own); static/css/ita.css may still restyle the classes.
INK, MUTED, LINE, POINT, ERR = "#1d2733", "#5b6877", "#2e75b6", "#1f4e79", "#b3261e"
BAND_FILLS = ("#f3f7fb", "#e9f0f7")
MUTED_TEXT = f'font-size="11" fill="{MUTED}"'


def _fmt(value: Number) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _coord(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(value) -> str:
    return escape(str(value), quote=True)


def nice_floor(values: Sequence[Number | None], *, step: int = 10, floor: int = 0, headroom: int = 5) -> int:
    """A round lower bound for the y axis: below the smallest value by at least `headroom`.

    Scores of 80-100 plotted from 0 look flat; from 70 the year-to-year change shows.
    """
    present = [Decimal(str(v)) for v in values if v is not None]
    if not present:
        return floor
    lowest = min(present) - headroom
    return max(floor, int(lowest // step) * step)


def line_chart(points: Sequence[tuple[str, Number | None]], *, width: int = 640, height: int = 260,
               y_min: Number = 0, y_max: Number = 100, reference: Number | None = None,
               reference_label: str | None = "", bands: Sequence[tuple[str, Number]] = (), title: str = "",
               desc: str = "", chart_id: str | None = None, css_class: str = "chart") -> str:
    """A line chart of (label, value) points, left to right; None leaves a gap in the line.

    reference draws a dashed horizontal line (the pass mark), labelled reference_label (its value
    when "", no label when None); bands are (level, minimum score)
    pairs, highest first, shaded alternately with the level written at the right edge. One
    <circle> is drawn per point that has a value, each with its own <title> and a text label.
    """
    if y_max <= y_min:
        raise ValueError("y_max must be greater than y_min")
    lo, hi = float(y_min), float(y_max)
    chart_id = chart_id or "c" + hashlib.md5(f"{title}|{points!r}".encode()).hexdigest()[:10]
    left, right, top, bottom = 40, 28 if bands else 12, 18, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    inset = min(28, plot_w / 6)  # room for the first and last value labels inside the plot

    def y_of(value: Number) -> float:
        clamped = min(max(float(value), lo), hi)
        return top + plot_h * (hi - clamped) / (hi - lo)

    def x_of(index: int) -> float:
        if len(points) == 1:
            return left + plot_w / 2
        return left + inset + (plot_w - 2 * inset) * index / (len(points) - 1)

    values = [v for _, v in points if v is not None]
    # Each point's position and text once: a history page draws eleven charts.
    texts = [None if v is None else _fmt(v) for _, v in points]
    xs = [_coord(x_of(index)) for index in range(len(points))]
    ys = [None if v is None else y_of(v) for _, v in points]
    summary = desc or ", ".join(f"{label}: {text if text is not None else 'ไม่มีข้อมูล'}"
                                for (label, _), text in zip(points, texts, strict=True))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{_text(css_class)}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{_text(title)}</title>',
        f'<desc id="{chart_id}-d">{_text(summary)}</desc>',
    ]
    # Level bands, highest first: each runs from its minimum up to the previous band's minimum.
    upper = hi
    for index, (level, minimum) in enumerate(bands):
        band_lo = max(float(minimum), lo)
        if band_lo < upper:
            y1, y2 = y_of(upper), y_of(band_lo)
            parts.append(f'<rect class="band band{index % 2}" x="{left}" y="{_coord(y1)}" width="{plot_w}" '
                         f'height="{_coord(y2 - y1)}" fill="{BAND_FILLS[index % 2]}"/>')
            parts.append(f'<text class="band-label" x="{width - right + 4}" y="{_coord((y1 + y2) / 2 + 4)}" {MUTED_TEXT}>'
                         f'{_text(level)}</text>')
        upper = min(upper, float(minimum))
        if upper <= lo:
            break
    # Grid lines on round numbers, at most six of them.
    step = next((s for s in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 25, 50, 100) if (hi - lo) / s <= 5), (hi - lo) / 5)
    tick = math.ceil(lo / step - 1e-9) * step
    while tick <= hi + 1e-9:
        y = y_of(tick)
        parts.append(f'<line class="grid" x1="{left}" y1="{_coord(y)}" x2="{left + plot_w}" y2="{_coord(y)}" '
                     f'stroke="#e3e8ee"/>')
        parts.append(f'<text class="tick" x="{left - 4}" y="{_coord(y + 4)}" text-anchor="end" {MUTED_TEXT}>'
                     f'{_coord(tick)}</text>')
        tick += step
    parts.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
                 f'stroke="#8a96a3"/>')
    if reference is not None and lo <= float(reference) <= hi:
        y = y_of(reference)
        parts.append(f'<line class="ref" x1="{left}" y1="{_coord(y)}" x2="{left + plot_w}" y2="{_coord(y)}" '
                     f'stroke="{ERR}" stroke-width="1.5" stroke-dasharray="5 4"/>')
        if reference_label is not None:
            label = reference_label or _fmt(reference)
            parts.append(f'<text class="ref-label" x="{left + 4}" y="{_coord(y - 4)}" font-size="11" '
                         f'fill="{ERR}">{_text(label)}</text>')
    # The line, broken where a value is missing.
    path, pen_down = [], False
    for index, y in enumerate(ys):
        if y is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{xs[index]} {_coord(y)}")
        pen_down = True
    if len(values) > 1:
        parts.append(f'<path class="line" d="{" ".join(path)}" fill="none" stroke="{LINE}" stroke-width="2.5" '
                     f'stroke-linejoin="round"/>')
    for index, (label, _) in enumerate(points):
        x, label = xs[index], _text(label)
        parts.append(f'<text class="x-label" x="{x}" y="{height - 10}" text-anchor="middle" {MUTED_TEXT}>'
                     f'{label}</text>')
        y = ys[index]
        if y is None:
            continue
        parts.append(f'<circle class="pt" cx="{x}" cy="{_coord(y)}" r="3.5" fill="#fff" stroke="{POINT}" '
                     f'stroke-width="2">'
                     f'<title>{label}: {texts[index]}</title></circle>')
        label_y = y - 8 if y - 8 > top - 4 else y + 16
        parts.append(f'<text class="val" x="{x}" y="{_coord(label_y)}" text-anchor="middle" font-size="12" '
                     f'font-weight="700" fill="{INK}">'
                     f'{texts[index]}</text>')
    parts.append("</svg>")
    return "".join(parts)

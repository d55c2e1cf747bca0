"""The Thai font for PDFs, and the fix that keeps SARA AM (ำ) in their text layer.

WeasyPrint writes a PDF's text layer (its ToUnicode map) glyph by glyph: each glyph id gets the
text of the first cluster it is drawn in, for the whole document. HarfBuzz's Thai shaper splits
SARA AM into NIKHAHIT + SARA AA, moving NIKHAHIT before any tone mark, and Sarabun then ligates
NIKHAHIT with that tone mark (glyphs ``uni0E4D0E48`` ...). NIKHAHIT or the ligature is given no
text and SARA AA is given "ำ" (or tone + "ำ"), but SARA AA is also the plain "า": whichever use
comes first wins, so "ตำบล" copies as "ตาบล" and "น้ำ" as "นา" (or "ตาบล" as "ตำบล").

``build_pdf_font`` derives a copy of the font in which SARA AA, when it follows NIKHAHIT or one
of its tone ligatures, becomes a glyph of its own: one copy for plain ำ and one per tone mark.
Each copy has SARA AA's outline and advance, so the page looks the same, and is only ever drawn
in one text, so the text layer is right. The new chained-context lookup is the last in GSUB and
is added to every ``ccmp`` feature, which HarfBuzz applies to Thai by default.

The derived fonts are built once (``python -m lao_integrity.documents.build_pdf_fonts``) and
checked in under ``static/fonts/sarabun-pdf/``; rendering never rebuilds them. They also carry
the few marks Sarabun lacks (✓ ☐ ● ...: ``add_marks``), so a document never needs a host font. Use
``font_face_css()`` in PDF templates: one ``@font-face`` per weight and style, whole TTF files,
no ``unicode-range`` (WeasyPrint garbles Thai when a family is split over several rules).
"""

from __future__ import annotations

import copy
import functools
import math
import unicodedata
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from fontTools.otlLib import builder as otl
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables as ot

FAMILY = "Sarabun PDF"
POSTSCRIPT_FAMILY = FAMILY.replace(" ", "")
FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts" / "sarabun-pdf"
UPSTREAM_DIR = FONT_DIR / "upstream"

SARA_AA = 0x0E32
NIKHAHIT = 0x0E4D
TONE_MARKS = (0x0E48, 0x0E49, 0x0E4A, 0x0E4B)  # MAI EK, MAI THO, MAI TRI, MAI CHATTAWA
DERIVED_NOTE = "SARA AA has a glyph of its own after NIKHAHIT so that PDF text layers keep SARA AM"


@dataclass(frozen=True)
class Face:
    style: str  # the name table's subfamily: Regular, Bold, Italic, Bold Italic
    weight: int
    italic: bool

    @property
    def file_style(self) -> str:
        return self.style.replace(" ", "")

    @property
    def upstream(self) -> Path:
        return UPSTREAM_DIR / f"Sarabun-{self.file_style}.ttf"

    @property
    def path(self) -> Path:
        return FONT_DIR / f"{POSTSCRIPT_FAMILY}-{self.file_style}.ttf"


FACES = (
    Face("Regular", 400, False),
    Face("Bold", 700, False),
    Face("Italic", 400, True),
    Face("Bold Italic", 700, True),
)


def font_face_css(family: str = FAMILY) -> str:
    """One @font-face rule per weight and style, loading the derived TTFs from the static dir."""
    rules = []
    for face in FACES:
        rules.append(
            "@font-face {\n"
            f'  font-family: "{family}";\n'
            f'  src: url("{face.path.as_uri()}") format("truetype");\n'
            f"  font-weight: {face.weight};\n"
            f"  font-style: {'italic' if face.italic else 'normal'};\n"
            "}\n"
        )
    return "".join(rules)


@functools.cache
def _covered() -> frozenset[int]:
    """Code points every face of the PDF font draws (the faces share one character set)."""
    maps = []
    for face in FACES:
        with TTFont(face.path, lazy=True) as font:  # closed after reading: no file left open
            maps.append(set(font.getBestCmap()))
    return frozenset(set.intersection(*maps))


def missing_glyphs(text: str) -> list[str]:
    """The characters of `text` the PDF font cannot draw, in order, once each (spaces and
    invisible format characters need no glyph)."""
    covered = _covered()
    missing = []
    for char in text:
        if ord(char) in covered or char in missing or unicodedata.category(char) in ("Zs", "Zl", "Zp", "Cc", "Cf"):
            continue
        missing.append(char)
    return missing


def sara_aa_copy_names(font: TTFont) -> dict[int | None, str]:
    """Names of the SARA AA copies: key None for plain ำ, else the tone mark's code point."""
    sara_aa = font.getBestCmap()[SARA_AA]
    names: dict[int | None, str] = {None: f"{sara_aa}.am"}
    names.update({tone: f"{sara_aa}.am{tone:04X}" for tone in TONE_MARKS})
    return names


def build_pdf_font(src: Path, dst: Path, family: str = FAMILY) -> None:
    """Write to ``dst`` a copy of the TrueType font ``src`` with the SARA AM fix, renamed ``family``."""
    font = TTFont(src, recalcTimestamp=False)
    cmap = font.getBestCmap()
    missing = [f"U+{cp:04X}" for cp in (SARA_AA, NIKHAHIT, *TONE_MARKS) if cp not in cmap]
    if missing:
        raise ValueError(f"{src.name} has no glyph for {', '.join(missing)}")
    if "glyf" not in font or "GSUB" not in font:
        raise ValueError(f"{src.name} is not a TrueType font with a GSUB table")
    gsub = font["GSUB"].table
    gsub.ensureDecompiled(recurse=True)
    sara_aa = cmap[SARA_AA]
    names = sara_aa_copy_names(font)
    if names[None] in font.getGlyphOrder():
        raise ValueError(f"{src.name} already has the SARA AM fix")
    if "GPOS" in font:
        font["GPOS"].table.ensureDecompiled(recurse=True)
        if _mentions(font["GPOS"].table, sara_aa):
            raise ValueError(f"{src.name} positions {sara_aa} in GPOS; its copies would need those rules")

    # Which glyphs can stand for NIKHAHIT, and for NIKHAHIT ligated with each tone mark.
    edges = _single_substitutions(gsub)
    nikhahit = _reachable({cmap[NIKHAHIT]}, edges)
    tones = {tone: _reachable({cmap[tone]}, edges) for tone in TONE_MARKS}
    ligated: dict[int, set[str]] = {tone: set() for tone in TONE_MARKS}
    for first, ligature in _ligatures(gsub):
        parts = [first, *ligature.Component]
        if len(parts) != 2:
            continue
        for tone, forms in tones.items():
            if (parts[0] in nikhahit and parts[1] in forms) or (parts[1] in nikhahit and parts[0] in forms):
                ligated[tone].add(ligature.LigGlyph)
    ligated = {tone: _reachable(glyphs, edges) for tone, glyphs in ligated.items() if glyphs}

    # The copies: SARA AA's outline, advance and glyph class under new names.
    contexts = {None: nikhahit, **ligated}
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    for key in contexts:
        name = names[key]
        glyf[name] = copy.deepcopy(glyf[sara_aa])
        hmtx[name] = hmtx[sara_aa]
        if name not in order:
            order.append(name)
    font.setGlyphOrder(order)
    glyf.setGlyphOrder(order)
    if "GDEF" in font and font["GDEF"].table.GlyphClassDef is not None:
        classes = font["GDEF"].table.GlyphClassDef.classDefs
        if sara_aa in classes:
            for key in contexts:
                classes[names[key]] = classes[sara_aa]

    # One single substitution per copy, and the chained-context lookup that picks among them.
    glyph_map = font.getReverseGlyphMap(rebuild=True)
    lookups = gsub.LookupList.Lookup
    chain = ot.Lookup()
    chain.LookupType, chain.LookupFlag, chain.SubTable = 6, 0, []
    for key, before in contexts.items():
        lookups.append(otl.buildLookup([otl.buildSingleSubstSubtable({sara_aa: names[key]})]))
        rule = ot.ChainContextSubst()
        rule.Format = 3
        rule.BacktrackCoverage = [otl.buildCoverage(before, glyph_map)]
        rule.InputCoverage = [otl.buildCoverage([sara_aa], glyph_map)]
        rule.LookAheadCoverage = []
        rule.SubstLookupRecord = [_lookup_record(0, len(lookups) - 1)]
        rule.BacktrackGlyphCount, rule.InputGlyphCount, rule.LookAheadGlyphCount = 1, 1, 0
        rule.SubstCount = 1
        chain.SubTable.append(rule)
    chain.SubTableCount = len(chain.SubTable)
    lookups.append(chain)
    gsub.LookupList.LookupCount = len(lookups)
    ccmp = [record.Feature for record in gsub.FeatureList.FeatureRecord if record.FeatureTag == "ccmp"]
    if not ccmp or not _thai_has_ccmp(gsub):
        raise ValueError(f"{src.name} has no ccmp feature for Thai")
    for feature in ccmp:
        feature.LookupListIndex.append(len(lookups) - 1)
        feature.LookupCount = len(feature.LookupListIndex)

    add_marks(font, weight=700 if "Bold" in (font["name"].getDebugName(2) or "") else 400)
    _rename(font, family)
    dst.parent.mkdir(parents=True, exist_ok=True)
    font.save(dst)


# --- marks Sarabun lacks ------------------------------------------------------------------------
#
# The documents print ✓ in the plan's quarter columns, and people type ✓ ☐ ● into remarks and
# annexes. Sarabun has none of them, so a PDF borrowed them from whatever host font fontconfig
# found (DejaVu), or drew empty boxes on a server without one (and PDF/A refuses .notdef). They
# are drawn here into the derived fonts, in the box of Sarabun's own ■ (600 units wide), so every
# glyph of a document comes from the files the project ships.

Point = tuple[float, float]
MARK_ADVANCE = 600
_BOX = (60.0, 119.0, 540.0, 603.0)  # Sarabun's ■: x 60..540, y 119..603
_TICK = [(75.0, 330.0), (235.0, 150.0), (560.0, 620.0)]
_CROSS = ([(95.0, 140.0), (505.0, 580.0)], [(95.0, 580.0), (505.0, 140.0)])
_BOX_TICK = [(150.0, 365.0), (260.0, 235.0), (470.0, 520.0)]
_BOX_CROSS = ([(170.0, 200.0), (430.0, 522.0)], [(170.0, 522.0), (430.0, 200.0)])


def _mark_shapes(stroke: float) -> dict[int, list[tuple[str, object, float]]]:
    """Code point -> shapes: ("line", polyline, width), ("ring", box, width), ("fill", box, 0),
    ("disc", (cx, cy, r), 0), ("circle", (cx, cy, r), width)."""
    x0, y0, x1, y1 = _BOX
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    small = (cx - 90, cy - 90, cx + 90, cy + 90)
    return {
        0x2713: [("line", _TICK, stroke)],  # ✓ CHECK MARK
        0x2714: [("line", _TICK, stroke * 1.9)],  # ✔ HEAVY CHECK MARK
        0x2717: [("line", line, stroke) for line in _CROSS],  # ✗ BALLOT X
        0x2718: [("line", line, stroke * 1.9) for line in _CROSS],  # ✘ HEAVY BALLOT X
        0x2610: [("ring", _BOX, stroke * .6)],  # ☐ BALLOT BOX
        0x2611: [("ring", _BOX, stroke * .6), ("line", _BOX_TICK, stroke)],  # ☑ BALLOT BOX WITH CHECK
        0x2612: [("ring", _BOX, stroke * .6), *[("line", line, stroke) for line in _BOX_CROSS]],  # ☒
        0x25A1: [("ring", _BOX, stroke * .6)],  # □ WHITE SQUARE
        0x25AA: [("fill", small, 0)],  # ▪ BLACK SMALL SQUARE
        0x25CF: [("disc", (cx, cy, (x1 - x0) / 2), 0)],  # ● BLACK CIRCLE
        0x25CB: [("circle", (cx, cy, (x1 - x0) / 2), stroke * .6)],  # ○ WHITE CIRCLE
        0x25E6: [("circle", (cx, cy, 110), stroke * .6)],  # ◦ WHITE BULLET
    }


MARKS = tuple(_mark_shapes(1))  # the code points add_marks draws


def add_marks(font: TTFont, *, weight: int) -> None:
    """Draw MARKS into ``font`` (those it lacks), heavier for bold, slanted for italic."""
    cmap = font.getBestCmap()
    stroke = 62.0 if weight < 600 else 100.0
    slant = -math.tan(math.radians(font["post"].italicAngle))
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    added = {}
    for code, shapes in _mark_shapes(stroke).items():
        if code in cmap:
            continue
        name = f"uni{code:04X}"
        pen = TTGlyphPen(None)
        for contour in _contours(shapes):
            points = [(round(x + y * slant), round(y)) for x, y in contour]
            pen.moveTo(points[0])
            for point in points[1:]:
                pen.lineTo(point)
            pen.closePath()
        glyph = pen.glyph()
        glyf[name] = glyph
        glyph.recalcBounds(glyf)
        hmtx[name] = (MARK_ADVANCE, glyph.xMin)
        order.append(name)
        added[code] = name
    font.setGlyphOrder(order)
    glyf.setGlyphOrder(order)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update(added)


def _contours(shapes) -> list[list[Point]]:
    """Closed polygons, outer ones clockwise and holes counter-clockwise (TrueType's rule)."""
    out = []
    for kind, geometry, width in shapes:
        if kind == "line":
            out.append(_oriented(_stroke_polyline(geometry, width), clockwise=True))
        elif kind in ("ring", "fill"):
            x0, y0, x1, y1 = geometry
            out.append(_oriented([(x0, y0), (x0, y1), (x1, y1), (x1, y0)], clockwise=True))
            if kind == "ring":
                inner = [(x0 + width, y0 + width), (x0 + width, y1 - width),
                         (x1 - width, y1 - width), (x1 - width, y0 + width)]
                out.append(_oriented(inner, clockwise=False))
        else:
            cx, cy, r = geometry
            out.append(_oriented(_polygon(cx, cy, r), clockwise=True))
            if kind == "circle":
                out.append(_oriented(_polygon(cx, cy, r - width), clockwise=False))
    return out


def _polygon(cx: float, cy: float, r: float, sides: int = 48) -> list[Point]:
    return [(cx + r * math.cos(2 * math.pi * i / sides), cy + r * math.sin(2 * math.pi * i / sides))
            for i in range(sides)]


def _stroke_polyline(points: list[Point], width: float) -> list[Point]:
    """The outline of a polyline drawn with a pen ``width`` wide: butt ends, mitred joints."""
    half = width / 2
    normals = []
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        length = math.hypot(bx - ax, by - ay)
        normals.append((-(by - ay) / length * half, (bx - ax) / length * half))
    left, right = [], []
    for i, (px, py) in enumerate(points):
        if i == 0 or i == len(points) - 1:
            nx, ny = normals[0] if i == 0 else normals[-1]
        else:
            # The mitre: the sum of the two normals, scaled so each offset line stays `half` away.
            (ax, ay), (bx, by) = normals[i - 1], normals[i]
            mx, my = ax + bx, ay + by
            scale = half * half / (mx * ax + my * ay)
            nx, ny = mx * scale, my * scale
        left.append((px + nx, py + ny))
        right.append((px - nx, py - ny))
    return left + right[::-1]


def _oriented(points: list[Point], *, clockwise: bool) -> list[Point]:
    area = sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1], strict=True))
    return points if (area < 0) == clockwise else points[::-1]


def _subtables(gsub, lookup_type: int):
    for lookup in gsub.LookupList.Lookup:
        for subtable in lookup.SubTable:
            if lookup.LookupType == 7:
                if subtable.ExtensionLookupType == lookup_type:
                    yield subtable.ExtSubTable
            elif lookup.LookupType == lookup_type:
                yield subtable


def _single_substitutions(gsub) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for subtable in _subtables(gsub, 1):
        for source, target in subtable.mapping.items():
            edges.setdefault(source, set()).add(target)
    return edges


def _ligatures(gsub):
    for subtable in _subtables(gsub, 4):
        for first, ligatures in subtable.ligatures.items():
            for ligature in ligatures:
                yield first, ligature


def _reachable(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen, queue = set(start), deque(start)
    while queue:
        for target in edges.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _lookup_record(sequence_index: int, lookup_index: int):
    record = ot.SubstLookupRecord()
    record.SequenceIndex, record.LookupListIndex = sequence_index, lookup_index
    return record


def _thai_has_ccmp(gsub) -> bool:
    records = gsub.FeatureList.FeatureRecord
    for script in gsub.ScriptList.ScriptRecord:
        if script.ScriptTag not in ("thai", "DFLT"):
            continue
        systems = [script.Script.DefaultLangSys] + [r.LangSys for r in script.Script.LangSysRecord]
        for system in filter(None, systems):
            if any(records[i].FeatureTag == "ccmp" for i in system.FeatureIndex):
                return True
    return False


def _mentions(table, glyph: str) -> bool:
    """Whether an OpenType layout table names ``glyph`` anywhere (coverage, class, pair...)."""
    stack, seen = [table], set()
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if node == glyph:
                return True
        elif isinstance(node, dict):
            if glyph in node:
                return True
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
        elif hasattr(node, "__dict__") and id(node) not in seen:
            seen.add(id(node))
            stack.extend(vars(node).values())
    return False


def _rename(font: TTFont, family: str) -> None:
    """Give the font its own family so it never collides with an installed Sarabun."""
    name = font["name"]
    style = name.getDebugName(2) or "Regular"
    postscript = f"{family.replace(' ', '')}-{style.replace(' ', '')}"
    version = font["head"].fontRevision
    for name_id in (1, 3, 4, 6, 16, 17, 21, 22):
        name.removeNames(nameID=name_id)
    name.setName(family, 1, 3, 1, 0x409)
    name.setName(f"{version:.3f};{postscript}", 3, 3, 1, 0x409)
    name.setName(f"{family} {style}", 4, 3, 1, 0x409)
    name.setName(postscript, 6, 3, 1, 0x409)
    original = name.getDebugName(5) or ""
    name.removeNames(nameID=5)
    name.setName(f"{original}; {DERIVED_NOTE}", 5, 3, 1, 0x409)

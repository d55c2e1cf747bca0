"""ITA arithmetic, from a year's framework: tool scores, overall score, level, pass.

Everything is computed unrounded in Decimal and rounded half-up to two decimals only at the
end, as NACC publishes it: FY 2566 seed scores 95.01 84.45 88.62 83.07 86.04 | 85.07 84.54
82.73 | 100 100 give IIT 87.44, EIT 84.11, OIT 100.00 and 91.47 overall, level A, pass.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round2(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ToolSpec:
    code: str
    weight: Decimal
    indicators: tuple[int, ...]
    parts: Mapping[str, Decimal] = field(default_factory=dict)  # part code -> weight


@dataclass(frozen=True)
class FrameworkSpec:
    tools: tuple[ToolSpec, ...]
    bands: tuple[tuple[str, Decimal], ...]  # (level, min score), highest first
    pass_mark: Decimal

    @property
    def indicator_numbers(self) -> set[int]:
        return {n for tool in self.tools for n in tool.indicators}


@dataclass(frozen=True)
class Outcome:
    tools: dict[str, Decimal | None]  # rounded tool scores
    overall: Decimal | None
    level: str
    passed: bool | None

    @property
    def complete(self) -> bool:
        return self.overall is not None


def level_for(spec: FrameworkSpec, score: Decimal) -> str:
    for level, minimum in spec.bands:
        if score >= minimum:
            return level
    return spec.bands[-1][0] if spec.bands else ""


def compute(spec: FrameworkSpec, scores: Mapping[int, Decimal],
            part_scores: Mapping[str, Decimal] | None = None) -> Outcome:
    """Scores by indicator number (and optional part scores by part code) -> the outcome.

    A tool's score is the mean of its indicators. The published part scores (EIT public and
    survey) are rounded, so they are used only when the indicator scores are missing; the
    seed's 87.60 and 80.62 would give 91.46 overall instead of the published 91.47.
    Missing scores leave the result incomplete: no overall, no level.
    """
    part_scores = part_scores or {}
    unrounded: dict[str, Decimal | None] = {}
    for tool in spec.tools:
        if tool.indicators and all(n in scores for n in tool.indicators):
            total = sum((Decimal(scores[n]) for n in tool.indicators), Decimal(0))
            unrounded[tool.code] = total / len(tool.indicators)
        elif tool.parts and all(code in part_scores for code in tool.parts):
            unrounded[tool.code] = sum((Decimal(part_scores[c]) * w for c, w in tool.parts.items()), Decimal(0))
        else:
            unrounded[tool.code] = None
    if any(value is None for value in unrounded.values()) or not unrounded:
        return Outcome({k: round2(v) for k, v in unrounded.items()}, None, "", None)
    overall = round2(sum((unrounded[t.code] * t.weight for t in spec.tools), Decimal(0)))
    return Outcome(tools={k: round2(v) for k, v in unrounded.items()}, overall=overall,
                   level=level_for(spec, overall), passed=overall >= spec.pass_mark)


def parts_disagree(spec: FrameworkSpec, scores: Mapping[int, Decimal],
                   part_scores: Mapping[str, Decimal]) -> list[str]:
    """Tools whose weighted parts and indicator mean differ by more than rounding allows."""
    codes = []
    for tool in spec.tools:
        if not tool.parts or not all(c in part_scores for c in tool.parts):
            continue
        if not all(n in scores for n in tool.indicators):
            continue
        from_parts = sum((Decimal(part_scores[c]) * w for c, w in tool.parts.items()), Decimal(0))
        mean = sum((Decimal(scores[n]) for n in tool.indicators), Decimal(0)) / len(tool.indicators)
        if abs(from_parts - mean) > Decimal("0.01"):
            codes.append(tool.code)
    return codes


def classify(scores: Mapping[int, Decimal]) -> dict[str, list[int]]:
    """Indicators into strengths (>= 95), to keep and raise (85 to < 95) and to improve (< 85)."""
    groups: dict[str, list[int]] = {"strong": [], "keep": [], "improve": []}
    for number in sorted(scores):
        score = Decimal(scores[number])
        key = "strong" if score >= 95 else "keep" if score >= 85 else "improve"
        groups[key].append(number)
    return groups

"""Achieved level per indicator and the agreement's weighted score.

An indicator has five target values, level 1 (lowest) to 5. The achieved level is the highest
level whose target the result reaches (reaches = at least, or at most when a smaller value is
better); below level 1 gives 0. The weighted score is sum(weight x level) / 5, a percentage when
the weights total 100, as in the local-government performance forms. `format_decimal` writes
weights, targets and scores as the pages and the document show them.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

WEIGHT_TOTAL = Decimal("100")


def achieved_level(value: Decimal, targets: list[Decimal], *, higher_is_better: bool = True) -> int:
    level = 0
    for number, target in enumerate(targets, start=1):
        reached = value >= target if higher_is_better else value <= target
        if reached:
            level = number
    return level


def targets_are_ordered(targets: list[Decimal], *, higher_is_better: bool = True) -> bool:
    pairs = zip(targets, targets[1:], strict=False)
    return all(a < b for a, b in pairs) if higher_is_better else all(a > b for a, b in pairs)


def weight_total(weights: Iterable[Decimal]) -> Decimal:
    return sum(weights, Decimal(0))


def weighted_score(rows: Iterable[tuple[Decimal, int]]) -> Decimal:
    """(weight, achieved level) pairs -> score out of 100, rounded half-up to two decimals."""
    total = sum((weight * Decimal(level) for weight, level in rows), Decimal(0)) / 5
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_decimal(value: Decimal | None) -> str:
    """"40" for 40.00, "99.99" for 99.99, "1,234.50" for 1234.5; "" for None (Arabic digits)."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.quantize(Decimal('0.01')):,.2f}"

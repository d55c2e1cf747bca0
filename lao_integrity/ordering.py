"""Positions in a list people reorder: a plan's projects, an annex's topics, a year's measures.

A list is a queryset of siblings with a position column (`order`, or a plan's `sequence`),
numbered from FIRST without gaps, in (position, id) order. `move` swaps a row with its
neighbour, `close_gaps` numbers the list again after a deletion, `next_position` is where a new
row goes. Call them inside the service's transaction, after locking the parent (a new sibling
is an insert no row lock stops: lao_integrity/locks.py); `move` and `close_gaps` lock the
siblings' rows themselves.

Positions are written by queryset updates on purpose: a position, not content; audit-trail
rows for every row shifted would bury the real changes. Only the rows whose number changes are
written, in an order that never puts two rows on one number, so a unique (parent, position)
constraint holds at every step on every database.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

FIRST = 1


def move(obj, offset: int, *, siblings: QuerySet, field: str = "order") -> bool:
    """Move `obj` one place up (-1) or down (+1) among `siblings`; False when nothing moved
    (the first up, the last down, or `obj` deleted meanwhile)."""
    if offset not in (-1, 1):
        raise ValidationError("เลื่อนได้ครั้งละหนึ่งตำแหน่ง")
    current = _locked(siblings, field)
    ordered = list(current)
    if obj.pk not in current:
        return False
    index = ordered.index(obj.pk)
    target = index + offset
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(siblings.model, current, ordered, field)
    return True


def close_gaps(siblings: QuerySet, *, field: str = "order") -> None:
    """Number the list again from FIRST, in its order (after a row left it)."""
    current = _locked(siblings, field)
    _renumber(siblings.model, current, list(current), field)


def next_position(siblings: QuerySet, *, field: str = "order") -> int:
    """The position after the last one (FIRST in an empty list)."""
    last = siblings.aggregate(last=Max(field))["last"]
    return FIRST if last is None else last + 1


def _locked(siblings: QuerySet, field: str) -> dict[int, int]:
    """pk -> position, in list order, with the rows locked until the transaction ends."""
    if not transaction.get_connection(siblings.db).in_atomic_block:
        raise RuntimeError("ordering outside a transaction would release the rows' locks at once")
    rows = siblings.select_for_update().order_by(field, "pk").values_list("pk", field)
    return dict(rows)


def _renumber(model, current: dict[int, int], ordered: list[int], field: str) -> None:
    wanted = {pk: position for position, pk in enumerate(ordered, start=FIRST)}
    down = sorted((pk for pk in wanted if wanted[pk] < current[pk]), key=wanted.get)
    up = sorted((pk for pk in wanted if wanted[pk] > current[pk]), key=wanted.get, reverse=True)
    # Rows moving down, lowest first, each take a number its holder has left; rows moving up,
    # highest first, likewise. When both move (a swap), those going up wait above every number.
    if down and up:
        top = max(*current.values(), len(ordered)) + 1
        for offset, pk in enumerate(up):
            model._base_manager.filter(pk=pk).update(**{field: top + offset})
    for pk in down + up:
        model._base_manager.filter(pk=pk).update(**{field: wanted[pk]})

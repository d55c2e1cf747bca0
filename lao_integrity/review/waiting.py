"""What waits for an executive's decision: the documents staff submitted for approval.

The kernel imports no domain app, so each app registers from its `AppConfig.ready()` how to list
its own submitted documents for some organisations (one query each); the home page reads them all."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Waiting:
    title: str  # Thai, says what to decide: "อนุมัติแผนปฏิบัติการป้องกันการทุจริต ปีงบประมาณ 2570"
    url: str
    organisation_name: str
    badge: str = "รอพิจารณา"  # what waits: a decision, or (approved) a signature
    note: str = "เสนออนุมัติแล้ว"


_LISTERS: list[Callable[[list[int]], Iterable[Waiting]]] = []


def register(lister: Callable[[list[int]], Iterable[Waiting]]) -> None:
    """`lister(organisation_ids)` yields the app's documents submitted for approval (one query)."""
    if lister not in _LISTERS:
        _LISTERS.append(lister)


def waiting(organisation_ids) -> list[Waiting]:
    ids = sorted(organisation_ids)
    if not ids:
        return []
    return [entry for lister in _LISTERS for entry in lister(ids)]

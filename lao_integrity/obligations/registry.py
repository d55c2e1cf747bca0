"""Who computes each obligation's state: the providers the apps register from AppConfig.ready().

The kernel knows no domain model, so an app says what completes a rule:

    registry.register("plans.report_6_months", items_for, label="รายงานผลรอบ 6 เดือน", timing=Timing.DATE)

`items_for(organisations, fiscal_year, rule, today)` gets a list of organisations (id, name, code
loaded) and returns the ObligationItems of all of them for that year, each state computed from
the data (items.state_of), in a fixed number of queries whatever the number of organisations.
`timing` says which due-date fields the rules using the provider fill (models.ObligationRule.clean).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models


class Timing(models.TextChoices):
    DATE = "date", "วันที่กำหนดในปีงบประมาณ (เดือน/วัน)"
    AFTER = "after", "จำนวนวันหลังเหตุการณ์ (ลงนาม สิ้นงวด)"
    WINDOW = "window", "ตามช่วงเวลาที่ผู้ดูแลระบบบันทึกรายปี"


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    items_for: Callable[..., Iterable]
    timing: str


_PROVIDERS: dict[str, Provider] = {}


def register(key: str, items_for: Callable[..., Iterable], *, label: str = "", timing: str = Timing.DATE) -> None:
    """Called by an app's AppConfig.ready(): the function that lists a rule's items (see module)."""
    if timing not in Timing.values:
        raise ValueError(f"obligation provider {key!r}: unknown timing {timing!r}")
    _PROVIDERS[key] = Provider(key=key, label=label or key, items_for=items_for, timing=str(timing))


def get(key: str) -> Provider | None:
    return _PROVIDERS.get(key)


def providers() -> list[Provider]:
    return sorted(_PROVIDERS.values(), key=lambda provider: provider.key)


def choices() -> list[tuple[str, str]]:
    return [(provider.key, f"{provider.label} ({provider.key})") for provider in providers()]

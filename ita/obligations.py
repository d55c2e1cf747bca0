"""What completes the ITA obligations (lao_integrity/obligations): the measures announcement
signed after the results, each measure's progress per its reporting cadence, and each measure
done by its own deadline. Progress is kept per quarter (MeasureProgress), so a period is reported
when its quarter's report exists (monthly: and was written on the month's last day or later, a
report of a month that has passed).
The providers read all the organisations given at once and share their two queries (registry.read_once)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lao_integrity.announcements.models import Kind
from lao_integrity.announcements.obligations import signed_items
from lao_integrity.obligations import registry
from lao_integrity.obligations.items import make, url_maker
from lao_integrity.statements import Statement
from lao_integrity.thai import dates, fiscal

from .models import Cadence, Measure, MeasureProgress, ProgressStatus

CADENCE_QUARTERS = {Cadence.QUARTERLY: (1, 2, 3, 4), Cadence.HALF_YEARLY: (2, 4), Cadence.YEARLY: (4,)}


def periods(cadence: str, fiscal_year: int) -> list[tuple[str, str, int, datetime.date, datetime.date]]:
    """(key, Thai label, quarter, first day, last day) of each period a measure reports on."""
    if cadence == Cadence.MONTHLY:
        found = []
        start, _ = fiscal.fiscal_year_bounds(fiscal_year)
        for index in range(12):
            month, year = (start.month + index - 1) % 12 + 1, start.year + (start.month + index - 1) // 12
            first = datetime.date(year, month, 1)
            last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1))
            found.append((f"m{month:02d}", f"เดือน{dates.month_name(month)} {year + 543}",
                          fiscal.fiscal_quarter(first), first, last))
        return found
    return [(f"q{quarter}", f"ไตรมาส {quarter}", quarter, *fiscal.quarter_bounds(fiscal_year, quarter))
            for quarter in CADENCE_QUARTERS.get(cadence, (1, 2, 3, 4))]


# Compiled once per process (lao_integrity/statements.py): building them cost as much as running them.
_MEASURES = Statement(lambda organisation_ids, years: (
    Measure.objects.filter(organisation_id__in=organisation_ids, fiscal_year__in=years)
    .only("pk", "organisation_id", "fiscal_year", "title", "cadence", "deadline")
    .order_by("organisation_id", "order", "pk")))
_PROGRESS = Statement(lambda measure_ids: MeasureProgress.objects.filter(measure_id__in=measure_ids).only(
    "measure_id", "quarter", "status", "updated_at"))


@registry.read_once
def _measures(organisation_ids, years) -> dict[int, tuple[list[Measure], dict[tuple[int, int], MeasureProgress]]]:
    """{year: (its measures, {(measure id, quarter): progress})}: two queries (one when there is no
    measure) that both rules of every year read."""
    measures = _MEASURES.objects(list(organisation_ids), list(years))
    progress = {}
    if measures:
        rows = _PROGRESS.objects([m.pk for m in measures])
        progress = {(row.measure_id, row.quarter): row for row in rows}
    found = {year: ([], progress) for year in years}
    for measure in measures:
        found[measure.fiscal_year][0].append(measure)
    return found


def _progress_urls() -> dict[int, object]:
    """The progress page of a measure's quarter, per quarter: four reverse() calls in all."""
    return {quarter: url_maker("ita:measure_progress", quarter) for quarter in (1, 2, 3, 4)}


def _short(title: str) -> str:
    return title if len(title) <= 80 else title[:79] + "…"


def measure_progress(organisations, fiscal_year, rule, today):
    by_id = {organisation.pk: organisation for organisation in organisations}
    measures, progress = _measures(organisations, fiscal_year)
    progress_url = _progress_urls() if measures else {}
    for measure in measures:
        for key, label, quarter, _first, last in periods(measure.cadence, fiscal_year):
            row = progress.get((measure.pk, quarter))
            done = row is not None and (measure.cadence != Cadence.MONTHLY
                                        or timezone.localdate(row.updated_at) >= last)
            yield make(rule, by_id[measure.organisation_id], fiscal_year, due=rule.due_after(last), done=done,
                       today=today, url=progress_url[quarter](measure.pk),
                       subject=f"“{_short(measure.title)}” {label}", subject_key=f"{measure.pk}:{key}")


def measure_deadline(organisations, fiscal_year, rule, today):
    """A measure with its own deadline (กำหนดแล้วเสร็จ) is done when a quarter reports it done."""
    by_id = {organisation.pk: organisation for organisation in organisations}
    measures, progress = _measures(organisations, fiscal_year)
    measures = [m for m in measures if m.deadline]
    progress_url = _progress_urls() if measures else {}
    for measure in measures:
        done = any(progress.get((measure.pk, q)) is not None and progress[(measure.pk, q)].status == ProgressStatus.DONE
                   for q in (1, 2, 3, 4))
        quarter = fiscal.fiscal_quarter(measure.deadline) if measure.deadline else 4
        yield make(rule, by_id[measure.organisation_id], fiscal_year, due=rule.due_after(measure.deadline),
                   done=done, today=today, url=progress_url[quarter](measure.pk),
                   subject=f"“{_short(measure.title)}”", subject_key=str(measure.pk))


def register_obligations() -> None:
    registry.register("ita.measures_announced", signed_items(Kind.ITA_MEASURES),
                      label="ลงนามประกาศมาตรการส่งเสริมคุณธรรมและความโปร่งใส")
    registry.register("ita.measure_progress", measure_progress, label="รายงานผลมาตรการตามรอบการรายงาน",
                      timing=registry.Timing.AFTER)
    registry.register("ita.measure_deadline", measure_deadline, label="มาตรการแล้วเสร็จตามกำหนด",
                      timing=registry.Timing.AFTER)

"""Exporting ITA results: one row per organisation and year under export_headers, read from the
database a chunk at a time and written as csv or xlsx (streamed, to a file, or as bytes).

The exported file is a wide file that imports back as it is (its computed columns are ignored)."""

import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from lao_integrity.orgs.models import Organisation
from lao_integrity.tabular import iter_table, write_table_to

from ...models import Framework, IndicatorScore, PartScore, Result
from .cells import (
    CODE,
    FAILED,
    LEVEL,
    NAME,
    ORG_TYPE,
    OUTCOME,
    OVERALL,
    PART_HEADERS,
    PART_TOOL,
    PASSED,
    PROVINCE,
    RANK,
    RANK_GROUP,
    YEAR,
    indicator_header,
)
from .parsing import LOOKUP_CHUNK


def _part_columns(framework: Framework) -> list[tuple[str, int, str]]:
    """(header, part pk, part code) for the framework's EIT parts that have a column."""
    parts = {}
    for tool in framework.tools.all():
        if tool.code == PART_TOOL:
            parts = {p.code: p.pk for p in tool.parts.all()}
    return [(header, parts[code], code) for header, code in PART_HEADERS.items() if code in parts]


def _indicators(framework: Framework) -> list[tuple[int, int]]:
    """(number, pk) of the framework's indicators in number order."""
    return sorted((i.number, i.pk) for i in framework.indicators.all())


def export_headers(framework: Framework) -> list[str]:
    """Column names of the export for a year's framework.

    ปีงบประมาณ follows the organisation so the file can be imported back as it is; the EIT part
    columns come last and only for frameworks that split EIT into parts (FY 2566).
    """
    return [CODE, NAME, ORG_TYPE, PROVINCE, YEAR,
            *(indicator_header(number) for number, _ in _indicators(framework)),
            "IIT", "EIT", "OIT", OVERALL, LEVEL, OUTCOME, RANK, RANK_GROUP,
            *(header for header, _, _ in _part_columns(framework))]


_SCORES_ATTR = "_exchange_scores"
_PARTS_ATTR = "_exchange_parts"


def _prefetches():
    return [
        Prefetch("scores", queryset=IndicatorScore.objects.only("id", "result_id", "indicator_id", "score"),
                 to_attr=_SCORES_ATTR),
        Prefetch("part_scores", queryset=PartScore.objects.only("id", "result_id", "part_id", "score"),
                 to_attr=_PARTS_ATTR),
    ]


EXPORT_CHUNK = 2000  # results fetched (with their scores) per round trip while exporting


def _with_prefetch(results: Iterable[Result]) -> Iterable[Result]:
    """The results with organisation, scores and part scores loaded in a constant number of queries
    per EXPORT_CHUNK results; a queryset is read chunk by chunk, never all at once."""
    if isinstance(results, QuerySet):
        return (results.select_related("organisation").prefetch_related(*_prefetches())
                .iterator(chunk_size=EXPORT_CHUNK))
    results = list(results)
    prefetch_related_objects(results, "organisation", *_prefetches())
    return results


def _outcome_text(passed: bool | None) -> str:
    return "" if passed is None else PASSED if passed else FAILED


_RESULT_COLUMNS = ("pk", "organisation__code", "organisation__name", "organisation__org_type",
                   "organisation__province", "fiscal_year", "iit", "eit", "oit", "overall", "level", "passed",
                   "rank", "rank_group")


def _export_records(results: Iterable[Result]) -> Iterator[tuple[tuple, dict[int, Decimal], dict[int, Decimal]]]:
    """(values of _RESULT_COLUMNS, scores by indicator pk, part scores by part pk) per result.

    A queryset is read EXPORT_CHUNK results at a time as plain tuples (a server-side cursor on
    PostgreSQL) with two more queries per chunk for their scores: no model instances, and never
    more than one chunk in memory. Other iterables (a list of results) go through prefetching.
    """
    if isinstance(results, QuerySet):
        records = results.values_list(*_RESULT_COLUMNS).iterator(chunk_size=EXPORT_CHUNK)
        for chunk in iter(lambda: list(itertools.islice(records, EXPORT_CHUNK)), []):
            scores: dict[int, dict[int, Decimal]] = {}
            parts: dict[int, dict[int, Decimal]] = {}
            ids = [record[0] for record in chunk]
            for start in range(0, len(ids), LOOKUP_CHUNK):
                some = ids[start:start + LOOKUP_CHUNK]
                for result_id, indicator_id, score in (IndicatorScore.objects.filter(result_id__in=some).order_by()
                                                       .values_list("result_id", "indicator_id", "score")):
                    scores.setdefault(result_id, {})[indicator_id] = score
                for result_id, part_id, score in (PartScore.objects.filter(result_id__in=some).order_by()
                                                  .values_list("result_id", "part_id", "score")):
                    parts.setdefault(result_id, {})[part_id] = score
            for record in chunk:
                yield record, scores.get(record[0], {}), parts.get(record[0], {})
        return
    for result in _with_prefetch(results):
        organisation = result.organisation
        record = (result.pk, organisation.code, organisation.name, organisation.org_type, organisation.province,
                  result.fiscal_year, result.iit, result.eit, result.oit, result.overall, result.level,
                  result.passed, result.rank, result.rank_group)
        yield (record, {s.indicator_id: s.score for s in getattr(result, _SCORES_ATTR)},
               {p.part_id: p.score for p in getattr(result, _PARTS_ATTR)})


def export_rows(results: Iterable[Result], framework: Framework) -> Iterator[list]:
    """One row per result under export_headers(framework), yielded as the results are read;
    numbers stay Decimal/int, blanks are None."""
    indicators = [pk for _, pk in _indicators(framework)]
    part_columns = [pk for _, pk, _ in _part_columns(framework)]
    org_types = dict(Organisation._meta.get_field("org_type").flatchoices)
    for record, scores, parts in _export_records(results):
        (_, code, name, org_type, province, fiscal_year, iit, eit, oit, overall, level, passed, rank, group) = record
        yield [
            code, name, str(org_types.get(org_type, org_type)), province, fiscal_year,
            *(scores.get(pk) for pk in indicators),
            iit, eit, oit, overall, level, _outcome_text(passed), rank, group,
            *(parts.get(pk) for pk in part_columns),
        ]


def _framework_for_export(fiscal_year: int) -> Framework:
    framework = Framework.objects.prefetch_related("indicators", "tools__parts").filter(fiscal_year=fiscal_year).first()
    if framework is None:
        raise ValidationError(f"ยังไม่มีกรอบการประเมิน ITA ของปีงบประมาณ {fiscal_year}")
    return framework


def export_title(fiscal_year: int) -> str:
    return f"ITA {fiscal_year}"


def export_results_iter(*, fiscal_year: int, results, fmt: str) -> Iterator[bytes]:
    """The export as chunks of bytes, rows read from the database as they are written (for a
    StreamingHttpResponse). The framework is looked up, and a missing one refused with
    ValidationError, before the first chunk: at the call, not at the first next()."""
    framework = _framework_for_export(fiscal_year)
    return iter_table(export_headers(framework), export_rows(results, framework), fmt,
                      title=export_title(fiscal_year))


def export_results_to(fileobj: BinaryIO, *, fiscal_year: int, results, fmt: str,
                      progress: Callable[[int, int], None] | None = None) -> int:
    """Write the export to a binary file object; returns the number of rows.

    `progress(done, total)` is called every EXPORT_CHUNK rows and at the end (total costs one
    COUNT query for a queryset). Raises ValidationError when the year has no framework.
    """
    framework = _framework_for_export(fiscal_year)
    rows = export_rows(results, framework)
    if progress is not None:
        total = results.count() if isinstance(results, QuerySet) else len(results)
        rows = _reporting(rows, total, progress)
    return write_table_to(fileobj, export_headers(framework), rows, fmt, title=export_title(fiscal_year))


def _reporting(rows: Iterable[list], total: int, progress: Callable[[int, int], None]) -> Iterator[list]:
    done = 0
    progress(0, total)
    for row in rows:
        yield row
        done += 1
        if done % EXPORT_CHUNK == 0:
            progress(done, total)
    if done % EXPORT_CHUNK:
        progress(done, total)


def export_results(*, fiscal_year: int, results, fmt: str) -> bytes:
    """The results (of `fiscal_year`, filtered and ordered by the caller) as csv or xlsx bytes.

    Raises ValidationError when the year has no framework. For all organisations of a year,
    prefer export_results_iter / export_results_to, which do not hold the file in memory.
    """
    out = io.BytesIO()
    export_results_to(out, fiscal_year=fiscal_year, results=results, fmt=fmt)
    return out.getvalue()

"""Writes of LPA results: the import of the province's table (page and command). Only an
administrator imports; supervisors and auditors read. One transaction: all rows or none."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from lao_integrity.fields import FISCAL_YEAR_MAX, FISCAL_YEAR_MESSAGE, FISCAL_YEAR_MIN
from lao_integrity.history import records_user
from lao_integrity.orgs.access import is_system
from lao_integrity.orgs.models import Organisation
from lao_integrity.table_import import import_table
from lao_integrity.tabular import ImportRejected, RowProblem

from ..models import LpaAreaScore, LpaResult
from .exchange import Imported, LpaImport, ParsedRow

MAY_NOT_IMPORT = "เฉพาะผู้ดูแลระบบเท่านั้นที่นำเข้าผลการประเมิน LPA ได้"


def may_import(user) -> bool:
    return is_system(user) or bool(getattr(user, "is_superuser", False))


def store_results(values: list[ParsedRow], *, fiscal_year: int, data_as_of: datetime.date | None = None,
                  reporter: str = "", reporter_position: str = "") -> int:
    """Each row's result for the year, created or replaced with its five area scores; in bulk (a
    province has hundreds of rows, the country thousands): a fixed number of queries. Returns how
    many results were created."""
    organisation_ids = [value.organisation.pk for value in values]
    # Two imports of the same table at once: the second waits here for the first to commit, then
    # finds its results and replaces them (no duplicate-key error). In key order: no deadlock.
    list(Organisation.objects.select_for_update().filter(pk__in=organisation_ids).order_by("pk").values_list("pk"))
    existing = {r.organisation_id: r for r in LpaResult.objects.filter(fiscal_year=fiscal_year,
                                                                       organisation_id__in=organisation_ids)}
    fresh = [LpaResult(organisation=value.organisation, fiscal_year=fiscal_year, data_as_of=data_as_of,
                       reporter=reporter, reporter_position=reporter_position)
             for value in values if value.organisation.pk not in existing]
    LpaResult.objects.bulk_create(fresh)
    for result in existing.values():
        result.data_as_of, result.reporter, result.reporter_position = data_as_of, reporter, reporter_position
        result.version += 1
    LpaResult.objects.bulk_update(list(existing.values()),
                                  ["data_as_of", "reporter", "reporter_position", "version", "updated_at"])
    if existing:
        LpaAreaScore.objects.filter(result__in=list(existing.values())).delete()
    results = {**existing, **{r.organisation_id: r for r in fresh}}
    if any(r.pk is None for r in fresh):  # a database that gives no ids back from bulk_create
        results.update({r.organisation_id: r for r in LpaResult.objects.filter(
            fiscal_year=fiscal_year, organisation_id__in=[r.organisation_id for r in fresh])})
    LpaAreaScore.objects.bulk_create(
        LpaAreaScore(result=results[value.organisation.pk], area=area, full_marks=full, score=score)
        for value in values for area, (full, score) in sorted(value.areas.items()))
    return len(fresh)


@records_user
@transaction.atomic
def lpa_import(*, data: bytes, filename: str, fiscal_year: int, user, data_as_of: datetime.date | None = None,
               reporter: str = "", reporter_position: str = "") -> Imported:
    """Import the province's table for `fiscal_year` (all or nothing; ImportRejected names every bad
    line). Results of organisations not in the file are left as they are."""
    if not may_import(user):
        raise PermissionDenied(MAY_NOT_IMPORT)
    if not FISCAL_YEAR_MIN <= fiscal_year <= FISCAL_YEAR_MAX:  # bulk writes run no model validator
        raise ImportRejected([RowProblem(None, FISCAL_YEAR_MESSAGE)])

    def store(values):
        return store_results(values, fiscal_year=fiscal_year, data_as_of=data_as_of, reporter=reporter.strip(),
                             reporter_position=reporter_position.strip())

    return import_table(LpaImport(fiscal_year=fiscal_year, store=store), data=data, filename=filename)

"""ITA files as background jobs (lao_integrity.jobs): a national import (7,850 organisations) and
the export of every organisation's results for a year take longer than a page should wait.

Who may do what is decided when the job runs, from the owner's access at that moment: an import
may change only the organisations the owner may edit, an export holds only those they may see.
"""

import tempfile

from django.core.exceptions import ValidationError

from lao_integrity.downloads import TABLE_CONTENT_TYPES
from lao_integrity.jobs.registry import Output, register
from lao_integrity.jobs.services import job_start
from lao_integrity.orgs import access
from lao_integrity.tabular import ImportRejected, RowProblem

from . import exchange, selectors

IMPORT, EXPORT = "ita-import", "ita-export"


def start_import(*, user, upload):
    """Queue the import of an upload already checked by ResultImportForm."""
    return job_start(kind=IMPORT, user=user, upload=upload,
                     title=f"นำเข้าผลการประเมิน ITA จากไฟล์ {upload.name}")


def run_import(job, report) -> str:
    owner = job.owner
    allowed = None if owner.is_superuser else access.editable_organisations(owner)
    with job.input_file.open("rb") as handle:
        data = handle.read()
    try:
        summary = exchange.results_import(data=data, filename=job.params.get("filename") or job.input_file.name,
                                          user=owner, allowed_organisations=allowed, progress=report)
    except ValidationError as error:
        raise ImportRejected([RowProblem(None, message) for message in error.messages]) from None
    return str(summary)


def start_export(*, user, fiscal_year: int, fmt: str):
    # The file covers many organisations, so the job has none: it keeps the owner's scope instead,
    # holds nothing outside it, and each download checks the owner still sees all of it.
    return job_start(kind=EXPORT, user=user, params={"fiscal_year": fiscal_year, "format": fmt,
                                                     "scope": access.scope_snapshot(user)},
                     title=f"ไฟล์ผลการประเมิน ITA ปีงบประมาณ {fiscal_year} ทุก อปท. ({fmt})")


def run_export(job, report) -> Output:
    fiscal_year, fmt = int(job.params["fiscal_year"]), job.params["format"]
    if fmt not in TABLE_CONTENT_TYPES:
        raise ValidationError("รองรับเฉพาะไฟล์ .csv และ .xlsx")
    results = access.restrict_to_scope(selectors.visible_results(job.owner), job.params.get("scope"))
    results = results.filter(fiscal_year=fiscal_year).order_by("organisation__code")
    content = tempfile.TemporaryFile()  # closed (and so deleted) once stored
    try:
        count = exchange.export_results_to(content, fiscal_year=fiscal_year, results=results, fmt=fmt,
                                           progress=report)
    except BaseException:
        content.close()
        raise
    return Output(name=f"ita-{fiscal_year}-all.{fmt}", content_type=TABLE_CONTENT_TYPES[fmt], content=content,
                  message=f"ไฟล์ผลการประเมิน ITA ปีงบประมาณ {fiscal_year} ของ อปท. {count:,} แห่งพร้อมแล้ว")


def register_jobs() -> None:
    register(IMPORT, run_import, title="นำเข้าผลการประเมิน ITA")
    register(EXPORT, run_export, title="ไฟล์ผลการประเมิน ITA ทุก อปท.")

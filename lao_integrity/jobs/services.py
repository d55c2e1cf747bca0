"""Writes to jobs: start one, run one (from the django-tasks task), prune old ones.

`job_start` saves the row and enqueues `tasks.run_job` once the transaction has committed, so a
worker always finds the row. With the default ImmediateBackend the job runs there and then, inside
the request; with the database backend `manage.py db_worker` picks it up. A job that was running
when its worker died stays "running" with its start time on the page; nothing restarts it.
"""

import logging
import time
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from lao_integrity.tabular import ImportRejected

from . import registry
from .models import FINISHED, Job, Status

logger = logging.getLogger(__name__)

MAX_PROBLEMS = 1000  # a national file with every row wrong: the first thousand are enough to fix it
DONE_MESSAGE = "เสร็จแล้ว ดาวน์โหลดไฟล์ได้"
REJECTED_MESSAGE = "ไม่ได้นำเข้า ข้อมูลเดิมไม่เปลี่ยนแปลง พบข้อผิดพลาด {count:,} รายการ"
MORE_PROBLEMS = " (แสดง {shown:,} รายการแรก)"
FAILED_MESSAGE = ("งานนี้ไม่สำเร็จเพราะเกิดข้อผิดพลาดในระบบ โปรดลองใหม่อีกครั้ง "
                  "หากยังไม่สำเร็จโปรดแจ้งผู้ดูแลระบบพร้อมรหัสงาน {id}")
QUEUE_FAILED_MESSAGE = "ส่งงานเข้าคิวไม่สำเร็จ โปรดลองใหม่อีกครั้ง หากยังไม่สำเร็จโปรดแจ้งผู้ดูแลระบบ"


def job_start(*, kind: str, user, organisation=None, params: dict | None = None, upload=None,
              title: str | None = None) -> Job:
    """Record a job for `user` and queue it. `params` must be JSON (ids, years, formats, not objects);
    `upload` (an already validated file) is kept as the job's input file."""
    spec = registry.get(kind)
    job = Job(kind=kind, owner=user, organisation=organisation, title=(title or spec.title)[:300],
              params=dict(params or {}))
    with transaction.atomic():
        if upload is not None:
            job.params["filename"] = Path(upload.name or "").name
            upload.seek(0)
            job.input_file.save(f"{job.pk}{Path(upload.name or '').suffix.lower()}", upload, save=False)
        job.save(force_insert=True)
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(job_id) -> None:
    from .tasks import run_job

    try:
        result = run_job.enqueue(str(job_id))
    except Exception:
        logger.exception("job %s could not be queued", job_id)
        _finish(job_id, Status.FAILED, message=QUEUE_FAILED_MESSAGE)
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def job_run(*, job_id) -> str:
    """Run one queued job to its end and record the outcome; returns the final status.

    Called by tasks.run_job (in the worker, or in-process with the ImmediateBackend). A job that is
    not queued any more (run twice by a retried task) is left alone.
    """
    claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now())
    if not claimed:
        logger.warning("job %s is not queued (any more): not run again", job_id)
        return "skipped"
    job = Job.objects.select_related("owner", "organisation").get(pk=job_id)
    report = Progress(job.pk)
    try:
        outcome = registry.get(job.kind).runner(job, report)
        if isinstance(outcome, registry.Output):
            _store(job, outcome)
        else:
            _finish(job.pk, Status.DONE, message=str(outcome or "เสร็จแล้ว"))
        return Status.DONE
    except ImportRejected as rejected:
        problems = rejected.problems
        message = REJECTED_MESSAGE.format(count=len(problems))
        if len(problems) > MAX_PROBLEMS:
            message += MORE_PROBLEMS.format(shown=MAX_PROBLEMS)
        _finish(job.pk, Status.FAILED, message=message,
                problems=[{"line": p.line, "message": p.message} for p in problems[:MAX_PROBLEMS]])
    except ValidationError as error:
        _finish(job.pk, Status.FAILED, message=" ".join(error.messages))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job.pk, Status.FAILED, message=FAILED_MESSAGE.format(id=job.pk))
    finally:
        report.close()
    return Status.FAILED


def _finish(job_id, status: str, *, message: str, problems: list | None = None, **fields) -> None:
    changes = {"status": status, "message": message, "problems": problems or [], "finished_at": timezone.now()}
    if status == Status.DONE:
        changes["done"] = F("total")
    Job.objects.filter(pk=job_id).update(**changes, **fields)


def _store(job: Job, output: registry.Output) -> None:
    """Keep the result file under MEDIA_ROOT/jobs/result/ and mark the job done."""
    content = output.content
    if isinstance(content, bytes):
        file = ContentFile(content)
    elif isinstance(content, (str, Path)):
        file = File(open(content, "rb"))  # noqa: SIM115 (closed below)
    else:
        content.seek(0)
        file = File(content)
    try:
        job.result_file.save(f"{job.pk}{Path(output.name).suffix.lower()}", file, save=False)
    finally:
        file.close()
    _finish(job.pk, Status.DONE, message=output.message or DONE_MESSAGE, result_file=job.result_file.name,
            result_name=output.name, content_type=output.content_type)


class Progress:
    """`report(done, total)` for a runner: an UPDATE of two numbers, at most every INTERVAL seconds.

    An import runs in one transaction, and on PostgreSQL a row updated inside it would not be seen
    by the page until the import commits; so inside a transaction the figures go through a second
    connection of their own. SQLite takes one writer at a time (a second connection would wait for
    the import), so there they are written in the transaction and show when it ends.
    """

    INTERVAL = 0.5

    def __init__(self, job_id):
        self.job_id = job_id
        self._last = None
        self._side = None
        self._aside = True

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self._last is not None and now - self._last < self.INTERVAL and done < total:
            return
        self._last = now
        done, total = max(0, int(done)), max(0, int(total))
        if self._aside and connection.in_atomic_block and connection.vendor != "sqlite":
            if self._write_aside(done, total):
                return
            # The job's own row is not committed yet (the job was started inside the same
            # transaction, as in tests): only this connection can see it.
            self._aside = False
        Job.objects.filter(pk=self.job_id).update(done=done, total=total)

    def _write_aside(self, done: int, total: int) -> bool:
        """The figures through a connection of their own; False when that connection can't see the row."""
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        side, meta = self._side, Job._meta
        quote = side.ops.quote_name
        sql = (f"UPDATE {quote(meta.db_table)} SET {quote('done')} = %s, {quote('total')} = %s "
               f"WHERE {quote(meta.pk.column)} = %s")
        with side.cursor() as cursor:
            cursor.execute(sql, [done, total, meta.pk.get_db_prep_value(self.job_id, side)])
            return cursor.rowcount > 0

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def job_prune(*, days: int) -> int:
    """Delete finished jobs older than `days` days with their files; returns how many."""
    cutoff = timezone.now() - timedelta(days=days)
    count = 0
    for job in Job.objects.filter(status__in=FINISHED, finished_at__lt=cutoff).only(
            "pk", "input_file", "result_file").iterator():
        files = [f for f in (job.input_file, job.result_file) if f]
        job.delete()
        for file in files:
            try:
                file.storage.delete(file.name)
            except OSError:
                logger.warning("could not delete %s of job %s", file.name, job.pk)
        count += 1
    return count

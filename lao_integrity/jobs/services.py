"""Writes to jobs: start one, run one (from the django-tasks task), prune old ones.

`job_start` saves the row and enqueues `tasks.run_job` once the transaction has committed, so a
worker always finds the row. With the default ImmediateBackend the job runs there and then, inside
the request; with the database backend `manage.py db_worker` picks it up.

While a job runs, its process writes a heartbeat on the row (with each progress report, and every
HEARTBEAT_SECONDS from a thread of its own, so a long step without reports keeps it alive too). A
running job whose heartbeat is older than LEASE died with its process (kill -9, a restarted
server): `fail_dead` shows it as failed and writes it so, whenever jobs are read. The owner may
then start it again (`job_restart`): a new job of the same kind with the same inputs, once.
"""

import logging
import threading
import time
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
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
DEAD_MESSAGE = ("งานหยุดทำงานโดยไม่เสร็จ ไม่ได้รับสัญญาณจากงานนานเกิน {lease}{where} "
                "(เครื่องที่ทำงานอาจหยุดหรือเริ่มใหม่) กด “เริ่มใหม่” เพื่อสั่งงานเดิมอีกครั้ง")
DEAD_AT = " ขณะทำไปแล้ว {done:,} จาก {total:,} {unit}"
NOT_RESTARTABLE_MESSAGE = "งานนี้เริ่มใหม่ไม่ได้"

# A running job writes a heartbeat at least every HEARTBEAT_SECONDS; one silent for LEASE_SECONDS
# is dead. The lease is several heartbeats long, so a busy database or a slow step does not kill a
# live job.
HEARTBEAT_SECONDS = getattr(settings, "JOBS_HEARTBEAT_SECONDS", 15)
LEASE_SECONDS = getattr(settings, "JOBS_LEASE_SECONDS", 120)


def lease_cutoff():
    return timezone.now() - timedelta(seconds=LEASE_SECONDS)


def dead(jobs):
    """Those of `jobs` that say they run but whose process has stopped writing its heartbeat
    (rows from before heartbeats existed, or claimed a moment ago, count from their start)."""
    return (jobs.alias(last_sign=Coalesce("heartbeat_at", "started_at", "created_at"))
            .filter(status=Status.RUNNING, last_sign__lt=lease_cutoff()))


def is_dead(job: Job) -> bool:
    """Computed when read: the job says it runs, but nothing has been heard from it for the lease."""
    if job.status != Status.RUNNING:
        return False
    last = job.heartbeat_at or job.started_at or job.created_at
    return last is not None and last < lease_cutoff()


def _dead_message(job: Job) -> str:
    try:
        unit = registry.get(job.kind).unit
    except LookupError:  # a kind no longer registered
        unit = "รายการ"
    where = DEAD_AT.format(done=job.done, total=job.total, unit=unit) if job.total else ""
    lease = f"{LEASE_SECONDS // 60:,} นาที" if LEASE_SECONDS >= 60 else f"{LEASE_SECONDS:,} วินาที"
    return DEAD_MESSAGE.format(lease=lease, where=where)


def fail_dead(jobs) -> None:
    """Show each dead job in `jobs` as failed, and write it so (only if it is still running and
    still silent: a job that has just reported is left alone)."""
    for job in jobs:
        if not is_dead(job):
            continue
        message, now = _dead_message(job), timezone.now()
        written = dead(Job.objects.filter(pk=job.pk)).update(status=Status.FAILED, message=message,
                                                             finished_at=now)
        if written:
            logger.warning("job %s (%s) stopped without finishing: no heartbeat since %s", job.pk, job.kind,
                           job.heartbeat_at or job.started_at)
            job.status, job.message, job.finished_at = Status.FAILED, message, now
        else:
            job.refresh_from_db()


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
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat_at=now)
    if not claimed:
        logger.warning("job %s is not queued (any more): not run again", job_id)
        return "skipped"
    job = Job.objects.select_related("owner", "organisation").get(pk=job_id)
    report = Progress(job.pk)
    heartbeat = Heartbeat(job.pk)
    heartbeat.start()
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
        heartbeat.stop()
        report.close()
    return Status.FAILED


def _finish(job_id, status: str, *, message: str, problems: list | None = None, **fields) -> None:
    changes = {"status": status, "message": message, "problems": problems or [], "finished_at": timezone.now()}
    if status == Status.DONE:
        changes["done"] = F("total")
    Job.objects.filter(pk=job_id).update(**changes, **fields)


def _store(job: Job, output: registry.Output) -> None:
    """Keep the result file in the default storage (jobs/result/: MEDIA_ROOT or the shared bucket, so
    the web server of any host serves what a worker on another made) and mark the job done. A path
    in `content` is this process's own temporary file, read here, never handed on."""
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
        Job.objects.filter(pk=self.job_id).update(done=done, total=total, heartbeat_at=timezone.now())

    def _write_aside(self, done: int, total: int) -> bool:
        """The figures through a connection of their own; False when that connection can't see the row."""
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        side, meta = self._side, Job._meta
        quote = side.ops.quote_name
        sql = (f"UPDATE {quote(meta.db_table)} SET {quote('done')} = %s, {quote('total')} = %s, "
               f"{quote('heartbeat_at')} = %s WHERE {quote(meta.pk.column)} = %s")
        now = meta.get_field("heartbeat_at").get_db_prep_value(timezone.now(), side)
        with side.cursor() as cursor:
            cursor.execute(sql, [done, total, now, meta.pk.get_db_prep_value(self.job_id, side)])
            return cursor.rowcount > 0

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


class Heartbeat:
    """A thread writing the running job's heartbeat every HEARTBEAT_SECONDS, through a connection
    of its own (autocommit: seen at once, whatever transaction the job holds), until stop().
    It dies with the process, which is the point: then the heartbeat stops and the lease runs out.

    Not on SQLite: it takes one writer at a time, so the thread would wait behind an import's
    transaction; there the progress reports carry the heartbeat (Progress)."""

    def __init__(self, job_id):
        self.job_id = job_id
        self._stop = threading.Event()
        self._thread = None

    @staticmethod
    def enabled() -> bool:
        return connection.vendor != "sqlite"

    def start(self) -> None:
        if not self.enabled():
            return
        self._thread = threading.Thread(target=self._run, name=f"job-heartbeat-{self.job_id}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=HEARTBEAT_SECONDS + 5)
            self._thread = None

    def _run(self) -> None:
        side = None
        try:
            while not self._stop.wait(HEARTBEAT_SECONDS):
                try:
                    if side is None:
                        side = connections.create_connection(DEFAULT_DB_ALIAS)
                    self.beat(side)
                except Exception:  # a dropped connection: try again at the next beat
                    logger.warning("job %s: heartbeat not written", self.job_id, exc_info=True)
                    if side is not None:
                        side.close()
                        side = None
        finally:
            if side is not None:
                side.close()

    def beat(self, side) -> None:
        meta = Job._meta
        quote = side.ops.quote_name
        sql = (f"UPDATE {quote(meta.db_table)} SET {quote('heartbeat_at')} = %s "
               f"WHERE {quote(meta.pk.column)} = %s AND {quote('status')} = %s")
        now = meta.get_field("heartbeat_at").get_db_prep_value(timezone.now(), side)
        with side.cursor() as cursor:
            cursor.execute(sql, [now, meta.pk.get_db_prep_value(self.job_id, side), Status.RUNNING])


def job_restart(*, job: Job, user) -> Job:
    """Start `job` again: a new job of the same kind for the same owner with the same inputs (its
    parameters, organisation and input file). Once: a second request gets the job the first made.
    The owner, or an administrator on the owner's behalf: the new job is the owner's still, so it
    runs with the owner's rights, never wider. Only a failed job not refused for its content."""
    if user is None or not (job.owner_id == user.pk or user.is_superuser):
        raise PermissionDenied("เฉพาะผู้สั่งงานหรือผู้ดูแลระบบเท่านั้นที่เริ่มงานนี้ใหม่ได้")
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if current.restarted_as_id is not None:
            return Job.objects.get(pk=current.restarted_as_id)
        fail_dead([current])
        if not current.can_restart:
            raise ValidationError(NOT_RESTARTABLE_MESSAGE)
        params = {key: value for key, value in current.params.items() if key != "filename"}
        upload = None
        if current.input_file:
            upload = File(current.input_file.open("rb"), name=current.params.get("filename") or current.input_file.name)
        try:
            new = job_start(kind=current.kind, user=current.owner, organisation=current.organisation,
                            params=params, upload=upload, title=current.title)
        finally:
            if upload is not None:
                upload.close()
        Job.objects.filter(pk=current.pk).update(restarted_as=new)
    return new


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

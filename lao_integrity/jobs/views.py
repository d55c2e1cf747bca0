"""Job pages: the user's recent jobs, one job's progress (polled by static/js/jobs.js) and its file.

Only the owner and administrators see a job; anyone else gets a 404, as if it did not exist. A
job whose process died shows as failed wherever it is read (services.fail_dead), and its owner
may start it again.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lao_integrity.pagecache import cached_page
from lao_integrity.submissions.once import once_per_submission
from lao_integrity.uploads import stored_file_response

from . import registry, selectors, services
from .models import Job, Status

SCOPE_CHANGED_MESSAGE = ("สิทธิ์การเข้าถึงข้อมูลของท่านเปลี่ยนไปตั้งแต่สร้างไฟล์นี้ จึงดาวน์โหลดไฟล์นี้ไม่ได้แล้ว "
                         "โปรดสร้างไฟล์ใหม่จากหน้าที่สั่งงาน")


def _unit(job: Job) -> str:
    try:
        return registry.get(job.kind).unit
    except LookupError:  # a kind no longer registered: its old jobs still list
        return "รายการ"


def progress_text(job: Job) -> str:
    """The line under the progress bar (Thai)."""
    if job.status == Status.QUEUED:
        return "รอคิว งานจะเริ่มเมื่อถึงคิว"
    unit = _unit(job)
    if job.status == Status.RUNNING:
        if job.total:
            return f"ทำแล้ว {job.done:,} จาก {job.total:,} {unit} ({job.percent}%)"
        return "กำลังทำงาน…"
    if job.status == Status.DONE:
        return f"เสร็จแล้ว {job.total:,} {unit}" if job.total else "เสร็จแล้ว"
    return "ไม่สำเร็จ"


def after_start(job: Job):
    """Where to send the user who started `job`: straight to the file when it is ready already
    (the in-process backend runs it at once), else to its page to watch it."""
    job.refresh_from_db()
    response = redirect("jobs:download" if job.has_result else "jobs:detail", pk=job.pk)
    # Started inside a one-time submission's transaction (lao_integrity/submissions), the job
    # runs only once that commits: decide again then.
    response.after_commit = functools.partial(after_start, job)
    return response


def _job(request, pk) -> Job:
    job = selectors.job_for_user(request.user, pk)
    if job is None:
        raise Http404
    services.fail_dead([job])
    return job


@login_required
@cached_page
def job_list(request):
    jobs = list(selectors.jobs_for_user(request.user))
    # A listed job whose process died is shown and written as failed here (no query when none
    # did). A page listing a running job is never kept: its job could die without a write, and
    # so without a new data version (lao_integrity/pagecache); a page of finished jobs stays right.
    services.fail_dead(jobs)
    response = render(request, "jobs/list.html", {"jobs": jobs, "limit": selectors.RECENT})
    if any(job.status == Status.RUNNING for job in jobs):
        response.not_kept = True
    return response


@login_required
def job_detail(request, pk):
    job = _job(request, pk)
    return render(request, "jobs/detail.html", {"job": job, "progress_text": progress_text(job)})


@login_required
def job_status(request, pk):
    job = _job(request, pk)
    response = JsonResponse({
        "status": job.status,
        "label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "text": progress_text(job),
        "finished": job.is_finished,
        "download": reverse("jobs:download", args=[job.pk]) if job.has_result else None,
    })
    response["Cache-Control"] = "no-store"
    return response


@login_required
def job_download(request, pk):
    job = _job(request, pk)
    if not job.has_result:
        raise Http404
    if not selectors.may_download(request.user, job):
        raise PermissionDenied(SCOPE_CHANGED_MESSAGE)
    return stored_file_response(job.result_file, filename=job.result_name or None,
                                content_type=job.content_type or "application/octet-stream")


@login_required
@require_POST
@once_per_submission
def job_restart(request, pk):
    """"เริ่มใหม่": the owner (or an administrator) gets a new job with the same inputs, once."""
    job = _job(request, pk)
    try:
        new = services.job_restart(job=job, user=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("jobs:detail", pk=job.pk)
    return after_start(new)

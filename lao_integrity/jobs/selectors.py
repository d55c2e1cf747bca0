"""Reads for the job pages: a user's recent jobs, and one job if the user may see it."""

from django.db.models import QuerySet

from lao_integrity.orgs import access

from .models import Job, Status

RECENT = 50


def jobs_for_user(user) -> QuerySet[Job]:
    """The user's own jobs, newest first (administrators too see only their own here; all in the admin)."""
    return Job.objects.filter(owner=user).select_related("organisation").order_by("-created_at")[:RECENT]


def job_for_user(user, pk) -> Job | None:
    """The job if `user` may see it: its owner or an administrator, and, for a job on one
    organisation's data, only while they may still see that organisation. None otherwise."""
    job = Job.objects.select_related("organisation").filter(pk=pk).first()
    if job is None or not user.is_authenticated:
        return None
    if not (user.is_superuser or job.owner_id == user.pk):
        return None
    if job.organisation is not None and not access.can_view(user, job.organisation):
        return None
    return job


def may_download(user, job: Job) -> bool:
    """The result file of a job on no one organisation (a file of every organisation the owner saw)
    only while the user still sees everything it was made from (params["scope"], a
    lao_integrity.orgs.access.scope_snapshot); a job of one organisation is checked by job_for_user."""
    if job.organisation_id is not None:
        return True
    return access.covers_scope(user, job.params.get("scope") if isinstance(job.params, dict) else None)


def active_job(user, *, kind: str, params: dict) -> Job | None:
    """The user's queued or running job of this kind with these parameters, to open instead of a duplicate."""
    from .services import dead, fail_dead

    lookups = {f"params__{key}": value for key, value in params.items()}
    jobs = Job.objects.filter(owner=user, kind=kind, status__in=[Status.QUEUED, Status.RUNNING], **lookups)
    # A job whose process died is no job to wait for: record it as failed and start a new one.
    fail_dead(dead(jobs))
    return jobs.order_by("-created_at").first()

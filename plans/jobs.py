"""The plan book as a background job (lao_integrity.jobs): laying out a 60-page book takes seconds.

The page serves the book at once when that costs nothing (the signed book as stored, or a draft
laid out before from the same data); otherwise it starts a "plan-book" job and shows its progress.
"""

from django.core.exceptions import ValidationError

from lao_integrity.announcements import selectors as announcement_selectors
from lao_integrity.announcements.models import Kind
from lao_integrity.announcements.services import verified_pdf
from lao_integrity.documents.render import cached_pdf, render_html
from lao_integrity.jobs import selectors as job_selectors
from lao_integrity.jobs.registry import Output, register
from lao_integrity.jobs.services import job_start
from lao_integrity.orgs import access

from . import documents
from .models import Plan

PLAN_BOOK = "plan-book"


def book_filename(plan: Plan) -> str:
    return f"{documents.PLAN_DOCUMENTS['book']}-{plan.organisation.code}-{plan.fiscal_year}.pdf"


def ready_book(plan: Plan) -> bytes | None:
    """The book's PDF if it is at hand, else None. ValidationError when the stored signed book no
    longer matches its SHA-256 (as documents.plan_book_pdf)."""
    announcement = announcement_selectors.current_announcement(plan.organisation, Kind.PLAN, plan.fiscal_year)
    if announcement is not None and announcement.is_signed:
        return verified_pdf(announcement)
    return cached_pdf(render_html(*documents.plan_document(plan, "book")))


def start_book(*, plan: Plan, user):
    """The user's job making this plan's book: the one already queued or running, else a new one."""
    params = {"plan": plan.pk}
    job = job_selectors.active_job(user, kind=PLAN_BOOK, params=params)
    if job is not None:
        return job
    return job_start(kind=PLAN_BOOK, user=user, organisation=plan.organisation, params=params,
                     title=f"เล่มแผนปฏิบัติการป้องกันการทุจริต {plan.organisation.name} "
                           f"ปีงบประมาณ {plan.fiscal_year}")


def run_plan_book(job, report) -> Output:
    plan = Plan.objects.select_related("organisation").get(pk=job.params["plan"])
    if not access.can_view(job.owner, plan.organisation):
        raise ValidationError("ท่านไม่มีสิทธิ์ดูแผนนี้แล้ว")
    report(0, documents.BOOK_STEPS)
    pdf = documents.plan_book_pdf(plan, progress=lambda done: report(done, documents.BOOK_STEPS))
    return Output(name=book_filename(plan), content_type="application/pdf", content=pdf,
                  message=f"เล่มแผนพร้อมแล้ว ({len(pdf) / 1024 / 1024:.1f} MB)")


def register_jobs() -> None:
    register(PLAN_BOOK, run_plan_book, title="เล่มแผนปฏิบัติการป้องกันการทุจริต", unit="ขั้นตอน")

"""The rules every change to a plan or its projects follows: who may make it, the plan's row
lock, and the revision that a change to an approved plan starts (plans/revisions.py)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lao_integrity.concurrency import check_and_bump
from lao_integrity.orgs import access
from lao_integrity.review import workflow as review

from .models import Plan, PlanStatus
from .revisions import RevisionNotConfirmed


def check_edit(user, organisation):
    if not access.can_edit(user, organisation):
        raise PermissionDenied("ท่านไม่มีสิทธิ์แก้ไขข้อมูลของ อปท. นี้")


def lock_plan(plan: Plan) -> Plan:
    """The plan's row, locked until the transaction ends: every write that numbers the plan's
    projects (add, delete, move, import) or its versions takes it first, so two of them at once
    queue up instead of both taking the same number (the second would break the unique
    (plan, sequence) constraint: an HTTP 500, and what was typed lost)."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


def require_revision_confirmed(plan: Plan, confirmed: bool) -> None:
    """Refuse to change an approved plan unless the user confirmed starting a revision
    (plans/revisions.py). Under the plan's row lock, so an approval made since counts."""
    if not confirmed and Plan.objects.select_for_update().filter(pk=plan.pk, status=PlanStatus.APPROVED).exists():
        raise RevisionNotConfirmed(plan)


def require_not_submitted(plan: Plan) -> None:
    """A plan submitted for approval is what the executive is reading: staff withdraw it first
    (lao_integrity/review). Read under the row lock, so a submission made since counts."""
    review.refuse_while_submitted(Plan.objects.select_for_update().get(pk=plan.pk))


def mark_changed(plan: Plan) -> None:
    """A change to an approved plan starts a revision; the approved version stays frozen. A
    submitted plan is refused (withdrawn first); a returned one stays returned, its comment shown,
    until staff submit it again."""
    # Decided in the database: the caller's `plan` may predate an approval made since.
    stored = Plan.objects.select_for_update().get(pk=plan.pk)
    review.refuse_while_submitted(stored)
    if stored.status != PlanStatus.APPROVED:
        plan.status = stored.status
        # Only the timestamp moves: a queryset update, so no history row for it.
        Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
        return
    plan.status = PlanStatus.DRAFT
    # Back to draft is a change of the plan itself: saved, so the audit trail records it and
    # edit forms opened before it are refused (the version moves).
    stored.status = PlanStatus.DRAFT
    check_and_bump(stored)
    stored.save(update_fields=["status", "updated_at", "version"])
    plan.version = stored.version

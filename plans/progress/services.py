"""A project's progress, quarter by quarter: what to ask before saving, and the save."""

from decimal import Decimal

from django.db import transaction

from lao_integrity import thai
from lao_integrity.concurrency import claim, save_claimed
from lao_integrity.confirmation import require_confirmed, status_went_back
from lao_integrity.evidence import replace_file, validate_evidence
from lao_integrity.history import records_user
from lao_integrity.orgs import access
from lao_integrity.pagecache.versions import scoped

from ..changes import check_edit
from ..models import ProgressStatus, Project, ProjectProgress

# The order of the statuses a project goes through; "unable" (ไม่สามารถดำเนินการได้) stands apart.
_STAGES = [ProgressStatus.NOT_STARTED, ProgressStatus.IN_PROGRESS, ProgressStatus.DONE]


def progress_warnings(*, project: Project, quarter: int, status: str, amount_spent: Decimal) -> dict[str, str]:
    """What to ask the user before saving a quarter's progress (kind -> Thai message).

    Spending: when this save raises the quarter's amount and the project's total over all
    quarters then exceeds its budget (a project without budget spends nothing). Status: when it
    goes back to an earlier stage from "done", recorded for this quarter or the latest earlier one.
    """
    stored = {p.quarter: p for p in ProjectProgress.objects.filter(project=project)}
    warnings = {}
    previous = stored.get(quarter)
    previous_amount = previous.amount_spent if previous else Decimal("0")
    total = sum((p.amount_spent for q, p in stored.items() if q != quarter), Decimal("0")) + amount_spent
    budget = project.budget or Decimal("0")
    if amount_spent > previous_amount and total > budget:
        fmt = thai.format_baht
        if not budget:
            text = (f"โครงการนี้ไม่ได้ตั้งงบประมาณไว้ (ดำเนินการโดยไม่ใช้งบประมาณ) "
                    f"แต่บันทึกการใช้งบประมาณรวม {fmt(total)} บาท")
        elif amount_spent > budget:
            text = (f"ไตรมาสนี้ใช้งบประมาณไป {fmt(amount_spent)} บาท เกินงบประมาณทั้งโครงการ "
                    f"{fmt(budget)} บาท (เกิน {fmt(amount_spent - budget)} บาท)")
        else:
            text = (f"ใช้งบประมาณรวมทุกไตรมาส {fmt(total)} บาท (ไตรมาสนี้ {fmt(amount_spent)} บาท) "
                    f"เกินงบประมาณของโครงการ {fmt(budget)} บาท (เกิน {fmt(total - budget)} บาท)")
        warnings["overspend"] = text + " หากถูกต้อง ให้ทำเครื่องหมาย “ยืนยันว่าเบิกจ่ายเกินงบประมาณ” แล้วบันทึกอีกครั้ง"
    warnings.update(status_went_back({q: p.status for q, p in stored.items()}, quarter, status, stages=_STAGES,
                                     labels=dict(ProgressStatus.choices)))
    return warnings


@scoped("project")
@records_user
@transaction.atomic
def progress_record(*, project: Project, quarter: int, user, status: str,
                    amount_spent: Decimal = Decimal("0"), result: str = "", evidence_file=None,
                    evidence_url: str = "", expected_version: int | None = None,
                    ordinance_budget: Decimal | None = None, unable_reason: str = "",
                    confirmed=()) -> ProjectProgress:
    """One quarter's progress, with what e-PlanNACC asks: the status ("ไม่สามารถดำเนินการได้" only
    with its reason, which other statuses do not keep), the budget in the ordinance and the amount
    disbursed (`amount_spent`). `expected_version`: the version the form was loaded with (0 when
    the quarter had none); StaleEdit if it moved. Spending over the budget and a status back
    from "done" need the user's confirmation (`confirmed`: the kinds of progress_warnings)."""
    check_edit(user, project.plan.organisation)
    if evidence_file:
        validate_evidence(evidence_file)
    # One writer of a project's quarters at a time: the totals below are checked against the stored budget.
    locked = Project.objects.select_for_update().get(pk=project.pk)
    progress = claim(ProjectProgress, expected_version, project=project, quarter=quarter)
    require_confirmed(progress_warnings(project=locked, quarter=quarter, status=status,
                                        amount_spent=amount_spent), confirmed)
    progress.status = status
    progress.unable_reason = (unable_reason or "").strip() if status == ProgressStatus.UNABLE else ""
    progress.ordinance_budget = ordinance_budget
    progress.amount_spent = amount_spent
    progress.result = result.strip()
    replace_file(progress, evidence_file)
    progress.evidence_url = evidence_url.strip()
    progress.updated_by = access.person(user)
    progress.full_clean(validate_unique=False)
    save_claimed(progress, expected_version, project=project, quarter=quarter)
    return progress

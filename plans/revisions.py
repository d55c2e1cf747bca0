"""Changing an approved plan starts a revision: asked first, never found out afterwards.

One staff click (moving a project) used to reopen a signed plan and say so only afterwards. Now
the services that change an approved plan's projects take ``confirm_revision``; the pages pass
what the user confirmed, and without it nothing changes and the question below is shown. The
plan page and the plan announcement's page say beforehand that an edit starts a revision.
The question is the kernel's confirmation (lao_integrity/confirmation.py) of kind "revision",
asked by the pages themselves (plans/_revision_confirm.html, revision_confirm.html).
"""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from lao_integrity import confirmation
from lao_integrity.thai import format_date_short

from .models import Plan, PlanStatus

QUESTION = "การแก้ไขนี้จะเริ่มฉบับปรับปรุง"
KIND = "revision"
CONFIRM_FIELD = confirmation.field_name(KIND)


class RevisionNotConfirmed(confirmation.NeedsConfirmation):
    """The plan is approved and the user has not confirmed starting a revision; nothing changed."""

    def __init__(self, plan: Plan):
        self.plan = plan
        super().__init__({KIND: question(plan)})


def next_revision(plan: Plan, versions: list | None = None) -> int:
    """N of "ฉบับปรับปรุง ครั้งที่ N" that the next approval will freeze (`versions`: the plan's
    versions when the page has them already)."""
    if versions is not None:
        number = max((v.number for v in versions), default=None)
    else:
        number = plan.versions.aggregate(n=Max("number"))["n"]
    return 0 if number is None else number + 1


def question(plan: Plan) -> str:
    return f"{QUESTION} ครั้งที่ {next_revision(plan)} ต้องการดำเนินการต่อหรือไม่"


def consequences(plan: Plan, announcement=None, *, versions: list | None = None) -> list[str]:
    """What happens when an approved plan is changed, for the question and the notices."""
    lines = [
        f"แผนที่อนุมัติแล้วจะกลับเป็นร่าง ({QUESTION} ครั้งที่ {next_revision(plan, versions)}) "
        "ฉบับที่อนุมัติแล้วยังเก็บไว้ตามเดิม และผู้บริหารต้องอนุมัติฉบับปรับปรุงอีกครั้ง",
    ]
    if announcement is not None and getattr(announcement, "is_signed", False):
        lines.append(
            f"ประกาศใช้แผนฉบับที่ {announcement.revision} ที่ลงนามแล้วเมื่อ "
            f"{format_date_short(timezone.localtime(announcement.signed_at).date())} จะไม่เปลี่ยนตาม และจะไม่ตรงกับแผนที่แก้ไข "
            "ต้องจัดทำประกาศฉบับปรับปรุงให้ผู้บริหารลงนามใหม่"
        )
    return lines


def notice(plan: Plan | None, announcement=None, *, versions: list | None = None) -> list[str]:
    """Shown on the plan page and the plan announcement's page while the plan is approved."""
    if plan is None or plan.status != PlanStatus.APPROVED:
        return []
    return [f"แผนนี้อนุมัติแล้ว การเพิ่ม แก้ไข ลบ หรือเลื่อนลำดับโครงการ{QUESTION} "
            "ระบบจะถามยืนยันก่อนบันทึก", *consequences(plan, announcement, versions=versions)]


def confirmed(request) -> bool:
    return confirmation.posted(request.POST, KIND)


def confirm_context(plan: Plan, announcement=None, *, checked: bool = False) -> dict | None:
    """What a page shows before a change to `plan`: None unless the plan is approved."""
    if plan.status != PlanStatus.APPROVED:
        return None
    return {"question": question(plan), "lines": consequences(plan, announcement),
            "number": next_revision(plan), "field": CONFIRM_FIELD, "checked": checked}

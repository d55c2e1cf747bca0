"""A frozen version printed: its summary table as approved (the plan book's first page, from the
version's snapshot, never from today's projects), with who approved it and when."""

from django.utils import timezone

from lao_integrity import thai
from lao_integrity.documents.render import render_html, render_pdf

from ..models import QUARTERS, PlanVersion
from .selectors import VersionPage

TEMPLATE = "plans/versions/documents/version.html"


def approver_name(version: PlanVersion) -> str:
    user = version.created_by
    if user is None:
        return "ระบบ"
    return user.get_full_name() or user.get_username()


def approval_text(version: PlanVersion) -> str:
    """"ตั้งต้น อนุมัติเมื่อ 5 ธันวาคม 2569 โดย ..." """
    when = thai.format_date_long(timezone.localtime(version.created_at).date(), thai=False)
    return f"{version.label} อนุมัติเมื่อ {when} โดย {approver_name(version)}"


def context(page: VersionPage) -> dict:
    plan = page.version.plan
    return {"plan": plan, "org": plan.organisation, "summary": page.summary, "quarters": QUARTERS,
            "version": page.version, "frozen": approval_text(page.version)}


def filename(version: PlanVersion) -> str:
    plan = version.plan
    return f"plan-{plan.organisation.code}-{plan.fiscal_year}-v{version.number}.pdf"


def version_html(page: VersionPage, *, request=None) -> str:
    return render_html(TEMPLATE, {**context(page), "preview": True}, request=request)


def version_pdf(page: VersionPage) -> bytes:
    return render_pdf(TEMPLATE, context(page))

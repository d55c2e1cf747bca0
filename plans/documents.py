"""The plan's official documents: the plan book (the adoption announcement with the summary
table and detail sheets as its annex), the announcement alone, and the progress report.

The announcement itself is a kernel Announcement of kind "plan"; this module adds the plan's
annex and checks to that kind, so signing stores the whole book.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string

from lao_integrity.announcements import documents as announcement_documents
from lao_integrity.announcements import kinds as announcement_kinds
from lao_integrity.announcements import selectors as announcement_selectors
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.announcements.services import verified_pdf
from lao_integrity.documents.registry import register
from lao_integrity.documents.render import html_to_pdf, render_html, render_pdf
from lao_integrity.statements import Statement

from . import eplannacc, revisions, selectors, sheet_layout
from .models import Plan, PlanStatus, Project


@dataclass
class Gap:
    project: Project
    problem: str


def plan_book_gaps(projects: list[Project]) -> list[Gap]:
    """What the signer should know is incomplete before signing."""
    gaps = []
    for project in projects:
        sheet = getattr(project, "sheet", None)
        if sheet is None:
            gaps.append(Gap(project, "ยังไม่มีรายละเอียดโครงการ"))
            continue
        # has_indicators, has_objectives: read with the projects on the plan page (plan_summary(outline=True)).
        has_indicators = (project.has_indicators if hasattr(project, "has_indicators")
                          else bool(sheet.outputs or sheet.outcomes))
        if not has_indicators:
            gaps.append(Gap(project, "รายละเอียดโครงการยังไม่มีผลผลิต/ผลลัพธ์"))
        has_rationale = (project.has_rationale if hasattr(project, "has_rationale")
                         else bool(sheet.rationale_paragraphs))
        if not has_rationale:
            gaps.append(Gap(project, "ยังไม่มีหลักการและเหตุผล"))
        has_objectives = (project.has_objectives if hasattr(project, "has_objectives")
                          else bool(list(sheet.objectives.all())))
        if not has_objectives:
            gaps.append(Gap(project, "ยังไม่มีวัตถุประสงค์"))
    return gaps


def plan_document_context(plan: Plan) -> dict:
    summary = selectors.plan_summary(plan)
    projects = selectors.plan_sheets(plan)
    return {
        "plan": plan,
        "org": plan.organisation,
        "summary": summary,
        "projects": projects,
        "gaps": plan_book_gaps(projects),
        "quarters": (1, 2, 3, 4),
        "sections": sheet_layout.BY_KEY,
    }


PROGRESS_TEMPLATE = "plans/documents/progress.html"  # its context: plan_progress_context ("public": no issuer)


def plan_progress_context(plan: Plan, *, months: int) -> dict:
    return {"plan": plan, "org": plan.organisation, "summary": selectors.progress_summary(plan, months=months),
            "ordinance_label": eplannacc.ordinance_label(plan),
            "months": months}


def plan_announcement(plan: Plan) -> Announcement:
    """The plan's announcement: the newest revision, or an unsaved draft from the standard text."""
    announcement = announcement_selectors.latest_announcement(plan.organisation, Kind.PLAN, plan.fiscal_year)
    if announcement is not None:
        return announcement
    template = announcement_kinds.template_for(Kind.PLAN)
    return Announcement(organisation=plan.organisation, kind=Kind.PLAN, fiscal_year=plan.fiscal_year,
                        subject=template.subject, body=template.body, closing=template.closing)


def plan_announcement_state(plan: Plan) -> Announcement | None:
    """The newest revision of the plan's announcement as the plan page shows it (its number,
    status and signing), without its texts: a signed book's annex is the whole book."""
    found = _ANNOUNCEMENT.objects(plan.organisation_id, plan.fiscal_year)
    return found[0] if found else None


_ANNOUNCEMENT = Statement(lambda organisation_id, fiscal_year: (
    Announcement.objects.filter(organisation_id=organisation_id, kind=Kind.PLAN, fiscal_year=fiscal_year)
    .defer("body", "annex").order_by("-revision", "-pk")[:1]))


def _announcement_context(plan: Plan, *, with_annex: bool) -> dict:
    announcement = plan_announcement(plan)
    if announcement.is_signed:
        # A signed announcement is reprinted only from its stored PDF; a fresh rendering of
        # today's data under the signed text would be a document nobody signed.
        announcement = Announcement(organisation=announcement.organisation, kind=announcement.kind,
                                    fiscal_year=announcement.fiscal_year, subject=announcement.subject,
                                    body=announcement.body, closing=announcement.closing,
                                    signer=announcement.signer)
    context = announcement_documents.context(announcement)
    if not with_annex:
        context["annex_html"] = ""
    return context


# kind -> file name stem; the page, the preview and render_pdf all use this table.
PLAN_DOCUMENTS = {
    "book": "plan-book",
    "announcement": "plan-announcement",
    "progress": "plan-progress",
}


def plan_document(plan: Plan, kind: str, *, months: int = 12) -> tuple[str, dict]:
    """The template and context of one of the plan's documents."""
    if kind == "progress":
        return PROGRESS_TEMPLATE, plan_progress_context(plan, months=months)
    return "announcements/documents/announcement.html", _announcement_context(plan, with_annex=kind == "book")


def plan_document_pdf(plan: Plan, kind: str, *, months: int = 12) -> bytes:
    return render_pdf(*plan_document(plan, kind, months=months))


def plan_document_html(plan: Plan, kind: str, *, months: int = 12, request=None) -> str:
    template, context = plan_document(plan, kind, months=months)
    return render_html(template, {**context, "preview": True}, request=request)


BOOK_STEPS = 3  # what plan_book_pdf reports: the HTML, the layout, the PDF


def plan_book_pdf(plan: Plan, *, progress: Callable[[int], None] | None = None) -> bytes:
    """The signed book as stored when there is one, else a draft from today's data.
    `progress(step)` is called as each of the BOOK_STEPS steps ends: HTML, layout, PDF."""
    progress = progress or (lambda step: None)
    announcement = announcement_selectors.current_announcement(plan.organisation, Kind.PLAN, plan.fiscal_year)
    if announcement is not None and announcement.is_signed:
        pdf = verified_pdf(announcement)
    else:
        html = render_html(*plan_document(plan, "book"))
        progress(1)
        pdf = html_to_pdf(html, on_laid_out=lambda: progress(2))
    progress(BOOK_STEPS)
    return pdf


def plan_announcement_pdf(plan: Plan) -> bytes:
    return plan_document_pdf(plan, "announcement")


def plan_progress_pdf(plan: Plan, *, months: int = 12) -> bytes:
    return plan_document_pdf(plan, "progress", months=months)


def _plan(organisation, fiscal_year) -> Plan:
    plan = selectors.plan_by_org_year(organisation, fiscal_year)
    if plan is None:
        raise LookupError(f"{organisation.name} ยังไม่มีแผนปีงบประมาณ {fiscal_year}")
    return plan


# Hooks on the kernel's "plan" announcement kind.

def _announcement_annex(announcement: Announcement) -> str:
    plan = selectors.plan_by_org_year(announcement.organisation, announcement.fiscal_year)
    if plan is None:
        return ""
    return render_to_string("plans/documents/_annex.html", plan_document_context(plan))


def _announcement_problems(announcement: Announcement) -> tuple[list[str], list[str]]:
    plan = selectors.plan_by_org_year(announcement.organisation, announcement.fiscal_year)
    if plan is None:
        return [f"ยังไม่มีแผนปฏิบัติการป้องกันการทุจริต ปีงบประมาณ {announcement.fiscal_year}"], []
    blocking = []
    if plan.status != PlanStatus.APPROVED:
        blocking.append("แผนยังไม่ได้รับอนุมัติ (หรือมีการแก้ไขหลังอนุมัติ) โปรดอนุมัติแผนก่อนลงนามประกาศ")
    gaps = plan_book_gaps(selectors.plan_sheets(plan))
    warnings = [f"ลำดับที่ {gap.project.sequence} {gap.project.name}: {gap.problem}" for gap in gaps]
    return blocking, warnings


def _announcement_notices(announcement: Announcement) -> list[str]:
    """While the plan is approved: editing it starts a revision (plans/revisions.py)."""
    plan = selectors.plan_by_org_year(announcement.organisation, announcement.fiscal_year)
    return revisions.notice(plan, announcement)


def register_documents() -> None:
    announcement_kinds.register_hooks(Kind.PLAN, annex_html=_announcement_annex, problems=_announcement_problems,
                                      notices=_announcement_notices)
    register("plan-book", "เล่มแผนปฏิบัติการป้องกันการทุจริต (ฉบับลงนามถ้ามี)",
             lambda organisation, fiscal_year, **o: plan_book_pdf(_plan(organisation, fiscal_year)))
    register("plan-announcement", "ประกาศใช้แผนปฏิบัติการป้องกันการทุจริต",
             lambda organisation, fiscal_year, **o: plan_announcement_pdf(_plan(organisation, fiscal_year)))
    register("plan-progress", "รายงานผลการดำเนินงานตามแผน (--months 6 หรือ 12)",
             lambda organisation, fiscal_year, months=12, **o: plan_progress_pdf(
                 _plan(organisation, fiscal_year), months=months))

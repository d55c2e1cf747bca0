"""The plan's official documents: the plan book (announcement, summary table, detail sheets),
the announcement alone, and the 6/12-month progress report."""

from dataclasses import dataclass

from lao_integrity.documents.registry import register
from lao_integrity.documents.render import render_html, render_pdf

from . import selectors
from .models import Plan, Project


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
        if not sheet.outputs and not sheet.outcomes:
            gaps.append(Gap(project, "รายละเอียดโครงการยังไม่มีผลผลิต/ผลลัพธ์"))
        if not sheet.rationale_paragraphs:
            gaps.append(Gap(project, "ยังไม่มีหลักการและเหตุผล"))
        if not list(sheet.objectives.all()):
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
    }


def plan_progress_context(plan: Plan, *, months: int) -> dict:
    return {"plan": plan, "org": plan.organisation, "summary": selectors.progress_summary(plan, months=months),
            "months": months}


# kind -> (template, file name stem); the page, the preview and render_pdf all use this table.
PLAN_DOCUMENTS = {
    "book": ("documents/plan_book.html", "plan-book"),
    "announcement": ("documents/plan_announcement.html", "plan-announcement"),
    "progress": ("documents/plan_progress.html", "plan-progress"),
}


def plan_document(plan: Plan, kind: str, *, months: int = 12) -> tuple[str, dict]:
    """The template and context of one of the plan's documents."""
    template, _ = PLAN_DOCUMENTS[kind]
    if kind == "progress":
        return template, plan_progress_context(plan, months=months)
    return template, plan_document_context(plan)


def plan_document_pdf(plan: Plan, kind: str, *, months: int = 12) -> bytes:
    return render_pdf(*plan_document(plan, kind, months=months))


def plan_document_html(plan: Plan, kind: str, *, months: int = 12, request=None) -> str:
    template, context = plan_document(plan, kind, months=months)
    return render_html(template, {**context, "preview": True}, request=request)


def plan_book_pdf(plan: Plan) -> bytes:
    return plan_document_pdf(plan, "book")


def plan_announcement_pdf(plan: Plan) -> bytes:
    return plan_document_pdf(plan, "announcement")


def plan_progress_pdf(plan: Plan, *, months: int = 12) -> bytes:
    return plan_document_pdf(plan, "progress", months=months)


def _plan(organisation, fiscal_year) -> Plan:
    plan = selectors.plan_by_org_year(organisation, fiscal_year)
    if plan is None:
        raise LookupError(f"{organisation.name} ยังไม่มีแผนปีงบประมาณ {fiscal_year}")
    return plan


def register_documents() -> None:
    register("plan-book", "เล่มแผนปฏิบัติการป้องกันการทุจริต",
             lambda organisation, fiscal_year, **o: plan_book_pdf(_plan(organisation, fiscal_year)))
    register("plan-announcement", "ประกาศใช้แผนปฏิบัติการป้องกันการทุจริต",
             lambda organisation, fiscal_year, **o: plan_announcement_pdf(_plan(organisation, fiscal_year)))
    register("plan-progress", "รายงานผลการดำเนินงานตามแผน (--months 6 หรือ 12)",
             lambda organisation, fiscal_year, months=12, **o: plan_progress_pdf(
                 _plan(organisation, fiscal_year), months=months))

"""The plan's section of an organisation's public page (lao_integrity/publication/registry.py)."""

from django.urls import reverse

from lao_integrity.announcements.models import Kind
from lao_integrity.announcements.public import none_live
from lao_integrity.publication import registry

from . import selectors

TITLE = "แผนปฏิบัติการป้องกันการทุจริต"


def items(organisation) -> list[registry.PublicItem]:
    """The public plans, newest year first, each followed by its public progress reports: three queries."""
    if none_live(organisation, Kind.PLAN):
        return []
    found = []
    code = organisation.code
    for public in selectors.public_plans(organisation):
        year = public.fiscal_year
        found.append(registry.PublicItem(
            kind="plan", title=f"แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {year}",
            url=reverse("public_plans:plan", kwargs={"code": code, "fiscal_year": year}), fiscal_year=year,
            published_at=public.published_at,
            pdf_url=reverse("public_plans:plan_pdf", kwargs={"code": code, "fiscal_year": year})))
        for months, ready in public.reports.items():
            if ready:
                kwargs = {"code": code, "fiscal_year": year, "months": months}
                found.append(registry.PublicItem(
                    kind=f"plan:progress:{months}",
                    title=f"รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต ปี {year} รอบ {months} เดือน",
                    url=reverse("public_plans:progress", kwargs=kwargs), fiscal_year=year,
                    published_at=public.published_at, pdf_url=reverse("public_plans:progress_pdf", kwargs=kwargs)))
    return found


def register_section() -> None:
    registry.register_section("plans", title=TITLE, order=20, lister=items)

"""ITA's sections of an organisation's public page (lao_integrity/publication/registry.py)."""

from django.urls import reverse

from lao_integrity.announcements.models import Kind
from lao_integrity.announcements.public import none_live
from lao_integrity.publication import registry

from . import selectors


def result_items(organisation) -> list[registry.PublicItem]:
    """One item per public result, newest year first: one query."""
    return [registry.PublicItem(
        kind="ita:result", title=f"ผลการประเมินคุณธรรมและความโปร่งใส (ITA) ปีงบประมาณ พ.ศ. {result.fiscal_year}",
        url=reverse("public_ita:result", kwargs={"code": organisation.code, "fiscal_year": result.fiscal_year}),
        fiscal_year=result.fiscal_year, extra={"overall": result.overall, "level": result.level})
        for result in selectors.public_results(organisation)]


def measure_items(organisation) -> list[registry.PublicItem]:
    """The public measures of each year and, once recorded, their progress: three queries."""
    if none_live(organisation, Kind.ITA_MEASURES):
        return []
    found = []
    for public in selectors.public_measure_years(organisation):
        kwargs = {"code": organisation.code, "fiscal_year": public.fiscal_year}
        found.append(registry.PublicItem(
            kind="ita:measures", title=f"มาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. {public.fiscal_year}",
            url=reverse("public_ita:measures", kwargs=kwargs), fiscal_year=public.fiscal_year,
            published_at=public.published_at))
        if public.has_progress:
            found.append(registry.PublicItem(
                kind="ita:measure_progress",
                title=f"ผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. {public.fiscal_year}",
                url=reverse("public_ita:measure_progress", kwargs=kwargs), fiscal_year=public.fiscal_year,
                published_at=public.published_at))
    return found


def register_sections() -> None:
    registry.register_section("ita_results", title="ผลการประเมินคุณธรรมและความโปร่งใส (ITA)", order=30,
                              lister=result_items)
    registry.register_section("ita_measures", title="มาตรการส่งเสริมคุณธรรมและความโปร่งใส", order=35,
                              lister=measure_items)

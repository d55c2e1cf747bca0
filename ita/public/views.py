"""ITA's public pages (no login): results by year with their charts, one year's result, and the
measures of a year with their progress once the measures announcement is published."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from lao_integrity.orgs.models import Organisation
from lao_integrity.publication.web import public_view

from ..results import selectors as result_selectors
from ..results.views import history_charts
from . import selectors


def _organisation(code: str) -> Organisation:
    return get_object_or_404(Organisation, code=code)


@public_view
def results(request, code):
    organisation = _organisation(code)
    data = result_selectors.organisation_history(organisation, complete_only=True)
    return render(request, "ita/public/results.html", {
        "org": organisation, "history": data, "rows": list(reversed(data.rows)),
        "charts": history_charts(data) if data.rows else None})


@public_view
def result(request, code, fiscal_year):
    organisation = _organisation(code)
    found = selectors.public_result(organisation, fiscal_year)
    if found is None:
        raise Http404("ไม่มีผลการประเมินปีนี้")
    tools = list(found.framework.tools.all())
    return render(request, "ita/public/result.html", {
        "org": organisation, "result": found, "scores": list(found.scores.all()),
        "tools": [(tool, getattr(found, tool.code.lower(), None)) for tool in tools],
        "parts": list(found.part_scores.all()), "recommendations": list(found.recommendations.all())})


def _measures(code: str, fiscal_year: int):
    organisation = _organisation(code)
    public = selectors.public_measures(organisation, fiscal_year)
    if public is None:
        raise Http404("มาตรการของปีนี้ยังไม่ได้เผยแพร่ต่อสาธารณะ")
    page = selectors.measures_page(public)
    return organisation, public, page


def _context(organisation, public, page) -> dict:
    return {"org": organisation, "fiscal_year": public.fiscal_year, "page": page,
            "announcement": public.announcement, "published_at": public.published_at,
            "published_days": selectors.days_since(public.published_at),
            "has_progress": selectors.has_progress(page.measures)}


@public_view
def measures(request, code, fiscal_year):
    organisation, public, page = _measures(code, fiscal_year)
    return render(request, "ita/public/measures.html", _context(organisation, public, page))


@public_view
def measure_progress(request, code, fiscal_year):
    organisation, public, page = _measures(code, fiscal_year)
    context = _context(organisation, public, page)
    if not context["has_progress"]:
        raise Http404("ยังไม่มีผลการดำเนินงานตามมาตรการของปีนี้")
    return render(request, "ita/public/measure_progress.html", {**context, "quarters": (1, 2, 3, 4)})

"""Reads of ITA data shaped for pages; each costs a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from lao_integrity.orgs import access

from .models import IndicatorScore, Result


def visible_results(user) -> QuerySet[Result]:
    return access.restrict(Result.objects.all(), user)


def result_for_page(pk: int) -> Result:
    """One result with its framework, scores (indicator order), parts and recommendations."""
    return (Result.objects.select_related("organisation", "framework")
            .prefetch_related(
                Prefetch("scores", queryset=IndicatorScore.objects.select_related("indicator__tool")
                         .order_by("indicator__number")),
                "part_scores__part", "recommendations__tool", "framework__bands", "framework__tools")
            .get(pk=pk))


def result_by_org_year(organisation, fiscal_year: int) -> Result | None:
    return Result.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()


def history(organisation) -> list[Result]:
    """Every year's result for one organisation, oldest first, scores prefetched."""
    return list(Result.objects.filter(organisation=organisation).select_related("framework")
                .prefetch_related(Prefetch("scores", queryset=IndicatorScore.objects.select_related("indicator")
                                           .order_by("indicator__number")))
                .order_by("fiscal_year"))

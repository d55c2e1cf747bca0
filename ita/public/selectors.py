"""What ITA shows the public, each read a fixed number of queries.

- Results are NACC's official scores: every result of the organisation entered in full (with an
  overall score) is public; a result still being typed in (no overall score) is not. Results
  have no draft state of their own.
- The measures of year Y, and their progress, are public while the newest SIGNED revision of
  the organisation's ITA measures announcement of Y has a live publication; only the measures
  that existed when it was signed (a measure added later was not announced). Their progress is
  shown from the first quarter recorded. Evidence files and links are never shown: no model
  marks one public.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from lao_integrity.announcements.models import Announcement, Kind, Status
from lao_integrity.publication import selectors as publication_selectors
from lao_integrity.publication.models import Publication
from lao_integrity.statements import Statement

from ..measures import selectors as measure_selectors
from ..models import IndicatorScore, Measure, MeasureProgress, Result

# Compiled once (lao_integrity/statements.py): the organisation's public page reads it on every request.
_RESULTS = Statement(lambda organisation_id: Result.objects.filter(organisation_id=organisation_id, overall__isnull=False)
                     .only("pk", "organisation_id", "fiscal_year", "overall", "level", "passed", "updated_at")
                     .order_by("-fiscal_year"))


def public_results(organisation) -> list[Result]:
    """The organisation's public results, newest year first: one query."""
    return _RESULTS.objects(organisation.pk)


def public_result(organisation, fiscal_year: int) -> Result | None:
    """One public result with its framework, scores in indicator order, part scores and
    recommendations: five queries."""
    return (Result.objects.filter(organisation=organisation, fiscal_year=fiscal_year, overall__isnull=False)
            .select_related("framework")
            .prefetch_related(
                Prefetch("scores", queryset=IndicatorScore.objects.select_related("indicator__tool")
                         .order_by("indicator__number")),
                "part_scores__part__tool", "recommendations__tool", "framework__tools")
            .first())


def _signed_measure_announcements(organisation, fiscal_year: int | None = None):
    rows = Announcement.objects.filter(organisation=organisation, kind=Kind.ITA_MEASURES, status=Status.SIGNED)
    if fiscal_year is not None:
        rows = rows.filter(fiscal_year=fiscal_year)
    return rows.only("pk", "organisation_id", "fiscal_year", "revision", "announced_on", "signed_at").order_by(
        "fiscal_year", "-revision", "-pk")


@dataclass
class PublicMeasures:
    fiscal_year: int
    announcement: Announcement
    publication: Publication
    has_progress: bool = False

    @property
    def published_at(self) -> datetime.datetime:
        return self.publication.published_at


def public_measures(organisation, fiscal_year: int) -> PublicMeasures | None:
    """The year's measures announcement if it is live-published, else None: two queries."""
    announcement = _signed_measure_announcements(organisation, fiscal_year).first()
    if announcement is None:
        return None
    announcement.organisation = organisation  # its subject names it: no query again
    publication = publication_selectors.of(announcement)
    if publication is None:
        return None
    return PublicMeasures(fiscal_year, announcement, publication)


def public_measure_years(organisation) -> list[PublicMeasures]:
    """Every year whose measures are public, newest first, with whether any progress is
    recorded: three queries."""
    newest: dict[int, Announcement] = {}
    for announcement in _signed_measure_announcements(organisation):
        newest.setdefault(announcement.fiscal_year, announcement)
    live = publication_selectors.live(Announcement, [a.pk for a in newest.values()])
    years = {year: PublicMeasures(year, a, live[a.pk]) for year, a in newest.items() if a.pk in live}
    if years:
        announced = Q()  # each year's measures that existed when its announcement was signed
        for year, public in years.items():
            announced |= Q(measure__fiscal_year=year, measure__created_at__lte=public.announcement.signed_at)
        recorded = set(MeasureProgress.objects.filter(announced, measure__organisation=organisation)
                       .values_list("measure__fiscal_year", flat=True).distinct())
        for year, public in years.items():
            public.has_progress = year in recorded
    return [years[year] for year in sorted(years, reverse=True)]


def measures_page(public: PublicMeasures) -> measure_selectors.MeasuresPage:
    """The measures the signed announcement announced (those that existed when it was signed),
    grouped by indicator, with their progress: the staff page's read."""
    return measure_selectors.measures_page(public.announcement.organisation, public.fiscal_year,
                                           created_by=public.announcement.signed_at)


def has_progress(measures: list[Measure]) -> bool:
    return any(measure.progress.all() for measure in measures)


def days_since(moment: datetime.datetime) -> int:
    return (timezone.localdate() - timezone.localtime(moment).date()).days

"""The plan's figures on the supervision dashboard (lao_integrity/supervision): each organisation's
implementation percentage at 6 and 12 months in e-PlanNACC's bands (eplannacc.py), computed as the
plan's page computes it (selectors.period_status). Two queries for any number of organisations:
the projects of the year's plans, then their progress."""

from __future__ import annotations

from lao_integrity.supervision import registry
from lao_integrity.supervision.registry import Figure, Group

from . import eplannacc
from .models import Project, ProjectProgress
from .selectors import NOT_DUE, period_status

ROUNDS = ((6, 2), (12, 4))
HEADLINE = {12: "ร้อยละการดำเนินการ 12 เดือน ระดับดี"}


class _Quarters:
    """What period_status reads of a project (its quarters), from a values() row."""

    __slots__ = ("quarters",)

    def __init__(self, quarters):
        self.quarters = quarters


class _Record:
    __slots__ = ("quarter", "status")

    def __init__(self, quarter, status):
        self.quarter, self.status = quarter, status


def implementation_by_organisation(area) -> dict[int, dict[int, eplannacc.Implementation]]:
    """{organisation id: {6: Implementation, 12: Implementation}} of the year's plans."""
    projects = (Project.objects.filter(plan__organisation__in=area.queryset, plan__fiscal_year=area.fiscal_year)
                .values_list("pk", "plan__organisation_id", "q1", "q2", "q3", "q4"))
    by_project = {pk: (organisation_id, _Quarters([q for q, on in zip((1, 2, 3, 4), flags) if on]))
                  for pk, organisation_id, *flags in projects}
    records: dict[int, list[_Record]] = {}
    for project_id, quarter, status in (
            ProjectProgress.objects.filter(project__plan__organisation__in=area.queryset,
                                           project__plan__fiscal_year=area.fiscal_year)
            .order_by("project_id", "quarter").values_list("project_id", "quarter", "status")):
        records.setdefault(project_id, []).append(_Record(quarter, status))
    statuses: dict[int, dict[int, list[str]]] = {}
    for pk, (organisation_id, project) in by_project.items():
        held = records.get(pk, [])
        for months, last_quarter in ROUNDS:
            status = period_status(project, [r for r in held if r.quarter <= last_quarter], last_quarter=last_quarter)
            statuses.setdefault(organisation_id, {}).setdefault(months, []).append(status)
    return {organisation_id: {months: eplannacc.implementation(found, months=months, not_due=NOT_DUE)
                              for months, found in rounds.items()}
            for organisation_id, rounds in statuses.items()}


def figures(area) -> list[Group]:
    found = implementation_by_organisation(area)
    groups = []
    for months, _last in ROUNDS:
        by_band: dict[str, set] = {band.key: set() for band in (eplannacc.GOOD, eplannacc.FAIR, eplannacc.BEHIND)}
        none = set()
        for pk in area.ids:
            band = found.get(pk, {}).get(months)
            band = band.band if band is not None else None
            (by_band[band.key] if band is not None else none).add(pk)
        figures_ = [Figure(key=band.key, label=band.label, ids=frozenset(by_band[band.key]), tone=band.key,
                           headline=HEADLINE.get(months, "") if band is eplannacc.GOOD else "")
                    for band in (eplannacc.GOOD, eplannacc.FAIR, eplannacc.BEHIND)]
        figures_.append(Figure(key="none", label="ไม่มีแผนหรือโครงการที่ถึงกำหนด", ids=frozenset(none), tone="none"))
        groups.append(Group(key=f"implementation-{months}",
                            title=f"ร้อยละการดำเนินการตามแผน รอบ {months} เดือน (e-PlanNACC)", figures=figures_,
                            note=f"{eplannacc.DEFINITION} · {eplannacc.bands_text(months)}"))
    return groups


def register_figures() -> None:
    registry.register("plans.implementation", figures, title="ร้อยละการดำเนินการตามแผน (e-PlanNACC)", order=20)

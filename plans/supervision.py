"""The plan's figures on the supervision dashboard (lao_integrity/supervision): each organisation's
implementation percentage at 6 and 12 months in e-PlanNACC's bands (eplannacc.py), computed as the
plan's page computes it (selectors.period_status). Two queries for any number of organisations
(one on the dashboard, where the obligations count the projects already): the projects without
progress counted, then the progress of the others."""

from __future__ import annotations

from lao_integrity.supervision import registry
from lao_integrity.supervision.registry import AreaStatement, Figure, Group

from . import eplannacc
from .models import ProgressStatus, ProjectProgress
from .obligations import plan_counts
from .selectors import NOT_DUE, period_status

ROUNDS = ((6, 2), (12, 4))
# The area's progress of the year, compiled once per process (lao_integrity/statements.py).
_PROGRESS = AreaStatement(lambda fiscal_year: (
    ProjectProgress.objects.filter(project__plan__fiscal_year=fiscal_year).order_by("project_id", "quarter")
    .values_list("project_id", "project__plan__organisation_id", "project__q1", "project__q2", "project__q3",
                 "project__q4", "quarter", "status")), via="project__plan__organisation")
HEADLINE = {12: "ร้อยละการดำเนินการ 12 เดือน ระดับดี"}


class _Project:
    """What period_status reads of a project (its quarters), from a values() row."""

    __slots__ = ("quarters",)

    def __init__(self, flags):
        self.quarters = [quarter for quarter, on in zip((1, 2, 3, 4), flags, strict=True) if on]


class _Record:
    __slots__ = ("quarter", "status")

    def __init__(self, quarter, status):
        self.quarter, self.status = quarter, status


def implementation_by_organisation(area) -> dict[int, dict[int, eplannacc.Implementation]]:
    """{organisation id: {6: Implementation, 12: Implementation}} of the year's plans."""
    return {organisation_id: {months: eplannacc.Implementation(months=months, due=due, carried_out=carried, done=done)
                              for months, (due, carried, done) in rounds.items()}
            for organisation_id, rounds in _counts_by_organisation(area).items()}


def _counts_by_organisation(area) -> dict[int, dict[int, list[int]]]:
    """{organisation id: {6: [due, carried out, done], 12: [...]}} of the year's plans: what an
    Implementation holds (figures reads the bands of these, without making the objects).

    Most projects of a year have no progress yet: every project is counted as not started (the
    plan's counts), then the few with progress come with their records and get period_status, as
    on the plan's page."""
    counts: dict[int, dict[int, list[int]]] = {}  # organisation -> months -> [due, carried out, done]
    # Every project first as if nothing were recorded (not started): due at 12 months, at 6 months
    # only when planned in quarter 1 or 2 (the plans' counts the obligations read as well: one
    # query for both on the dashboard, obligations.plan_counts)...
    for organisation_id, plan in plan_counts(area.organisations, area.fiscal_year).items():
        if plan.project_count:
            counts[organisation_id] = {12: [plan.project_count, 0, 0], 6: [plan.early, 0, 0]}
    # ...then each project with progress taken out again and counted by its status.
    reported: dict[int, tuple[int, _Project, list[_Record]]] = {}
    for project_id, organisation_id, q1, q2, q3, q4, quarter, status in _PROGRESS.rows(area, area.fiscal_year):
        if project_id not in reported:
            reported[project_id] = (organisation_id, _Project((q1, q2, q3, q4)), [])
        reported[project_id][2].append(_Record(quarter, status))
    for organisation_id, project, records in reported.values():
        early = any(quarter in (1, 2) for quarter in project.quarters)
        held = counts.setdefault(organisation_id, {12: [1, 0, 0], 6: [int(early), 0, 0]})  # a project saved meanwhile
        held[12][0] -= 1
        held[6][0] -= early
        for months, last_quarter in ROUNDS:
            status = period_status(project, [r for r in records if r.quarter <= last_quarter], last_quarter=last_quarter)
            if status != NOT_DUE:
                held[months][0] += 1
                held[months][1] += status in eplannacc.CARRIED_OUT
                held[months][2] += status == ProgressStatus.DONE
    return counts


def figures(area) -> list[Group]:
    found = _counts_by_organisation(area)
    groups = []
    for months, _last in ROUNDS:
        by_band: dict[str, set] = {band.key: set() for band in (eplannacc.GOOD, eplannacc.FAIR, eplannacc.BEHIND)}
        none = set()
        for pk in area.ids:
            held = found.get(pk)
            band = eplannacc.band_of(held[months][1], held[months][0], months) if held is not None else None
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

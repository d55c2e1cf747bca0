"""Figures from the obligations kernel: for each rule the dashboard follows, the organisations
that did it, that are overdue and that are not due yet, as the rule's provider computes them (the
same states as the home pages and the calendar, never a second reckoning).

Rules are found by key (obligations/migrations/0002_rules.py); an inactive or removed rule, or one
whose provider is not registered, is left out of the dashboard."""

from __future__ import annotations

from lao_integrity.obligations import registry as obligation_registry
from lao_integrity.obligations.models import ObligationRule
from lao_integrity.statements import Statement

from .registry import AreaData, Figure, Group

PLAN_RULES = ("plan-approved", "plan-announced", "plan-report-6-months", "plan-report-12-months")
MEASURE_RULES = ("ita-measure-deadline", "ita-measure-progress")
# The side-by-side table of districts: the plan's duties done, the measures overdue.
HEADLINES = {
    ("plan-approved", "done"): "แผนอนุมัติแล้ว",
    ("plan-announced", "done"): "ประกาศใช้แผนแล้ว",
    ("plan-report-6-months", "done"): "รายงาน 6 เดือนแล้ว",
    ("plan-report-12-months", "done"): "รายงาน 12 เดือนแล้ว",
    ("ita-measure-deadline", "overdue"): "มาตรการเลยกำหนด",
}
STATES = (("done", "ดำเนินการแล้ว", "done"), ("overdue", "เลยกำหนด", "overdue"),
          ("pending", "ยังไม่ถึงกำหนด", "pending"))
NO_ITEMS = ("none", "ไม่มีมาตรการ", "none")  # a rule of measures: an organisation without measures
# A rule of many items per organisation (one per measure, per period) is titled for all of them.
TITLES = {"ita-measure-deadline": "มาตรการแล้วเสร็จตามกำหนด ปีงบประมาณ {ปี}",
          "ita-measure-progress": "รายงานผลมาตรการตามรอบการรายงาน ปีงบประมาณ {ปี}"}
MANY_NOTE = ("นับรายแห่ง: เลยกำหนดเมื่อมีมาตรการหรือรอบรายงานใดเลยกำหนด ดำเนินการแล้วเมื่อครบทุกรายการที่ถึงกำหนด "
             "ยังไม่ถึงกำหนดเมื่อไม่มีรายการเลยกำหนดแต่ยังมีรายการที่ยังไม่ครบกำหนด")


# Compiled once per process (lao_integrity/statements.py).
_RULES = Statement(lambda keys: ObligationRule.objects.filter(key__in=keys, active=True))


def states_by_organisation(items) -> dict[int, str]:
    """One state per organisation from its items of one rule: overdue when any is overdue, done
    when every one is done, otherwise not due yet (upcoming or due soon)."""
    rank = {"done": 0, "pending": 1, "overdue": 2}
    found: dict[int, str] = {}
    for item in items:
        state = item.state if item.state in ("done", "overdue") else "pending"
        if rank[state] >= rank.get(found.get(item.organisation_id, "done"), 0):
            found[item.organisation_id] = state
    return found


def _rules(area: AreaData) -> dict:
    """The active rules of both sections by key: one query for the page (area.memo)."""
    if "obligation_rules" not in area.memo:
        area.memo["obligation_rules"] = {rule.key: rule for rule in _RULES.objects(list(PLAN_RULES + MEASURE_RULES))}
    return area.memo["obligation_rules"]


def rule_groups(area: AreaData, keys) -> list[Group]:
    """One group per rule of `keys` (in that order): the rules (one query for both sections), then the providers
    read all the organisations at once, each row read once for all the rules (registry.computation)."""
    rules = _rules(area)
    states_of = {}
    with obligation_registry.computation(area.organisations, (area.fiscal_year,)):
        for key in keys:
            rule = rules.get(key)
            provider = obligation_registry.get(rule.provider) if rule is not None else None
            if provider is not None:
                states_of[key] = states_by_organisation(
                    provider.items_for(area.organisations, area.fiscal_year, rule, area.today))
    groups = []
    for key, states in states_of.items():
        rule = rules[key]
        shown = STATES + ((NO_ITEMS,) if key in MEASURE_RULES else ())
        figures = []
        held_by: dict[str, list] = {"done": [], "overdue": [], "pending": []}  # one pass over the states
        for pk, held in states.items():
            held_by[held].append(pk)
        for state, label, tone in shown:
            if state == "none":
                ids = frozenset(pk for pk in area.ids if pk not in states)
            else:
                ids = frozenset(held_by[state])
            figures.append(Figure(key=state, label=label, ids=ids, tone=tone,
                                  headline=HEADLINES.get((key, state), "")))
        title = TITLES[key].replace("{ปี}", str(area.fiscal_year)) if key in TITLES else rule.title_for(area.fiscal_year)
        groups.append(Group(key=key, title=title, figures=figures, note=MANY_NOTE if key in MEASURE_RULES else ""))
    return groups


def figures(area: AreaData) -> list[Group]:
    return rule_groups(area, PLAN_RULES)


def measure_figures(area: AreaData) -> list[Group]:
    return rule_groups(area, MEASURE_RULES)

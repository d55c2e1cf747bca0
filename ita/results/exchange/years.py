"""The frameworks of the years a file names, loaded once per import with what the parser and the
writer look up: indicator numbers, names and pks, and the EIT parts."""

from dataclasses import dataclass, field

from ... import scoring
from ...models import Framework
from .. import services
from .cells import PART_TOOL


@dataclass
class Year:
    """One fiscal year's framework as an import reads and writes it."""

    framework: Framework
    spec: scoring.FrameworkSpec
    numbers: set[int]
    parts: set[str]
    indicator_ids: dict[int, int] = field(default_factory=dict)  # indicator number -> Indicator pk
    part_ids: dict[str, int] = field(default_factory=dict)  # EIT part code -> ToolPart pk
    names: dict[int, str] = field(default_factory=dict)  # indicator number -> official name


def load_years(fiscal_years: set[int]) -> dict[int, Year]:
    years = {}
    frameworks = Framework.objects.filter(fiscal_year__in=fiscal_years).prefetch_related("indicators", "tools__parts")
    for framework in frameworks:
        # result_save reads framework.indicators.all(); the prefetch above serves it for every row.
        part_ids = {p.code: p.pk for tool in framework.tools.all() if tool.code == PART_TOOL for p in tool.parts.all()}
        indicator_ids = {i.number: i.pk for i in framework.indicators.all()}
        years[framework.fiscal_year] = Year(
            framework=framework, spec=services.framework_spec(framework),
            numbers=set(indicator_ids), parts=set(part_ids), indicator_ids=indicator_ids, part_ids=part_ids,
            names={i.number: i.name for i in framework.indicators.all()})
    return years

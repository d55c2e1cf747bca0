"""The analysis report of one ITA result (page and PDF).

Nothing here is typed by hand that can be computed: the counts of strengths / to keep / to
improve are the lengths of their lists, and the measures of the next year are those recorded.
"""

from dataclasses import dataclass
from decimal import Decimal

from lao_integrity import thai
from lao_integrity.documents.registry import register
from lao_integrity.documents.render import render_html, render_pdf
from lao_integrity.orgs.models import Organisation, Person

from .. import scoring
from ..measures import selectors as measure_selectors
from ..models import IndicatorScore, Result, rank_text
from ..results import selectors

GROUPS = (
    ("strong", "จุดแข็ง", "คะแนนตั้งแต่ 95 ขึ้นไป", "ควรรักษามาตรฐานไว้"),
    ("keep", "ควรรักษาและยกระดับ", "คะแนนตั้งแต่ 85 แต่น้อยกว่า 95", "ควรพัฒนาต่อให้ถึงระดับ 95 ขึ้นไป"),
    ("improve", "ต้องปรับปรุงและพัฒนา", "คะแนนน้อยกว่า 85", "ต้องมีมาตรการปรับปรุงในปีงบประมาณถัดไป"),
)
ANALYSIS_TEMPLATE = "ita/analysis/documents/report.html"


@dataclass
class ScoreGroup:
    key: str
    label: str
    rule: str
    advice: str
    rows: list[IndicatorScore]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def numbers(self) -> list[int]:
        return [row.indicator.number for row in self.rows]

    @property
    def numbers_text(self) -> str:
        return ", ".join(str(n) for n in self.numbers)


@dataclass
class Band:
    level: str
    low: Decimal
    high: Decimal | None  # exclusive; None for the top band

    @property
    def top(self) -> Decimal:
        """Scores have two decimals, so the band below 95 ends at 94.99."""
        return Decimal("100.00") if self.high is None else self.high - Decimal("0.01")

    @property
    def range_text(self) -> str:
        return f"{self.low:.2f} - {self.top:.2f}"


def _plain(value: Decimal) -> str:
    """95.00 -> "95", 87.5 -> "87.5"."""
    text = format(Decimal(value).normalize(), "f")
    return text


def percent(weight: Decimal) -> str:
    return _plain(Decimal(weight) * 100)


def score_groups(rows: list[IndicatorScore]) -> list[ScoreGroup]:
    """Strengths / to keep / to improve, each list in indicator order, from scoring.classify."""
    by_number = {row.indicator.number: row for row in rows}
    classified = scoring.classify({number: row.score for number, row in by_number.items()})
    return [ScoreGroup(key, label, rule, advice, [by_number[n] for n in classified[key]])
            for key, label, rule, advice in GROUPS]


def bands(result: Result) -> list[Band]:
    ordered = sorted(result.framework.bands.all(), key=lambda b: b.min_score, reverse=True)
    out, upper = [], None
    for band in ordered:
        out.append(Band(band.level, band.min_score, upper))
        upper = band.min_score
    return out


def tools(result: Result, rows: list[IndicatorScore]) -> list[dict]:
    """Each tool with its weight, its indicators (official numbers) and its score in this result."""
    tool_scores = {"IIT": result.iit, "EIT": result.eit, "OIT": result.oit}
    topics = oit_topics(result)
    by_tool: dict[int, list] = {}
    for indicator in result.framework.indicators.all():
        indicator.topics = topics.get(indicator.number, [])
        by_tool.setdefault(indicator.tool_id, []).append(indicator)
    parts = {}
    for part_score in result.part_scores.all():
        parts.setdefault(part_score.part.tool_id, []).append(part_score)
    out = []
    for tool in sorted(result.framework.tools.all(), key=lambda t: t.order):
        indicators = sorted(by_tool.get(tool.pk, []), key=lambda i: i.number)
        out.append({"tool": tool, "weight": percent(tool.weight), "indicators": indicators,
                    "purpose": tool.purpose.strip(), "topics": [i for i in indicators if i.topics],
                    "score": tool_scores.get(tool.code), "parts": parts.get(tool.pk, [])})
    return out


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _score(value: Decimal) -> str:
    return f"{value:.2f}"


def ranking(rows: list[IndicatorScore]) -> list[tuple[Decimal, list[IndicatorScore]]]:
    """The indicators from the highest score down, equal scores sharing a tier (official order
    within it); each row gets `rank_position`, shared by ties (1, 1, 3, ...)."""
    tiers: list[tuple[Decimal, list[IndicatorScore]]] = []
    position = 0
    for row in sorted(rows, key=lambda r: (-r.score, r.indicator.number)):
        position += 1
        if tiers and tiers[-1][0] == row.score:
            row.rank_position = tiers[-1][1][0].rank_position
            tiers[-1][1].append(row)
        else:
            row.rank_position = position
            tiers.append((row.score, [row]))
    return tiers


def _tier_text(tier: tuple[Decimal, list[IndicatorScore]]) -> str:
    score, rows = tier
    names = [f"ตัวชี้วัดที่ {row.indicator.number} {row.indicator.name}" for row in rows]
    joined = names[0] if len(names) == 1 else " ".join(names[:-1]) + " และ" + names[-1]
    return f"{joined} ({_score(score)} คะแนน)"


def ranking_sentence(rows: list[IndicatorScore]) -> str:
    """One sentence ranking the indicators, as the real reports write it: which scored highest,
    which next, down to the lowest; equal scores are named together."""
    tiers = ranking(rows)
    if not tiers:
        return ""
    if len(tiers) == 1:
        return f"ทุกตัวชี้วัดได้คะแนนเท่ากัน คือ {_score(tiers[0][0])} คะแนน"
    text = f"เมื่อเรียงลำดับคะแนนจากมากไปน้อย ตัวชี้วัดที่ได้คะแนนสูงสุด คือ {_tier_text(tiers[0])}"
    middle = tiers[1:-1]
    if middle:
        text += f" รองลงมา คือ {_tier_text(middle[0])}"
        if len(middle) > 1:
            text += " ตามด้วย " + " ".join(_tier_text(tier) for tier in middle[1:])
    return text + f" และตัวชี้วัดที่ได้คะแนนต่ำสุด คือ {_tier_text(tiers[-1])}"


def _code_range(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else f"{codes[0]} - {codes[-1]}"


def oit_topics(result: Result) -> dict[int, list[dict]]:
    """Per OIT indicator number, its topics (sub-indicators such as "9.1 ข้อมูลพื้นฐาน") in item
    order, each with its item codes: what the OIT form asks under each indicator."""
    out: dict[int, list[dict]] = {}
    for indicator in result.framework.indicators.all():
        topics: dict[str, list[str]] = {}
        for item in sorted(indicator.items.all(), key=lambda i: (i.number, i.pk)):
            topics.setdefault(item.sub_indicator or "", []).append(item.code)
        if topics:
            out[indicator.number] = [{"name": name, "codes": codes, "range": _code_range(codes)}
                                     for name, codes in topics.items()]
    return out


NO_MEASURE = "ยังไม่มีมาตรการตอบข้อเสนอแนะนี้"


def recommendations(result: Result) -> list[dict]:
    """The assessor's recommendations grouped by tool (tool order), then by question code (I17 before
    I27; general advice without a code first), each with `answers`: the measures that answer it
    (Measure.recommendations), in table order; the pages say NO_MEASURE under a coded one without.
    [] when none were recorded."""
    grouped: dict[int, dict] = {}
    for rec in sorted(result.recommendations.all(), key=lambda r: r.sort_key):
        rec.answers = sorted(rec.measures.all(), key=lambda m: (m.fiscal_year, m.order, m.pk))
        rec.cited = sorted(rec.items.all(), key=lambda i: i.number)
        grouped.setdefault(rec.tool_id, {"tool": rec.tool, "recs": []})["recs"].append(rec)
    return list(grouped.values())


PREPARER_TITLE = "หัวหน้าสำนักปลัด"


@dataclass
class Signatory:
    """One signature block: who signs and as what; `person` None leaves a dotted line to sign on."""

    role: str
    position: str
    person: Person | None = None

    @property
    def name(self) -> str:
        return self.person.full_name if self.person else ""

    @property
    def acting(self) -> list[str]:
        return self.person.acting_list if self.person else []


def _holder(people: list[Person], title_prefix: str) -> Person | None:
    """The active person whose position is `title_prefix...`, else one acting as it."""
    for person in people:
        if person.position.startswith(title_prefix):
            return person
    for person in people:
        if any(title_prefix in line for line in person.acting_list):
            return person
    return None


def signatories(organisation: Organisation) -> list[Signatory]:
    """The analysis report's signature blocks, as the real report ends: prepared by the head of
    สำนักปลัด, approved by the executive; from the organisation's people (one query)."""
    people = sorted(organisation.people.filter(is_active=True), key=lambda p: p.pk)
    preparer = _holder(people, PREPARER_TITLE)
    executive = _holder(people, organisation.executive_title)
    return [
        Signatory("ผู้จัดทำรายงาน", preparer.position if preparer else f"{PREPARER_TITLE}{organisation.name}",
                  preparer),
        Signatory("ผู้อนุมัติ", executive.position if executive else organisation.executive_title, executive),
    ]


def analysis_context(result: Result) -> dict:
    """Everything the analysis page and PDF show. `result` comes from selectors.result_for_page."""
    rows = list(result.scores.all())
    tiers = ranking(rows)
    next_year = result.fiscal_year + 1
    measures = measure_selectors.measures_for(result.organisation, next_year)
    groups = score_groups(rows)
    for group in groups:
        for row in group.rows:
            row.group_key, row.group_label = group.key, group.label
    for row in rows:
        row.guidance_lines = _lines(row.guidance)
        # The organisation's own text when it wrote one, else the framework's standard advice.
        row.advice_lines = row.guidance_lines or _lines(row.indicator.advice)
        row.description = row.indicator.description.strip()
    recs = recommendations(result)
    guidelines = _lines(result.framework.guidelines)
    sections = ["background", "tools", "bands", "scores", "analysis"]
    if guidelines:
        sections.append("guidelines")
    if recs:
        sections.append("recommendations")
    sections.append("measures")
    return {
        "result": result,
        "org": result.organisation,
        "framework": result.framework,
        "rows": rows,
        "rows_total": len(result.framework.indicators.all()),
        "pass_mark": _plain(result.framework.pass_mark),
        # "ลำดับที่ 1,175 ของหน่วยงานประเภท เทศบาลตำบล": the rank within its peer group, never national.
        "rank_text": rank_text(result.rank, result.rank_group,
                               number=thai.format_number(result.rank) if result.rank else None),
        "groups": groups,
        "tiers": tiers,
        "ranking_sentence": ranking_sentence(rows),
        "guidelines": guidelines,
        "tools": tools(result, rows),
        "bands": bands(result),
        "recommendations": recs,
        "no_measure": NO_MEASURE,
        "next_year": next_year,
        "measures": measures,
        "measure_groups": measure_selectors.group_by_indicator(measures),
        "section": {name: number for number, name in enumerate(sections, start=1)},
        "complete": result.overall is not None,
        "signatories": signatories(result.organisation),
    }


def analysis_html(result: Result, *, request=None) -> str:
    return render_html(ANALYSIS_TEMPLATE, {**analysis_context(result), "preview": True}, request=request)


def analysis_pdf(result: Result) -> bytes:
    return render_pdf(ANALYSIS_TEMPLATE, analysis_context(result))


# --- render_pdf ---------------------------------------------------------------------------------


def _analysis_for_command(organisation: Organisation, fiscal_year: int, **options) -> bytes:
    result = selectors.result_by_org_year(organisation, fiscal_year)
    if result is None:
        raise LookupError(f"{organisation.name} ยังไม่มีผลการประเมิน ITA ปีงบประมาณ {fiscal_year}")
    return analysis_pdf(selectors.result_for_page(result.pk))


def register_documents() -> None:
    """Called from ItaConfig.ready(); safe to call more than once."""
    register("ita-analysis", "รายงานการวิเคราะห์ผลการประเมิน ITA (ปีของผลการประเมิน)", _analysis_for_command)

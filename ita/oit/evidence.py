"""Which portal documents answer which O-item: matched on the item's NAME, because the codes shift
between frameworks (the plan is O36 in 2566 and may be another number in another year's list).

Each rule is a pattern on the name (spaces removed) and the evidence kinds of
lao_integrity.publication.registry.PublicItem that answer it, the preferred first: that one's public
address is the URL given to ITAS. The first matching rule wins, so the narrower names come first
("การดำเนินการตามมาตรการ..." before "มาตรการ...")."""

from __future__ import annotations

import re

# (pattern on the name without spaces, kinds in order of preference)
RULES: list[tuple[str, tuple[str, ...]]] = [
    # 10.1: the anti-corruption plan, its 6-month follow-up and its annual report.
    (r"^รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริต.*6เดือน", ("plan:progress:6",)),
    (r"^รายงานผลการดำเนินการป้องกันการทุจริต", ("plan:progress:12",)),
    (r"^แผนปฏิบัติการป้องกันการทุจริต", ("announcement:plan", "plan")),
    # 10.1: No Gift.
    (r"^ประกาศนโยบายไม่รับของขวัญ", ("announcement:no_gift",)),
    # 10.2: the ITA measures, and carrying them out.
    (r"^การดำเนินการตามมาตรการส่งเสริมคุณธรรม", ("ita:measure_progress",)),
    (r"^มาตรการส่งเสริมคุณธรรมและความโปร่งใส", ("announcement:ita_measures", "ita:measures")),
    # Frameworks that name the organisation's performance agreement (ข้อตกลงการปฏิบัติราชการ).
    (r"ข้อตกลงการปฏิบัติราชการ", ("announcement:agreement", "agreement:organisation")),
]
_COMPILED = [(re.compile(pattern), kinds) for pattern, kinds in RULES]

# Every kind an answer may name instead of the suggestion, with the label staff choose from.
KIND_LABELS: dict[str, str] = {
    "announcement:plan": "ประกาศแผนปฏิบัติการป้องกันการทุจริต",
    "plan": "แผนปฏิบัติการป้องกันการทุจริต (ตารางสรุป)",
    "plan:progress:6": "รายงานผลการดำเนินงานตามแผน รอบ 6 เดือน",
    "plan:progress:12": "รายงานผลการดำเนินงานตามแผน รอบ 12 เดือน",
    "announcement:no_gift": "ประกาศนโยบายไม่รับของขวัญ (No Gift Policy)",
    "announcement:ita_measures": "ประกาศมาตรการส่งเสริมคุณธรรมและความโปร่งใส",
    "ita:measures": "มาตรการส่งเสริมคุณธรรมและความโปร่งใส",
    "ita:measure_progress": "ผลการดำเนินการตามมาตรการ",
    "ita:result": "ผลการประเมิน ITA",
    "announcement:agreement": "ประกาศข้อตกลงการปฏิบัติราชการ",
    "agreement:organisation": "ข้อตกลงการปฏิบัติราชการระดับองค์กร",
    "agreement:performance": "ข้อตกลงการปฏิบัติราชการระดับหน่วยงาน/บุคคล",
    "announcement:other": "ประกาศอื่น ๆ",
}


def suggested_kinds(name: str) -> tuple[str, ...]:
    """The evidence kinds that answer an item of this name, the preferred first; () for none."""
    compact = re.sub(r"\s+", "", name or "")
    for pattern, kinds in _COMPILED:
        if pattern.search(compact):
            return kinds
    return ()

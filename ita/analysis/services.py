"""Writes of the analysis report: the editable guidance per indicator and the assessor's
recommendations, both kept on the result (whose version guards open forms)."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lao_integrity import history
from lao_integrity.concurrency import check_and_bump
from lao_integrity.history import records_user
from lao_integrity.orgs import access
from lao_integrity.pagecache.versions import scoped

from ..models import (
    TOOL_LETTERS,
    Indicator,
    IndicatorScore,
    OitItem,
    Recommendation,
    Result,
    Tool,
    normalise_item_code,
    normalise_question_codes,
    referenced_items,
)


def _check_edit(user, result: Result) -> None:
    if not access.can_edit(user, result.organisation_id):
        raise PermissionDenied(access.READ_ONLY_MESSAGE)


def _score_label(record) -> str:
    """An indicator score's audit-trail row as "ตัวชี้วัดที่ 3" (its indicator, one query per row is
    fine: only the few rows changed since a form was opened are named)."""
    indicator = Indicator.objects.filter(pk=record.indicator_id).only("number").first()
    return f"ตัวชี้วัดที่ {indicator.number}" if indicator else ""


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


@scoped("result")
@records_user
@transaction.atomic
def guidance_save(*, result: Result, guidance: Mapping[int, str], user,
                  expected_version: int | None = None) -> None:
    """Editable guidance text per indicator for the analysis report.

    `expected_version`: the result's version the form was loaded with; StaleEdit (naming the
    guidance changed since) if it moved. The result is saved first, then its scores' guidance.
    """
    _check_edit(user, result)
    check_and_bump(result, expected_version,
                   related=[history.Source(IndicatorScore.history.filter(result_id=result.pk), _score_label)])
    result.save(update_fields=["version", "updated_at"])  # its trail row dates the guidance saved after it
    for row in result.scores.select_related("indicator"):
        if row.indicator.number in guidance:
            text = guidance[row.indicator.number].strip()
            # The framework's standard text left as it was is not the organisation's own: kept
            # empty, the report goes on printing the standard text (and any correction of it).
            if _same_text(text, row.indicator.advice):
                text = ""
            if text != row.guidance:
                row.guidance = text
                row.save(update_fields=["guidance"])


def _recommendation_input(value) -> dict:
    """A plain string is general advice (no code); a mapping may carry id, code, issue, advice, items."""
    if isinstance(value, str):
        return {"advice": value}
    return dict(value)


@scoped("result")
@records_user
@transaction.atomic
def recommendations_replace(*, result: Result, by_tool: Mapping[str, Sequence[str | Mapping]], user,
                            expected_version: int | None = None) -> list[Recommendation]:
    """The result's recommendations become `by_tool` (tool code -> entries, in order).

    An entry is the advice text alone, or a mapping with `advice` and optionally `code` (the
    question: I17, E9, "๐11"/"011" read as O11; "I19/I24" for one issue on two questions, the
    letter matching the tool), `issue` (ประเด็น), `items` (OIT codes it cites; else those cited in
    the advice as "(อ้างอิงจาก O11)"), `id` (an existing recommendation of this result kept, so the
    measures that answer it stay linked). An entry without an id keeps the existing one with the
    same tool, code and issue; the others are deleted, their measure links with them.
    `expected_version`: the result's version the form was loaded with; StaleEdit if it moved.
    """
    _check_edit(user, result)
    check_and_bump(result, expected_version)  # the analysis page changes with them: open forms are stale
    result.save(update_fields=["version", "updated_at"])  # its trail row names who changed them, and when
    tools = {t.code: t for t in Tool.objects.filter(framework=result.framework)}
    own_items = {item.code: item for item in OitItem.objects.filter(indicator__framework=result.framework)}
    existing = {rec.pk: rec for rec in result.recommendations.all()}
    problems: list[str] = []
    plan = []
    for tool_code, entries in by_tool.items():
        tool = tools.get(tool_code)
        if tool is None:
            problems.append(f"ไม่มีเครื่องมือ {tool_code} ในกรอบการประเมินปี {result.fiscal_year}")
            continue
        for order, raw in enumerate(entries):
            entry = _recommendation_input(raw)
            advice = "\n".join(line.strip() for line in (entry.get("advice") or "").strip().splitlines())
            issue = " ".join((entry.get("issue") or "").split())
            where = f"{tool_code} ข้อเสนอแนะที่ {order + 1}"
            try:
                code = normalise_question_codes(entry.get("code") or "")
            except ValueError as error:
                problems.append(f"{where}: {error}")
                continue
            letter = TOOL_LETTERS.get(tool_code)
            wrong = [c for c in code.split("/") if c and letter and c[0] != letter]
            if wrong:
                problems.append(f"{where}: ข้อ {', '.join(wrong)} ไม่ใช่ข้อคำถามของ {tool_code} "
                                f"(ข้อของ {tool_code} ขึ้นต้นด้วย {letter})")
            if not advice:
                problems.append(f"{where}: กรุณากรอกข้อเสนอแนะ")
            try:
                cited = ([normalise_item_code(str(c)) for c in entry["items"]] if entry.get("items") is not None
                         else referenced_items(advice))
            except ValueError as error:
                problems.append(f"{where}: {error}")
                continue
            missing = [c for c in cited if c not in own_items]
            if missing:
                problems.append(f"{where}: ไม่มีข้อ {', '.join(missing)} ในกรอบการประเมินปี {result.framework.fiscal_year}")
            plan.append((tool, order, entry.get("id"), code, issue, advice, [own_items[c] for c in cited
                                                                           if c in own_items]))
    if problems:
        raise ValidationError(problems)
    kept: list[Recommendation] = []
    for tool, order, pk, code, issue, advice, items in plan:
        rec = existing.pop(pk, None) if pk is not None else None
        if pk is not None and rec is None:
            raise ValidationError(f"ข้อเสนอแนะที่แก้ไขไม่ใช่ของผลการประเมินนี้ หรือถูกลบไปแล้ว ({tool.code} {code})")
        if rec is None:
            rec = next((r for r in existing.values() if (r.tool_id, r.code, r.issue) == (tool.pk, code, issue)), None)
            if rec is not None:
                del existing[rec.pk]
        rec = rec or Recommendation(result=result)
        rec.tool, rec.order, rec.code, rec.issue, rec.advice = tool, order, code, issue, advice
        rec.save()
        rec.items.set(items)
        kept.append(rec)
    Recommendation.objects.filter(pk__in=list(existing)).delete()
    return kept

"""Writes of the analysis report: the editable guidance per indicator and the assessor's
recommendations, both kept on the result (whose version guards open forms)."""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lao_integrity import history
from lao_integrity.concurrency import check_and_bump
from lao_integrity.history import records_user
from lao_integrity.orgs import access
from lao_integrity.pagecache.versions import scoped

from ..models import Indicator, IndicatorScore, Recommendation, Result, Tool


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


@scoped("result")
@records_user
@transaction.atomic
def recommendations_replace(*, result: Result, by_tool: Mapping[str, list[str]], user) -> None:
    _check_edit(user, result)
    check_and_bump(result)  # the analysis page changes with them: open forms of the result are stale
    tools = {t.code: t for t in Tool.objects.filter(framework=result.framework)}
    result.recommendations.all().delete()
    for code, texts in by_tool.items():
        if code not in tools:
            raise ValidationError(f"ไม่มีเครื่องมือ {code} ในกรอบการประเมินปี {result.fiscal_year}")
        for order, text in enumerate(texts):
            Recommendation.objects.create(result=result, tool=tools[code], text=text, order=order)

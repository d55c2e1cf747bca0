"""Writes to ITA improvement measures (มาตรการ) and their quarterly progress.

Keyword-only, one transaction each, validated here so a form, an import or the shell all meet
the same rules; a rejected write changes nothing.

Rules:
- Indicators and OIT items must belong to the framework the year's measures use
  (`selectors.measures_framework`): the framework of the result the measures answer
  (this organisation's result of the year before, stored as `based_on`), else the framework of
  the year before, else the one of the measure's own year. One framework per organisation and
  year keeps the announcement's "ตัวชี้วัดที่ 1 ..." groups unambiguous. At least one indicator:
  when only OIT items are given, their indicators are used (a measure for O42 addresses
  indicator 10); items next to chosen indicators are references and add no indicator (an IIT
  measure on the budget may cite O10 without being filed under indicator 9).
- Recommendations a measure answers must be the assessor's recommendations of the result it is
  based on (`based_on`, the year before's result): never another result's, nor any without one.
- The title is required and must not be a left-over placeholder ("กำหนดกิจกรรม...").
- The deadline lies inside the fiscal year or at most three months either side of it
  (preparation before 1 October, closing reports after 30 September).
- Evidence files: PDF, images, Word, Excel or OpenDocument, checked by name and by content,
  at most settings.MAX_UPLOAD_BYTES; links must be http(s).
"""

import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from lao_integrity import ordering, thai
from lao_integrity.concurrency import check_and_bump, claim, save_claimed
from lao_integrity.confirmation import require_confirmed, status_went_back
from lao_integrity.evidence import remove_files_on_commit, replace_file, validate_evidence
from lao_integrity.fields import validate_fiscal_year
from lao_integrity.history import records_user
from lao_integrity.locks import lock_organisation
from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation, Unit
from lao_integrity.pagecache.versions import scoped
from lao_integrity.uploads import DOCUMENT_HELP, validate_document

from ..models import (
    Cadence,
    Framework,
    Indicator,
    Measure,
    MeasureProgress,
    OitItem,
    ProgressStatus,
    Recommendation,
    Result,
    normalise_item_code,
)
from . import selectors

MEASURE_FIELDS = ("title", "steps", "indicators", "items", "recommendations", "responsible_unit",
                  "responsible_text", "deadline", "deadline_text", "cadence")
_LINKS = ("indicators", "items", "recommendations")
DEADLINE_SLACK_MONTHS = 3
EVIDENCE_HELP = f"{DOCUMENT_HELP} ไม่เกิน 10 MB"
_PLACEHOLDER = re.compile(r"(?:\.{3,}|…+)\s*$|ระบุ(?:ชื่อ|วันที่|ตำแหน่ง)|[xX]{3,}")
_BULLET = re.compile(r"^\s*(?:[-–•*·]+|[0-9๐-๙]+[.)])\s*")


def _check_edit(user, organisation: Organisation) -> None:
    if not access.can_edit(user, organisation):
        raise PermissionDenied("ท่านไม่มีสิทธิ์แก้ไขข้อมูลของ อปท. นี้")


def has_placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER.search(text or ""))


def clean_steps(text: str) -> str:
    """One step a line, without the bullets or numbers people type ("- ", "1)"): documents add their own."""
    lines = (_BULLET.sub("", line).strip() for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


def deadline_window(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
    start, end = thai.fiscal_year_bounds(fiscal_year)
    earliest = datetime.date(start.year, start.month - DEADLINE_SLACK_MONTHS, 1)
    latest = datetime.date(end.year, 12, 31)
    return earliest, latest


def _framework(organisation: Organisation, fiscal_year: int) -> tuple[Framework, object]:
    result = selectors.previous_result(organisation, fiscal_year)
    framework = selectors.measures_framework(organisation, fiscal_year, result)
    if framework is None:
        raise ValidationError(f"ยังไม่มีกรอบการประเมิน ITA สำหรับมาตรการปีงบประมาณ {fiscal_year} "
                              f"(ต้องมีกรอบปี {fiscal_year - 1} หรือ {fiscal_year}) โปรดแจ้งผู้ดูแลระบบ")
    return framework, result


def _resolve(framework: Framework, indicators: Iterable, items: Iterable,
             errors: dict[str, list[str]]) -> tuple[list[Indicator], list[OitItem]]:
    """Indicator objects or numbers, OIT items or codes -> rows of `framework`; errors in Thai."""
    own = {i.number: i for i in framework.indicators.all()}
    chosen: dict[int, Indicator] = {}
    for value in indicators or ():
        if isinstance(value, Indicator):
            if value.framework_id != framework.pk:
                errors.setdefault("indicators", []).append(
                    f"ตัวชี้วัดที่ {value.number} {value.name} เป็นของกรอบการประเมินปี {value.framework.fiscal_year} "
                    f"ไม่ใช่กรอบปี {framework.fiscal_year} ที่มาตรการปีนี้ใช้")
                continue
            chosen[value.number] = value
        elif isinstance(value, int) and value in own:
            chosen[value] = own[value]
        else:
            errors.setdefault("indicators", []).append(
                f"ไม่มีตัวชี้วัดที่ {value} ในกรอบการประเมินปี {framework.fiscal_year}")
    own_items = {item.code: item for item in OitItem.objects.filter(indicator__framework=framework)
                 .select_related("indicator")}
    chosen_items: dict[str, OitItem] = {}
    for value in items or ():
        if isinstance(value, OitItem):
            if value.indicator.framework_id != framework.pk:
                errors.setdefault("items", []).append(
                    f"ข้อ {value.code} เป็นของกรอบการประเมินปี {value.indicator.framework.fiscal_year} "
                    f"ไม่ใช่กรอบปี {framework.fiscal_year} ที่มาตรการปีนี้ใช้")
                continue
            item = value
        else:
            try:
                code = normalise_item_code(str(value))
            except ValueError as error:
                errors.setdefault("items", []).append(str(error))
                continue
            item = own_items.get(code)
            if item is None:
                errors.setdefault("items", []).append(f"ไม่มีข้อ {code} ในกรอบการประเมินปี {framework.fiscal_year}")
                continue
        chosen_items[item.code] = item
    if not chosen and "indicators" not in errors:
        # Only items given: the measure addresses their indicators (O42 -> indicator 10). Items next
        # to chosen indicators are references (an IIT measure citing O10) and add no indicator.
        for item in chosen_items.values():
            chosen.setdefault(item.indicator.number, item.indicator)
    if not chosen and "indicators" not in errors and "items" not in errors:
        errors.setdefault("indicators", []).append("กรุณาเลือกตัวชี้วัดที่มาตรการนี้มุ่งแก้ไขอย่างน้อย 1 ตัวชี้วัด")
    return [chosen[n] for n in sorted(chosen)], list(chosen_items.values())


def _recommendations(result: Result | None, values: Iterable,
                     errors: dict[str, list[str]]) -> list[Recommendation]:
    """Recommendations (or their ids) -> those of `result`, the assessment the measure answers."""
    values = list(values or ())
    if not values:
        return []
    if result is None:
        errors.setdefault("recommendations", []).append(
            "ยังไม่มีผลการประเมินปีก่อนที่มาตรการนี้ตอบ จึงเลือกข้อเสนอแนะไม่ได้")
        return []
    own = {rec.pk: rec for rec in result.recommendations.all()}
    chosen: dict[int, Recommendation] = {}
    for value in values:
        pk = value.pk if isinstance(value, Recommendation) else value
        if pk not in own:
            errors.setdefault("recommendations", []).append(
                f"ข้อเสนอแนะ{f' {value.code}' if isinstance(value, Recommendation) and value.code else ''} ไม่ใช่"
                f"ข้อเสนอแนะของผลการประเมินปี {result.fiscal_year} ที่มาตรการนี้ตอบ")
            continue
        chosen[pk] = own[pk]
    return list(chosen.values())


def _validate(*, organisation: Organisation, fiscal_year: int, data: dict,
              errors: dict[str, list[str]]) -> dict:
    title = " ".join((data.get("title") or "").split())
    if not title:
        errors.setdefault("title", []).append("กรุณาระบุชื่อมาตรการ")
    elif has_placeholder(title):
        errors.setdefault("title", []).append(
            f"ชื่อมาตรการ “{title}” ยังไม่สมบูรณ์ (มีข้อความเว้นไว้ให้กรอก) กรุณาเขียนให้ครบ")
    elif len(title) > Measure._meta.get_field("title").max_length:
        errors.setdefault("title", []).append("ชื่อมาตรการยาวเกิน 500 ตัวอักษร")
    steps = clean_steps(data.get("steps", ""))
    if any(has_placeholder(step) for step in steps.splitlines()):
        errors.setdefault("steps", []).append("ขั้นตอนยังมีข้อความเว้นไว้ให้กรอก (เช่น “...”) กรุณาเขียนให้ครบ")
    unit = data.get("responsible_unit")
    if unit is not None and (not isinstance(unit, Unit) or unit.organisation_id != organisation.pk):
        errors.setdefault("responsible_unit", []).append("หน่วยงานผู้รับผิดชอบต้องเป็นหน่วยงานของ อปท. นี้")
    deadline = data.get("deadline")
    if deadline is not None:
        earliest, latest = deadline_window(fiscal_year)
        start, end = thai.fiscal_year_bounds(fiscal_year)
        if not earliest <= deadline <= latest:
            errors.setdefault("deadline", []).append(
                f"กำหนดแล้วเสร็จต้องอยู่ในปีงบประมาณ {fiscal_year} ({thai.format_date_short(start)} - "
                f"{thai.format_date_short(end)}) หรือคลาดได้ไม่เกิน {DEADLINE_SLACK_MONTHS} เดือน "
                f"({thai.format_date_short(earliest)} - {thai.format_date_short(latest)})")
    cadence = data.get("cadence") or Cadence.QUARTERLY
    if cadence not in Cadence.values:
        errors.setdefault("cadence", []).append("การรายงานผลต้องเป็น รายเดือน รายไตรมาส ราย 6 เดือน หรือรายปี")
    return {
        "title": title, "steps": steps, "responsible_unit": unit,
        "responsible_text": " ".join((data.get("responsible_text") or "").split()),
        "deadline": deadline, "deadline_text": " ".join((data.get("deadline_text") or "").split()),
        "cadence": cadence,
    }


def _save(measure: Measure, *, data: dict, indicators: list[Indicator], items: list[OitItem],
          errors: dict[str, list[str]], recommendations: list[Recommendation]) -> Measure:
    for name, value in data.items():
        setattr(measure, name, value)
    try:
        measure.full_clean(exclude=["organisation", "based_on"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name not in errors:  # a field already rejected here needs no second message
                errors.setdefault(name if name in MEASURE_FIELDS else "__all__", []).extend(messages)
    if errors:
        raise ValidationError(errors)
    measure.save()
    measure.indicators.set(indicators)
    measure.items.set(items)
    measure.recommendations.set(recommendations)
    return measure


@scoped("organisation")
@records_user
@transaction.atomic
def measure_create(*, organisation: Organisation, fiscal_year: int, user, title: str,
                   indicators: Iterable = (), items: Iterable = (), recommendations: Iterable = (), steps: str = "",
                   responsible_unit: Unit | None = None, responsible_text: str = "",
                   deadline: datetime.date | None = None, deadline_text: str = "",
                   cadence: str = Cadence.QUARTERLY) -> Measure:
    """A new measure at the end of the year's list."""
    _check_edit(user, organisation)
    try:
        validate_fiscal_year(int(fiscal_year))
    except ValidationError as error:
        raise ValidationError({"__all__": error.messages}) from None
    framework, result = _framework(organisation, fiscal_year)
    errors: dict[str, list[str]] = {}
    data = _validate(organisation=organisation, fiscal_year=fiscal_year, errors=errors, data={
        "title": title, "steps": steps, "responsible_unit": responsible_unit, "responsible_text": responsible_text,
        "deadline": deadline, "deadline_text": deadline_text, "cadence": cadence})
    chosen, chosen_items = _resolve(framework, indicators, items, errors)
    answered = _recommendations(result, recommendations, errors)
    lock_organisation(organisation)  # two measures added at once must not take the same place
    year = Measure.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
    measure = Measure(organisation=organisation, fiscal_year=fiscal_year, based_on=result,
                      order=ordering.next_position(year))
    return _save(measure, data=data, indicators=chosen, items=chosen_items, errors=errors,
                 recommendations=answered)


@scoped("measure")
@records_user
@transaction.atomic
def measure_update(*, measure: Measure, user, expected_version: int | None = None, **fields) -> Measure:
    """Change any of MEASURE_FIELDS; the organisation and year stay.

    `expected_version`: the version the edit form was loaded with; StaleEdit if it moved.
    """
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise ValueError(f"แก้ไขไม่ได้: {', '.join(sorted(unknown))}")
    _check_edit(user, measure.organisation)
    measure = Measure.objects.select_for_update().select_related("organisation").get(pk=measure.pk)
    check_and_bump(measure, expected_version)
    framework, result = _framework(measure.organisation, measure.fiscal_year)
    current = {name: getattr(measure, name) for name in MEASURE_FIELDS if name not in _LINKS}
    current.update({k: v for k, v in fields.items() if k not in _LINKS})
    errors: dict[str, list[str]] = {}
    data = _validate(organisation=measure.organisation, fiscal_year=measure.fiscal_year, data=current,
                     errors=errors)
    indicators = fields["indicators"] if "indicators" in fields else list(measure.indicators.all())
    items = fields["items"] if "items" in fields else list(measure.items.all())
    chosen, chosen_items = _resolve(framework, indicators, items, errors)
    answered = _recommendations(result, fields["recommendations"] if "recommendations" in fields
                                else list(measure.recommendations.all()), errors)
    if result is not None:
        measure.based_on = result
    return _save(measure, data=data, indicators=chosen, items=chosen_items, errors=errors,
                 recommendations=answered)


@scoped("measure")
@records_user
@transaction.atomic
def measure_delete(*, measure: Measure, user) -> None:
    """The measure, its progress and, once committed, its evidence files."""
    _check_edit(user, measure.organisation)
    files = [p.evidence_file.name for p in measure.progress.all() if p.evidence_file]
    organisation, fiscal_year = measure.organisation, measure.fiscal_year
    lock_organisation(organisation)
    measure.delete()
    ordering.close_gaps(Measure.objects.filter(organisation=organisation, fiscal_year=fiscal_year))
    remove_files_on_commit(files)


@scoped("measure")
@records_user
@transaction.atomic
def measure_move(*, measure: Measure, offset: int, user) -> None:
    """Up (-1) or down (+1) in the year's list; the order within each indicator group follows."""
    _check_edit(user, measure.organisation)
    # The organisation, not only the year's rows: a measure added meanwhile is not among them.
    lock_organisation(measure.organisation)
    ordering.move(measure, offset, siblings=Measure.objects.filter(organisation=measure.organisation,
                                                                  fiscal_year=measure.fiscal_year))


def validate_evidence_file(upload) -> None:
    """Type by name and by content, and size; Thai ValidationError (the portal's one check)."""
    validate_document(upload)


# The order of a measure's statuses: going back from the last one is asked first.
_STAGES = [ProgressStatus.NOT_STARTED, ProgressStatus.IN_PROGRESS, ProgressStatus.DONE]


@scoped("measure")
@records_user
@transaction.atomic
def progress_record(*, measure: Measure, quarter: int, user, status: str, result: str = "",
                    evidence_file=None, evidence_url: str = "", remove_file: bool = False,
                    expected_version: int | None = None, confirmed=()) -> MeasureProgress:
    """One quarter's progress; a new file replaces the old one, whose file is removed after commit.

    `expected_version`: the version the form was loaded with (0 when the quarter had none);
    StaleEdit if it moved. A status back from "done" needs the user's confirmation (`confirmed`).
    """
    _check_edit(user, measure.organisation)
    errors: dict[str, list[str]] = {}
    if quarter not in selectors.QUARTERS:
        errors.setdefault("__all__", []).append("ไตรมาสต้องเป็น 1 ถึง 4")
    if status not in ProgressStatus.values:
        errors.setdefault("status", []).append("สถานะไม่ถูกต้อง")
    if evidence_file:
        try:
            validate_evidence(evidence_file)
        except ValidationError as error:
            errors.update(error.message_dict)
    evidence_url = (evidence_url or "").strip()
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            errors.setdefault("evidence_url", []).append("ลิงก์หลักฐานต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย http:// หรือ https://")
    if errors:
        raise ValidationError(errors)
    # One writer of a measure's quarters at a time: the status is compared with the other quarters.
    Measure.objects.select_for_update().filter(pk=measure.pk).first()
    progress = claim(MeasureProgress, expected_version, measure=measure, quarter=quarter)
    statuses = dict(MeasureProgress.objects.filter(measure=measure).values_list("quarter", "status"))
    require_confirmed(status_went_back(statuses, quarter, status, stages=_STAGES,
                                       labels=dict(ProgressStatus.choices)), confirmed)
    progress.status = status
    progress.result = (result or "").strip()
    progress.evidence_url = evidence_url
    replace_file(progress, evidence_file, remove=remove_file)
    progress.full_clean(exclude=["evidence_file"], validate_unique=False)
    save_claimed(progress, expected_version, measure=measure, quarter=quarter)
    return progress

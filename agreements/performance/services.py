"""Every change to a unit or individual performance agreement goes through here.

Keyword-only, one transaction each, validated here (not only in forms), Thai messages. A draft
agreement's indicators may change; signing freezes them (weights must total exactly 100);
progress is recorded per quarter of the agreement's round once signed; evaluation turns each
indicator's achieved value into a level and the levels into the weighted score.

`user` is required: a person, to whom the organisation's access rules apply, or
``access.SYSTEM`` for the system itself (demo, commands). The rules: staff and executives edit, executives sign and evaluate, auditors only read.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lao_integrity import ordering, thai
from lao_integrity.concurrency import check_and_bump, claim, save_claimed
from lao_integrity.evidence import replace_file, validate_evidence
from lao_integrity.history import records_user
from lao_integrity.locks import lock_organisation
from lao_integrity.orgs import access
from lao_integrity.orgs.models import Organisation, Person, Unit
from lao_integrity.pagecache.versions import scoped
from lao_integrity.review import workflow as review
from lao_integrity.signing import stored

from . import scoring
from .models import (
    AgreementIndicator,
    AgreementKind,
    AgreementStatus,
    IndicatorProgress,
    PerformanceAgreement,
)

AGREEMENT_FIELDS = ("fiscal_year", "round", "kind", "unit", "person", "executive")
INDICATOR_FIELDS = ("order", "aspect", "work_type", "name", "unit_of_measure", "baseline", "higher_is_better",
                    "target_1", "target_2", "target_3", "target_4", "target_5", "weight")
ROUNDS = (1, 2)


def _check_edit(user, organisation: Organisation) -> None:
    if not access.can_edit(user, organisation):
        raise PermissionDenied("ท่านไม่มีสิทธิ์แก้ไขข้อตกลงของ อปท. นี้")


def _check_approve(user, organisation: Organisation) -> None:
    if not access.can_approve(user, organisation):
        raise PermissionDenied("เฉพาะผู้บริหารของ อปท. นี้เท่านั้นที่ลงนามหรือประเมินผลข้อตกลงได้")


def _locked(agreement: PerformanceAgreement) -> PerformanceAgreement:
    """The agreement as it is in the database now, locked: the caller's copy may be stale."""
    return PerformanceAgreement.objects.select_for_update().get(pk=agreement.pk)


def _require_draft(agreement: PerformanceAgreement, what: str) -> None:
    review.refuse_while_submitted(agreement)  # a draft or a returned one only (lao_integrity/review)
    if agreement.status not in review.EDITABLE:
        raise ValidationError(f"ข้อตกลงนี้{agreement.get_status_display()} {what}ไม่ได้")


def _require_signed(agreement: PerformanceAgreement, *, if_draft: str, if_evaluated: str) -> None:
    """Progress and evaluation need a signed agreement not yet evaluated; each refuses in its own words."""
    if agreement.status in review.OPEN:
        raise ValidationError(if_draft)
    if agreement.status == AgreementStatus.EVALUATED:
        raise ValidationError(if_evaluated)


def _check_fields(fields, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")


def _touch(agreement: PerformanceAgreement) -> None:
    """Mark the agreement changed when its indicators or linked projects change (a queryset update,
    not a save: the agreement's own fields and version stay as they are)."""
    PerformanceAgreement.objects.filter(pk=agreement.pk).update(updated_at=timezone.now())


# --- agreements ------------------------------------------------------------------------------


def _validate_parties(agreement: PerformanceAgreement) -> None:
    errors: dict[str, list[str]] = {}
    org_id = agreement.organisation_id
    if agreement.round not in ROUNDS:
        errors.setdefault("round", []).append("รอบการประเมินต้องเป็นครั้งที่ 1 หรือ 2")
    person: Person | None = agreement.person if agreement.person_id else None
    executive: Person | None = agreement.executive if agreement.executive_id else None
    if person is None:
        errors.setdefault("person", []).append("กรุณาเลือกผู้รับข้อตกลง")
    elif person.organisation_id != org_id:
        errors.setdefault("person", []).append(f"{person.full_name} ไม่ใช่บุคลากรของ {agreement.organisation.name}")
    if executive is None:
        errors.setdefault("executive", []).append("กรุณาเลือกผู้บริหาร (ผู้ให้ข้อตกลง)")
    elif executive.organisation_id != org_id:
        errors.setdefault("executive", []).append(
            f"{executive.full_name} ไม่ใช่บุคลากรของ {agreement.organisation.name}")
    if person is not None and executive is not None and person.pk == executive.pk:
        errors.setdefault("executive", []).append("ผู้ให้ข้อตกลงและผู้รับข้อตกลงต้องเป็นคนละคนกัน")
    unit: Unit | None = agreement.unit if agreement.unit_id else None
    if agreement.kind == AgreementKind.UNIT and unit is None:
        errors.setdefault("unit", []).append("ข้อตกลงระดับหน่วยงานต้องระบุหน่วยงาน")
    if unit is not None and unit.organisation_id != org_id:
        errors.setdefault("unit", []).append(f"{unit.name} ไม่ใช่หน่วยงานของ {agreement.organisation.name}")
    if person is not None and "round" not in errors:
        taken = PerformanceAgreement.objects.filter(
            organisation_id=org_id, fiscal_year=agreement.fiscal_year, round=agreement.round, person=person,
        ).exclude(pk=agreement.pk)
        if taken.exists():
            errors.setdefault("person", []).append(
                f"{person.full_name} มีข้อตกลงปีงบประมาณ {agreement.fiscal_year} "
                f"ครั้งที่ {agreement.round} อยู่แล้ว")
    if errors:
        raise ValidationError(errors)


@scoped("organisation")
@records_user
@transaction.atomic
def agreement_create(*, organisation: Organisation, fiscal_year: int, round: int, person: Person,
                     executive: Person, kind: str = AgreementKind.UNIT, unit: Unit | None = None,
                     user) -> PerformanceAgreement:
    _check_edit(user, organisation)
    agreement = PerformanceAgreement(organisation=organisation, fiscal_year=fiscal_year, round=round, kind=kind,
                                     unit=unit, person=person, executive=executive)
    lock_organisation(organisation)  # the "already has one this round" check, then the insert
    _validate_parties(agreement)
    agreement.full_clean()
    agreement.save()
    return agreement


@scoped("agreement")
@records_user
@transaction.atomic
def agreement_update(*, agreement: PerformanceAgreement, user, expected_version: int | None = None,
                     **fields) -> PerformanceAgreement:
    """Change the parties or the round of a draft; a signed agreement keeps what was signed.

    `expected_version`: the version the edit form was loaded with; StaleEdit if it moved.
    """
    _check_edit(user, agreement.organisation)
    _check_fields(fields, AGREEMENT_FIELDS)
    current = _locked(agreement)
    _require_draft(current, "แก้ไขคู่สัญญาหรือรอบการประเมิน")
    check_and_bump(agreement, expected_version)
    for name, value in fields.items():
        setattr(agreement, name, value)
    _validate_parties(agreement)
    agreement.full_clean()
    agreement.save(update_fields=[*fields, "updated_at", "version"])
    return agreement


@scoped("agreement")
@records_user
@transaction.atomic
def agreement_delete(*, agreement: PerformanceAgreement, user) -> None:
    _check_edit(user, agreement.organisation)
    _require_draft(_locked(agreement), "ลบ")
    review.forget(agreement)
    agreement.delete()


@scoped("agreement")
@records_user
@transaction.atomic
def agreement_link_projects(*, agreement: PerformanceAgreement, projects, user,
                            expected_version: int | None = None) -> PerformanceAgreement:
    """The plan projects this agreement carries out (replaces the current links).

    `expected_version`: the agreement's version the form was loaded with; StaleEdit if it moved.
    """
    _check_edit(user, agreement.organisation)
    check_and_bump(agreement, expected_version)
    projects = list(projects)
    foreign = [p for p in projects if p.plan.organisation_id != agreement.organisation_id]
    if foreign:
        names = ", ".join(f"“{p.name}”" for p in foreign)
        raise ValidationError({"projects": f"โครงการ {names} ไม่ใช่โครงการในแผนของ {agreement.organisation.name}"})
    agreement.projects.set(projects)
    _touch(agreement)
    return agreement


# --- indicators ------------------------------------------------------------------------------


def _validate_indicator(indicator: AgreementIndicator) -> None:
    errors: dict[str, list[str]] = {}
    targets = indicator.targets
    if any(t is None for t in targets):
        errors.setdefault("target_1", []).append("กรุณาระบุค่าเป้าหมายให้ครบทั้ง 5 ระดับ")
    elif not scoring.targets_are_ordered([Decimal(t) for t in targets],
                                         higher_is_better=indicator.higher_is_better):
        if indicator.higher_is_better:
            message = "ค่าเป้าหมายต้องเพิ่มขึ้นจากระดับ 1 ถึงระดับ 5 (ค่ายิ่งมากยิ่งดี)"
        else:
            message = "ค่าเป้าหมายต้องลดลงจากระดับ 1 ถึงระดับ 5 (ค่ายิ่งน้อยยิ่งดี)"
        errors.setdefault("target_1", []).append(message)
    weight = indicator.weight
    if weight is None:
        errors.setdefault("weight", []).append("กรุณาระบุน้ำหนัก")
    elif Decimal(weight) <= 0:
        errors.setdefault("weight", []).append("น้ำหนักต้องมากกว่า 0")
    elif Decimal(weight) > scoring.WEIGHT_TOTAL:
        errors.setdefault("weight", []).append("น้ำหนักต้องไม่เกิน 100")
    if not (indicator.name or "").strip():
        errors.setdefault("name", []).append("กรุณาระบุตัวชี้วัด")
    if not (indicator.unit_of_measure or "").strip():
        errors.setdefault("unit_of_measure", []).append("กรุณาระบุหน่วยนับ เช่น ร้อยละ หรือ ครั้ง")
    if errors:
        raise ValidationError(errors)
    indicator.name = indicator.name.strip()
    indicator.unit_of_measure = indicator.unit_of_measure.strip()


def _save_indicator(indicator: AgreementIndicator) -> AgreementIndicator:
    """Validate and save one indicator added or edited on its own; its agreement shows the change."""
    _validate_indicator(indicator)
    indicator.full_clean()
    indicator.save()
    _touch(indicator.agreement)
    return indicator


def check_indicator(**fields) -> None:
    """Validate an indicator's fields without saving (used to report every bad line of an import)."""
    indicator = AgreementIndicator(**{"order": 1, **fields})
    _validate_indicator(indicator)
    indicator.full_clean(exclude=["agreement"])


@scoped("agreement")
@records_user
@transaction.atomic
def indicator_create(*, agreement: PerformanceAgreement, user, **fields) -> AgreementIndicator:
    _check_edit(user, agreement.organisation)
    _check_fields(fields, INDICATOR_FIELDS)
    _require_draft(_locked(agreement), "เพิ่มตัวชี้วัด")
    indicator = AgreementIndicator(agreement=agreement, **fields)
    if not indicator.order:
        indicator.order = ordering.next_position(agreement.indicators.all())
    return _save_indicator(indicator)


@scoped("indicator")
@records_user
@transaction.atomic
def indicator_update(*, indicator: AgreementIndicator, user, expected_version: int | None = None,
                     **fields) -> AgreementIndicator:
    """`expected_version`: the version the edit form was loaded with; StaleEdit if it moved."""
    agreement = indicator.agreement
    _check_edit(user, agreement.organisation)
    _check_fields(fields, INDICATOR_FIELDS)
    _require_draft(_locked(agreement), "แก้ไขตัวชี้วัด")
    check_and_bump(indicator, expected_version)
    for name, value in fields.items():
        setattr(indicator, name, value)
    return _save_indicator(indicator)


@scoped("indicator")
@records_user
@transaction.atomic
def indicator_delete(*, indicator: AgreementIndicator, user) -> None:
    agreement = indicator.agreement
    _check_edit(user, agreement.organisation)
    _require_draft(_locked(agreement), "ลบตัวชี้วัด")
    indicator.delete()
    ordering.close_gaps(agreement.indicators.all())  # the numbering never skips
    _touch(agreement)


@scoped("agreement")
@records_user
@transaction.atomic
def indicators_replace(*, agreement: PerformanceAgreement, rows: list[dict], user) -> list[AgreementIndicator]:
    """Replace a draft agreement's indicators with `rows` (dicts of INDICATOR_FIELDS); all or nothing."""
    _check_edit(user, agreement.organisation)
    _require_draft(_locked(agreement), "นำเข้าตัวชี้วัด")
    agreement.indicators.all().delete()
    created = []
    for position, row in enumerate(rows, start=1):
        indicator = AgreementIndicator(agreement=agreement, **{"order": position, **row})
        _validate_indicator(indicator)
        indicator.full_clean()
        indicator.save()
        created.append(indicator)
    _touch(agreement)
    return created


# --- signing -----------------------------------------------------------------------------------


def sign_problems(agreement: PerformanceAgreement, indicators: list[AgreementIndicator] | None = None) -> list[str]:
    """Why the agreement cannot be signed yet (empty when it can)."""
    if agreement.status not in review.OPEN:
        return [f"ข้อตกลงนี้{agreement.get_status_display()}"]
    if indicators is None:
        indicators = list(agreement.indicators.all())
    if not indicators:
        return ["ยังไม่มีตัวชี้วัด ลงนามไม่ได้"]
    problems = []
    total = scoring.weight_total(i.weight for i in indicators)
    if total != scoring.WEIGHT_TOTAL:
        problems.append(f"น้ำหนักรวมของตัวชี้วัดต้องเท่ากับ 100 พอดี ขณะนี้รวม {scoring.format_decimal(total)}")
    for indicator in indicators:
        if not scoring.targets_are_ordered(indicator.targets, higher_is_better=indicator.higher_is_better):
            problems.append(f"ตัวชี้วัด “{indicator.name}”: ค่าเป้าหมายระดับ 1-5 ไม่เรียงตามทิศทางของตัวชี้วัด")
    return problems


def _moment(day: datetime.date | None) -> datetime.datetime:
    """Now, or noon of `day` (a date recorded after the fact) in the local time zone."""
    if day is None:
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


@scoped("agreement")
@records_user
@transaction.atomic
def agreement_sign(*, agreement: PerformanceAgreement, user,
                   signed_on: datetime.date | None = None) -> PerformanceAgreement:
    """The executive signs: the indicators, targets and weights are frozen from here on.

    `signed_on` records the date of a paper agreement signed earlier (never in the future, never
    after the round has ended).
    """
    _check_approve(user, agreement.organisation)
    current = _locked(agreement)
    problems = sign_problems(current)
    if signed_on is not None:
        if signed_on > timezone.localdate():
            problems.append("วันที่ลงนามต้องไม่เป็นวันในอนาคต")
        if signed_on > current.bounds[1]:
            problems.append("วันที่ลงนามต้องไม่อยู่หลังวันสิ้นสุดรอบการประเมิน")
    if problems:
        raise ValidationError(problems)
    check_and_bump(current)
    current.status = AgreementStatus.SIGNED
    current.signed_at = _moment(signed_on)
    current.signed_by = access.person(user)
    _store_signed_pdf(current)
    current.save(update_fields=["status", "signed_at", "signed_by", *SIGNED_PDF_FIELDS, "updated_at", "version"])
    agreement.version = current.version
    agreement.status, agreement.signed_at, agreement.signed_by = current.status, current.signed_at, current.signed_by
    for name in SIGNED_PDF_FIELDS:
        setattr(agreement, name, getattr(current, name))
    review.approved(document(current), user=user, action="signed")
    return agreement


SIGNED_PDF_FIELDS = ("pdf", "pdf_sha256", "digital_signer")


def _store_signed_pdf(agreement: PerformanceAgreement) -> None:
    """Render the agreement once, as signed; sign it (PAdES, lao_integrity/signing: B-B, or B-T with
    DJANGO_TSA_URL) when the organisation has a valid certificate; keep it with its SHA-256. The
    caller saves the row in the same transaction."""
    from . import documents  # documents -> selectors -> services (sign_problems): imported when signing

    stored.keep(agreement, documents.agreement_pdf(agreement), organisation=agreement.organisation,
                reason=f"ลงนามข้อตกลงการปฏิบัติราชการ {agreement} โดย {agreement.executive.full_name}",
                name=f"{agreement.organisation.code}-performance-agreement-{agreement.fiscal_year}-"
                     f"{agreement.round}-{agreement.pk}")


def document(agreement: PerformanceAgreement) -> review.Document:  # as the review steps name it (reviewing.py)
    return review.Document(agreement, agreement.organisation, f"ข้อตกลงการปฏิบัติราชการ {agreement}",
                           reverse("agreements:detail", args=[agreement.pk]))


# --- progress and evaluation ---------------------------------------------------------------


def _round_label(agreement: PerformanceAgreement) -> str:
    first, second = agreement.quarters
    return f"รอบการประเมินครั้งที่ {agreement.round} (ไตรมาส {first} และ {second})"


@scoped("indicator")
@records_user
@transaction.atomic
def progress_record(*, indicator: AgreementIndicator, quarter: int, user, value: Decimal | None = None,
                    note: str = "", evidence_file=None, evidence_url: str = "",
                    expected_version: int | None = None) -> IndicatorProgress:
    """One quarter's cumulative result. `expected_version`: the version the form was loaded with (0
    when the quarter had none); StaleEdit if it moved."""
    agreement = indicator.agreement
    _check_edit(user, agreement.organisation)
    current = _locked(agreement)
    _require_signed(current, if_draft="ข้อตกลงยังไม่ได้ลงนาม บันทึกผลการดำเนินงานได้หลังผู้บริหารลงนามแล้ว",
                    if_evaluated="ข้อตกลงนี้ประเมินผลแล้ว แก้ไขผลรายไตรมาสไม่ได้")
    if quarter not in current.quarters:
        raise ValidationError(f"ไตรมาส {quarter} ไม่อยู่ใน{_round_label(current)}")
    if evidence_file:
        validate_evidence(evidence_file)
    progress = claim(IndicatorProgress, expected_version, indicator=indicator, quarter=quarter)
    progress.value = value
    progress.note = (note or "").strip()
    replace_file(progress, evidence_file)
    progress.evidence_url = (evidence_url or "").strip()
    progress.full_clean(validate_unique=False)
    save_claimed(progress, expected_version, indicator=indicator, quarter=quarter)
    return progress


@scoped("agreement")
@records_user
@transaction.atomic
def agreement_evaluate(*, agreement: PerformanceAgreement, values: dict[int, Decimal], user,
                       today: datetime.date | None = None) -> PerformanceAgreement:
    """End of round: each indicator's achieved value gives its level; the levels give the score.

    Allowed from the round's first day (evaluation often happens just before the round ends);
    the time of evaluation is recorded (`today`, when given, is the date of an evaluation made
    earlier on paper).
    """
    _check_approve(user, agreement.organisation)
    current = _locked(agreement)
    _require_signed(current, if_draft="ข้อตกลงยังไม่ได้ลงนาม ประเมินผลไม่ได้", if_evaluated="ข้อตกลงนี้ประเมินผลแล้ว")
    start, _end = current.bounds
    if today is not None and today > timezone.localdate():
        raise ValidationError("วันที่ประเมินผลต้องไม่เป็นวันในอนาคต")
    day = today or timezone.localdate()
    if day < start:
        raise ValidationError(
            f"ยังไม่ถึงรอบการประเมินครั้งที่ {current.round} (เริ่ม {thai.format_date_long(start, thai=False)})")
    indicators = list(current.indicators.order_by("order", "id"))
    if not indicators:
        raise ValidationError("ข้อตกลงนี้ไม่มีตัวชี้วัด")
    known = {i.pk for i in indicators}
    unknown = [k for k in values if k not in known]
    if unknown:
        raise ValidationError("มีผลการดำเนินงานของตัวชี้วัดที่ไม่อยู่ในข้อตกลงนี้")
    missing = [i.name for i in indicators if values.get(i.pk) is None]
    if missing:
        raise ValidationError([f"กรุณาระบุผลการดำเนินงานของ “{name}”" for name in missing])
    rows = []
    for indicator in indicators:
        value = Decimal(values[indicator.pk])
        indicator.achieved_value = value
        indicator.achieved_level = scoring.achieved_level(value, indicator.targets,
                                                          higher_is_better=indicator.higher_is_better)
        indicator.full_clean()
        rows.append((indicator.weight, indicator.achieved_level))
    # One save each (not bulk_update), so the audit trail records every achieved value; the
    # model lets a signed agreement's indicators take these two fields, and nothing else.
    for indicator in indicators:
        indicator.save(update_fields=["achieved_value", "achieved_level"])
    check_and_bump(current)
    current.score = scoring.weighted_score(rows)
    current.status = AgreementStatus.EVALUATED
    current.evaluated_at = _moment(today)
    current.save(update_fields=["score", "status", "evaluated_at", "updated_at", "version"])
    agreement.version = current.version
    agreement.score, agreement.status, agreement.evaluated_at = current.score, current.status, current.evaluated_at
    return agreement

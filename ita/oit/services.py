"""Writes to the OIT checklist: staff answer an item, an executive confirms the checklist.

Rules:
- A year's checklist uses the year's framework, else the latest one before it (selectors.framework_for);
  it is created with its first answer or confirmation and keeps that framework.
- An answer names an item of that framework by its code (O36). Its external URL must be http(s);
  with an external URL the state (มี/ไม่มี) must be chosen. A portal document kind, when chosen instead
  of the suggestion, must be one the portal publishes (evidence.KIND_LABELS).
- Editing an answer of a confirmed checklist clears the confirmation (the executive confirms again);
  the checklist's version moves, so a confirm button loaded before the edit is refused.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from lao_integrity.concurrency import check_and_bump, claim, save_claimed
from lao_integrity.fields import validate_fiscal_year
from lao_integrity.history import records_user
from lao_integrity.locks import lock_organisation
from lao_integrity.orgs import access
from lao_integrity.pagecache.versions import scoped

from ..models import OitItem, normalise_item_code
from . import evidence, selectors
from .models import OitAnswer, OitChecklist, State

NOTE_MAX = 2000
URL_ERROR = "ลิงก์ต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย http:// หรือ https:// เช่น https://www.example.go.th/"


def _ensure(organisation, fiscal_year: int) -> OitChecklist:
    """The year's checklist, locked; created with the year's framework when there is none."""
    try:
        validate_fiscal_year(int(fiscal_year))
    except ValidationError as error:
        raise ValidationError({"__all__": error.messages}) from None
    checklist = (OitChecklist.objects.select_for_update()
                 .filter(organisation=organisation, fiscal_year=fiscal_year).first())
    if checklist is not None:
        return checklist
    lock_organisation(organisation)  # two first answers at once must not create two checklists
    checklist = OitChecklist.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()
    if checklist is not None:
        return checklist
    framework = selectors.framework_for(fiscal_year)
    if framework is None:
        raise ValidationError(f"ยังไม่มีกรอบการประเมิน ITA สำหรับปีงบประมาณ {fiscal_year} หรือก่อนหน้า "
                              "โปรดแจ้งผู้ดูแลระบบ")
    return OitChecklist.objects.create(organisation=organisation, fiscal_year=fiscal_year, framework=framework)


@scoped("organisation")
@records_user
@transaction.atomic
def checklist_ensure(*, organisation, fiscal_year: int, user) -> OitChecklist:
    access.require_edit(user, organisation)
    return _ensure(organisation, fiscal_year)


def _clean(*, state: str, evidence_kind: str, external_url: str, note: str) -> dict:
    errors: dict[str, list[str]] = {}
    state = state or ""
    if state not in ("", *State.values):
        errors.setdefault("state", []).append("สถานะต้องเป็น มี หรือ ไม่มี")
    evidence_kind = (evidence_kind or "").strip()
    if evidence_kind and evidence_kind not in evidence.KIND_LABELS:
        errors.setdefault("evidence_kind", []).append("กรุณาเลือกเอกสารในระบบจากรายการ")
    external_url = (external_url or "").strip()
    if external_url:
        try:
            URLValidator(schemes=["http", "https"])(external_url)
        except ValidationError:
            errors.setdefault("external_url", []).append(URL_ERROR)
        if len(external_url) > OitAnswer._meta.get_field("external_url").max_length:
            errors.setdefault("external_url", []).append("ลิงก์ยาวเกิน 500 ตัวอักษร")
        if not state and "state" not in errors:
            errors.setdefault("state", []).append("ระบุลิงก์ภายนอกแล้ว กรุณาเลือกสถานะ มี หรือ ไม่มี")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors.setdefault("note", []).append(f"คำอธิบายยาวเกิน {NOTE_MAX:,} ตัวอักษร")
    if errors:
        raise ValidationError(errors)
    return {"state": state, "evidence_kind": evidence_kind, "external_url": external_url, "note": note}


@scoped("organisation")
@records_user
@transaction.atomic
def answer_save(*, organisation, fiscal_year: int, item_code: str, user, state: str = "", evidence_kind: str = "",
                external_url: str = "", note: str = "", expected_version: int | None = None) -> OitAnswer:
    """One item's answer. `expected_version`: the answer's version the form was loaded with (0: none
    stored yet); StaleEdit if it moved. The answer returned carries `confirmation_cleared`."""
    access.require_edit(user, organisation)
    data = _clean(state=state, evidence_kind=evidence_kind, external_url=external_url, note=note)
    checklist = _ensure(organisation, fiscal_year)
    try:
        code = normalise_item_code(item_code)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    item = OitItem.objects.filter(indicator__framework=checklist.framework, code=code).first()
    if item is None:
        raise ValidationError(f"ไม่มีข้อ {code} ในกรอบการประเมินปี {checklist.framework.fiscal_year}")
    answer = claim(OitAnswer, expected_version, checklist=checklist, item=item)
    for name, value in data.items():
        setattr(answer, name, value)
    answer.updated_by = access.person(user)
    save_claimed(answer, expected_version, checklist=checklist, item=item)
    answer.confirmation_cleared = False
    if checklist.confirmed_at is not None:
        check_and_bump(checklist)  # a confirm button loaded before this edit is refused
        checklist.confirmed_at = None
        checklist.confirmed_by = None
        checklist.save(update_fields=["confirmed_at", "confirmed_by", "version", "updated_at"])
        answer.confirmation_cleared = True
    return answer


@scoped("organisation")
@records_user
@transaction.atomic
def checklist_confirm(*, organisation, fiscal_year: int, user, expected_version: int | None = None) -> OitChecklist:
    """The executive confirms the year's answers as they are now. `expected_version`: the checklist's
    version the page showed (0: none stored yet); refused if an answer was saved since."""
    access.require_approve(user, organisation)
    checklist = _ensure(organisation, fiscal_year)
    if expected_version is not None and expected_version != checklist.version:
        raise ValidationError("มีการแก้ไขรายการตรวจ OIT หลังจากที่ท่านเปิดหน้านี้ "
                              "โปรดตรวจสอบรายการล่าสุดแล้วยืนยันอีกครั้ง", code="stale")
    if checklist.confirmed_at is not None:
        raise ValidationError("รายการตรวจ OIT ปีนี้ยืนยันแล้ว", code="confirmed")
    check_and_bump(checklist)
    checklist.confirmed_at = timezone.now()
    checklist.confirmed_by = access.person(user)
    checklist.save(update_fields=["confirmed_at", "confirmed_by", "version", "updated_at"])
    return checklist

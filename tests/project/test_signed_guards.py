"""Signed records can't change below the model guards: the performance agreement is guarded as the
announcement is (save, queryset, base manager, loaddata), and on PostgreSQL triggers refuse an
UPDATE or DELETE of what a signed row froze, however it is issued (raw SQL included)."""

import datetime
import json
from decimal import Decimal as D

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from agreements.performance import services
from agreements.performance.models import (
    AgreementIndicator,
    AgreementKind,
    AgreementStatus,
    Aspect,
    PerformanceAgreement,
    SignedAgreementError,
    WorkType,
)
from lao_integrity.announcements.models import Announcement, SignedAnnouncementError
from lao_integrity.concurrency import check_and_bump
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import person_ensure

needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                      reason="the triggers are PostgreSQL's (DATABASE_URL=postgres://...)")


@pytest.fixture
def head(org, units):
    return person_ensure(user=SYSTEM, organisation=org, prefix="นางสาว", first_name="มาลี", last_name="ศรีคลัง",
                         position="ผู้อำนวยการกองคลัง", unit=units["กองคลัง"])


def _agreement(org, units, people, head, round_number=1):
    agreement = services.agreement_create(organisation=org, fiscal_year=2569, round=round_number,
                                          kind=AgreementKind.UNIT, unit=units["กองคลัง"], person=head,
                                          executive=people["executive"], user=SYSTEM)
    services.indicator_create(agreement=agreement, aspect=Aspect.SERVICE, work_type=WorkType.CORE,
                              name="ร้อยละการเบิกจ่ายงบประมาณ", unit_of_measure="ร้อยละ", baseline=None,
                              higher_is_better=True, **{f"target_{i}": D(str(40 + 5 * i)) for i in range(1, 6)},
                              weight=D("100"), user=SYSTEM)
    return agreement


@pytest.fixture
def draft_agreement(org, units, people, head):
    return _agreement(org, units, people, head, round_number=2)


@pytest.fixture
def signed(org, units, people, head, executive):
    agreement = _agreement(org, units, people, head)
    services.agreement_sign(agreement=agreement, user=executive)
    return PerformanceAgreement.objects.get(pk=agreement.pk)


@pytest.fixture
def announcement(signed_announcement):
    return signed_announcement


def stored(agreement) -> dict:
    return PerformanceAgreement.objects.filter(pk=agreement.pk).values(
        "status", "fiscal_year", "round", "signed_by", "signed_at", "person", "score").get()


# --- the performance agreement's model guards --------------------------------------------------


def test_a_queryset_update_does_not_reopen_a_signed_agreement(signed):
    before = stored(signed)
    for manager in (PerformanceAgreement.objects, PerformanceAgreement._base_manager):
        with pytest.raises(SignedAgreementError):
            manager.filter(pk=signed.pk).update(status=AgreementStatus.DRAFT)
        with pytest.raises(SignedAgreementError):
            manager.filter(pk=signed.pk).update(fiscal_year=2570)
        with pytest.raises(SignedAgreementError):
            manager.filter(organisation=signed.organisation).update(signed_by=None)
    with pytest.raises(SignedAgreementError), transaction.atomic():
        signed.round = 2
        PerformanceAgreement.objects.bulk_update([signed], ["round"])
    assert stored(signed) == before


def test_save_does_not_change_a_signed_agreement_s_year_round_or_parties(signed, people, units):
    before = stored(signed)
    changes = {"fiscal_year": 2570, "round": 2, "person": people["analyst"], "unit": units["สำนักปลัด"],
               "signed_at": signed.signed_at - datetime.timedelta(days=30), "signed_by": None}
    for name, value in changes.items():
        agreement = PerformanceAgreement.objects.get(pk=signed.pk)
        setattr(agreement, name, value)
        with pytest.raises(SignedAgreementError):
            agreement.save()
        with pytest.raises(SignedAgreementError):
            agreement.save(update_fields=[name])
    assert stored(signed) == before


def test_what_stays_open_after_signing_still_works(signed, executive, staff, plan):
    check_and_bump(signed)  # a form opened before is refused after this
    PerformanceAgreement.objects.filter(pk=signed.pk).update(updated_at=signed.updated_at)
    project = plan.projects.first()
    services.agreement_link_projects(agreement=signed, projects=[project], user=staff)
    indicator = signed.indicators.get()
    services.progress_record(indicator=indicator, quarter=1, user=staff, value=D("48"))
    services.agreement_evaluate(agreement=signed, values={indicator.pk: D("52")}, user=executive,
                                today=datetime.date(2026, 3, 31))
    evaluated = PerformanceAgreement.objects.get(pk=signed.pk)
    assert evaluated.status == AgreementStatus.EVALUATED and evaluated.score is not None
    assert list(evaluated.projects.all()) == [project]
    # Evaluated: the score is final too.
    evaluated.score = D("100")
    with pytest.raises(SignedAgreementError):
        evaluated.save()
    with pytest.raises(SignedAgreementError):
        PerformanceAgreement.objects.filter(pk=signed.pk).update(score=D("100"))


def test_a_draft_agreement_stays_editable(draft_agreement, people):
    PerformanceAgreement.objects.filter(pk=draft_agreement.pk).update(fiscal_year=2570)
    draft_agreement.refresh_from_db()
    draft_agreement.round = 1
    draft_agreement.save()
    assert (draft_agreement.fiscal_year, draft_agreement.round) == (2570, 1)


def test_the_announcement_s_base_manager_is_guarded(announcement):
    with pytest.raises(SignedAnnouncementError):
        Announcement._base_manager.filter(pk=announcement.pk).update(subject="แก้ไขภายหลัง")
    with pytest.raises(SignedAnnouncementError):
        Announcement._base_manager.filter(pk=announcement.pk).delete()
    assert Announcement.objects.get(pk=announcement.pk).subject == announcement.subject


# --- loaddata ------------------------------------------------------------------------------------


def _fixture(tmp_path, objects, **changes):
    data = json.loads(serializers.serialize("json", objects))
    for row in data:
        row["fields"].update(changes)
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_loaddata_does_not_write_over_a_signed_announcement(announcement, tmp_path):
    fixture = _fixture(tmp_path, [announcement], subject="แก้ไขด้วย loaddata")
    with pytest.raises(SignedAnnouncementError), transaction.atomic():
        call_command("loaddata", fixture, verbosity=0)
    assert Announcement.objects.get(pk=announcement.pk).subject == announcement.subject


def test_loaddata_does_not_write_over_a_signed_agreement_or_its_indicators(signed, tmp_path):
    for objects, changes in (([signed], {"fiscal_year": 2570}), ([signed], {"status": "draft"}),
                             (list(signed.indicators.all()), {"weight": "50.00"})):
        with pytest.raises(SignedAgreementError), transaction.atomic():
            call_command("loaddata", _fixture(tmp_path, objects, **changes), verbosity=0)
    assert stored(signed)["fiscal_year"] == 2569 and stored(signed)["status"] == AgreementStatus.SIGNED
    assert signed.indicators.get().weight == D("100")


def test_loaddata_still_inserts_signed_records(announcement, signed, tmp_path):
    """A restore loads signed rows into an empty database: inserting is never refused."""
    data = json.loads(serializers.serialize("json", [announcement, signed, *signed.indicators.all()]))
    new_agreement = PerformanceAgreement._base_manager.order_by("-pk").values_list("pk", flat=True)[0] + 100
    new_announcement = Announcement._base_manager.order_by("-pk").values_list("pk", flat=True)[0] + 100
    for row in data:
        if row["model"] == "announcements.announcement":
            row["pk"] = new_announcement
        elif row["model"] == "agreements.performanceagreement":
            row["pk"], row["fields"]["round"] = new_agreement, 2
        else:
            row["pk"] = AgreementIndicator._base_manager.order_by("-pk").values_list("pk", flat=True)[0] + 100
            row["fields"]["agreement"] = new_agreement
    path = tmp_path / "insert.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("loaddata", str(path), verbosity=0)
    assert PerformanceAgreement.objects.get(pk=new_agreement).status == AgreementStatus.SIGNED
    assert AgreementIndicator.objects.filter(agreement_id=new_agreement).count() == 1
    copy = Announcement.objects.get(pk=new_announcement)
    assert (copy.status, copy.subject, copy.pdf_sha256) == ("signed", announcement.subject, announcement.pdf_sha256)


# --- PostgreSQL: triggers below the ORM -----------------------------------------------------------


def _refused(sql, params):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _runs(sql, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@needs_postgresql
def test_raw_sql_cannot_change_or_delete_a_signed_announcement(announcement):
    _refused("UPDATE announcements_announcement SET subject = %s WHERE id = %s", ["แก้ด้วย SQL", announcement.pk])
    _refused("UPDATE announcements_announcement SET signed_by_id = NULL WHERE id = %s", [announcement.pk])
    _refused("UPDATE announcements_announcement SET status = 'draft' WHERE id = %s", [announcement.pk])
    _refused("DELETE FROM announcements_announcement WHERE id = %s", [announcement.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement._base_manager.filter(pk=announcement.pk)._raw_delete(connection.alias)
    # Writing the row as it is changes nothing and passes.
    assert _runs("UPDATE announcements_announcement SET subject = subject WHERE id = %s", [announcement.pk]) == 1
    fresh = Announcement.objects.get(pk=announcement.pk)
    assert (fresh.subject, fresh.signed_by_id, fresh.status) == (announcement.subject, announcement.signed_by_id,
                                                                 "signed")


@needs_postgresql
def test_raw_sql_cannot_reopen_or_change_a_signed_agreement(signed, draft_agreement):
    table = "agreements_performanceagreement"
    _refused(f"UPDATE {table} SET status = 'draft' WHERE id = %s", [signed.pk])
    _refused(f"UPDATE {table} SET fiscal_year = 2570 WHERE id = %s", [signed.pk])
    _refused(f"UPDATE {table} SET signed_by_id = NULL WHERE id = %s", [signed.pk])
    # The PDF kept at signing, its hash and its digital signer are what was signed too.
    for column in ("pdf", "pdf_sha256", "digital_signer"):
        _refused(f"UPDATE {table} SET {column} = 'x' WHERE id = %s", [signed.pk])
    _refused(f"DELETE FROM {table} WHERE id = %s", [signed.pk])
    # Bookkeeping and evaluation stay open on a signed agreement; a draft is free.
    assert _runs(f"UPDATE {table} SET version = version + 1, updated_at = now() WHERE id = %s", [signed.pk]) == 1
    assert _runs(f"UPDATE {table} SET fiscal_year = 2570 WHERE id = %s", [draft_agreement.pk]) == 1
    assert _runs(f"UPDATE {table} SET status = 'evaluated', score = 80, evaluated_at = now() WHERE id = %s",
                 [signed.pk]) == 1
    # Evaluated: the score is final.
    _refused(f"UPDATE {table} SET score = 100 WHERE id = %s", [signed.pk])
    _refused(f"UPDATE {table} SET status = 'signed' WHERE id = %s", [signed.pk])
    assert stored(signed)["fiscal_year"] == 2569


@needs_postgresql
def test_raw_sql_cannot_change_a_signed_agreement_s_indicators(signed, draft_agreement):
    table = "agreements_agreementindicator"
    indicator = signed.indicators.get()
    _refused(f"UPDATE {table} SET weight = 50 WHERE id = %s", [indicator.pk])
    _refused(f"UPDATE {table} SET agreement_id = %s WHERE id = %s", [draft_agreement.pk, indicator.pk])
    _refused(f"DELETE FROM {table} WHERE id = %s", [indicator.pk])
    moving = draft_agreement.indicators.get()
    _refused(f"UPDATE {table} SET agreement_id = %s WHERE id = %s", [signed.pk, moving.pk])
    assert _runs(f"UPDATE {table} SET achieved_value = 52, achieved_level = 3 WHERE id = %s", [indicator.pk]) == 1
    assert _runs(f"UPDATE {table} SET weight = 60 WHERE id = %s", [moving.pk]) == 1
    assert _runs(f"DELETE FROM {table} WHERE id = %s", [moving.pk]) == 1
    _runs("UPDATE agreements_performanceagreement SET status = 'evaluated' WHERE id = %s", [signed.pk])
    _refused(f"UPDATE {table} SET achieved_level = 5 WHERE id = %s", [indicator.pk])
    assert AgreementIndicator.objects.get(pk=indicator.pk).weight == D("100")


@needs_postgresql
def test_the_triggers_leave_a_submitted_or_returned_agreement_open_and_a_signed_one_closed(signed, draft_agreement):
    """The review states (lao_integrity/review, migration 0010) are open as a draft is."""
    table = "agreements_performanceagreement"
    assert _runs(f"UPDATE {table} SET status = 'submitted' WHERE id = %s", [draft_agreement.pk]) == 1
    moving = draft_agreement.indicators.get()
    assert _runs("UPDATE agreements_agreementindicator SET weight = 60 WHERE id = %s", [moving.pk]) == 1
    assert _runs(f"UPDATE {table} SET status = 'returned', fiscal_year = 2570 WHERE id = %s",
                 [draft_agreement.pk]) == 1
    assert _runs("DELETE FROM agreements_agreementindicator WHERE id = %s", [moving.pk]) == 1
    _refused(f"UPDATE {table} SET status = 'submitted' WHERE id = %s", [signed.pk])
    _refused(f"UPDATE {table} SET status = 'returned' WHERE id = %s", [signed.pk])

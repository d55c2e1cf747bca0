"""A user the records name (who signed, approved, recorded) cannot be deleted; the admin explains
why in Thai and offers deactivation. Deleting such a user used to blank signed_by/approved_by on
signed announcements and agreements, with no history row."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.urls import reverse

from agreements.performance import services as agreement_services
from agreements.performance.models import AgreementKind, Aspect, PerformanceAgreement, WorkType
from lao_integrity.announcements.models import Announcement
from lao_integrity.history import acting_user
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.admin import PROTECTED_REASON
from lao_integrity.orgs.services import person_ensure
from plans.models import Plan

User = get_user_model()


@pytest.fixture
def signed_agreement(org, units, people, executive):
    head = person_ensure(user=SYSTEM, organisation=org, prefix="นางสาว", first_name="มาลี", last_name="ศรีคลัง",
                         position="ผู้อำนวยการกองคลัง", unit=units["กองคลัง"])
    agreement = agreement_services.agreement_create(
        organisation=org, fiscal_year=2569, round=1, kind=AgreementKind.UNIT, unit=units["กองคลัง"], person=head,
        executive=people["executive"], user=SYSTEM)
    agreement_services.indicator_create(
        agreement=agreement, aspect=Aspect.SERVICE, work_type=WorkType.CORE, name="ร้อยละความพึงพอใจ",
        unit_of_measure="ร้อยละ", baseline=None, higher_is_better=True,
        **{f"target_{i}": D(str(70 + i)) for i in range(1, 6)}, weight=D("100"), user=SYSTEM)
    return agreement_services.agreement_sign(agreement=agreement, user=executive)


@pytest.fixture
def admin_client(client_for):
    return client_for(User.objects.create_superuser("t_root", password="t-root-pw-2569"))


def test_the_signer_of_records_cannot_be_deleted(signed_announcement, signed_agreement, executive, staff):
    with pytest.raises(ProtectedError):
        executive.delete()
    with pytest.raises(ProtectedError):
        staff.delete()  # drafted the announcement (created_by)
    announcement = Announcement.objects.get(pk=signed_announcement.pk)
    agreement = PerformanceAgreement.objects.get(pk=signed_agreement.pk)
    assert (announcement.signed_by, announcement.approved_by, announcement.created_by) == (executive, executive, staff)
    assert agreement.signed_by == executive
    assert User.objects.filter(pk=executive.pk).exists()


def test_an_approved_plan_keeps_its_approver(seeded):
    plan = Plan.objects.filter(approved_by__isnull=False).select_related("approved_by").first()
    assert plan is not None, "the demo has an approved plan"
    with pytest.raises(ProtectedError):
        plan.approved_by.delete()


def test_every_user_reference_on_a_record_protects_it():
    """Every foreign key to the user model outside the audit trail's own columns is PROTECT,
    except memberships, auditor scopes, job rows, one-time form submissions, notifications (a user's
    own notifications, email choice and reminders sent) and the calendar-feed token, which belong to
    the account itself."""
    from django.apps import apps
    from django.db import models

    owned_by_the_account = {("orgs", "membership"), ("orgs", "auditorscope"), ("jobs", "job"),
                            ("submissions", "submission"), ("notifications", "notification"),
                            ("notifications", "notificationsettings"), ("notifications", "remindersent"),
                            ("obligations", "calendarfeed")}
    loose = []
    for model in apps.get_models():
        if model._meta.app_label in ("auth", "admin", "axes", "django_tasks_database", "django_tasks_db"):
            continue
        for field in model._meta.get_fields():
            if not (field.many_to_one or field.one_to_one) or not field.concrete or field.related_model is not User:
                continue
            if field.name == "history_user" or (model._meta.app_label, model._meta.model_name) in owned_by_the_account:
                continue
            if hasattr(model, "instance_type"):  # simple-history's copy: a plain column, never blocks
                if field.remote_field.on_delete is not models.DO_NOTHING or field.db_constraint:
                    loose.append(f"{model._meta.label}.{field.name}")
            elif field.remote_field.on_delete is not models.PROTECT:
                loose.append(f"{model._meta.label}.{field.name}")
    assert loose == []


def test_historical_rows_do_not_block_deleting_a_user(plan):
    """The audit trail's copies of signed_by etc. are plain columns (no constraint, DO_NOTHING):
    a user who only appears in history can still be deleted."""
    user = User.objects.create_user("t_history_only")
    with acting_user(user):
        plan.data_as_of = datetime.date(2026, 3, 31)
        plan.save()
    assert plan.history.filter(history_user=user).exists()
    user.delete()
    assert not User.objects.filter(username="t_history_only").exists()


def test_admin_delete_page_explains_in_thai_and_offers_deactivation(signed_announcement, executive, admin_client):
    url = reverse("admin:auth_user_delete", args=[executive.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert PROTECTED_REASON in page and "ลบบัญชีผู้ใช้นี้ไม่ได้" in page
    assert reverse("admin:auth_user_deactivate", args=[executive.pk]) in page
    assert "protected related objects" not in page
    # Confirming the deletion anyway changes nothing and says the same.
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200 and PROTECTED_REASON in response.content.decode()
    executive.refresh_from_db()
    assert executive.is_active
    assert Announcement.objects.get(pk=signed_announcement.pk).signed_by == executive


def test_admin_deactivates_instead(signed_announcement, executive, admin_client, client_for):
    url = reverse("admin:auth_user_deactivate", args=[executive.pk])
    assert admin_client.get(url).status_code == 405  # a change: POST only
    executive.refresh_from_db()
    assert executive.is_active
    response = admin_client.post(url, follow=True)
    assert response.status_code == 200 and "ปิดการใช้งานบัญชี" in response.content.decode()
    executive.refresh_from_db()
    assert not executive.is_active
    assert Announcement.objects.get(pk=signed_announcement.pk).signed_by == executive
    # The account no longer signs in.
    assert not client_for(executive).get("/plans/").wsgi_request.user.is_authenticated


def test_admin_bulk_delete_of_a_signer_offers_deactivation(signed_announcement, executive, auditor, admin_client):
    changelist = reverse("admin:auth_user_changelist")
    selected = {"action": "delete_selected", "_selected_action": [executive.pk, auditor.pk]}
    response = admin_client.post(changelist, selected)
    assert response.status_code == 200 and PROTECTED_REASON in response.content.decode()
    response = admin_client.post(changelist, {**selected, "post": "yes"})
    assert response.status_code == 200 and PROTECTED_REASON in response.content.decode()
    assert User.objects.filter(pk__in=[executive.pk, auditor.pk]).count() == 2
    admin_client.post(changelist, {"action": "deactivate_selected", "_selected_action": [executive.pk, auditor.pk]})
    assert not User.objects.filter(pk__in=[executive.pk, auditor.pk], is_active=True).exists()


def test_admin_still_deletes_a_user_the_records_do_not_name(org, auditor, admin_client):
    url = reverse("admin:auth_user_delete", args=[auditor.pk])
    page = admin_client.get(url).content.decode()
    assert PROTECTED_REASON not in page
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=auditor.pk).exists()


def test_a_long_list_of_records_is_cut_short(signed_announcement, signed_agreement, executive, admin_client,
                                            monkeypatch):
    from lao_integrity.orgs import admin as orgs_admin
    from lao_integrity.review.models import ReviewEvent

    # Of the announcement, the agreement and the review steps the executive took (approved, signed).
    monkeypatch.setattr(orgs_admin, "PROTECTED_SHOWN", 1)
    steps = ReviewEvent.objects.filter(actor=executive).count()
    assert steps >= 2
    page = admin_client.get(reverse("admin:auth_user_delete", args=[executive.pk])).content.decode()
    assert f"และอีก {1 + steps} รายการ" in page

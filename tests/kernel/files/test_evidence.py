"""A replaced evidence file leaves no orphan: plans, ITA measures and agreement indicators alike
(lao_integrity.evidence, one helper for the three progress services)."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from agreements.performance import services as agreement_services
from agreements.performance.models import AgreementStatus, IndicatorProgress, PerformanceAgreement
from ita.measures import services as measure_services
from ita.models import Measure
from lao_integrity.orgs import access
from plans.models import ProgressStatus
from plans.progress import services as progress_services

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _record(app, seeded):
    """(record(file, **extra) -> the saved progress row, the editor) for one quarter of each app."""
    if app == "plans":
        project = seeded.plan.projects.order_by("sequence").first()
        return (lambda upload, **extra: progress_services.progress_record(
            project=project, quarter=1, status=ProgressStatus.DONE, evidence_file=upload, user=seeded.staff,
            **extra), seeded.plan.organisation, seeded.staff)
    if app == "ita":
        measure = Measure.objects.order_by("pk").first()
        return (lambda upload, **extra: measure_services.progress_record(
            measure=measure, quarter=1, status="done", evidence_file=upload, user=seeded.other_staff,
            **extra), measure.organisation, seeded.other_staff)
    # A draft of the demo, signed here by someone who may approve it (the demo's signed one is evaluated).
    agreement = PerformanceAgreement.objects.filter(status=AgreementStatus.DRAFT).order_by("pk").first()
    users = get_user_model().objects.order_by("pk")
    agreement_services.agreement_sign(
        agreement=agreement, user=next(u for u in users if access.can_approve(u, agreement.organisation)))
    agreement.refresh_from_db()
    indicator = agreement.indicators.order_by("pk").first()
    editor = next(u for u in users if access.can_edit(u, agreement.organisation))
    quarter = agreement.quarters[0]
    IndicatorProgress.objects.filter(indicator=indicator, quarter=quarter).delete()
    return (lambda upload, **extra: agreement_services.progress_record(
        indicator=indicator, quarter=quarter, value=1, evidence_file=upload, user=editor, **extra),
        agreement.organisation, editor)


@pytest.mark.parametrize("app", ["plans", "ita", "agreements"])
def test_a_replaced_evidence_file_is_deleted_after_commit(app, seeded, django_capture_on_commit_callbacks):
    record, organisation, editor = _record(app, seeded)
    assert access.can_edit(editor, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        first = record(ContentFile(PDF, name="รายงานรอบแรก.pdf"))
    old = first.evidence_file.name
    assert default_storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        second = record(ContentFile(PDF, name="รายงานรอบแรก.pdf"), expected_version=first.version)
    new = second.evidence_file.name
    assert new != old and default_storage.exists(new)
    assert not default_storage.exists(old), f"{app}: the replaced file {old} was left in MEDIA_ROOT"
    assert type(second).objects.get(pk=second.pk).evidence_file.name == new


@pytest.mark.parametrize("app", ["plans", "ita", "agreements"])
def test_no_file_and_a_refused_file_keep_the_stored_one(app, seeded, django_capture_on_commit_callbacks):
    record, _organisation, _editor = _record(app, seeded)
    with django_capture_on_commit_callbacks(execute=True):
        first = record(ContentFile(PDF, name="report.pdf"))
    kept = first.evidence_file.name
    with django_capture_on_commit_callbacks(execute=True):
        again = record(None, expected_version=first.version)
    assert again.evidence_file.name == kept and default_storage.exists(kept)
    with pytest.raises(ValidationError) as refused, django_capture_on_commit_callbacks(execute=True):
        record(ContentFile(b"<html>", name="report.pdf"), expected_version=again.version)
    assert "evidence_file" in refused.value.message_dict
    assert default_storage.exists(kept)
    assert Path(type(first).objects.get(pk=first.pk).evidence_file.name) == Path(kept)


def test_every_progress_form_takes_its_evidence_through_the_kernels_field():
    from agreements.performance.forms import ProgressForm as AgreementProgressForm
    from ita.measures.forms import MeasureProgressForm
    from lao_integrity.evidence import EvidenceFileField
    from plans.forms import ProgressForm as PlanProgressForm

    for form_class in (PlanProgressForm, MeasureProgressForm, AgreementProgressForm):
        field = form_class.base_fields["evidence_file"]
        assert isinstance(field, EvidenceFileField) and not field.required and field.label == "ไฟล์หลักฐาน"
        assert "clean_evidence_file" not in vars(form_class), form_class

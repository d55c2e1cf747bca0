"""A performance agreement's review before signing: staff submit (only what could be signed), the
executive signs or returns it with a comment; a submitted agreement's indicators are not changed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.performance import reviewing, services
from agreements.performance.models import AgreementStatus, PerformanceAgreement
from lao_integrity import notifications
from lao_integrity.review.workflow import LOCKED_MESSAGE
from tests.agreements.performance.helpers import indicator_fields
from tests.support.pages import by_id, page

pytestmark = pytest.mark.django_db


def status(agreement) -> str:
    return PerformanceAgreement.objects.get(pk=agreement.pk).status


def test_an_agreement_that_could_not_be_signed_is_not_submitted(agreement, staff):
    with pytest.raises(ValidationError, match="ยังไม่มีตัวชี้วัด"):
        reviewing.agreement_submit(agreement=agreement, user=staff)
    assert status(agreement) == AgreementStatus.DRAFT


def test_submit_return_correct_resubmit_sign(agreement, four, staff, executive, monkeypatch,
                                             django_capture_on_commit_callbacks):
    told = []
    monkeypatch.setattr(notifications, "notify", lambda **kwargs: told.append(kwargs["event"]))
    with django_capture_on_commit_callbacks(execute=True):
        reviewing.agreement_submit(agreement=agreement, user=staff)
        with pytest.raises(ValidationError, match=LOCKED_MESSAGE):
            services.indicator_create(agreement=agreement, user=staff, **indicator_fields("เพิ่ม", "5"))
        reviewing.agreement_return(agreement=agreement, user=executive, comment="ปรับน้ำหนักตัวชี้วัดที่ 4")
        assert status(agreement) == AgreementStatus.RETURNED
        services.indicator_update(indicator=four[3], user=staff, name="ช่องทางรับเรื่องร้องเรียน")
        reviewing.agreement_submit(agreement=agreement, user=staff)
        services.agreement_sign(agreement=agreement, user=executive)
    assert status(agreement) == AgreementStatus.SIGNED
    assert told == ["submitted", "returned", "submitted", "signed"]
    with pytest.raises(ValidationError, match="ลงนามแล้ว เสนออนุมัติไม่ได้"):
        reviewing.agreement_submit(agreement=agreement, user=staff)


def test_progress_waits_for_signing_even_when_submitted(agreement, four, staff):
    reviewing.agreement_submit(agreement=agreement, user=staff)
    with pytest.raises(ValidationError, match="ยังไม่ได้ลงนาม"):
        services.progress_record(indicator=four[0], quarter=1, user=staff, value=1)


def test_the_page_and_the_list_show_the_return(agreement, four, staff, executive, client_for):
    reviewing.agreement_submit(agreement=agreement, user=staff)
    executive_client, staff_client = client_for(executive), client_for(staff)
    detail = reverse("agreements:detail", args=[agreement.pk])
    html = page(executive_client.get(detail))
    assert 'name="comment"' in html and 'id="sign"' in html
    executive_client.post(reverse("agreements:return", args=[agreement.pk]), {"comment": "แก้ค่าเป้าหมาย"})
    html = page(staff_client.get(detail))
    assert "แก้ค่าเป้าหมาย" in by_id(html, "review-returned")
    assert "+ เพิ่มตัวชี้วัด" in html  # a returned agreement is edited again
    assert 'class="badge returned"' in page(staff_client.get(reverse("agreements:list")))
    staff_client.post(reverse("agreements:submit", args=[agreement.pk]))
    staff_client.post(reverse("agreements:withdraw", args=[agreement.pk]))
    assert status(agreement) == AgreementStatus.DRAFT

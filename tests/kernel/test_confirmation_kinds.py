"""One confirmation mechanism (lao_integrity/confirmation.py) for every save that asks first.

Overspending, a status back from done and starting a revision of an approved plan are kinds of
the same ``NeedsConfirmation``, confirmed by posting ``confirm_<kind>``; the form asks the kinds it
labels with a checkbox, the plan's pages ask the revision themselves.
"""

import pytest
from django import forms
from django.http import QueryDict

from lao_integrity import confirmation
from lao_integrity.orgs.access import SYSTEM
from plans import revisions
from plans.models import PlanStatus
from plans.projects import services as project_services
from plans.services import plan_approve


class NoteForm(forms.Form):
    title = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        confirmation.posted_confirmations(self)


def test_the_revision_is_a_kind_of_the_kernels_confirmation(plan):
    plan_approve(plan=plan, user=SYSTEM)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    with pytest.raises(confirmation.NeedsConfirmation) as refused:
        project_services.project_update(project=plan.projects.get(sequence=1), remark="ใหม่", user=SYSTEM,
                                        confirm_revision=False)
    assert isinstance(refused.value, revisions.RevisionNotConfirmed) and refused.value.plan == plan
    assert list(refused.value.warnings) == [revisions.KIND]
    assert refused.value.messages == [revisions.question(plan)]
    assert revisions.CONFIRM_FIELD == confirmation.field_name("revision") == "confirm_revision"


@pytest.mark.parametrize(("posted", "expected"), [
    ("", False), ("confirm_revision=1", True), ("confirm_revision=on", True), ("confirm_revision=0", False),
    ("confirm_revisions=1", False)])
def test_a_confirmation_is_read_as_a_ticked_box(posted, expected):
    assert confirmation.posted(QueryDict(posted), "revision") is expected


def test_the_form_asks_the_kinds_it_labels_and_leaves_the_revision_to_its_page():
    form = NoteForm({"title": "x", "confirm_revision": "1"})
    assert "confirm_revision" not in form.fields  # a page-asked kind never becomes a form field
    assert form.is_valid()
    confirmation.ask_confirmation(form, confirmation.NeedsConfirmation(
        {"overspend": "เกินงบประมาณ", "revision": "การแก้ไขนี้จะเริ่มฉบับปรับปรุง"}))
    assert [name for name in form.fields if name.startswith(confirmation.PREFIX)] == ["confirm_overspend"]
    assert form.non_field_errors() == ["เกินงบประมาณ", "การแก้ไขนี้จะเริ่มฉบับปรับปรุง"]

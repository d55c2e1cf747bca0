"""Saves that go through only once the user confirms: the one mechanism for every such question.

A service that finds something suspicious but possible (spending above the budget, a status
that goes back from done) or with consequences the user must accept first (a change to an
approved plan starts a revision: plans/revisions.py) raises ``NeedsConfirmation`` with one Thai
message per kind; nothing is saved. The user confirms a kind by posting its field,
``confirm_<kind>`` (``field_name``), ticked; the same save then passes what was confirmed to the
service, which saves.

How it is asked: for the kinds in ``LABELS`` the view shows the messages above the form with one
checkbox per kind (``ask_confirmation``, through ``save_form``); the boxes exist on the form only
once asked (or when posted ticked), so a first save never carries a confirmation the user has not
seen. A kind without a label is asked by its page itself, beforehand (the revision question on an
approved plan's pages, or a page of its own); ``ask_confirmation`` then shows its message only.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

# The checkbox of each kind of warning, as the form shows it.
LABELS = {
    "overspend": "ยืนยันว่าเบิกจ่ายเกินงบประมาณ",
    "status_back": "ยืนยันสถานะที่ย้อนกลับจากดำเนินการแล้ว",
}
PREFIX = "confirm_"
# After the question of a button that cannot be undone (saving.run_action(confirm=…)).
ASK_AGAIN = " กรุณาทำเครื่องหมายยืนยันแล้วกดอีกครั้ง"


def field_name(kind: str) -> str:
    """The posted field that confirms `kind`."""
    return PREFIX + kind


def posted(data, kind: str) -> bool:
    """Did the user post `kind` confirmed (`data`: request.POST)? As a ticked box is read."""
    return forms.BooleanField(required=False).clean(data.get(field_name(kind)))


class NeedsConfirmation(ValidationError):
    """Nothing was saved: `warnings` (kind -> Thai message) need the user's confirmation."""

    def __init__(self, warnings: dict[str, str]):
        self.warnings = dict(warnings)
        super().__init__(list(self.warnings.values()), code="confirm")


def require_confirmed(warnings: dict[str, str], confirmed) -> None:
    """Raise NeedsConfirmation for the warnings whose kind is not in `confirmed`."""
    missing = {kind: message for kind, message in warnings.items() if kind not in set(confirmed or ())}
    if missing:
        raise NeedsConfirmation(missing)


def _add_field(form, kind: str) -> None:
    form.fields[PREFIX + kind] = forms.BooleanField(label=LABELS[kind], required=False,
                                                    error_messages={"required": "กรุณาทำเครื่องหมายยืนยัน"})


def posted_confirmations(form) -> None:
    """In a form's __init__: keep the boxes the user ticked, so they are cleaned."""
    if form.is_bound:
        for kind in LABELS:
            if form.add_prefix(PREFIX + kind) in form.data:
                _add_field(form, kind)


def confirmed(form) -> set[str]:
    """The kinds the user confirmed (after is_valid())."""
    return {kind for kind in LABELS if form.cleaned_data.get(PREFIX + kind)}


def ask_confirmation(form, error: NeedsConfirmation) -> None:
    """Show the warnings above the form and a checkbox for each kind the form asks (the others
    are asked by the page itself); what was typed stays."""
    for kind in error.warnings:
        if kind in LABELS and PREFIX + kind not in form.fields:
            _add_field(form, kind)
    form.add_error(None, list(error.warnings.values()))


def confirmation_fields(form) -> list:
    """The form's confirmation boxes as bound fields, for templates that lay fields out one by one."""
    return [form[name] for name in form.fields if name.startswith(PREFIX)]


def status_went_back(statuses: dict[int, str], quarter: int, status: str, *, stages: list[str],
                     labels: dict[str, str]) -> dict[str, str]:
    """{"status_back": message} when a quarter's new `status` is an earlier stage than "done"
    (the last of `stages`) recorded for this quarter or for the latest earlier quarter in
    `statuses` (quarter -> stored status); else {}. A status outside `stages` (cancelled) is
    not a step back, nor is a status left as it was stored (asked when it was saved)."""
    done = stages[-1]
    if status not in stages[:-1] or statuses.get(quarter) == status:
        return {}
    new, done_label = labels.get(status, status), labels.get(done, done)
    tail = f" หากถูกต้อง ให้ทำเครื่องหมาย “{LABELS['status_back']}” แล้วบันทึกอีกครั้ง"
    if statuses.get(quarter) == done:
        return {"status_back": f"ไตรมาสนี้บันทึกไว้แล้วว่า “{done_label}” จะเปลี่ยนกลับเป็น “{new}”{tail}"}
    earlier = [q for q in statuses if q < quarter]
    if earlier and statuses[max(earlier)] == done:
        return {"status_back": f"ไตรมาส {max(earlier)} บันทึกไว้แล้วว่า “{done_label}” แต่ไตรมาสนี้เป็น “{new}”{tail}"}
    return {}

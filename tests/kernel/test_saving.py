"""lao_integrity.saving: the one block every edit page runs after its form is valid."""

import ast
import pathlib

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from lao_integrity.concurrency import StaleEdit, VersionField
from lao_integrity.confirmation import ASK_AGAIN, NeedsConfirmation
from lao_integrity.saving import run_action, save_form

ROOT = pathlib.Path(__file__).resolve().parent.parent


class NoteForm(forms.Form):
    title = forms.CharField()
    version = VersionField()


def _request(data=None):
    request = RequestFactory().post("/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _form():
    form = NoteForm({"title": "ที่พิมพ์ไว้", "version": "3"})
    assert form.is_valid()
    return form


def _raise(error):
    def save():
        raise error
    return save


def test_saved_says_so_and_redirects_with_what_the_service_returned():
    request = _request()
    response = save_form(request, _form(), lambda: 7, message=lambda n: f"บันทึกรายการที่ {n} แล้ว",
                         to=lambda n: f"/notes/{n}/", warning="ประกาศกลับเป็นร่าง")
    assert response.status_code == 302 and response.url == "/notes/7/"
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [
        ("success", "บันทึกรายการที่ 7 แล้ว"), ("warning", "ประกาศกลับเป็นร่าง")]


def test_a_stale_edit_keeps_what_was_typed_and_loads_the_current_version():
    request, form = _request(), _form()
    stale = StaleEdit([], current_version=5)
    assert save_form(request, form, _raise(stale), message="x", to="/") is None
    assert form.non_field_errors() == stale.messages
    assert form.data["title"] == "ที่พิมพ์ไว้" and form.data["version"] == "5"
    assert list(get_messages(request)) == []


def test_a_save_to_confirm_asks_with_a_box_per_warning():
    form = _form()
    assert save_form(_request(), form, _raise(NeedsConfirmation({"overspend": "เกินงบประมาณ"})),
                     message="x", to="/") is None
    assert "confirm_overspend" in form.fields and form.non_field_errors() == ["เกินงบประมาณ"]


def test_a_refusal_goes_on_the_field_it_names_else_above_the_form():
    form = _form()
    error = ValidationError({"title": "ชื่อซ้ำ", "budget": "งบประมาณติดลบ"})
    assert save_form(_request(), form, _raise(error), message="x", to="/") is None
    assert form.errors["title"] == ["ชื่อซ้ำ"] and form.non_field_errors() == ["งบประมาณติดลบ"]
    form = _form()
    save_form(_request(), form, _raise(ValidationError(["หนึ่ง", "สอง"])), message="x", to="/")
    assert form.non_field_errors() == ["หนึ่ง", "สอง"]


def test_a_button_done_says_so_and_goes_where_its_result_says():
    request = _request()
    response = run_action(request, lambda: 7, message=lambda n: f"อนุมัติครั้งที่ {n} แล้ว",
                          to=lambda n: f"/plans/{n}/", refused="/plans/1/")
    assert (response.url, [m.message for m in get_messages(request)]) == ("/plans/7/", ["อนุมัติครั้งที่ 7 แล้ว"])


def test_a_button_refused_shows_every_message_as_an_error_on_the_page_it_came_from():
    request = _request()
    response = run_action(request, _raise(ValidationError(["หนึ่ง", "สอง"])), message="ไม่ควรเห็น",
                          to="/list/", refused="/plans/1/")
    assert response.url == "/plans/1/"
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("error", "หนึ่ง"), ("error", "สอง")]


def test_a_button_that_cannot_be_undone_runs_only_once_its_box_is_ticked():
    ran = []
    request = _request()
    response = run_action(request, lambda: ran.append(1), message="ลงนามแล้ว", to="/done/", refused="/plans/1/",
                          confirm={"sign": "เมื่อลงนามแล้ว แก้ไขไม่ได้"})
    assert (response.url, ran) == ("/plans/1/", [])
    assert [m.message for m in get_messages(request)] == ["เมื่อลงนามแล้ว แก้ไขไม่ได้" + ASK_AGAIN]
    response = run_action(_request({"confirm_sign": "on"}), lambda: ran.append(1), message="ลงนามแล้ว",
                          to="/done/", refused="/plans/1/", confirm={"sign": "เมื่อลงนามแล้ว แก้ไขไม่ได้"})
    assert (response.url, ran) == ("/done/", [1])


def test_no_view_catches_a_stale_edit_itself():
    """The block lives in lao_integrity/saving.py only: a view that catches StaleEdit again is a copy."""
    catching = []
    for path in ROOT.glob("*/**/views.py"):
        if ".venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and "StaleEdit" in ast.unparse(node.type or ast.Name("")):
                catching.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert catching == []

"""The session store (lao_integrity/sessions.py) reads sessions as Django's database store does."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from lao_integrity.sessions import SessionStore


def test_the_portal_uses_its_session_store():
    assert settings.SESSION_ENGINE == "lao_integrity.sessions"


def test_a_session_is_read_until_it_expires_and_then_forgotten(db):
    store = SessionStore()
    store["fiscal_year"] = 2569
    store.create()
    assert SessionStore(session_key=store.session_key)["fiscal_year"] == 2569

    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(session_key=store.session_key)
    assert "fiscal_year" not in expired
    assert expired.session_key is None  # a new one is made on the next write, never the old key reused


def test_an_unknown_session_key_reads_as_empty(db):
    unknown = SessionStore(session_key="x" * 32)
    assert dict(unknown.items()) == {} and unknown.session_key is None


def test_signing_in_and_out_through_the_pages(client, staff):
    assert client.post("/login/", {"username": "t_staff", "password": "t_staff-pw-2569"}).status_code == 302
    assert client.get("/plans/").status_code == 200
    client.post("/logout/")
    assert client.get("/plans/").status_code == 302

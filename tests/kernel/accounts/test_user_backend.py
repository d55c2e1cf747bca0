"""The signed-in user read by one plain statement (lao_integrity/accounts/backends.py) is the user
Django's ModelBackend reads: every field, converted as the ORM converts it; none for a
deactivated or deleted account, so its session is signed out."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoBackend
from django.test import Client

from lao_integrity.accounts.backends import ModelBackend

pytestmark = pytest.mark.django_db


def test_the_same_user_as_djangos_backend():
    made = get_user_model().objects.create_user("t_ub_one", password="t-ub-pw-2569", first_name="มาลี")
    assert Client().post("/login/", {"username": "t_ub_one", "password": "t-ub-pw-2569"}).status_code == 302
    ours, django = ModelBackend().get_user(made.pk), DjangoBackend().get_user(made.pk)
    assert ours is not None and ours.last_login is not None
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(ours, field.attname) == getattr(django, field.attname), field.attname
        assert type(getattr(ours, field.attname)) is type(getattr(django, field.attname)), field.attname
    assert not ours._state.adding and ours._state.db == django._state.db
    assert ours.get_session_auth_hash() == django.get_session_auth_hash()


def test_no_user_when_deactivated_or_deleted():
    made = get_user_model().objects.create_user("t_ub_two", password="t-ub-pw-2569")
    client = Client()
    client.force_login(made)
    assert client.get("/jobs/").status_code == 200
    get_user_model().objects.filter(pk=made.pk).update(is_active=False)
    assert ModelBackend().get_user(made.pk) is None
    assert client.get("/jobs/")["Location"].startswith("/login/")
    get_user_model().objects.filter(pk=made.pk).delete()
    assert ModelBackend().get_user(made.pk) is None


def test_sign_in_is_stored_with_this_backend():
    get_user_model().objects.create_user("t_ub_three", password="t-ub-pw-2569")
    client = Client()
    assert client.post("/login/", {"username": "t_ub_three", "password": "t-ub-pw-2569"}).status_code == 302
    assert client.session["_auth_user_backend"] == "lao_integrity.accounts.backends.ModelBackend"

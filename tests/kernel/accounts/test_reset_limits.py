"""Password-reset emails are limited (lao_integrity/accounts/throttle.py): 3 per address and 20 per
client an hour. Over a limit nothing is sent and the page answers as it does for any address."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from lao_integrity.accounts import throttle

pytestmark = pytest.mark.django_db

EMAIL = "somsri@example.go.th"


@pytest.fixture
def somsri():
    return get_user_model().objects.create_user("somsri", email=EMAIL, password="old-secret-2569")


def ask(email: str, ip: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=ip).post(reverse("password_reset"), {"email": email}, follow=True)


def answer(response, email: str) -> tuple:
    return response.redirect_chain, response.content.decode().replace(email, "")


def test_three_emails_per_address_an_hour_then_the_same_answer_and_no_email(somsri, mailoutbox):
    first = ask(EMAIL, "203.0.113.1")
    for n in range(2, 4):
        ask(EMAIL, f"203.0.113.{n}")  # from other clients: the address's own limit
    assert len(mailoutbox) == 3
    over = ask(EMAIL.upper(), "203.0.113.9")  # the address as the form matches it: any case
    assert len(mailoutbox) == 3
    assert answer(over, EMAIL.upper()) == answer(first, EMAIL)
    assert "ตรวจอีเมลของท่าน" in over.content.decode()
    # Another address is not held back by this one's limit.
    get_user_model().objects.create_user("somchai", email="somchai@example.go.th", password="pw-somchai-2569")
    ask("somchai@example.go.th", "203.0.113.9")
    assert len(mailoutbox) == 4 and mailoutbox[-1].to == ["somchai@example.go.th"]


def test_twenty_requests_per_client_an_hour_known_or_not(somsri, mailoutbox):
    for n in range(19):
        ask(f"nobody{n}@example.go.th")  # unknown addresses count too: the page treats them alike
    assert len(mailoutbox) == 0
    ask(EMAIL)  # the 20th
    assert len(mailoutbox) == 1
    unknown = ask("nobody-else@example.go.th")
    over = ask(EMAIL)  # the 21st and 22nd from this client: nothing sent
    assert len(mailoutbox) == 1
    assert answer(over, EMAIL) == answer(unknown, "nobody-else@example.go.th")
    ask(EMAIL, "198.51.100.4")  # another client may still ask
    assert len(mailoutbox) == 2


def test_the_limit_slides_with_the_hour(somsri, mailoutbox, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: clock[0])
    for _ in range(3):
        ask(EMAIL)
        clock[0] += 10 * 60
    ask(EMAIL)  # 30 minutes after the first: still within its hour
    assert len(mailoutbox) == 3
    clock[0] = 1_000_000.0 + throttle.RESET_WINDOW  # the first request is an hour old
    ask(EMAIL)
    assert len(mailoutbox) == 4
    ask(EMAIL)  # the second is still within the hour
    assert len(mailoutbox) == 4


def test_a_malformed_address_is_refused_by_the_form_and_not_counted(somsri, mailoutbox):
    for _ in range(5):
        response = Client(REMOTE_ADDR="203.0.113.7").post(reverse("password_reset"), {"email": "not-an-address"})
        assert response.status_code == 200  # the form again, with its Thai error
    ask(EMAIL)
    assert len(mailoutbox) == 1

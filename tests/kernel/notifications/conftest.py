"""A real SMTP server (aiosmtpd) on a free port of this machine, and the portal's email settings
pointed at it: what the notifications send is read back as it arrived."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Role
from lao_integrity.orgs.services import membership_grant


class Inbox:
    """What the server received: parsed messages (email.message.EmailMessage)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m.envelope_to]

    def clear(self):
        self.messages.clear()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "no-reply@integrity.example.go.th"
    settings.PORTAL_URL = "https://integrity.example.go.th"
    try:
        yield inbox
    finally:
        controller.stop()


def subject_of(message) -> str:
    """The decoded subject. Django folds a long non-ASCII subject right after "Subject:", and the
    parser keeps the space of that fold: mail programs drop it, and so does this."""
    return str(message["Subject"]).strip()


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def member():
    """member(username, organisation, role, **fields): a user with an email address and a membership."""
    def make(username, organisation, role=Role.STAFF, **fields):
        fields.setdefault("email", f"{username}@example.go.th")
        user = get_user_model().objects.create_user(username=username, password=f"{username}-pw-2569", **fields)
        membership_grant(user=SYSTEM, account=user, organisation=organisation, role=role)
        return user
    return make

"""A signed announcement of `org` and a way to publish it."""

import pytest

from lao_integrity.announcements import services as announcement_services
from lao_integrity.publication import services


@pytest.fixture
def signed(draft, executive):
    announcement_services.announcement_approve(announcement=draft, user=executive)
    return announcement_services.announcement_sign(announcement=draft, user=executive)


@pytest.fixture
def published(signed, executive):
    services.publish(document=signed, user=executive)
    return signed

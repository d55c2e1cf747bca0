"""Fixtures shared by the kernel's tests."""

import datetime

import pytest

from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Kind


@pytest.fixture
def draft(org, people, staff):
    """A draft "no gifts" announcement of `org` for FY 2569, its standard text still holding its tokens."""
    return announcement_services.announcement_create(
        organisation=org, kind=Kind.NO_GIFT, fiscal_year=2569, user=staff, signer=people["executive"],
        announced_on=datetime.date(2025, 10, 1))

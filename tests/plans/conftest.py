"""Fixtures shared by the tests of tests/plans/."""

import pytest
from django.urls import reverse

# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def demo(seeded, client_for):
    seeded.as_staff = client_for(seeded.staff)
    seeded.url = reverse("plans:detail", args=[seeded.plan.pk])
    return seeded

"""Fixtures shared by the tests of tests/kernel/submissions/."""

from types import SimpleNamespace

import pytest

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import person_ensure


@pytest.fixture
def world(org, units, people, staff, executive, plan, dimensions) -> SimpleNamespace:
    head = person_ensure(user=SYSTEM, organisation=org, prefix="นางสาว", first_name="มาลี", last_name="ศรีคลัง",
                         position="ผู้อำนวยการกองคลัง", unit=units["กองคลัง"])
    return SimpleNamespace(org=org, units=units, people=people, staff=staff, executive=executive, plan=plan,
                           dimensions=dimensions, head=head)

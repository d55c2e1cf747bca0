"""Fixtures shared by the tests of tests/agreements/performance/."""

import pytest

from agreements.performance import services
from agreements.performance.models import AgreementKind
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import person_ensure
from tests.agreements.performance.helpers import FOUR

# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def head(org, units):
    return person_ensure(user=SYSTEM, organisation=org, prefix="นางสาว", first_name="มาลี", last_name="ศรีคลัง",
                         position="ผู้อำนวยการกองคลัง", unit=units["กองคลัง"])


@pytest.fixture
def agreement(org, units, people, head):
    return services.agreement_create(organisation=org, fiscal_year=2569, round=1, kind=AgreementKind.UNIT,
                                     unit=units["กองคลัง"], person=head, executive=people["executive"], user=SYSTEM)


@pytest.fixture
def four(agreement):
    return [services.indicator_create(agreement=agreement, **fields, user=SYSTEM) for fields in FOUR]


@pytest.fixture
def signed(agreement, four, executive):
    services.agreement_sign(agreement=agreement, user=executive)
    return agreement


# --- files --------------------------------------------------------------------------------------


@pytest.fixture
def second(org, units, people):
    person = person_ensure(user=SYSTEM, organisation=org, prefix="นาย", first_name="ช่าง", last_name="ใจดี",
                           position="ผู้อำนวยการกองช่าง", unit=units["กองช่าง"])
    return services.agreement_create(organisation=org, fiscal_year=2569, round=1, unit=units["กองช่าง"],
                                     person=person, executive=people["executive"], user=SYSTEM)

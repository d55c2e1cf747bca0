"""Fixtures shared by the tests of tests/agreements/organisation/."""

import pytest

from agreements.organisation import services as org_services
from agreements.organisation.models import OrgAgreement


@pytest.fixture
def agreement(org, staff) -> OrgAgreement:
    return org_services.org_agreement_create(organisation=org, fiscal_year=2569, user=staff)

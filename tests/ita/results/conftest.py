"""Fixtures shared by the tests of tests/ita/results/."""

import pytest

from tests.ita.results.page_helpers import Years


@pytest.fixture
def years():
    return Years()

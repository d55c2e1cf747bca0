"""Fixtures of the obligations' tests."""

import datetime

import pytest

from lao_integrity.obligations.models import ObligationRule

TODAY = datetime.date(2026, 12, 5)  # FY 2570, quarter 1: the demo's "today"


@pytest.fixture
def only_rules(db):
    """Keep only the rules named: `only_rules("no-gift", ...)`; the others made inactive."""
    def keep(*keys):
        ObligationRule.objects.exclude(key__in=keys).update(active=False)
        return {rule.key: rule for rule in ObligationRule.objects.filter(key__in=keys)}
    return keep

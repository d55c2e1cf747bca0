"""The agreement rounds' obligations: signed at the start, evaluated after the end."""

import datetime
from decimal import Decimal

import pytest

from agreements.performance import services
from lao_integrity.obligations import registry
from lao_integrity.obligations.models import ObligationRule

pytestmark = pytest.mark.django_db


def state(key, org, today):
    rule = ObligationRule.objects.get(key=key)
    [item] = registry.get(rule.provider).items_for([org], 2569, rule, today)
    return item.state


def test_round_one_signed_then_evaluated(org, agreement, four, executive):
    assert state("agreement-round1-signed", org, datetime.date(2025, 10, 20)) == "due_soon"
    assert state("agreement-round1-signed", org, datetime.date(2025, 11, 1)) == "overdue"
    services.agreement_sign(agreement=agreement, user=executive)
    assert state("agreement-round1-signed", org, datetime.date(2025, 11, 1)) == "done"
    assert state("agreement-round1-evaluated", org, datetime.date(2026, 5, 1)) == "overdue"
    values = {indicator.pk: Decimal("50") for indicator in agreement.indicators.all()}
    services.agreement_evaluate(agreement=agreement, values=values, user=executive, today=datetime.date(2026, 3, 31))
    assert state("agreement-round1-evaluated", org, datetime.date(2026, 5, 1)) == "done"
    assert state("agreement-round2-signed", org, datetime.date(2026, 5, 1)) == "overdue"  # none for round 2


def test_one_draft_left_keeps_the_round_open(org, signed, second):
    assert state("agreement-round1-signed", org, datetime.date(2025, 11, 1)) == "overdue"

"""`numbers.trimmed` renders what `floatformat:"-2"` renders (the LPA tables use it per cell)."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from lao_integrity.numbers import trimmed

VALUES = ["0", "0.00", "1", "12.50", "12.05", "99.99", "100.00", "445.00", "427.33", "0.01", "0.005",
          "0.004", "1.005", "2.675", "9999.99", "1234.5", "-3.20", "-0.001", "10", "0E-2", "7.10"]


@pytest.mark.parametrize("text", VALUES)
def test_trimmed_is_floatformat_minus_two(text):
    value = Decimal(text)
    expected = Template('{{ v|floatformat:"-2" }}').render(Context({"v": value}))
    assert trimmed(value) == expected


def test_trimmed_of_ints_and_none():
    assert trimmed(15) == "15"
    assert trimmed(None) == ""
    assert trimmed(Decimal("3.456"), 1) == "3.5"

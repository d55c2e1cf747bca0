"""The province table works its marks out in integer hundredths (selectors.TableRow, rows.py): the
same texts, percentages and Decimals as the Decimal path (trimmed, percent(), the database's
Decimal of two places) for every kind of mark, ties at the half included."""

from decimal import Decimal

from lao_integrity.numbers import trimmed
from lpa.models import percent
from lpa.results import rows, selectors

MARKS = [0, 1, 5, 10, 29, 99, 100, 101, 150, 1250, 2467, 4500, 9999, 10000, 22200, 44500, 99999, 999999]


def test_a_marks_text_is_trimmed_of_its_decimal():
    for hundredths in MARKS:
        assert rows._hundredths_text(hundredths) == trimmed(Decimal(hundredths).scaleb(-2)), hundredths


def test_a_marks_decimal_is_the_databases():
    for hundredths in MARKS:
        value = selectors._decimal(hundredths)
        assert value == Decimal(f"{hundredths // 100}.{hundredths % 100:02d}")
        assert str(value) == f"{hundredths // 100}.{hundredths % 100:02d}"


def test_percentages_round_half_up_as_percent_does():
    # 1 of 8 is 12.5 % exactly, 1 of 800 is 0.125 % (a tie at the half), 1 of 3 repeats.
    pairs = [(1, 8), (1, 800), (1, 3), (2, 3), (427 * 100, 445 * 100), (0, 5), (5, 5), (1, 1600), (3, 1600)]
    pairs += [(score, full) for full in (1, 7, 13, 99, 800, 4500, 22200, 99999) for score in range(0, full + 1, max(1, full // 37))]
    for score, full in pairs:
        expected = percent(Decimal(score).scaleb(-2), Decimal(full).scaleb(-2))
        got = selectors.percent_hundredths(score, full)
        assert f"{got // 100}.{got % 100:02d}" == str(expected), (score, full)

"""ITA arithmetic from the year's framework: the seed's published numbers, level boundaries,
item codes, incomplete results and framework edits."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ita import scoring
from ita.models import Framework, Result, normalise_item_code
from ita.results import services
from lao_integrity.orgs.access import SYSTEM

pytestmark = pytest.mark.django_db

SEED_2566 = dict(zip(range(1, 11), [Decimal(v) for v in
                                    "95.01 84.45 88.62 83.07 86.04 85.07 84.54 82.73 100 100".split()], strict=True))


@pytest.fixture
def spec():
    return services.framework_spec(Framework.objects.get(fiscal_year=2566))


def test_seed_2566_scores_give_the_published_result(org):
    result = services.result_save(organisation=org, fiscal_year=2566, scores=SEED_2566, user=SYSTEM)
    assert (result.iit, result.eit, result.oit) == (Decimal("87.44"), Decimal("84.11"), Decimal("100.00"))
    assert result.overall == Decimal("91.47")
    assert result.level == "A" and result.passed is True


def test_published_eit_parts_agree_and_do_not_move_the_overall(org):
    result = services.result_save(organisation=org, fiscal_year=2566, scores=SEED_2566,
                                  part_scores={"public": Decimal("87.60"), "survey": Decimal("80.62")}, user=SYSTEM)
    assert result.eit == Decimal("84.11") and result.overall == Decimal("91.47")
    assert {p.part.code: p.score for p in result.part_scores.all()} == {"public": Decimal("87.60"),
                                                                        "survey": Decimal("80.62")}


def test_parts_that_contradict_the_indicators_are_refused(org):
    with pytest.raises(ValidationError, match="ไม่สอดคล้อง"):
        services.result_save(organisation=org, fiscal_year=2566, scores=SEED_2566,
                             part_scores={"public": Decimal("95.00"), "survey": Decimal("80.62")}, user=SYSTEM)
    assert not Result.objects.filter(organisation=org).exists()


def test_parts_alone_give_the_eit_when_indicator_scores_are_missing(spec):
    scores = {n: v for n, v in SEED_2566.items() if n not in (6, 7, 8)}
    outcome = scoring.compute(spec, scores, {"public": Decimal("87.60"), "survey": Decimal("80.62")})
    assert outcome.tools["EIT"] == Decimal("84.11") and outcome.overall == Decimal("91.46")


@pytest.mark.parametrize("overall, level, passed", [
    ("94.99", "A", True), ("95.00", "AA", True), ("85.00", "A", True), ("84.99", "B", False),
    ("75.00", "B", False), ("74.99", "C", False), ("54.99", "E", False), ("50.00", "E", False),
    ("49.99", "F", False), ("0.00", "F", False), ("100.00", "AA", True),
])
def test_level_boundaries(spec, overall, level, passed):
    # Every indicator at the same score gives that overall score exactly.
    outcome = scoring.compute(spec, dict.fromkeys(range(1, 11), Decimal(overall)))
    assert outcome.overall == Decimal(overall)
    assert (outcome.level, outcome.passed) == (level, passed)


def test_missing_indicator_leaves_the_result_incomplete(org):
    scores = {n: v for n, v in SEED_2566.items() if n != 4}
    result = services.result_save(organisation=org, fiscal_year=2566, scores=scores, user=SYSTEM)
    assert result.iit is None and result.overall is None and result.level == "" and result.passed is None
    assert result.eit == Decimal("84.11")


@pytest.mark.parametrize("scores, message", [
    ({**SEED_2566, 11: Decimal("90")}, "ตัวชี้วัดที่ 11"),
    ({**SEED_2566, 3: Decimal("100.5")}, "ระหว่าง 0 ถึง 100"),
    ({**SEED_2566, 3: Decimal("-1")}, "ระหว่าง 0 ถึง 100"),
])
def test_bad_scores_are_refused_and_nothing_saved(org, scores, message):
    with pytest.raises(ValidationError, match=message):
        services.result_save(organisation=org, fiscal_year=2566, scores=scores, user=SYSTEM)
    assert not Result.objects.filter(organisation=org).exists()


def test_year_without_framework_is_refused(org):
    with pytest.raises(ValidationError, match="ยังไม่มีกรอบการประเมิน"):
        services.result_save(organisation=org, fiscal_year=2571, scores=SEED_2566, user=SYSTEM)


def test_saving_again_replaces_the_scores(org):
    services.result_save(organisation=org, fiscal_year=2566, scores=SEED_2566, user=SYSTEM)
    result = services.result_save(organisation=org, fiscal_year=2566,
                                  scores=dict.fromkeys(range(1, 11), Decimal("70")), user=SYSTEM)
    assert Result.objects.filter(organisation=org).count() == 1
    assert result.overall == Decimal("70.00") and result.level == "C"


def test_editing_a_framework_weight_and_recomputing_updates_stored_results(org):
    framework = Framework.objects.get(fiscal_year=2566)
    services.result_save(organisation=org, fiscal_year=2566, scores=SEED_2566, user=SYSTEM)
    framework.tools.filter(code="OIT").update(weight=Decimal("0.20"))
    framework.tools.filter(code="IIT").update(weight=Decimal("0.50"))
    assert services.framework_recompute(framework=framework) == Result.objects.filter(framework=framework).count()
    result = Result.objects.get(organisation=org)
    # 0.5 x 87.438 + 0.3 x 84.1133 + 0.2 x 100 = 88.95
    assert result.overall == Decimal("88.95")


@pytest.mark.parametrize("typed, code", [("๐29", "O29"), ("o29", "O29"), ("029", "O29"), ("O 29", "O29"),
                                          ("O036", "O36"), ("I7", "I7"), ("e14", "E14")])
def test_item_codes_are_normalised(typed, code):
    assert normalise_item_code(typed) == code


@pytest.mark.parametrize("typed", ["", "X12", "O", "29x"])
def test_bad_item_codes_are_refused(typed):
    with pytest.raises(ValueError, match="ไม่ถูกต้อง"):
        normalise_item_code(typed)


def test_classify_sorts_the_seed_indicators():
    groups = scoring.classify(SEED_2566)
    assert groups == {"strong": [1, 9, 10], "keep": [3, 5, 6], "improve": [2, 4, 7, 8]}


def test_parse_score():
    assert services.parse_score("๙๑.๔๗") == Decimal("91.47")
    assert services.parse_score(100) == Decimal("100.00")
    for bad in ("abc", "100.01", "-0.5", "91.456", "nan", "inf"):
        with pytest.raises(ValueError):
            services.parse_score(bad)


scores_strategy = st.dictionaries(st.integers(1, 10), st.decimals(0, 100, places=2), min_size=10, max_size=10)


@given(scores_strategy)
def test_overall_lies_between_the_lowest_and_highest_tool_score(scores):
    spec = scoring.FrameworkSpec(
        tools=(scoring.ToolSpec("IIT", Decimal("0.3"), (1, 2, 3, 4, 5)),
               scoring.ToolSpec("EIT", Decimal("0.3"), (6, 7, 8)),
               scoring.ToolSpec("OIT", Decimal("0.4"), (9, 10))),
        bands=(("AA", Decimal(95)), ("A", Decimal(85)), ("F", Decimal(0))), pass_mark=Decimal(85))
    outcome = scoring.compute(spec, scores)
    tools = outcome.tools.values()
    assert min(tools) - Decimal("0.01") <= outcome.overall <= max(tools) + Decimal("0.01")
    assert outcome.passed == (outcome.overall >= 85)

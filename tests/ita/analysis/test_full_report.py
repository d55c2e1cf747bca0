"""The analysis report as full as the real ones (issue 20): per indicator what it measures and what to
improve (the framework's standard text, or the organisation's own), each tool's purpose, the OIT
topics, a sentence ranking the indicators, general guidelines and the signature blocks; checked on
the demo's FY 2566 result, in the PDF's text layer."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from ita.analysis import documents
from ita.analysis import services as analysis_services
from ita.framework_data import GUIDELINES, INDICATOR_TEXTS, TOOL_PURPOSES
from ita.models import Framework, IndicatorScore, Result
from ita.results import selectors, services
from tests.support.pdf import needs_pdftotext, text_of

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def th(text: str) -> str:
    """Thai digits, as the PDF prints them, except in item codes (O1, I17)."""
    return re.sub(r"(?<![OIE0-9])[0-9]+", lambda m: m.group(0).translate(THAI), text)


def rows(scores: dict[int, str]) -> list:
    return [SimpleNamespace(score=Decimal(v), indicator=SimpleNamespace(number=n, name=f"ชื่อ{n}"))
            for n, v in scores.items()]


# --- the ranking sentence -------------------------------------------------------------------------

def test_ranking_names_highest_next_and_lowest_with_ties_together():
    sample = rows({1: "95.01", 2: "84.45", 3: "88.62", 9: "100", 10: "100"})
    sentence = documents.ranking_sentence(sample)
    assert sentence == (
        "เมื่อเรียงลำดับคะแนนจากมากไปน้อย ตัวชี้วัดที่ได้คะแนนสูงสุด คือ ตัวชี้วัดที่ 9 ชื่อ9 และตัวชี้วัดที่ 10 ชื่อ10 "
        "(100.00 คะแนน) รองลงมา คือ ตัวชี้วัดที่ 1 ชื่อ1 (95.01 คะแนน) ตามด้วย ตัวชี้วัดที่ 3 ชื่อ3 (88.62 คะแนน) "
        "และตัวชี้วัดที่ได้คะแนนต่ำสุด คือ ตัวชี้วัดที่ 2 ชื่อ2 (84.45 คะแนน)")
    assert {r.indicator.number: r.rank_position for r in sample} == {9: 1, 10: 1, 1: 3, 3: 4, 2: 5}


def test_ranking_of_two_tiers_and_of_equal_scores():
    assert documents.ranking_sentence(rows({1: "90", 2: "80"})) == (
        "เมื่อเรียงลำดับคะแนนจากมากไปน้อย ตัวชี้วัดที่ได้คะแนนสูงสุด คือ ตัวชี้วัดที่ 1 ชื่อ1 (90.00 คะแนน) "
        "และตัวชี้วัดที่ได้คะแนนต่ำสุด คือ ตัวชี้วัดที่ 2 ชื่อ2 (80.00 คะแนน)")
    assert documents.ranking_sentence(rows({1: "90", 2: "90"})) == "ทุกตัวชี้วัดได้คะแนนเท่ากัน คือ 90.00 คะแนน"
    assert documents.ranking_sentence([]) == ""


# --- standard texts and the organisation's own ---------------------------------------------------

def test_shipped_frameworks_carry_every_standard_text(db):
    for framework in Framework.objects.filter(fiscal_year__in=(2563, 2564, 2565, 2566)):
        assert framework.source and "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ" in framework.source
        assert framework.guidelines == GUIDELINES
        assert {t.code: t.purpose for t in framework.tools.all()} == TOOL_PURPOSES
        assert {i.number: (i.description, i.advice) for i in framework.indicators.all()} == INDICATOR_TEXTS


@pytest.fixture
def mae_sai_2566(seeded):
    return selectors.result_for_page(Result.objects.get(organisation__code="5570701", fiscal_year=2566).pk)


def test_the_organisations_own_text_replaces_the_standard_one_and_the_standard_is_not_copied(org, staff):
    result = services.result_save(organisation=org, fiscal_year=2566, user=staff,
                                  scores={n: Decimal("90") for n in INDICATOR_TEXTS})
    user = staff
    four = result.scores.get(indicator__number=4)
    two = result.scores.get(indicator__number=2)
    own = "จัดทำทะเบียนยืมครุภัณฑ์ออนไลน์ และตรวจนับทุกไตรมาส"
    analysis_services.guidance_save(result=result, user=user, expected_version=result.version,
                                    guidance={4: own, 2: "  " + two.indicator.advice.replace(" ", "  ") + "\n"})
    four.refresh_from_db()
    two.refresh_from_db()
    assert four.guidance == own
    assert two.guidance == ""  # the standard text left as it was stays the standard's
    context = documents.analysis_context(selectors.result_for_page(result.pk))
    by_number = {row.indicator.number: row for row in context["rows"]}
    assert by_number[4].advice_lines == [own]
    assert by_number[2].advice_lines == [INDICATOR_TEXTS[2][1]]


@needs_pdftotext
def test_demo_fy_2566_analysis_pdf_carries_every_part(mae_sai_2566):
    context = documents.analysis_context(mae_sai_2566)
    # Page numbers ("- ๒ -") fall inside a paragraph that a page break splits.
    body = flat(re.sub(r"(?m)^- [๐-๙]+ -$", "", text_of(documents.analysis_pdf(mae_sai_2566))))

    def has(text: str) -> bool:
        return flat(th(text)) in body

    # Each indicator: what it measures and what to improve, under its group.
    for number, (description, advice) in INDICATOR_TEXTS.items():
        row = next(r for r in context["rows"] if r.indicator.number == number)
        assert has("ตัวชี้วัดนี้" + description), number
        assert has("แนวทางการพัฒนา: " + (row.guidance.splitlines()[0] if row.guidance else advice)), number
    # The purpose of each tool and the OIT topics with their items.
    for purpose in TOOL_PURPOSES.values():
        assert has(purpose)
    for topic in ("9.1 ข้อมูลพื้นฐาน (O1 - O9)", "9.5 การส่งเสริมความโปร่งใส",
                  "10.1 การดำเนินการเพื่อป้องกันการทุจริต", "10.2 มาตรการภายในเพื่อส่งเสริมความโปร่งใสและป้องกันการทุจริต"):
        assert has(topic), topic
    assert has("ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล ประเมินจากข้อมูลที่เผยแพร่ 5 ประเด็น")
    assert has("ตัวชี้วัดที่ 10 การป้องกันการทุจริต ประเมินจากข้อมูลที่เผยแพร่ 2 ประเด็น")
    # The ranking sentence, from the published scores.
    assert has("ตัวชี้วัดที่ได้คะแนนสูงสุด คือ ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล และตัวชี้วัดที่ 10 การป้องกันการทุจริต "
               "(100.00 คะแนน) รองลงมา คือ ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ (95.01 คะแนน)")
    assert has("ตัวชี้วัดที่ได้คะแนนต่ำสุด คือ ตัวชี้วัดที่ 8 การปรับปรุงระบบการทำงาน (82.73 คะแนน)")
    # General guidelines, numbered, and the framework's source.
    assert has("แนวทางการพัฒนาโดยทั่วไป")
    for number, line in enumerate(GUIDELINES.splitlines(), start=1):
        assert has(f"{number}) {line}"), line
    assert has("ที่มา: คู่มือการประเมินคุณธรรมและความโปร่งใส")
    # Prepared-by and approved-by signature blocks, with the people the organisation has.
    for signatory in context["signatories"]:
        assert has(f"{signatory.role}"), signatory.role
        assert has(f"ตำแหน่ง {signatory.position}"), signatory.position
    assert [s.role for s in context["signatories"]] == ["ผู้จัดทำรายงาน", "ผู้อนุมัติ"]
    assert IndicatorScore.objects.filter(result=mae_sai_2566).count() == 10
    # The rank with its peer group, and the assessor's recommendations per question code, each with
    # the measures that answer it or the words saying none does.
    assert has("อยู่ในลำดับที่ 1,175 ของหน่วยงานประเภท เทศบาลตำบล")
    coded = [rec for group in context["recommendations"] for rec in group["recs"] if rec.code]
    assert {"I17", "I18", "I19/I24", "I27", "E9", "E10", "E11"} <= {rec.code for rec in coded}
    position = 0
    for rec in coded:
        found = body.find(flat(rec.code + "ประเด็น" + th(rec.issue)), position)
        assert found > 0, rec.code
        position = found
        after = body[found:]
        if rec.answers:
            assert flat("มาตรการที่ตอบข้อเสนอแนะนี้:" + th(rec.answers[0].title)) in after, rec.code
        else:
            assert after.find(flat(documents.NO_MEASURE)) >= 0, rec.code
    assert any(rec.answers for rec in coded) and not all(rec.answers for rec in coded)

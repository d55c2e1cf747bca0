"""Issue 20: the rank is stored with its peer group (rank, rank_group), never as a national rank;
the assessor's recommendations are per question code with the OIT items they cite, and measures
link the recommendations they answer."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from ita.analysis import documents
from ita.analysis import services as analysis_services
from ita.measures import services as measure_services
from ita.models import Recommendation, Result, normalise_question_codes, referenced_items
from ita.results import selectors, services
from ita.results.exchange import export_results, results_import
from lao_integrity.concurrency import StaleEdit
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.tabular import ImportRejected
from tests.ita.results.scores import csv_bytes, long_rows
from tests.ita.results.seed import LONG

pytestmark = pytest.mark.django_db

SEED_2566 = {n: Decimal(v) for n, v in zip(range(1, 11), "95.01 84.45 88.62 83.07 86.04 85.07 84.54 82.73 100 100"
                                               .split(), strict=True)}
RECOMMENDATIONS = {
    "IIT": [
        "ได้มีการดำเนินการตามตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ ควรรักษามาตรฐานไว้",
        {"code": "I27", "issue": "มาตรการป้องกันการทุจริตยังไม่สามารถป้องกันการทุจริตได้จริง",
         "advice": "ดังนั้น หน่วยงานควรวิเคราะห์มาตรการเสริมสร้างความโปร่งใส (อ้างอิงจาก 042)"},
        {"code": "i17", "issue": "บุคลากรบางรายไม่ทราบข้อมูลเกี่ยวกับงบประมาณ",
         "advice": "ดังนั้น หน่วยงานควรเผยแพร่แผนการใช้จ่ายงบประมาณประจำปี (อ้างอิงจาก ๐11)"},
        {"code": "I19/I24", "issue": "บุคลากรบางรายไม่ทราบแนวปฏิบัติการใช้ทรัพย์สินของราชการ",
         "advice": "ดังนั้น ควรกำหนดแนวทางไว้ในคู่มือ (อ้างอิงจาก 014) และเสริมสร้างจิตสำนึก (อ้างอิงจาก ๐39, ๐40)"},
    ],
    "EIT": [
        {"code": "E9", "issue": "การสื่อสาร ตอบข้อซักถาม ยังขาดความชัดเจน",
         "advice": "ดังนั้น ควรมอบหมายผู้รับผิดชอบ (อ้างอิงจาก 08) ผ่านเครือข่ายสังคมออนไลน์ (อ้างอิงจาก 09)"},
    ],
}


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("\xa0", " ").replace("\u200b", "").strip()


def coded(result) -> dict[str, Recommendation]:
    return {rec.code: rec for rec in result.recommendations.all() if rec.code}


@pytest.fixture
def mae_sai(other_org):
    """เทศบาลตำบลทดลอง's FY 2566 result ranked as the seed prints it, with coded recommendations."""
    result = services.result_save(organisation=other_org, fiscal_year=2566, scores=SEED_2566, rank=1175,
                                  user=SYSTEM)
    analysis_services.recommendations_replace(result=result, by_tool=RECOMMENDATIONS, user=SYSTEM)
    return result


# --- the rank and its peer group --------------------------------------------------------------


def test_a_rank_without_a_group_is_in_the_organisations_type(org, other_org):
    mine = services.result_save(organisation=org, fiscal_year=2566, scores=SEED_2566, rank=40, user=SYSTEM)
    theirs = services.result_save(organisation=other_org, fiscal_year=2566, scores=SEED_2566, rank=1175,
                                  user=SYSTEM)
    assert (mine.rank, mine.rank_group) == (40, "องค์การบริหารส่วนตำบล")
    assert theirs.rank_text == "ลำดับที่ 1,175 ของหน่วยงานประเภท เทศบาลตำบล"
    given = services.result_save(organisation=org, fiscal_year=2565, scores=SEED_2566, rank=7,
                                 rank_group="  อปท.  ขนาดกลาง ", user=SYSTEM)
    assert given.rank_group == "อปท. ขนาดกลาง"
    unranked = services.result_save(organisation=org, fiscal_year=2564, scores=SEED_2566, user=SYSTEM)
    assert (unranked.rank, unranked.rank_group, unranked.rank_text) == (None, None, "")


def test_a_group_without_a_rank_is_refused_in_thai(org):
    with pytest.raises(ValidationError) as excinfo:
        services.result_save(organisation=org, fiscal_year=2566, scores=SEED_2566, rank_group="เทศบาลตำบล",
                             user=SYSTEM)
    assert excinfo.value.message_dict["rank"] == [
        "ระบุประเภทหน่วยงานที่จัดลำดับ “เทศบาลตำบล” แต่ไม่ได้ระบุลำดับ กรุณากรอกลำดับ "
        "หรือเว้นประเภทหน่วยงานที่จัดลำดับว่าง"]
    assert not Result.objects.filter(organisation=org).exists()


def test_a_rank_without_any_group_is_refused_by_the_model_and_the_database(org):
    result = services.result_save(organisation=org, fiscal_year=2566, scores=SEED_2566, rank=3, user=SYSTEM)
    result.rank_group = None
    with pytest.raises(ValidationError) as excinfo:
        result.full_clean()
    assert excinfo.value.message_dict["rank_group"][0].startswith("ระบุลำดับที่ 3 แต่ไม่ได้ระบุว่าเป็นลำดับในหน่วยงานประเภทใด")
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.filter(pk=result.pk).update(rank_group=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.filter(pk=result.pk).update(rank=None)


def test_the_score_form_takes_rank_and_group_and_refuses_a_group_alone(org, client_for, staff):
    url = reverse("ita:result_edit", args=[org.code, 2566])
    data = {f"score_{n}": str(v) for n, v in SEED_2566.items()} | {"version": "0"}
    response = client_for(staff).post(url, data | {"rank": "", "rank_group": "เทศบาลตำบล"})
    assert response.status_code == 200
    assert "ระบุประเภทหน่วยงานที่จัดลำดับแต่ไม่ได้ระบุลำดับ" in response.content.decode()
    assert not Result.objects.filter(organisation=org).exists()
    page = client_for(staff).get(url).content.decode()
    assert 'placeholder="องค์การบริหารส่วนตำบล"' in page
    client_for(staff).post(url, data | {"rank": "๑,๑๗๕", "rank_group": ""})
    result = Result.objects.get(organisation=org)
    assert (result.rank, result.rank_group) == (1175, "องค์การบริหารส่วนตำบล")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_old_ranks_in_the_organisations_type(org, other_org):
    """0013 reads national_rank as what the letter printed: a rank within the organisation's type."""
    executor = MigrationExecutor(connection)
    before, after = ("ita", "0012_analysis_texts"), ("ita", "0013_rank_group_and_coded_recommendations")
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    framework = old.get_model("ita", "Framework").objects.get(fiscal_year=2566)
    OldResult = old.get_model("ita", "Result")
    for organisation, year, rank in ((org, 2566, 40), (other_org, 2566, 1175), (org, 2565, None)):
        OldResult.objects.create(organisation_id=organisation.pk, framework=framework, fiscal_year=year,
                                 national_rank=rank)
    OldRec = old.get_model("ita", "Recommendation")
    OldRec.objects.create(result=OldResult.objects.get(organisation_id=org.pk, fiscal_year=2566),
                          tool=framework.tools.get(code="IIT"), text="ข้อเสนอแนะเดิม")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    ranks = {(r.organisation_id, r.fiscal_year): (r.rank, r.rank_group)
             for r in Result.objects.filter(organisation__in=[org, other_org])}
    assert ranks == {(org.pk, 2566): (40, "องค์การบริหารส่วนตำบล"), (other_org.pk, 2566): (1175, "เทศบาลตำบล"),
                     (org.pk, 2565): (None, None)}
    rec = Recommendation.objects.get(result__organisation=org)
    assert (rec.advice, rec.code, rec.issue) == ("ข้อเสนอแนะเดิม", "", "")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


# --- files: the new columns, and the old one still read --------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_writes_rank_and_group_and_imports_back(org, fmt):
    services.result_save(organisation=org, fiscal_year=2566, scores=SEED_2566, rank=12,
                         rank_group="เทศบาลตำบล", user=SYSTEM)
    results = Result.objects.filter(organisation=org)
    data = export_results(fiscal_year=2566, results=results, fmt=fmt)
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        assert "ลำดับ,ประเภทหน่วยงานที่จัดลำดับ" in text and ",12,เทศบาลตำบล," in text
    Result.objects.all().delete()
    results_import(data=data, filename=f"ita.{fmt}", user=SYSTEM)
    result = Result.objects.get(organisation=org)
    assert (result.rank, result.rank_group, result.overall) == (12, "เทศบาลตำบล", Decimal("91.47"))


def test_a_file_with_the_old_rank_header_is_still_read_in_the_organisations_type(org):
    rows = [[*row, "1,175"] for row in long_rows(org.code, 2566)]
    results_import(data=csv_bytes([*LONG, "ลำดับระดับประเทศ"], rows), filename="ita.csv", user=SYSTEM)
    result = Result.objects.get(organisation=org)
    assert (result.rank, result.rank_group) == (1175, "องค์การบริหารส่วนตำบล")


def test_a_file_without_rank_keeps_the_stored_rank_and_group(org):
    services.result_save(organisation=org, fiscal_year=2566, scores=SEED_2566, rank=9, rank_group="กลุ่มทดสอบ",
                         user=SYSTEM)
    results_import(data=csv_bytes(LONG, long_rows(org.code, 2566)), filename="ita.csv", user=SYSTEM)
    result = Result.objects.get(organisation=org)
    assert (result.rank, result.rank_group) == (9, "กลุ่มทดสอบ")


def test_a_group_without_a_rank_and_two_rank_columns_are_refused(org):
    rows = [[*row, "", "เทศบาลตำบล"] for row in long_rows(org.code, 2566)]
    with pytest.raises(ImportRejected) as excinfo:
        results_import(data=csv_bytes([*LONG, "ลำดับ", "ประเภทหน่วยงานที่จัดลำดับ"], rows), filename="ita.csv",
                       user=SYSTEM)
    assert str(excinfo.value.problems[0]) == (
        "บรรทัดที่ 2: ระบุประเภทหน่วยงานที่จัดลำดับ “เทศบาลตำบล” แต่ไม่ได้ระบุลำดับ กรุณากรอกลำดับ "
        "หรือเว้นประเภทหน่วยงานที่จัดลำดับว่าง")
    rows = [[*row, "5", "5"] for row in long_rows(org.code, 2566)]
    with pytest.raises(ImportRejected) as excinfo:
        results_import(data=csv_bytes([*LONG, "ลำดับ", "ลำดับระดับประเทศ"], rows), filename="ita.csv", user=SYSTEM)
    assert "ซ้ำ" in str(excinfo.value.problems[0])
    assert not Result.objects.filter(organisation=org).exists()


# --- coded recommendations ---------------------------------------------------------------------


def test_question_codes_and_cited_items_read_ocr_defects():
    assert normalise_question_codes("i17") == "I17"
    assert normalise_question_codes("E 9") == "E9"
    assert normalise_question_codes("๐11") == "O11" and normalise_question_codes("011") == "O11"
    assert normalise_question_codes("I19/I24") == "I19/I24" and normalise_question_codes("") == ""
    with pytest.raises(ValueError, match="รหัสข้อ “119” ไม่ถูกต้อง"):
        normalise_question_codes("119")
    assert referenced_items("(อ้างอิงจาก ๐39, ๐40) และ (อ้างอิง จาก 013) ... (อ้างอิงจาก 011") == [
        "O39", "O40", "O13", "O11"]


def test_recommendations_store_code_issue_advice_and_cited_items(mae_sai):
    recs = coded(mae_sai)
    assert set(recs) == {"I27", "I17", "I19/I24", "E9"}
    assert recs["I17"].issue == "บุคลากรบางรายไม่ทราบข้อมูลเกี่ยวกับงบประมาณ"
    assert recs["I17"].advice.endswith("(อ้างอิงจาก ๐11)")  # the wording as printed
    assert [i.code for i in recs["I17"].items.all()] == ["O11"]
    assert sorted(i.code for i in recs["I19/I24"].items.all()) == ["O14", "O39", "O40"]
    assert all(i.indicator.framework_id == mae_sai.framework_id for i in recs["E9"].items.all())
    general = mae_sai.recommendations.get(code="")
    assert general.tool.code == "IIT" and general.items.count() == 0


def test_bad_codes_are_refused_in_thai_and_nothing_changes(mae_sai):
    with pytest.raises(ValidationError) as excinfo:
        analysis_services.recommendations_replace(result=mae_sai, user=SYSTEM, by_tool={
            "IIT": [{"code": "119", "advice": "ก"}, {"code": "E9", "advice": "ข"}, {"code": "I1", "advice": ""}],
            "EIT": [{"code": "E10", "advice": "ค (อ้างอิงจาก O99)"}],
            "XYZ": ["ง"]})
    assert excinfo.value.messages == [
        "IIT ข้อเสนอแนะที่ 1: รหัสข้อ “119” ไม่ถูกต้อง (เช่น O29)",
        "IIT ข้อเสนอแนะที่ 2: ข้อ E9 ไม่ใช่ข้อคำถามของ IIT (ข้อของ IIT ขึ้นต้นด้วย I)",
        "IIT ข้อเสนอแนะที่ 3: กรุณากรอกข้อเสนอแนะ",
        "EIT ข้อเสนอแนะที่ 1: ไม่มีข้อ O99 ในกรอบการประเมินปี 2566",
        "ไม่มีเครื่องมือ XYZ ในกรอบการประเมินปี 2566"]
    assert set(coded(mae_sai)) == {"I27", "I17", "I19/I24", "E9"}


def test_replacing_keeps_the_recommendations_measures_answer_and_is_versioned(mae_sai, other_org):
    measure = measure_services.measure_create(organisation=other_org, fiscal_year=2567, indicators=[2],
                                              title="เผยแพร่แผนการใช้จ่ายงบประมาณ", user=SYSTEM,
                                              recommendations=[coded(mae_sai)["I17"]])
    version = Result.objects.get(pk=mae_sai.pk).version
    edited = {**RECOMMENDATIONS, "IIT": [
        {"id": coded(mae_sai)["I17"].pk, "code": "I17", "issue": "ประเด็นที่แก้แล้ว", "advice": "ข้อเสนอแนะใหม่",
         "items": ["o12"]}]}
    analysis_services.recommendations_replace(result=mae_sai, by_tool=edited, user=SYSTEM, expected_version=version)
    recs = coded(mae_sai)
    assert set(recs) == {"I17", "E9"}
    assert list(recs["I17"].measures.all()) == [measure]
    assert [i.code for i in recs["I17"].items.all()] == ["O12"]
    with pytest.raises(StaleEdit):
        analysis_services.recommendations_replace(result=mae_sai, by_tool=edited, user=SYSTEM,
                                                  expected_version=version)


def test_a_measure_may_answer_only_the_recommendations_of_the_result_it_is_based_on(mae_sai, org, other_org):
    mine = services.result_save(organisation=org, fiscal_year=2566, scores=SEED_2566, user=SYSTEM)
    analysis_services.recommendations_replace(result=mine, user=SYSTEM, by_tool={
        "IIT": [{"code": "I17", "issue": "ของ อปท. อื่น", "advice": "ข้อเสนอแนะของ อปท. อื่น"}]})
    foreign = mine.recommendations.get()
    with pytest.raises(ValidationError) as excinfo:
        measure_services.measure_create(organisation=other_org, fiscal_year=2567, indicators=[2], title="มาตรการ",
                                        recommendations=[coded(mae_sai)["I17"], foreign], user=SYSTEM)
    assert excinfo.value.message_dict["recommendations"] == [
        "ข้อเสนอแนะ I17 ไม่ใช่ข้อเสนอแนะของผลการประเมินปี 2566 ที่มาตรการนี้ตอบ"]
    measure = measure_services.measure_create(organisation=other_org, fiscal_year=2567, indicators=[2],
                                              title="มาตรการ", recommendations=[coded(mae_sai)["I17"]], user=SYSTEM)
    with pytest.raises(ValidationError):
        measure_services.measure_update(measure=measure, recommendations=[foreign.pk], user=SYSTEM)
    assert list(measure.recommendations.all()) == [coded(mae_sai)["I17"]]
    # No result the year before: nothing to answer.
    with pytest.raises(ValidationError) as excinfo:
        measure_services.measure_create(organisation=org, fiscal_year=2566, indicators=[2], title="มาตรการ",
                                        recommendations=[foreign], user=SYSTEM)
    assert "ยังไม่มีผลการประเมินปีก่อน" in excinfo.value.message_dict["recommendations"][0]


def test_the_measure_form_offers_the_recommendations_and_the_list_shows_them(mae_sai, other_org, client_for,
                                                                              other_staff):
    client = client_for(other_staff)
    add = reverse("ita:measure_add", args=[other_org.code, 2567])
    form = client.get(add).content.decode()
    i17 = coded(mae_sai)["I17"]
    assert f'value="{i17.pk}"' in form and "IIT I17 บุคลากรบางรายไม่ทราบข้อมูลเกี่ยวกับงบประมาณ" in form
    general = mae_sai.recommendations.get(code="")
    assert f'name="recommendations" value="{general.pk}"' not in form  # only the coded ones are offered
    assert f'name="recommendations" value="{i17.pk}"' in form
    indicator = mae_sai.framework.indicators.get(number=2)
    response = client.post(add, {"title": "เผยแพร่แผนการใช้จ่ายงบประมาณ", "indicators": [indicator.pk],
                                 "recommendations": [i17.pk], "cadence": "quarterly"})
    assert response.status_code == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    listing = client.get(reverse("ita:measures", args=[other_org.code, 2567])).content.decode()
    assert re.search(r'class="muted answers">ตอบข้อเสนอแนะปี 2566: <span title="[^"]*">IIT I17</span>', listing)


# --- the analysis page and report ----------------------------------------------------------------


def test_the_report_prints_the_rank_in_its_group_and_each_recommendation_with_its_measures(mae_sai, other_org):
    measure = measure_services.measure_create(organisation=other_org, fiscal_year=2567, indicators=[10],
                                              title="วิเคราะห์มาตรการเสริมสร้างความโปร่งใส", user=SYSTEM,
                                              recommendations=[coded(mae_sai)["I27"], coded(mae_sai)["E9"]])
    html = documents.analysis_html(selectors.result_for_page(mae_sai.pk))
    # The document writes Thai digits and keeps "ลำดับที่ ๑,๑๗๕" on one line.
    assert plain(re.search(r'id="rank">(.*?)</td>', html, re.S).group(1)) == "ลำดับที่ ๑,๑๗๕ ของหน่วยงานประเภท เทศบาลตำบล"
    assert "อยู่ในระดับ A อยู่ในลำดับที่ ๑,๑๗๕ ของหน่วยงานประเภท เทศบาลตำบล จึงได้วิเคราะห์" in plain(html)
    blocks = {code: re.search(rf'id="rec-{rec.pk}">(.*?)</div>', html, re.S).group(1)
              for code, rec in coded(mae_sai).items()}
    assert measure.title in blocks["I27"] and measure.title in blocks["E9"]
    assert "ยังไม่มีมาตรการตอบข้อเสนอแนะนี้" in blocks["I17"] and measure.title not in blocks["I17"]
    assert "ประเด็น บุคลากรบางรายไม่ทราบข้อมูลเกี่ยวกับงบประมาณ" in blocks["I17"]
    # By tool, then by code: I17 before I19/I24 before I27, whatever order they were entered in.
    positions = [html.index(f'id="rec-{coded(mae_sai)[code].pk}"') for code in ("I17", "I19/I24", "I27", "E9")]
    assert positions == sorted(positions)


def test_the_analysis_page_shows_the_rank_and_the_answers(mae_sai, other_org, client_for, other_staff):
    measure_services.measure_create(organisation=other_org, fiscal_year=2567, indicators=[2], user=SYSTEM,
                                    title="ประชุมชี้แจงแผนการใช้จ่ายงบประมาณ",
                                    recommendations=[coded(mae_sai)["I17"]])
    html = client_for(other_staff).get(f"/ita/result/{mae_sai.pk}/").content.decode()
    assert '<span id="rank">ลำดับที่ 1,175 ของหน่วยงานประเภท เทศบาลตำบล</span>' in html
    i17 = re.search(rf'id="rec-{coded(mae_sai)["I17"].pk}">(.*?)</section>', html, re.S).group(1)
    assert "มาตรการ: ประชุมชี้แจงแผนการใช้จ่ายงบประมาณ" in i17 and "อ้างอิงข้อ OIT: O11" in i17
    e9 = re.search(rf'id="rec-{coded(mae_sai)["E9"].pk}">(.*?)</section>', html, re.S).group(1)
    assert "ยังไม่มีมาตรการตอบข้อเสนอแนะนี้" in e9
    general = re.search(rf'id="rec-{mae_sai.recommendations.get(code="").pk}">(.*?)</section>', html, re.S).group(1)
    assert "ยังไม่มีมาตรการ" not in general  # general advice is not a question a measure answers


# --- the demo --------------------------------------------------------------------------------------


def test_the_demo_has_mae_sais_rank_and_coded_recommendations_answered_by_its_measures(seeded):
    result = Result.objects.get(organisation__code="5570701", fiscal_year=2566)
    assert result.rank_text == "ลำดับที่ 1,175 ของหน่วยงานประเภท เทศบาลตำบล"
    codes = [(r.tool.code, r.code) for r in sorted(result.recommendations.all(), key=lambda r: r.sort_key) if r.code]
    assert codes == [("IIT", "I17"), ("IIT", "I18"), ("IIT", "I19/I24"), ("IIT", "I27"), ("IIT", "I27"),
                     ("EIT", "E9"), ("EIT", "E10"), ("EIT", "E11"), ("EIT", "E12"), ("EIT", "E14")]
    i18 = result.recommendations.get(code="I18")
    assert i18.issue == "บุคลากรบางรายในหน่วยงานไม่เคยเข้าไปมีส่วนร่วมในกระบวนการงบประมาณ"
    assert sorted(i.code for i in i18.items.all()) == ["O11", "O12"]
    answered = {r.code for r in result.recommendations.filter(measures__fiscal_year=2567)}
    assert {"I17", "I18", "I19/I24", "I27", "E9", "E11", "E12"} <= answered
    assert not result.recommendations.get(code="E10").measures.exists()


# --- the recommendations form ------------------------------------------------------------------


def test_the_recommendations_form_edits_adds_and_deletes_keeping_measure_links(mae_sai, other_org, client_for,
                                                                               other_staff):
    from tests.support.forms import form_data

    measure = measure_services.measure_create(organisation=other_org, fiscal_year=2567, indicators=[2], user=SYSTEM,
                                              title="ประชุมชี้แจงแผนการใช้จ่ายงบประมาณ",
                                              recommendations=[coded(mae_sai)["I17"]])
    client = client_for(other_staff)
    url = reverse("ita:recommendations", args=[mae_sai.pk])
    data = form_data(client.get(url))
    stored = mae_sai.recommendations.count()
    rows = {data[f"row_{n}_code"]: n for n in range(stored)}
    assert data[f"row_{rows['I17']}_items"] == "O11"
    i17, e9, blank = rows["I17"], rows["E9"], stored  # the stored rows, then the blank ones
    data |= {f"row_{i17}_issue": "ประเด็นที่แก้", f"row_{i17}_items": "",
             f"row_{i17}_advice": "ควรประชุมชี้แจง (อ้างอิงจาก 012)",
             f"row_{e9}_advice": "",  # deleted
             f"row_{blank}_tool": "EIT", f"row_{blank}_code": "e10", f"row_{blank}_issue": "ไม่ทราบช่องทางร้องเรียน",
             f"row_{blank}_advice": "ควรเผยแพร่ช่องทางการร้องเรียน (อ้างอิงจาก 028)"}
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    recs = coded(mae_sai)
    assert set(recs) == {"I17", "I19/I24", "I27", "E10"}
    assert recs["I17"].issue == "ประเด็นที่แก้" and [i.code for i in recs["I17"].items.all()] == ["O12"]
    assert list(recs["I17"].measures.all()) == [measure]
    assert [i.code for i in recs["E10"].items.all()] == ["O28"]
    # The same form posted again is stale: the result moved on.
    page = client.post(url, data).content.decode()
    assert "มีผู้อื่นแก้ไขรายการนี้ไปแล้ว" in page
    bad = form_data(client.get(url)) | {"row_0_tool": "IIT", "row_0_code": "E99", "row_0_advice": "ก"}
    page = client.post(url, bad).content.decode()
    assert "ข้อ E99 ไม่ใช่ข้อคำถามของ IIT" in page

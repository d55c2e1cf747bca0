"""Unit and individual performance agreements: rules, scores, rounds, access, files, the PDF,
and the story of one agreement walked through the pages."""

import datetime
import html as html_lib
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from agreements.performance import documents, exchange, scoring, selectors, services
from agreements.performance.models import (
    AgreementIndicator,
    AgreementKind,
    AgreementStatus,
    Aspect,
    IndicatorProgress,
    PerformanceAgreement,
    WorkType,
    round_bounds,
    round_quarters,
)
from lao_integrity import thai
from lao_integrity.documents.registry import kinds
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import person_ensure
from lao_integrity.tabular import ImportRejected, write_table

pytestmark = pytest.mark.django_db

pdftotext = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(pdftotext is None, reason="pdftotext (poppler-utils) is not installed")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
D = Decimal


def text_of(pdf: bytes) -> str:
    result = subprocess.run([pdftotext, "-raw", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def strip_tags(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def by_id(html: str, element_id: str) -> str:
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element #{element_id}"
    return strip_tags(match.group(2))


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def head(org, units):
    return person_ensure(user=SYSTEM, organisation=org, prefix="นางสาว", first_name="มาลี", last_name="ศรีคลัง",
                         position="ผู้อำนวยการกองคลัง", unit=units["กองคลัง"])


@pytest.fixture
def agreement(org, units, people, head):
    return services.agreement_create(organisation=org, fiscal_year=2569, round=1, kind=AgreementKind.UNIT,
                                     unit=units["กองคลัง"], person=head, executive=people["executive"], user=SYSTEM)


def indicator_fields(name="ร้อยละการเบิกจ่ายงบประมาณ", weight="25", *, higher=True, targets=None,
                     aspect=Aspect.HIGH_PERFORMANCE, work_type=WorkType.CORE, unit="ร้อยละ", baseline="40"):
    targets = targets or ([40, 45, 50, 55, 60] if higher else [30, 25, 20, 15, 10])
    return {"aspect": aspect, "work_type": work_type, "name": name, "unit_of_measure": unit,
            "baseline": None if baseline is None else D(baseline), "higher_is_better": higher,
            **{f"target_{i}": D(str(t)) for i, t in enumerate(targets, start=1)}, "weight": D(weight)}


FOUR = [
    indicator_fields("ร้อยละการเบิกจ่ายงบประมาณ", "40"),
    indicator_fields("จำนวนวันเฉลี่ยในการออกใบอนุญาตก่อสร้าง", "30", higher=False, unit="วัน",
                     aspect=Aspect.SERVICE, work_type=WorkType.BENCHMARK, baseline="30"),
    indicator_fields("ร้อยละความพึงพอใจของผู้รับบริการ", "20", targets=[80, 82, 85, 88, 90],
                     aspect=Aspect.SERVICE, work_type=WorkType.CORE, baseline="85"),
    indicator_fields("จำนวนช่องทางการรับเรื่องร้องเรียนภายใน 7 วัน", "10", targets=[2, 3, 4, 5, 6], unit="ช่องทาง",
                     aspect=Aspect.INTEGRITY, work_type=WorkType.CHALLENGE, baseline=None),
]


@pytest.fixture
def four(agreement):
    return [services.indicator_create(agreement=agreement, **fields, user=SYSTEM) for fields in FOUR]


@pytest.fixture
def signed(agreement, four, executive):
    services.agreement_sign(agreement=agreement, user=executive)
    return agreement


# --- the weight rule -----------------------------------------------------------------------


@pytest.mark.parametrize("last, shown", [("29.99", "99.99"), ("30.01", "100.01"), ("20", "90")])
def test_sign_refuses_weights_not_totalling_100_and_states_the_total(agreement, executive, last, shown):
    for fields in (indicator_fields("ก", "40"), indicator_fields("ข", "30"), indicator_fields("ค", last)):
        services.indicator_create(agreement=agreement, **fields, user=executive)
    with pytest.raises(ValidationError) as caught:
        services.agreement_sign(agreement=agreement, user=executive)
    assert f"ขณะนี้รวม {shown}" in " ".join(caught.value.messages)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT and agreement.signed_at is None


def test_weights_totalling_exactly_100_sign(agreement, four, executive):
    services.agreement_sign(agreement=agreement, user=executive)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.signed_by == executive and agreement.signed_at is not None
    with pytest.raises(ValidationError, match="ลงนามแล้ว"):
        services.agreement_sign(agreement=agreement, user=executive)


def test_an_agreement_without_indicators_cannot_be_signed(agreement, executive):
    with pytest.raises(ValidationError, match="ยังไม่มีตัวชี้วัด"):
        services.agreement_sign(agreement=agreement, user=executive)


def test_only_an_executive_signs(agreement, four, staff, auditor):
    for user in (staff, auditor):
        with pytest.raises(PermissionDenied):
            services.agreement_sign(agreement=agreement, user=user)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_detail_page_shows_the_running_total_in_red_and_why_signing_is_blocked(agreement, executive, client_for):
    services.indicator_create(agreement=agreement, **indicator_fields("ก", "60"), user=executive)
    html = page(client_for(executive).get(reverse("agreements:detail", args=[agreement.pk])))
    assert by_id(html, "weight-total") == "60"
    assert re.search(r'id="weight-total"[^>]*color:var\(--err\)', html)
    assert "ขณะนี้รวม 60" in by_id(html, "sign-problems")
    assert 'id="sign"' not in html  # no live sign button
    services.indicator_create(agreement=agreement, **indicator_fields("ข", "40"), user=executive)
    html = page(client_for(executive).get(reverse("agreements:detail", args=[agreement.pk])))
    assert by_id(html, "weight-total") == "100"
    assert not re.search(r'id="weight-total"[^>]*color', html)
    assert 'id="sign"' in html


# --- indicators ------------------------------------------------------------------------------


def test_targets_must_follow_the_indicator_direction(agreement):
    with pytest.raises(ValidationError, match="เพิ่มขึ้นจากระดับ 1"):
        services.indicator_create(agreement=agreement, **indicator_fields(targets=[60, 55, 50, 45, 40]), user=SYSTEM)
    with pytest.raises(ValidationError, match="ลดลงจากระดับ 1"):
        services.indicator_create(agreement=agreement, **indicator_fields(higher=False, targets=[10, 15, 20, 25, 30]), user=SYSTEM)
    with pytest.raises(ValidationError, match="เพิ่มขึ้น"):
        services.indicator_create(agreement=agreement, **indicator_fields(targets=[40, 45, 45, 55, 60]), user=SYSTEM)
    for weight in ("0", "-5", "100.5"):
        with pytest.raises(ValidationError):
            services.indicator_create(agreement=agreement, **indicator_fields(weight=weight), user=SYSTEM)
    assert not agreement.indicators.exists()
    services.indicator_create(agreement=agreement, **indicator_fields(higher=False), user=SYSTEM)
    assert agreement.indicators.count() == 1


def test_signed_indicators_are_frozen(signed, four, staff, client_for):
    indicator = four[0]
    with pytest.raises(ValidationError, match="ลงนามแล้ว"):
        services.indicator_update(indicator=indicator, weight=D("50"), user=staff)
    with pytest.raises(ValidationError, match="ลงนามแล้ว"):
        services.indicator_create(agreement=signed, **indicator_fields("ใหม่", "10"), user=staff)
    with pytest.raises(ValidationError, match="ลงนามแล้ว"):
        services.indicator_delete(indicator=indicator, user=staff)
    with pytest.raises(ValidationError):
        services.agreement_update(agreement=signed, round=2, user=staff)
    with pytest.raises(ValidationError):
        services.agreement_delete(agreement=signed, user=staff)
    client = client_for(staff)
    client.post(reverse("agreements:indicator_edit", args=[indicator.pk]),
                {**{k: str(v) for k, v in FOUR[0].items()}, "weight": "99"})
    client.post(reverse("agreements:indicator_delete", args=[indicator.pk]))
    client.post(reverse("agreements:delete", args=[signed.pk]))
    indicator.refresh_from_db()
    assert indicator.weight == D("40") and signed.indicators.count() == 4
    assert PerformanceAgreement.objects.filter(pk=signed.pk).exists()


def test_deleting_an_indicator_closes_the_numbering_gap(agreement, four):
    services.indicator_delete(indicator=four[1], user=SYSTEM)
    assert list(agreement.indicators.values_list("order", flat=True)) == [1, 2, 3]


# --- parties --------------------------------------------------------------------------------


def test_parties_must_belong_to_the_organisation_and_differ(org, other_org, units, people, head):
    stranger = person_ensure(user=SYSTEM, organisation=other_org, prefix="นาย", first_name="ต่าง", last_name="ถิ่น",
                             position="ผู้อำนวยการกองคลัง")
    base = {"organisation": org, "fiscal_year": 2569, "round": 1, "kind": AgreementKind.UNIT,
            "unit": units["กองคลัง"], "executive": people["executive"]}
    with pytest.raises(ValidationError, match="ไม่ใช่บุคลากร"):
        services.agreement_create(**base, person=stranger, user=SYSTEM)
    with pytest.raises(ValidationError, match="คนละคน"):
        services.agreement_create(**{**base, "executive": head}, person=head, user=SYSTEM)
    with pytest.raises(ValidationError, match="ต้องระบุหน่วยงาน"):
        services.agreement_create(**{**base, "unit": None}, person=head, user=SYSTEM)
    services.agreement_create(**{**base, "unit": None, "kind": AgreementKind.INDIVIDUAL}, person=people["analyst"], user=SYSTEM)
    services.agreement_create(**base, person=head, user=SYSTEM)
    with pytest.raises(ValidationError, match="มีข้อตกลงปีงบประมาณ 2569 ครั้งที่ 1 อยู่แล้ว"):
        services.agreement_create(**base, person=head, user=SYSTEM)
    services.agreement_create(**{**base, "round": 2}, person=head, user=SYSTEM)  # the other round is fine
    assert PerformanceAgreement.objects.filter(organisation=org).count() == 3


# --- rounds and quarters ---------------------------------------------------------------------


def test_round_dates_lie_inside_the_fiscal_year():
    assert round_bounds(2567, 1) == (datetime.date(2023, 10, 1), datetime.date(2024, 3, 31))
    assert round_bounds(2567, 2) == (datetime.date(2024, 4, 1), datetime.date(2024, 9, 30))
    for year in (2566, 2567, 2568, 2569, 2570):  # 2567 and 2571 are leap years in C.E. 2024 / 2028
        start, end = thai.fiscal_year_bounds(year)
        first, second = round_bounds(year, 1), round_bounds(year, 2)
        assert first[0] == start and second[1] == end
        assert second[0] - first[1] == datetime.timedelta(days=1)
        for quarter in round_quarters(1):
            q_start, q_end = thai.quarter_bounds(year, quarter)
            assert first[0] <= q_start and q_end <= first[1]
        for quarter in round_quarters(2):
            q_start, q_end = thai.quarter_bounds(year, quarter)
            assert second[0] <= q_start and q_end <= second[1]


def test_progress_only_in_the_rounds_quarters_and_only_once_signed(agreement, four, executive, staff, client_for):
    with pytest.raises(ValidationError, match="ยังไม่ได้ลงนาม"):
        services.progress_record(indicator=four[0], quarter=1, value=D("10"), user=staff)
    services.agreement_sign(agreement=agreement, user=executive)
    for quarter in (3, 4):
        with pytest.raises(ValidationError, match=f"ไตรมาส {quarter} ไม่อยู่ในรอบการประเมินครั้งที่ 1"):
            services.progress_record(indicator=four[0], quarter=quarter, value=D("10"), user=staff)
        response = client_for(staff).post(reverse("agreements:progress", args=[four[0].pk, quarter]), {"value": "10"})
        assert response.status_code == 404
    mine = IndicatorProgress.objects.filter(indicator__agreement=agreement)
    assert not mine.exists()
    services.progress_record(indicator=four[0], quarter=2, value=D("48.5"), evidence_url="https://example.go.th/r", user=staff)
    assert mine.get().quarter == 2


def test_round_two_takes_quarters_three_and_four(org, units, people, head, executive):
    agreement = services.agreement_create(organisation=org, fiscal_year=2569, round=2, unit=units["กองคลัง"],
                                          person=head, executive=people["executive"], user=executive)
    indicator = services.indicator_create(agreement=agreement, **indicator_fields(weight="100"), user=executive)
    services.agreement_sign(agreement=agreement, user=executive)
    with pytest.raises(ValidationError, match="ไตรมาส 3 และ 4"):
        services.progress_record(indicator=indicator, quarter=2, value=D("1"), user=executive)
    services.progress_record(indicator=indicator, quarter=4, value=D("1"), user=executive)


# --- scores ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value, higher, expected", [
    ("60", True, 5), ("57", True, 4), ("40", True, 1), ("39.99", True, 0), ("100", True, 5),
    ("10", False, 5), ("12", False, 4), ("30", False, 1), ("30.01", False, 0), ("0", False, 5),
])
def test_achieved_level(value, higher, expected):
    targets = [D(t) for t in (["40", "45", "50", "55", "60"] if higher else ["30", "25", "20", "15", "10"])]
    assert scoring.achieved_level(D(value), targets, higher_is_better=higher) == expected


def test_weighted_score():
    assert scoring.weighted_score([(D(40), 5), (D(30), 4), (D(20), 3), (D(10), 0)]) == D("76.00")
    assert scoring.weighted_score([(D(100), 5)]) == D("100.00")
    assert scoring.weighted_score([(D("33.33"), 1), (D("66.67"), 2)]) == D("33.33")


def test_evaluation_computes_levels_and_score(signed, four, executive):
    # levels 5, 4, 3, 0 with weights 40, 30, 20, 10 -> 40 + 24 + 12 + 0 = 76.00
    values = {four[0].pk: D("61"), four[1].pk: D("15"), four[2].pk: D("86"), four[3].pk: D("1")}
    services.agreement_evaluate(agreement=signed, values=values, user=executive,
                                today=datetime.date(2026, 3, 31))
    signed.refresh_from_db()
    assert signed.status == AgreementStatus.EVALUATED and signed.evaluated_at is not None
    assert signed.score == D("76.00")
    levels = dict(AgreementIndicator.objects.filter(agreement=signed).values_list("pk", "achieved_level"))
    assert [levels[i.pk] for i in four] == [5, 4, 3, 0]
    assert AgreementIndicator.objects.get(pk=four[1].pk).achieved_value == D("15")
    with pytest.raises(ValidationError, match="ประเมินผลแล้ว"):
        services.agreement_evaluate(agreement=signed, values=values, user=executive)
    with pytest.raises(ValidationError, match="ประเมินผลแล้ว"):
        services.progress_record(indicator=four[0], quarter=1, value=D("1"), user=executive)


def test_evaluation_rules(agreement, four, executive, staff):
    values = {i.pk: D("50") for i in four}
    with pytest.raises(ValidationError, match="ยังไม่ได้ลงนาม"):
        services.agreement_evaluate(agreement=agreement, values=values, user=executive)
    services.agreement_sign(agreement=agreement, user=executive)
    with pytest.raises(PermissionDenied):
        services.agreement_evaluate(agreement=agreement, values=values, user=staff)
    with pytest.raises(ValidationError, match="ยังไม่ถึงรอบการประเมิน"):
        services.agreement_evaluate(agreement=agreement, values=values, user=executive,
                                    today=datetime.date(2025, 9, 30))
    with pytest.raises(ValidationError, match="กรุณาระบุผลการดำเนินงาน"):
        services.agreement_evaluate(agreement=agreement, values={four[0].pk: D("50")}, user=executive,
                                    today=datetime.date(2025, 10, 1))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED and agreement.score is None
    # The first day of the round is enough: evaluation need not wait for the round's end.
    services.agreement_evaluate(agreement=agreement, values=values, user=executive, today=datetime.date(2025, 10, 1))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EVALUATED


# --- permissions -------------------------------------------------------------------------------


def _urls(agreement, indicator) -> dict[str, str]:
    return {
        "detail": reverse("agreements:detail", args=[agreement.pk]),
        "edit": reverse("agreements:edit", args=[agreement.pk]),
        "delete": reverse("agreements:delete", args=[agreement.pk]),
        "sign": reverse("agreements:sign", args=[agreement.pk]),
        "evaluate": reverse("agreements:evaluate", args=[agreement.pk]),
        "pdf": reverse("agreements:pdf", args=[agreement.pk]),
        "indicator_add": reverse("agreements:indicator_add", args=[agreement.pk]),
        "indicator_import": reverse("agreements:indicator_import", args=[agreement.pk]),
        "export_csv": reverse("agreements:indicator_export", args=[agreement.pk, "csv"]),
        "export_xlsx": reverse("agreements:indicator_export", args=[agreement.pk, "xlsx"]),
        "indicator_edit": reverse("agreements:indicator_edit", args=[indicator.pk]),
        "indicator_delete": reverse("agreements:indicator_delete", args=[indicator.pk]),
        "progress": reverse("agreements:progress", args=[indicator.pk, 1]),
        "evidence": reverse("agreements:evidence", args=[indicator.pk, 1]),
    }


WRITES = ["edit", "delete", "sign", "evaluate", "indicator_add", "indicator_import", "indicator_edit",
          "indicator_delete", "progress"]


def test_other_organisation_gets_404_on_every_url(signed, four, other_staff, client_for):
    services.progress_record(indicator=four[0], quarter=1, value=D("1"),
                             evidence_file=SimpleUploadedFile("หลักฐาน.pdf", PDF), user=SYSTEM)
    client = client_for(other_staff)
    for name, url in _urls(signed, four[0]).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {}).status_code == 404, name
    listing = page(client.get(reverse("agreements:list")))
    assert "มาลี" not in listing


def test_auditor_reads_everything_and_changes_nothing(signed, four, auditor, client_for):
    services.progress_record(indicator=four[0], quarter=1, value=D("1"),
                             evidence_file=SimpleUploadedFile("หลักฐาน.pdf", PDF), user=SYSTEM)
    client = client_for(auditor)
    urls = _urls(signed, four[0])
    for name in WRITES:
        assert client.get(urls[name]).status_code == 403, name
        assert client.post(urls[name], {"weight": "1"}).status_code == 403, name
    response = client.post(reverse("agreements:list"), {"organisation": signed.organisation_id})
    assert response.status_code == 403
    for name in ("detail", "export_csv", "export_xlsx", "evidence"):
        assert client.get(urls[name]).status_code == 200, name
    assert client.get(urls["pdf"])["Content-Type"] == "application/pdf"
    html = page(client.get(urls["detail"]))
    assert "บันทึกผล" not in html and "+ เพิ่มตัวชี้วัด" not in html
    assert "มาลี" in page(client.get(reverse("agreements:list")))
    signed.refresh_from_db()
    assert signed.status == AgreementStatus.SIGNED and signed.indicators.count() == 4


def test_staff_enter_but_only_executives_sign_and_evaluate(agreement, four, staff, executive, client_for):
    staff_client = client_for(staff)
    assert staff_client.post(reverse("agreements:sign", args=[agreement.pk])).status_code == 403
    assert staff_client.get(reverse("agreements:evaluate", args=[agreement.pk])).status_code == 403
    html = page(staff_client.get(reverse("agreements:detail", args=[agreement.pk])))
    assert "ลงนามข้อตกลง" not in html and "+ เพิ่มตัวชี้วัด" in html
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    response = client_for(executive).post(reverse("agreements:sign", args=[agreement.pk]))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED


def test_service_refuses_users_without_rights(agreement, auditor, other_staff):
    for user in (auditor, other_staff):
        with pytest.raises(PermissionDenied):
            services.indicator_create(agreement=agreement, user=user, **indicator_fields())
    assert not agreement.indicators.exists()


# --- files --------------------------------------------------------------------------------------


@pytest.fixture
def second(org, units, people):
    person = person_ensure(user=SYSTEM, organisation=org, prefix="นาย", first_name="ช่าง", last_name="ใจดี",
                           position="ผู้อำนวยการกองช่าง", unit=units["กองช่าง"])
    return services.agreement_create(organisation=org, fiscal_year=2569, round=1, unit=units["กองช่าง"],
                                     person=person, executive=people["executive"], user=SYSTEM)


FIELDS = ["aspect", "work_type", "name", "unit_of_measure", "baseline", "higher_is_better", "target_1", "target_2",
          "target_3", "target_4", "target_5", "weight"]


def _snapshot(agreement):
    return [tuple(getattr(r.indicator, f) for f in FIELDS) for r in selectors.agreement_detail(agreement).rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_import_round_trip(agreement, four, second, staff, client_for, fmt):
    response = client_for(staff).get(reverse("agreements:indicator_export", args=[agreement.pk, fmt]))
    assert response.status_code == 200
    data = response.content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).active
        assert [c.value for c in sheet[1]] == exchange.HEADERS
    else:
        assert data.decode("utf-8-sig").splitlines()[0] == ",".join(exchange.HEADERS)
    services.indicator_create(agreement=second, **indicator_fields("จะถูกแทนที่", "5"), user=staff)
    upload = SimpleUploadedFile(f"indicators.{fmt}", data)
    response = client_for(staff).post(reverse("agreements:indicator_import", args=[second.pk]), {"file": upload})
    assert response.status_code == 302
    assert _snapshot(second) == _snapshot(agreement)
    assert not second.indicators.filter(name="จะถูกแทนที่").exists()
    lower = second.indicators.get(name__startswith="จำนวนวันเฉลี่ย")
    assert lower.higher_is_better is False  # read from the falling targets


def _file(rows, name="indicators.csv"):
    fmt = name.rsplit(".", 1)[-1]
    return write_table(exchange.HEADERS, rows, fmt)


def test_import_accepts_labels_short_names_and_numbers(second):
    rows = [
        [1, "Service Excellence", "งานท้าทาย", "ตัวชี้วัดหนึ่ง", "ร้อยละ", "", 1, 2, 3, 4, 5, 50],
        [2, "ด้านที่ 5", "2", "ตัวชี้วัดสอง", "วัน", "๑๐", "๒๐", "๑๕", "๑๐", "๕", "๑", "๒๕"],
        [3, "integrity", "งานที่ได้รับมอบหมายเป็นกรณีพิเศษ", "ตัวชี้วัดสาม", "ครั้ง", "", 1, 2, 3, 4, 5, "25.00"],
    ]
    count = exchange.indicators_import(agreement=second, data=_file(rows), filename="x.csv", user=SYSTEM)
    assert count == 3
    got = list(second.indicators.order_by("order").values_list("aspect", "work_type", "higher_is_better", "weight"))
    assert got == [(Aspect.SERVICE, WorkType.CHALLENGE, True, D("50")),
                   (Aspect.INTEGRITY, WorkType.CHALLENGE, False, D("25")),
                   (Aspect.INTEGRITY, WorkType.SPECIAL, True, D("25"))]


def test_import_rejects_the_whole_file_and_lists_every_bad_line(agreement, four, staff, client_for):
    before = _snapshot(agreement)
    rows = [
        [1, "ด้านที่ไม่มี", "งานท้าทาย", "ก", "ร้อยละ", "", 1, 2, 3, 4, 5, 50],         # line 2: aspect
        [2, "Integrity", "งานสำคัญตามภารกิจหลัก", "ข", "ร้อยละ", "", 1, 2, 3, 4, 5, 25],  # line 3: fine
        [3, "Integrity", "งานท้าทาย", "ค", "ร้อยละ", "", 1, 3, 2, 4, 5, 25],              # line 4: order
        [4, "Integrity", "งานท้าทาย", "ง", "ร้อยละ", "", 1, 2, 3, 4, 5, ""],              # line 5: weight
        [5, "Integrity", "งานท้าทาย", "จ", "ร้อยละ", "", 1, 2, 3, 4, 5, "abc"],           # line 6: weight
    ]
    with pytest.raises(ImportRejected) as caught:
        exchange.indicators_import(agreement=agreement, data=_file(rows), filename="x.csv", user=staff)
    lines = [p.line for p in caught.value.problems]
    assert sorted(set(lines)) == [2, 4, 5, 6]
    assert "ด้าน “ด้านที่ไม่มี” ไม่ถูกต้อง" in str(caught.value)
    assert "บรรทัดที่ 4" in str(caught.value)
    # agreement is signed? no: still a draft, and nothing changed
    assert _snapshot(agreement) == before
    response = client_for(staff).post(reverse("agreements:indicator_import", args=[agreement.pk]),
                                      {"file": SimpleUploadedFile("x.csv", _file(rows))})
    problems = by_id(page(response), "import-problems")
    assert "บรรทัดที่ 2" in problems and "บรรทัดที่ 6" in problems and "บรรทัดที่ 3" not in problems
    assert _snapshot(agreement) == before


def test_import_only_into_a_draft(signed, four):
    rows = [[1, "Integrity", "งานท้าทาย", "ก", "ร้อยละ", "", 1, 2, 3, 4, 5, 100]]
    with pytest.raises(ImportRejected, match="ลงนามแล้ว"):
        exchange.indicators_import(agreement=signed, data=_file(rows), filename="x.csv", user=SYSTEM)
    assert signed.indicators.count() == 4


# --- the PDF -------------------------------------------------------------------------------


@needs_pdftotext
def test_pdf_text_names_indicators_parties_and_uses_thai_digits(signed, four, people, head, executive):
    text = text_of(documents.agreement_pdf(signed))
    flat = " ".join(text.split())
    assert "บันทึกข้อตกลงการปฏิบัติราชการ" in flat
    assert "องค์การบริหารส่วนตำบลบ้านทดสอบ" in flat
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๙ รอบการประเมินครั้งที่ ๑" in flat
    assert "๑ ตุลาคม ๒๕๖๘" in flat and "๓๑ มีนาคม ๒๕๖๙" in flat
    for fields in FOUR:
        assert thai.to_thai_digits(fields["name"]) in flat
    assert "ผู้รับข้อตกลง" in flat and "ผู้ให้ข้อตกลง" in flat
    assert "(นางสาวมาลี ศรีคลัง)" in flat and "(นายสมชาย ใจดี)" in flat
    assert "ผู้อำนวยการกองคลัง" in flat
    assert "ค่ายิ่งน้อยยิ่งดี" in flat
    assert re.search(r"[0-9]", text) is None, re.findall(r".{10}[0-9].{10}", text)[:3]
    assert "ตาบล" not in text
    services.agreement_evaluate(agreement=signed, user=executive, today=datetime.date(2026, 3, 1),
                                values={four[0].pk: D("61"), four[1].pk: D("15"), four[2].pk: D("86"),
                                        four[3].pk: D("1")})
    signed.refresh_from_db()
    flat = " ".join(text_of(documents.agreement_pdf(signed)).split())
    assert "คะแนนผลสัมฤทธิ์ (ร้อยละ) = ผลรวมคะแนนถ่วงน้ำหนัก ๗๖.๐๐" in flat


def test_pdf_of_a_draft_is_marked(agreement, four, staff, client_for):
    preview = page(client_for(staff).get(reverse("agreements:pdf", args=[agreement.pk]) + "?preview=1"))
    assert "ร่าง ยังไม่ได้ลงนาม" in preview
    assert "๔๐" in preview  # weights in Thai digits


def test_render_pdf_kind_is_registered_and_renders_the_year(signed, second, org):
    documents.register_documents()
    kind = kinds()["performance-agreement"]
    pdf = kind.build(org, 2569, months=12)
    assert pdf.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) >= 2  # one section per agreement
    with pytest.raises(LookupError):
        kind.build(org, 2560)


# --- plan projects -----------------------------------------------------------------------------


def test_linked_plan_project_shows_on_the_agreement_page(agreement, plan, other_org, staff, client_for):
    project = plan.projects.get(sequence=2)
    client = client_for(staff)
    edit = page(client.get(reverse("agreements:edit", args=[agreement.pk])))
    assert project.name in edit
    response = client.post(reverse("agreements:edit", args=[agreement.pk]),
                           {"action": "projects", "projects": [project.pk], "version": str(agreement.version)})
    assert response.status_code == 302
    html = page(client.get(reverse("agreements:detail", args=[agreement.pk])))
    projects = re.search(r'id="projects".*?</div>', html, re.S).group(0)
    assert project.name in projects
    assert f'href="{reverse("plans:detail", args=[plan.pk])}#p{project.pk}"' in projects
    assert list(project.performance_agreements.all()) == [agreement]


def test_projects_of_another_organisation_cannot_be_linked(agreement, other_org):
    from plans import services as plan_services
    from plans.projects import services as project_services

    foreign_plan = plan_services.plan_create(organisation=other_org, fiscal_year=2569, user=SYSTEM)
    dimension = foreign_plan.framework.dimensions.get(number=1)
    foreign = project_services.project_create(plan=foreign_plan, name="กิจกรรม การจัดทำข้อตกลงการปฏิบัติราชการ",
                                           dimension=dimension, q1=True, user=SYSTEM)
    with pytest.raises(ValidationError, match="ไม่ใช่โครงการในแผนของ"):
        services.agreement_link_projects(agreement=agreement, projects=[foreign], user=SYSTEM)
    assert not agreement.projects.exists()


# --- reads --------------------------------------------------------------------------------------


def test_detail_page_costs_the_same_queries_for_more_indicators(agreement, second, four, staff, client_for):
    services.indicator_create(agreement=second, **indicator_fields("หนึ่งเดียว", "100"), user=staff)
    client = client_for(staff)
    client.get(reverse("agreements:detail", args=[second.pk]))  # warm the session and role cache

    def count(a):
        with CaptureQueriesContext(connection) as ctx:
            page(client.get(reverse("agreements:detail", args=[a.pk])))
        return len(ctx.captured_queries)

    assert count(agreement) == count(second)


def test_list_filters_by_year_round_and_kind(org, units, people, head, agreement, staff, client_for):
    services.agreement_create(organisation=org, fiscal_year=2569, round=2, unit=units["กองคลัง"], person=head,
                              executive=people["executive"], user=staff)
    services.agreement_create(organisation=org, fiscal_year=2568, round=1, kind=AgreementKind.INDIVIDUAL,
                              person=people["analyst"], executive=people["executive"], user=staff)
    client = client_for(staff)

    def rows(query):
        html = page(client.get(reverse("agreements:list") + query))
        return len(re.findall(r'<tr id="a\d+"', html))

    assert rows("") == 3
    assert rows("?year=2569") == 2
    assert rows("?year=2569&round=2") == 1
    assert rows("?kind=individual") == 1
    assert rows("?round=9&year=abc") == 3  # nonsense filters are ignored


# --- the demo -----------------------------------------------------------------------------------


def test_demo_agreements_for_mae_sai_mittraphap(seeded):
    from agreements.performance.demo import seed_performance_agreements

    lines = seed_performance_agreements(users={})
    again = seed_performance_agreements(users={})
    assert lines == again  # idempotent
    agreements = PerformanceAgreement.objects.filter(organisation__code="5570701", fiscal_year=2567, round=1)
    assert agreements.count() == 4
    clerk = agreements.get(person__first_name="กิตติชัย")
    assert clerk.status == AgreementStatus.EVALUATED and clerk.score == D("79.00")
    assert IndicatorProgress.objects.filter(indicator__agreement=clerk).values("quarter").distinct().count() == 2
    for agreement in agreements:
        total = sum(i.weight for i in agreement.indicators.all())
        assert total == D("100"), agreement
        assert 4 <= agreement.indicators.count() <= 6
        assert agreement.executive.first_name == "อุบล"
    assert {a.status for a in agreements.exclude(pk=clerk.pk)} == {AgreementStatus.DRAFT}
    assert agreements.get(unit__name="กองช่าง").indicators.filter(higher_is_better=False).exists()


# --- the story, through the pages -----------------------------------------------------------


def test_head_of_unit_enters_executive_signs_progress_and_evaluation(org, units, people, head, staff, executive,
                                                                     client_for):
    staff_client, exec_client = client_for(staff), client_for(executive)
    # The head of กองคลัง (a staff login) creates the agreement with the mayor.
    response = staff_client.post(reverse("agreements:list"), {
        "organisation": org.pk, "fiscal_year": "2569", "round": "1", "kind": "unit",
        "unit": units["กองคลัง"].pk, "person": head.pk, "executive": people["executive"].pk,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = PerformanceAgreement.objects.get(person=head)
    detail_url = reverse("agreements:detail", args=[agreement.pk])
    assert response.url == detail_url

    # Four indicators, one page each.
    for fields in FOUR:
        data = {k: ("" if v is None else str(v)) for k, v in fields.items() if k != "higher_is_better"}
        if fields["higher_is_better"]:
            data["higher_is_better"] = "on"
        response = staff_client.post(reverse("agreements:indicator_add", args=[agreement.pk]), data)
        assert response.status_code == 302, response.content.decode()[:3000]
    # A bad one is refused with the reason and changes nothing.
    bad = {**{k: str(v) for k, v in FOUR[0].items() if k != "higher_is_better" and v is not None},
           "higher_is_better": "on", "target_5": "1", "name": "ผิด"}
    html = page(staff_client.post(reverse("agreements:indicator_add", args=[agreement.pk]), bad))
    assert "ค่าเป้าหมายต้องเพิ่มขึ้นจากระดับ 1 ถึงระดับ 5" in html
    assert agreement.indicators.count() == 4
    html = page(staff_client.get(detail_url))
    assert by_id(html, "weight-total") == "100"

    # The executive signs.
    response = exec_client.post(reverse("agreements:sign", args=[agreement.pk]))
    assert response.status_code == 302
    html = page(exec_client.get(detail_url))
    assert by_id(html, "status") == "ลงนามแล้ว"

    # Progress for both quarters of round 1, with evidence.
    by_name = {i.name: i for i in agreement.indicators.all()}
    q1 = {"ร้อยละการเบิกจ่ายงบประมาณ": "30", "จำนวนวันเฉลี่ยในการออกใบอนุญาตก่อสร้าง": "18",
          "ร้อยละความพึงพอใจของผู้รับบริการ": "84", "จำนวนช่องทางการรับเรื่องร้องเรียนภายใน 7 วัน": "3"}
    q2 = {"ร้อยละการเบิกจ่ายงบประมาณ": "61", "จำนวนวันเฉลี่ยในการออกใบอนุญาตก่อสร้าง": "15",
          "ร้อยละความพึงพอใจของผู้รับบริการ": "86", "จำนวนช่องทางการรับเรื่องร้องเรียนภายใน 7 วัน": "1"}
    for quarter, values in ((1, q1), (2, q2)):
        for name, value in values.items():
            indicator = by_name[name]
            response = staff_client.post(reverse("agreements:progress", args=[indicator.pk, quarter]), {
                "value": value, "note": f"ผลไตรมาส {quarter}", "evidence_url": "",
                "evidence_file": SimpleUploadedFile("รายงาน.pdf", PDF), "version": "0",  # none yet
            })
            assert response.status_code == 302, response.content.decode()[:2000]
    assert IndicatorProgress.objects.filter(indicator__agreement=agreement).count() == 8
    html = page(staff_client.get(detail_url))
    first = by_name["ร้อยละการเบิกจ่ายงบประมาณ"]
    assert "61" in by_id(html, f"i{first.pk}-q2") and "ไฟล์" in by_id(html, f"i{first.pk}-q2")
    evidence = staff_client.get(reverse("agreements:evidence", args=[first.pk, 2]))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == PDF

    # The executive evaluates; the form proposes the last quarter's values.
    form = page(exec_client.get(reverse("agreements:evaluate", args=[agreement.pk])))
    assert 'value="61' in form
    response = exec_client.post(reverse("agreements:evaluate", args=[agreement.pk]),
                                {f"value_{by_name[n].pk}": v for n, v in q2.items()})
    assert response.status_code == 302
    html = page(exec_client.get(detail_url))
    assert by_id(html, "status") == "ประเมินผลแล้ว"
    assert by_id(html, "score-total") == "76.00"
    assert "76.00" in by_id(html, "score")


def test_admin_pages_load(signed, four, client):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("t_admin", password="t-admin-pw-2569")
    client.force_login(admin_user)
    for url in ("/admin/agreements/performanceagreement/", f"/admin/agreements/performanceagreement/{signed.pk}/change/",
                "/admin/agreements/performanceagreement/?status__exact=signed", "/admin/agreements/orgagreement/",
                "/admin/agreements/topicitem/", "/admin/agreements/indicatorprogress/"):
        assert client.get(url).status_code == 200, url

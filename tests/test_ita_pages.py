"""The auditor pages: one fiscal year across organisations (filters, sorting, pages, download) and
one organisation across years (table with year-over-year change, SVG charts), and who sees what."""

import csv
import html as html_lib
import io
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ita.framework_data import create_framework
from ita.models import Framework, Indicator
from ita.results import charts, services
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import OrgType, Role
from lao_integrity.orgs.services import membership_grant, organisation_upsert

pytestmark = pytest.mark.django_db

PREFIX = {OrgType.SAO: "องค์การบริหารส่วนตำบล", OrgType.SUBDISTRICT_MUNI: "เทศบาลตำบล",
          OrgType.TOWN: "เทศบาลเมือง"}


# --- building data -------------------------------------------------------------------------


def uniform(value: str) -> dict[int, Decimal]:
    """All ten indicators at one score: IIT = EIT = OIT = overall = value."""
    return dict.fromkeys(range(1, 11), Decimal(value))


class Years:
    """Framework and scoring spec per year, looked up once: building 120 results stays quick."""

    def __init__(self):
        self.cache = {}

    def save(self, organisation, fiscal_year, scores, **kwargs):
        if fiscal_year not in self.cache:
            framework = Framework.objects.get(fiscal_year=fiscal_year)
            self.cache[fiscal_year] = (framework, services.framework_spec(framework))
        framework, spec = self.cache[fiscal_year]
        return services.result_save(organisation=organisation, fiscal_year=fiscal_year, scores=scores,
                                    framework=framework, spec=spec, **{"user": SYSTEM, **kwargs})


@pytest.fixture
def years():
    return Years()


@pytest.fixture
def make_org():
    def make(code: str, name: str, *, org_type=OrgType.SAO, province="ลำปาง"):
        return organisation_upsert(user=SYSTEM, code=code, org_type=org_type, name=PREFIX[org_type] + name,
                                   district="เมือง", province=province)
    return make


@pytest.fixture
def reader(db):
    """An auditor of exactly the organisations a test grants: demo data never leaks into the counts."""
    return get_user_model().objects.create_user(username="t_ita_reader", password="x")


def grant(user, *organisations, role=Role.AUDITOR):
    for organisation in organisations:
        membership_grant(user=SYSTEM, account=user, organisation=organisation, role=role)


@pytest.fixture
def four(make_org, years, reader):
    """FY 2566: four organisations in two provinces, three types, four levels, two passes."""
    orgs = {
        "aa": make_org("5200001", "ก้าวหน้า"),  # ลำปาง อบต. 96 AA pass
        "b": make_org("5200002", "ขุนเขา", org_type=OrgType.SUBDISTRICT_MUNI),  # ลำปาง ทต. 80 B fail
        "a": make_org("5700003", "คลองใส", province="เชียงราย"),  # เชียงราย อบต. 88 A pass
        "d": make_org("5700004", "งามตา", org_type=OrgType.TOWN, province="เชียงราย"),  # เชียงราย ทม. 60 D fail
    }
    scores = {"aa": "96", "b": "80", "a": "88", "d": "60"}
    ranks = {"aa": 3, "b": 40, "a": 12, "d": None}
    for key, organisation in orgs.items():
        years.save(organisation, 2566, uniform(scores[key]), national_rank=ranks[key])
    grant(reader, *orgs.values())
    return orgs


# --- reading pages -------------------------------------------------------------------------


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def strip_tags(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def by_id(html: str, element_id: str) -> str:
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element #{element_id}"
    return strip_tags(match.group(2))


def list_rows(html: str) -> list[list[str]]:
    """Cells of each result row of the list, as text."""
    body = re.search(r'<table[^>]*id="results"[^>]*>.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = re.findall(r'<tr id="r\d+"[^>]*>(.*?)</tr>', body, re.S)
    return [[strip_tags(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


def codes(html: str) -> list[str]:
    return [row[1] for row in list_rows(html)]


def history_row(html: str, year: int) -> list[str]:
    match = re.search(rf'<tr id="y{year}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row for {year}"
    return [strip_tags(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", match.group(1), re.S)]


def svg(html: str, chart_id: str) -> str:
    match = re.search(rf'<svg[^>]*aria-labelledby="{chart_id}-t[^"]*"[^>]*>(.*?)</svg>', html, re.S)
    assert match, f"no chart {chart_id}"
    return match.group(0)


LIST = reverse("ita:list")
EXPORT = reverse("ita:export")


# --- one year across organisations ---------------------------------------------------------


def test_list_shows_the_year_sorted_by_score_with_counts(four, reader, client_for):
    html = page(client_for(reader).get(LIST, {"fiscal_year": 2566}))
    rows = list_rows(html)
    assert [r[1] for r in rows] == ["5200001", "5700003", "5200002", "5700004"]
    first = rows[0]
    assert first[0] == "1" and first[2] == "องค์การบริหารส่วนตำบลก้าวหน้า" and first[3] == "อบต." and first[4] == "ลำปาง"
    assert first[5:12] == ["96.00", "96.00", "96.00", "96.00", "AA", "ผ่าน", "3"]
    assert rows[3][9:11] == ["D", "ไม่ผ่าน"]
    assert by_id(html, "count-total") == "4" and by_id(html, "count-passed") == "2"
    assert by_id(html, "count-mean") == "81.00"  # (96 + 80 + 88 + 60) / 4
    assert reverse("ita:history", args=["5200001"]) in html
    assert reverse("ita:result", args=[four["aa"].ita_results.get().pk]) in html


@pytest.mark.parametrize(("params", "expected"), [
    ({"province": "ลำปาง"}, ["5200001", "5200002"]),
    ({"province": "เชียงราย"}, ["5700003", "5700004"]),
    ({"org_type": "sao"}, ["5200001", "5700003"]),
    ({"org_type": "town"}, ["5700004"]),
    ({"level": "B"}, ["5200002"]),
    ({"passed": "ผ่าน"}, ["5200001", "5700003"]),
    ({"passed": "ไม่ผ่าน"}, ["5200002", "5700004"]),
    ({"province": "เชียงราย", "passed": "ผ่าน"}, ["5700003"]),
    ({"q": "ขุน"}, ["5200002"]),
    ({"q": "57000"}, ["5700003", "5700004"]),
    ({"org_type": "pao"}, []),
])
def test_filters_narrow_the_rows_and_the_counts(four, reader, client_for, params, expected):
    html = page(client_for(reader).get(LIST, {"fiscal_year": 2566, **params}))
    assert codes(html) == expected
    assert by_id(html, "count-total") == str(len(expected))


def test_unknown_filter_values_are_ignored_not_errors(four, reader, client_for):
    html = page(client_for(reader).get(LIST, {"fiscal_year": "25x6", "org_type": "nope", "passed": "maybe",
                                              "sort": "password"}))
    assert codes(html) == ["5200001", "5700003", "5200002", "5700004"]


@pytest.mark.parametrize(("sort", "expected"), [
    ("-overall", ["5200001", "5700003", "5200002", "5700004"]),
    ("overall", ["5700004", "5200002", "5700003", "5200001"]),
    # By the full name, code point order (SQLite): องค์การ… before เทศบาล…
    ("name", ["5200001", "5700003", "5200002", "5700004"]),
    ("-name", ["5700004", "5200002", "5700003", "5200001"]),
    ("province", ["5200001", "5200002", "5700003", "5700004"]),  # ลำปาง (U+0E25) before เชียงราย (U+0E40)
    ("rank", ["5200001", "5700003", "5200002", "5700004"]),  # 3, 12, 40, none last
])
def test_sorting_orders_the_rows(four, reader, client_for, sort, expected):
    html = page(client_for(reader).get(LIST, {"fiscal_year": 2566, "sort": sort}))
    assert codes(html) == expected


def test_the_year_defaults_to_the_latest_with_results_and_frameworks_are_switchable(
        make_org, years, reader, client_for):
    organisation = make_org("5200011", "ปีเก่า")
    years.save(organisation, 2564, uniform("90"))
    years.save(organisation, 2565, uniform("70"))
    grant(reader, organisation)
    Framework.objects.filter(fiscal_year=2565).update(provisional=True)
    html = page(client_for(reader).get(LIST))
    assert "ปีงบประมาณ 2565" in strip_tags(re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))
    assert re.search(r'class="on" aria-current="page">2565', html)
    assert list_rows(html)[0][8] == "70.00"
    assert "กรอบการประเมินยังไม่ยืนยัน" in html
    years_nav = by_id(html, "years")
    for year in (2563, 2564, 2565, 2566):
        assert str(year) in years_nav
    assert "2565 (ยังไม่ยืนยัน)" in years_nav and "2566 (ยังไม่ยืนยัน)" not in years_nav
    html = page(client_for(reader).get(LIST, {"fiscal_year": 2564}))
    assert list_rows(html)[0][8] == "90.00"
    assert "กรอบการประเมินยังไม่ยืนยัน" not in html


def test_pagination_has_fifty_rows_a_page_and_row_numbers_continue(make_org, years, reader, client_for):
    organisations = [make_org(f"52{i:05d}", f"หน้า{i:03d}") for i in range(120)]
    for i, organisation in enumerate(organisations):
        years.save(organisation, 2566, uniform(f"{50 + i * Decimal('0.25')}"))
    grant(reader, *organisations)
    client = client_for(reader)
    params = {"fiscal_year": 2566, "province": "ลำปาง", "sort": "name"}
    first = page(client.get(LIST, params))
    assert [r[0] for r in list_rows(first)] == [str(n) for n in range(1, 51)]
    assert codes(first)[0] == "5200000"
    assert by_id(first, "count-total") == "120"
    links = re.findall(r'href="(\?[^"]*page=\d+[^"]*)"', by_id_raw(first, "pages"))
    assert links and all("province=" in link and "sort=name" in link for link in links)
    third = page(client.get(LIST, {**params, "page": 3}))
    rows = list_rows(third)
    assert [r[0] for r in rows] == [str(n) for n in range(101, 121)]
    assert codes(third)[-1] == "5200119"
    assert "หน้า 3 จาก 3" in by_id(third, "pages")
    # Out-of-range pages show the last page rather than an error.
    assert [r[0] for r in list_rows(page(client.get(LIST, {**params, "page": 99})))][0] == "101"


def by_id_raw(html: str, element_id: str) -> str:
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element #{element_id}"
    return html_lib.unescape(match.group(2))


def test_list_page_costs_the_same_queries_for_5_and_60_organisations(make_org, years, reader, client_for):
    client = client_for(reader)

    def count_queries() -> tuple[int, int]:
        client.get(LIST, {"fiscal_year": 2566})  # warm: session and user
        with CaptureQueriesContext(connection) as queries:
            html = page(client.get(LIST, {"fiscal_year": 2566}))
        return len(queries), len(list_rows(html))

    organisations = [make_org(f"52{i:05d}", f"ค่า{i:03d}") for i in range(60)]
    for organisation in organisations[:5]:
        years.save(organisation, 2566, uniform("90"))
    grant(reader, *organisations[:5])
    small, small_rows = count_queries()
    for organisation in organisations[5:]:
        years.save(organisation, 2566, uniform("80"))
    grant(reader, *organisations[5:])
    large, large_rows = count_queries()
    assert (small_rows, large_rows) == (5, 50)
    assert small == large


# --- the download --------------------------------------------------------------------------


def csv_codes(content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    column = rows[0].index("รหัส อปท.")
    return [row[column] for row in rows[1:] if row]


def xlsx_codes(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = list(rows[0]).index("รหัส อปท.")
    return [str(row[column]) for row in rows[1:] if any(v is not None for v in row)]


@pytest.mark.parametrize("params", [
    {"sort": "-overall"},
    {"sort": "name", "province": "เชียงราย"},
    {"passed": "ไม่ผ่าน", "sort": "overall"},
    {"org_type": "sao", "sort": "-name"},
])
def test_download_holds_exactly_the_filtered_rows_in_the_same_order(four, reader, client_for, params):
    client = client_for(reader)
    shown = codes(page(client.get(LIST, {"fiscal_year": 2566, **params})))
    response = client.get(EXPORT, {"fiscal_year": 2566, "format": "csv", **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="ita-2566.csv"' in response["Content-Disposition"]
    assert csv_codes(response.getvalue()) == shown  # a streaming response
    response = client.get(EXPORT, {"fiscal_year": 2566, "format": "xlsx", **params})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="ita-2566.xlsx"' in response["Content-Disposition"]
    assert xlsx_codes(response.getvalue()) == shown


def test_download_is_every_filtered_row_not_one_page(make_org, years, reader, client_for):
    organisations = [make_org(f"52{i:05d}", f"ไฟล์{i:03d}") for i in range(60)]
    for organisation in organisations:
        years.save(organisation, 2566, uniform("90"))
    grant(reader, *organisations)
    response = client_for(reader).get(EXPORT, {"fiscal_year": 2566, "format": "csv", "sort": "-name"})
    assert csv_codes(response.getvalue()) == [o.code for o in reversed(organisations)]


def test_download_link_carries_the_filters(four, reader, client_for):
    html = page(client_for(reader).get(LIST, {"province": "ลำปาง", "sort": "name", "page": 1}))
    links = [html_lib.unescape(h) for h in re.findall(r'href="([^"]*/export/[^"]*)"', html)]
    assert len(links) == 2
    for link in links:
        assert "province=" in link and "sort=name" in link and "fiscal_year=2566" in link
        assert "page=" not in link
    assert {re.search(r"format=(\w+)", link).group(1) for link in links} == {"csv", "xlsx"}


def test_download_refuses_unknown_formats(four, reader, client_for):
    assert client_for(reader).get(EXPORT, {"fiscal_year": 2566, "format": "pdf"}).status_code == 404


# --- one organisation across years ---------------------------------------------------------


@pytest.fixture
def three_years(org, years):
    """2564: 80 everywhere; 2565: indicator 1 up to 91.23, the rest 80; 2566: all 79.50."""
    years.save(org, 2564, uniform("80"))
    years.save(org, 2565, {**uniform("80"), 1: Decimal("91.23")})
    years.save(org, 2566, uniform("79.50"))
    return org


def test_history_marks_the_change_from_the_year_before(three_years, auditor, client_for):
    html = page(client_for(auditor).get(reverse("ita:history", args=[three_years.code])))
    first = history_row(html, 2564)
    assert first[0] == "2564"
    assert first[1] == "80.00 —" and first[14] == "80.00 —"  # indicator 1 and the overall: no year before
    middle = history_row(html, 2565)
    # Indicator 1 rose by 11.23; IIT is the mean of five indicators: 82.246 -> 82.25, +2.25.
    assert middle[1] == "91.23 ▲ +11.23"
    assert middle[2] == "80.00 = 0.00"
    assert middle[11] == "82.25 ▲ +2.25"  # IIT
    # Overall 0.3 * 82.246 + 0.7 * 80 = 80.6738 -> 80.67
    assert middle[14] == "80.67 ▲ +0.67"
    assert middle[15:17] == ["B", "ไม่ผ่าน"]
    last = history_row(html, 2566)
    assert last[1] == "79.50 ▼ -11.73"
    assert last[14] == "79.50 ▼ -1.17"
    assert re.search(r'<span class="delta up"[^>]*>▲ \+11\.23</span>', html)
    assert re.search(r'<span class="delta down"[^>]*>▼ -11\.73</span>', html)
    # Newest first in the table.
    assert html.index('id="y2566"') < html.index('id="y2565"') < html.index('id="y2564"')


def test_history_charts_have_one_point_per_year_with_labels(three_years, auditor, client_for):
    html = page(client_for(auditor).get(reverse("ita:history", args=[three_years.code])))
    overall = svg(html, "chart-overall")
    assert overall.count("<circle") == 3
    assert re.search(r'<title id="chart-overall-t">คะแนนรวม ITA รายปี</title>', overall)
    assert [float(v) for v in re.findall(r'<text class="val"[^>]*>([\d.]+)</text>', overall)] == [80.0, 80.67, 79.5]
    assert [x for x in re.findall(r'<text class="x-label"[^>]*>(\d+)</text>', overall)] == ["2564", "2565", "2566"]
    assert 'class="ref"' in overall and "stroke-dasharray" in overall and "เกณฑ์ผ่าน 85" in overall
    for number in range(1, 11):
        small = svg(html, f"chart-i{number}")
        assert small.count("<circle") == 3
        assert f"ตัวชี้วัดที่ {number} " in small
    assert re.findall(r'<text class="val"[^>]*>([\d.]+)</text>', svg(html, "chart-i1")) == ["80.00", "91.23", "79.50"]


def test_history_notes_a_framework_change_and_does_not_compare_a_changed_indicator(org, years, auditor, client_for):
    create_framework(apps, 2567)
    Indicator.objects.filter(framework__fiscal_year=2567, number=10).update(name="ตัวชี้วัดใหม่")
    years.save(org, 2566, uniform("80"))
    years.save(org, 2567, uniform("90"))
    html = page(client_for(auditor).get(reverse("ita:history", args=[org.code])))
    row = history_row(html, 2567)
    assert row[9] == "90.00 ▲ +10.00"  # indicator 9 is the same: compared
    assert row[10] == "90.00 —"  # indicator 10 changed: not compared
    note = strip_tags(re.search(r'<tr class="ita-framework-note">(.*?)</tr>', html, re.S).group(1))
    assert "กรอบการประเมินปี 2567 ต่างจากปี 2566" in note and "ตัวชี้วัดที่ 10" in note


def test_history_between_unchanged_frameworks_has_no_note(three_years, auditor, client_for):
    html = page(client_for(auditor).get(reverse("ita:history", args=[three_years.code])))
    assert "ita-framework-note" not in html


def test_history_says_which_year_a_gap_is_compared_with(org, years, auditor, client_for):
    years.save(org, 2563, uniform("70"))
    years.save(org, 2566, uniform("75"))
    html = page(client_for(auditor).get(reverse("ita:history", args=[org.code])))
    row = history_row(html, 2566)
    assert row[0] == "2566 เทียบกับปี 2563" and row[14] == "75.00 ▲ +5.00"


def test_history_without_results_says_so(org, auditor, client_for):
    html = page(client_for(auditor).get(reverse("ita:history", args=[org.code])))
    assert "ยังไม่มีผลการประเมิน ITA" in html and "<svg" not in html


# --- who sees what -------------------------------------------------------------------------


def test_other_organisations_staff_get_404_and_see_nothing(three_years, other_org, other_staff, years,
                                                          client_for):
    years.save(other_org, 2566, uniform("88"))
    client = client_for(other_staff)
    assert client.get(reverse("ita:history", args=[three_years.code])).status_code == 404
    assert client.get(reverse("ita:history", args=["0000000"])).status_code == 404
    html = page(client.get(LIST, {"fiscal_year": 2566}))
    assert codes(html) == [other_org.code]
    assert three_years.code not in html and three_years.name not in html
    assert page(client.get(reverse("ita:history", args=[other_org.code])))
    response = client.get(EXPORT, {"fiscal_year": 2566, "format": "csv"})
    assert csv_codes(response.getvalue()) == [other_org.code]


def test_anonymous_visitors_are_sent_to_log_in(three_years, client):
    for url in (LIST, EXPORT, reverse("ita:history", args=[three_years.code])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_auditors_read_but_get_no_edit_links(three_years, auditor, client_for):
    client = client_for(auditor)
    html = page(client.get(reverse("ita:history", args=[three_years.code])))
    assert reverse("ita:result", args=[three_years.ita_results.get(fiscal_year=2566).pk]) in html
    assert "/edit/" not in html and reverse("ita:measures", args=[three_years.code, 2567]) not in html
    assert "แก้ไขคะแนน" not in html
    html = page(client.get(LIST, {"fiscal_year": 2566}))
    assert codes(html) == [three_years.code]
    assert reverse("ita:import") not in html


@pytest.mark.parametrize("role", ["staff", "executive"])
def test_staff_and_executives_get_edit_links_for_their_own(three_years, client_for, request, role):
    user = request.getfixturevalue(role)
    client = client_for(user)
    html = page(client.get(reverse("ita:history", args=[three_years.code])))
    assert reverse("ita:result_edit", args=[three_years.code, 2566]) in html
    assert reverse("ita:measures", args=[three_years.code, 2567]) in html
    assert reverse("ita:measures", args=[three_years.code, 2565]) in html
    assert reverse("ita:import") in page(client.get(LIST))


# --- the chart functions -------------------------------------------------------------------


def test_line_chart_breaks_the_line_at_missing_years():
    out = charts.line_chart([("2563", Decimal("80")), ("2564", None), ("2565", Decimal("90")),
                             ("2566", Decimal("95.5"))], title="t", chart_id="x")
    assert out.count("<circle") == 3
    path = re.search(r'<path class="line" d="([^"]+)"', out).group(1)
    assert path.count("M") == 2 and path.count("L") == 1
    assert "2564: ไม่มีข้อมูล" in out
    assert re.findall(r'<text class="val"[^>]*>([^<]+)</text>', out) == ["80.00", "90.00", "95.50"]


def test_line_chart_places_values_on_the_scale():
    out = charts.line_chart([("a", Decimal("100")), ("b", Decimal("0"))], width=200, height=140,
                            y_min=0, y_max=100, chart_id="x")
    ys = [float(y) for y in re.findall(r'<circle class="pt" cx="[^"]+" cy="([^"]+)"', out)]
    assert ys == [18.0, 110.0]  # top margin 18, plot height 140 - 18 - 30 = 92


def test_line_chart_escapes_text_and_draws_the_reference():
    out = charts.line_chart([("<b>", Decimal("50"))], title='A & "B" <script>', reference=85,
                            reference_label="ผ่าน < 85", chart_id="x")
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp;" in out
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert 'class="ref"' in out and "ผ่าน &lt; 85" in out
    assert out.startswith("<svg") and out.endswith("</svg>")
    assert '<title id="x-t">' in out and 'aria-labelledby="x-t x-d"' in out


def test_line_chart_reference_outside_the_range_is_left_out_and_values_are_clamped():
    out = charts.line_chart([("a", Decimal("50"))], y_min=60, y_max=100, reference=40, chart_id="x")
    assert 'class="ref"' not in out
    assert re.search(r'<circle class="pt" cx="[^"]+" cy="230"', out)  # clamped to the bottom


def test_nice_floor():
    assert charts.nice_floor([Decimal("91.47"), Decimal("84.11")]) == 70
    assert charts.nice_floor([Decimal("12")]) == 0
    assert charts.nice_floor([None]) == 0

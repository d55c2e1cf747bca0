"""The auditor pages, one organisation across years: the table with year-over-year change, the SVG charts, and who sees what."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from ita.framework_data import create_framework
from ita.models import Indicator
from ita.results import charts
from tests.ita.results.page_helpers import codes, csv_codes, uniform
from tests.support.pages import page, strip_tags

pytestmark = pytest.mark.django_db


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
    main = html[html.index("<main"):html.index("</main>")]  # the header's bell is an icon too
    assert "ยังไม่มีผลการประเมิน ITA" in main and "<svg" not in main


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


def test_history_reads_its_results_and_frameworks_as_the_orm_does(three_years):
    """The history's reads are statements compiled once (issue 19): the same results, frameworks
    and bands as the querysets they replace."""
    from ita.models import Framework, LevelBand, Result
    from ita.results import selectors

    mine = selectors._results_with_frameworks(three_years.pk)
    orm = list(Result.objects.filter(organisation=three_years).select_related("framework").order_by("fiscal_year"))
    assert mine == orm and [r.fiscal_year for r in mine] == [2564, 2565, 2566]
    result_fields = [f.attname for f in Result._meta.concrete_fields]
    framework_fields = [f.attname for f in Framework._meta.concrete_fields]
    for a, b in zip(mine, orm, strict=True):
        assert [getattr(a, n) for n in result_fields] == [getattr(b, n) for n in result_fields]
        assert [getattr(a.framework, n) for n in framework_fields] == [getattr(b.framework, n) for n in framework_fields]
    history = selectors.organisation_history(three_years)
    assert selectors.latest_bands(history) == list(
        LevelBand.objects.filter(framework=orm[-1].framework).order_by("-min_score").values_list("level", "min_score"))
    assert selectors.latest_bands(history)

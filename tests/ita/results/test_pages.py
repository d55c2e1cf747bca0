"""The auditor pages, one fiscal year across organisations: filters, sorting, pages, the download."""

import html as html_lib
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ita.models import Framework, Result
from ita.results.selectors import SORTS
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import OrgType, Role
from lao_integrity.orgs.services import membership_grant, organisation_upsert
from tests.ita.results.page_helpers import codes, csv_codes, list_rows, uniform
from tests.support.pages import by_id, page, strip_tags

pytestmark = pytest.mark.django_db
PREFIX = {OrgType.SAO: "องค์การบริหารส่วนตำบล", OrgType.SUBDISTRICT_MUNI: "เทศบาลตำบล",
          OrgType.TOWN: "เทศบาลเมือง"}


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
        years.save(organisation, 2566, uniform(scores[key]), rank=ranks[key])
    grant(reader, *orgs.values())
    return orgs


LIST = reverse("ita:list")
EXPORT = reverse("ita:export")


# --- one year across organisations ---------------------------------------------------------


def test_list_shows_the_year_sorted_by_score_with_counts(four, reader, client_for):
    html = page(client_for(reader).get(LIST, {"fiscal_year": 2566}))
    rows = list_rows(html)
    assert [r[1] for r in rows] == ["5200001", "5700003", "5200002", "5700004"]
    first = rows[0]
    assert first[0] == "1" and first[2] == "องค์การบริหารส่วนตำบลก้าวหน้า" and first[3] == "อบต." and first[4] == "ลำปาง"
    assert first[5:12] == ["96.00", "96.00", "96.00", "96.00", "AA", "ผ่าน", "3 องค์การบริหารส่วนตำบล"]
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


def test_a_whole_years_counts_are_the_aggregates_figures(four, reader):
    """The list's counts of a whole year, for a user who sees every organisation, come from a
    compiled statement (issue 19): the same figures as result_counts, a year without results too."""
    from ita.results import selectors

    superuser = get_user_model().objects.create_superuser(username="t_ita_super", password="x")
    for year in (2566, 2565):
        filters = selectors.parse_filters({"fiscal_year": str(year)}, user=superuser, years=[2565, 2566])
        results = selectors.filtered_results(superuser, filters)
        assert selectors.list_counts(superuser, filters, results) == selectors.result_counts(results)
    # A year without results (other tests' data may hold 2565's): no row, the empty figures.
    assert not selectors.Result.objects.filter(fiscal_year=2499).exists()
    filters = selectors.parse_filters({"fiscal_year": "2499"}, user=superuser, years=[2499])
    results = selectors.filtered_results(superuser, filters)
    assert selectors.list_counts(superuser, filters, results) == {"total": 0, "passed": 0, "mean": None}
    filters = selectors.parse_filters({"fiscal_year": "2566"}, user=superuser, years=[2566])
    counts = selectors.list_counts(superuser, filters, selectors.filtered_results(superuser, filters))
    assert counts["total"] >= 4 and counts["passed"] >= 2 and counts["mean"] is not None


def test_the_rank_sort_is_by_peer_group_then_rank_never_across_groups(make_org, years, reader, client_for):
    """A rank is within its group (ลำดับที่ 1 ของหน่วยงานประเภท เทศบาลเมือง is not ahead of ลำดับที่ 2 of
    เทศบาลตำบล): the list sorts by group, then rank, the unranked last. The two groups sort alike by
    code point (SQLite) and by Thai collation (PostgreSQL): ตำบล before เมือง either way."""
    town = make_org("5700021", "หนึ่ง", org_type=OrgType.TOWN)
    second = make_org("5700022", "สอง", org_type=OrgType.SUBDISTRICT_MUNI)
    fifth = make_org("5700023", "ห้า", org_type=OrgType.SUBDISTRICT_MUNI)
    unranked = make_org("5700024", "ไม่มีลำดับ", org_type=OrgType.SUBDISTRICT_MUNI)
    years.save(town, 2566, uniform("90"), rank=1)  # in its own type: เทศบาลเมือง
    years.save(fifth, 2566, uniform("91"), rank=5, rank_group="เทศบาลตำบล")
    years.save(second, 2566, uniform("92"), rank=2)
    years.save(unranked, 2566, uniform("93"))
    grant(reader, town, second, fifth, unranked)
    html = page(client_for(reader).get(LIST, {"fiscal_year": 2566, "sort": "rank"}))
    assert codes(html) == ["5700022", "5700023", "5700021", "5700024"]
    rows = {r[1]: r for r in list_rows(html)}
    assert rows["5700021"][11] == "1 เทศบาลเมือง" and rows["5700022"][11] == "2 เทศบาลตำบล"
    assert rows["5700024"][11] == ""


def test_the_rank_sort_reads_along_its_index():
    """ita_result_year_rank_idx is (year, group, rank): the sort's first two keys, in that order."""
    index = next(i for i in Result._meta.indexes if i.name == "ita_result_year_rank_idx")
    assert index.fields == ["fiscal_year", "rank_group", "rank"]
    assert [key.expression.name for key in SORTS["rank"][1][:2]] == ["rank_group", "rank"]

"""The dashboard's counts against the hand-computed fixture (conftest.py says what each
organisation holds); every figure's list is the set it counts; the lists download as xlsx."""

import io
import re
from urllib.parse import unquote

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lao_integrity.supervision import areas, selectors

from .conftest import PROVINCE, TODAY, YEAR, supervisor

pytestmark = pytest.mark.django_db

# Written by hand from the fixture (conftest.py), not computed: (group, figure) -> organisations.
EXPECTED = {
    ("plan-approved", "done"): {"N1", "N2", "S1", "S3"},
    ("plan-approved", "overdue"): {"N3", "S2"},
    ("plan-approved", "pending"): set(),
    ("plan-announced", "done"): {"N1", "S1"},
    ("plan-announced", "overdue"): {"N2", "N3", "S2", "S3"},
    ("plan-announced", "pending"): set(),
    ("plan-report-6-months", "done"): {"N1", "S1", "S3"},
    ("plan-report-6-months", "overdue"): set(),
    ("plan-report-6-months", "pending"): {"N2", "N3", "S2"},
    ("plan-report-12-months", "done"): {"S3"},
    ("plan-report-12-months", "pending"): {"N1", "N2", "N3", "S1", "S2"},
    ("implementation-6", "good"): {"N1", "S3"},
    ("implementation-6", "fair"): {"S1"},
    ("implementation-6", "behind"): {"N2"},
    ("implementation-6", "none"): {"N3", "S2"},
    ("implementation-12", "good"): {"N1", "S3"},
    ("implementation-12", "fair"): set(),
    ("implementation-12", "behind"): {"N2", "N3", "S1"},
    ("implementation-12", "none"): {"S2"},
    ("ita-level-2569", "AA"): {"S3"},
    ("ita-level-2569", "A"): {"N1", "N2"},
    ("ita-level-2569", "B"): {"S2"},
    ("ita-level-2569", "C"): {"N3"},
    ("ita-level-2569", "D"): set(),
    ("ita-level-2569", "none"): {"S1"},
    ("ita-level-2568", "B"): {"N1"},
    ("ita-level-2568", "C"): {"N2", "N3"},
    ("ita-level-2568", "D"): {"S1"},
    ("ita-level-2568", "none"): {"S2", "S3"},
    ("ita-pass-2569", "passed"): {"N1", "N2", "S3"},
    ("ita-pass-2569", "failed"): {"N3", "S2"},
    ("ita-pass-2569", "none"): {"S1"},
    ("ita-pass-2568", "passed"): set(),
    ("ita-pass-2568", "failed"): {"N1", "N2", "N3", "S1"},
    ("ita-pass-2568", "none"): {"S2", "S3"},
    ("ita-measure-deadline", "overdue"): {"N1", "S2"},
    ("ita-measure-deadline", "done"): {"N2"},
    ("ita-measure-deadline", "pending"): {"S1"},
    ("ita-measure-deadline", "none"): {"N3", "S3"},
    ("ita-measure-progress", "overdue"): {"N1", "S1", "S2"},
    ("ita-measure-progress", "pending"): {"N2"},
    ("ita-measure-progress", "done"): set(),
    ("ita-measure-progress", "none"): {"N3", "S3"},
}
# The province's districts side by side (column title -> เหนือ, ใต้), by hand.
DISTRICTS = {
    "แผนอนุมัติแล้ว": (2, 2),
    "ประกาศใช้แผนแล้ว": (1, 1),
    "รายงาน 6 เดือนแล้ว": (1, 2),
    "รายงาน 12 เดือนแล้ว": (0, 1),
    "ร้อยละการดำเนินการ 12 เดือน ระดับดี": (1, 1),
    "ผ่านเกณฑ์ ITA": (2, 1),
    "ไม่ผ่านเกณฑ์ ITA": (1, 1),
    "มาตรการเลยกำหนด": (1, 1),
}


def names_by_id(orgs):
    return {organisation.pk: name for name, organisation in orgs.items()}


def test_every_count_is_the_hand_computed_one(area):
    data = selectors.dashboard(areas.Area(PROVINCE), YEAR, TODAY)
    names = names_by_id(area)
    found = {(group.key, figure.key): {names[pk] for pk in figure.ids}
             for section in data.sections for group in section.groups for figure in group.figures}
    for key, want in EXPECTED.items():
        assert found.get(key) == want, (key, found.get(key), want)
    # Each group accounts for every organisation exactly once.
    for section in data.sections:
        for group in section.groups:
            counted = [pk for figure in group.figures for pk in figure.ids]
            assert sorted(counted) == sorted(names), group.key
    rates = {group.key: group.percent() for section in data.sections for group in section.groups}
    assert rates["ita-pass-2569"] == "60.00" and rates["ita-pass-2568"] == "0.00"


def test_the_province_compares_its_districts_side_by_side(area):
    data = selectors.dashboard(areas.Area(PROVINCE), YEAR, TODAY)
    assert [row.area.district for row in data.districts] == ["ใต้", "เหนือ"]
    titles = [title for _g, _f, title in data.headlines]
    assert set(titles) == set(DISTRICTS)
    south, north = data.districts
    assert (north.organisations, south.organisations) == (3, 3)
    for index, title in enumerate(titles):
        assert (north.cells[index][0], south.cells[index][0]) == DISTRICTS[title], title
        assert unquote(north.cells[index][1]).startswith(f"/supervision/d-{PROVINCE}-เหนือ/{YEAR}/")


def test_a_district_counts_only_its_own(area):
    data = selectors.dashboard(areas.Area(PROVINCE, "เหนือ"), YEAR, TODAY)
    names = names_by_id(area)
    found = {(group.key, figure.key): {names[pk] for pk in figure.ids}
             for section in data.sections for group in section.groups for figure in group.figures}
    for key, want in EXPECTED.items():
        assert found[key] == {name for name in want if name.startswith("N")}, key
    assert data.districts == []


@pytest.fixture
def province_client(area, client):
    client.force_login(supervisor("sv_province", provinces=[PROVINCE]))
    return client


def _listed_codes(page: str) -> set[str]:
    return set(re.findall(r'href="/obligations/organisation/(\d{7})/"', page))


def test_every_figure_on_the_page_clicks_through_to_its_list(area, province_client):
    page = unquote(province_client.get(f"/supervision/p-{PROVINCE}/{YEAR}/").content.decode())
    assert "<svg" in page and "<title" in page and "<desc" in page
    links = set(re.findall(rf'href="(/supervision/p-{PROVINCE}/{YEAR}/([\w.-]+)/)"', page))
    keys = {key for _url, key in links}
    assert {f"{g}.{f}" for g, f in EXPECTED} <= keys
    for (group, figure), want in EXPECTED.items():
        listed = province_client.get(f"/supervision/p-{PROVINCE}/{YEAR}/{group}.{figure}/")
        assert listed.status_code == 200
        assert _listed_codes(listed.content.decode()) == {area[name].code for name in want}, (group, figure)


def test_a_list_downloads_as_xlsx(area, province_client):
    response = province_client.get(f"/supervision/p-{PROVINCE}/{YEAR}/plan-announced.overdue/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                              else response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("ลำดับ", "รหัส อปท.", "ชื่อ อปท.", "อำเภอ", "จังหวัด")
    assert {row[1] for row in rows[1:]} == {area[name].code for name in ("N2", "N3", "S2", "S3")}
    assert {row[3] for row in rows[1:]} == {"เหนือ", "ใต้"}


def test_an_unknown_figure_or_year_is_not_found(area, province_client):
    assert province_client.get(f"/supervision/p-{PROVINCE}/{YEAR}/plan-approved.nothing/").status_code == 404
    assert province_client.get(f"/supervision/p-{PROVINCE}/1999/").status_code == 404
    assert province_client.get(f"/supervision/x-{PROVINCE}/{YEAR}/").status_code == 404


def test_the_menu_shows_supervision_to_supervisors_only(area, province_client, client_for, django_user_model):
    assert "การกำกับดูแล" in province_client.get("/").content.decode()
    member = django_user_model.objects.create_user("sv_member")
    from lao_integrity.orgs.access import SYSTEM
    from lao_integrity.orgs.services import membership_grant
    membership_grant(user=SYSTEM, account=member, organisation=area["N1"], role="staff")
    page = client_for(member).get("/").content.decode()
    assert reverse("supervision:choose") not in page
    admin = get_user_model().objects.create_superuser("sv_admin", password="sv-admin-pw-2569")
    assert reverse("supervision:choose") in client_for(admin).get("/").content.decode()


def test_the_nation_compares_its_provinces_side_by_side(area):
    data = selectors.dashboard(areas.Area(), YEAR, TODAY)
    row = next(row for row in data.districts if row.area.province == PROVINCE)
    assert row.area.district is None and row.organisations == 6
    titles = [title for _g, _f, title in data.headlines]
    for index, title in enumerate(titles):
        assert row.cells[index][0] == sum(DISTRICTS[title]), title
        assert unquote(row.cells[index][1]).startswith(f"/supervision/p-{PROVINCE}/{YEAR}/")
    assert f'href="/supervision/p-{PROVINCE}/{YEAR}/"' in data.districts_html

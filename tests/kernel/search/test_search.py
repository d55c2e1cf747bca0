"""The site search (lao_integrity/search.py, /search/): any part of a name, only what the user may
see, grouped by kind, in a fixed number of queries."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ita.measures import services as measure_services
from lao_integrity import search
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.services import auditor_scope_set
from plans.projects import services as project_services
from tests.kernel.search.conftest import OTHER_MEASURE, OTHER_PROJECT, OWN_MEASURE
from tests.support.pages import page, strip_tags, text

pytestmark = pytest.mark.django_db

OWN_PROJECT = "โครงการอบรมคุณธรรมจริยธรรมบุคลากร"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def found(user, query: str) -> dict[str, list[str]]:
    """kind -> the link texts the page shows for `query`."""
    html = page(signed_in(user).get(reverse("search"), {"q": query}))
    groups = {}
    for kind in search.kinds():
        start = html.find(f'id="found-{kind.key}"')
        if start >= 0:
            section = html[start:html.index("</section>", start)]
            groups[kind.key] = [re.sub(r"<[^>]+>", "", link) for link in _links(section)]
    return groups


def _links(section: str) -> list[str]:
    return re.findall(r'<li><a href="[^"]*">(.*?)</a>', section)


def test_the_apps_register_their_kinds_in_order():
    assert [kind.key for kind in search.kinds()] == ["project", "ita_measure", "announcement"]


def test_a_thai_substring_from_the_middle_of_a_word_finds_the_project(world, staff):
    # "ธรรมจริย" starts inside "คุณธรรม" and ends inside "จริยธรรม".
    response = signed_in(staff).get(reverse("search"), {"q": "ธรรมจริย"})
    html = page(response)
    project = world["project"]
    link = f'<a href="/plans/{project.plan_id}/#p{project.pk}">โครงการ “โครงการอบรมคุณ<mark>ธรรมจริย</mark>ธรรมบุคลากร” ในแผนปี 2569</a>'
    assert link in html
    assert "องค์การบริหารส่วนตำบลบ้านทดสอบ · ลำดับที่ 1" in text(response)
    assert OTHER_PROJECT not in html  # the same words, another organisation's
    assert found(staff, "ธรรมจริย") == {"project": [f"โครงการ “{OWN_PROJECT}” ในแผนปี 2569"]}


def test_latin_letters_match_in_any_case_and_each_kind_links_to_its_page(world, staff):
    groups = found(staff, "qr code")
    assert groups == {"ita_measure": [f"มาตรการ “{OWN_MEASURE}” ปีงบประมาณ 2567"]}
    html = page(signed_in(staff).get(reverse("search"), {"q": "NO GIFT"}))
    measure, announcement = world["measure"], world["announcement"]
    assert f'href="/announcements/{announcement.pk}/">ประกาศเรื่อง “นโยบายไม่รับของขวัญ' in html
    assert "(<mark>No Gift</mark> Policy) ประจำปีงบประมาณ พ.ศ. 2569”" in html  # the subject as printed
    html = page(signed_in(staff).get(reverse("search"), {"q": "QR"}))
    assert f'href="/ita/measures/{world["org"].code}/2567/#m{measure.pk}"' in html


def test_the_match_is_marked_in_the_name_not_in_the_words_around_it(world, staff):
    html = page(signed_in(staff).get(reverse("search"), {"q": "โครงการ"}))
    assert "โครงการ “<mark>โครงการ</mark>อบรมคุณธรรมจริยธรรมบุคลากร”" in html


def test_another_organisations_records_are_never_found(world, staff, other_staff):
    mine = found(staff, "จริยธรรม") | found(staff, "QR Code") | found(staff, "No Gift")
    theirs = found(other_staff, "จริยธรรม") | found(other_staff, "QR Code") | found(other_staff, "No Gift")
    assert mine["project"] == [f"โครงการ “{OWN_PROJECT}” ในแผนปี 2569"]
    assert theirs["project"] == [f"โครงการ “{OTHER_PROJECT}” ในแผนปี 2569"]
    assert mine["ita_measure"] == [f"มาตรการ “{OWN_MEASURE}” ปีงบประมาณ 2567"]
    assert theirs["ita_measure"] == [f"มาตรการ “{OTHER_MEASURE}” ปีงบประมาณ 2567"]
    own, other = world["announcement"], world["other_announcement"]
    html = page(signed_in(staff).get(reverse("search"), {"q": "No Gift"}))
    assert f"/announcements/{own.pk}/" in html and f"/announcements/{other.pk}/" not in html
    # One kind, a page at a time: the same limit.
    html = re.sub(r"<[^>]+>", "", page(signed_in(staff).get(reverse("search"), {"q": "จริยธรรม", "kind": "project"})))
    assert OWN_PROJECT in html and OTHER_PROJECT not in html


def _auditor(username: str, **scope):
    user = get_user_model().objects.create_user(username=username, password=f"{username}-pw-2569")
    auditor_scope_set(account=user, user=SYSTEM, **scope)
    return user


def test_each_role_finds_what_it_may_read(world, staff, executive, auditor, other_staff):
    superuser = get_user_model().objects.create_superuser("t_admin", password="admin-pw-2569")
    everywhere = _auditor("t_all", all_organisations=True)
    chiang_rai = _auditor("t_chiang_rai", provinces=[world["other_org"].province])
    both = [f"โครงการ “{OWN_PROJECT}” ในแผนปี 2569", f"โครงการ “{OTHER_PROJECT}” ในแผนปี 2569"]
    expected = {
        staff: both[:1], executive: both[:1], auditor: both[:1],  # members of `org`
        other_staff: both[1:], chiang_rai: both[1:],  # `other_org`, by membership or by province
        everywhere: sorted(both), superuser: sorted(both),
    }
    for user, projects in expected.items():
        shown = found(user, "อบรมคุณธรรมจริยธรรม").get("project", [])
        if user in (everywhere, superuser):  # every organisation: the demo's too, when it is loaded
            assert set(projects) <= set(shown), user.username
        else:
            assert sorted(shown) == sorted(projects), user.username
    anonymous = Client().get(reverse("search"), {"q": "จริยธรรม"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


def test_an_empty_short_or_overlong_query_gets_a_thai_message_and_no_search(world, staff):
    client = signed_in(staff)
    cases = {"": "พิมพ์ส่วนหนึ่งของชื่อที่ต้องการค้นหา อย่างน้อย 2 ตัวอักษร แล้วกดค้นหา",
             "   ": "พิมพ์ส่วนหนึ่งของชื่อที่ต้องการค้นหา",
             "ธ": "กรุณาพิมพ์คำค้นอย่างน้อย 2 ตัวอักษร",
             "ก" * 101: "คำค้นยาวเกินไป พิมพ์ได้ไม่เกิน 100 ตัวอักษร"}
    for query, message in cases.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("search"), {"q": query})
        assert message in text(response), query
        assert not any("LIKE" in q["sql"].upper() for q in queries.captured_queries), query
    assert cases[""] in text(client.get(reverse("search")))  # no q at all
    none = text(client.get(reverse("search"), {"q": "ไม่มีชื่อนี้แน่นอน"}))
    assert "ไม่พบรายการที่ชื่อมีคำว่า “ไม่มีชื่อนี้แน่นอน” ใน อปท. ที่ท่านเข้าถึงได้" in none
    # % and _ are letters to find, not patterns.
    assert "ไม่พบรายการ" in text(client.get(reverse("search"), {"q": "%%"}))


def test_the_form_is_a_get_form_with_a_real_label_and_a_post_is_refused(world, staff):
    client = signed_in(staff)
    html = page(client.get(reverse("search"), {"q": "จริยธรรม"}))
    assert '<form class="search-page" method="get" action="/search/" role="search" novalidate>' in html
    assert '<label for="search-q">คำที่อยู่ในชื่อโครงการในแผนปฏิบัติการป้องกันการทุจริต' in html
    assert 'id="search-q" name="q" value="จริยธรรม"' in html
    assert client.post(reverse("search"), {"q": "จริยธรรม"}).status_code == 405


def test_the_header_carries_the_search_box_for_signed_in_users(world, staff):
    html = page(signed_in(staff).get(reverse("announcements:list")))
    header = html[html.index('<header'):html.index('</header>')]
    assert 'action="/search/" role="search"' in header and 'method="get"' in header
    assert '<label for="site-search-q" class="vh">ค้นหาโครงการ มาตรการ ITA และประกาศ จากชื่อ</label>' in header
    assert 'id="site-search-q" name="q"' in header
    login = page(Client().get(reverse("login")))
    assert "site-search" not in login


def _add_projects(world, dimensions, count: int):
    plan = world["project"].plan
    for n in range(count):
        project_services.project_create(plan=plan, name=f"กิจกรรมส่งเสริมจริยธรรม รุ่นที่ {n + 1}", dimension=dimensions[1],
                                        budget=Decimal("0"), q1=True, user=SYSTEM)
        measure_services.measure_create(organisation=world["org"], fiscal_year=2567, indicators=[1],
                                        title=f"มาตรการส่งเสริมจริยธรรม ข้อ {n + 1}", user=SYSTEM)


def _queries(client, query: str, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(client.get(reverse("search"), {"q": query, **extra}))
    return len(queries.captured_queries)


def test_the_query_count_does_not_grow_with_the_matches(world, staff, dimensions):
    client = signed_in(staff)
    _queries(client, "จริยธรรม")  # the session's first request settles its own bookkeeping
    few = _queries(client, "จริยธรรม")
    _add_projects(world, dimensions, 2 * search.PER_KIND)
    _queries(client, "จริยธรรม")  # after a write the menu's count is counted again once (obligations/menu.py)
    many = _queries(client, "จริยธรรม")
    assert few == many
    assert _queries(client, "จริยธรรม", kind="project", page=2) == _queries(client, "จริยธรรม", kind="project")


def test_many_matches_are_capped_with_a_more_note_and_one_kind_pages_on(world, staff, dimensions):
    _add_projects(world, dimensions, 2 * search.PER_KIND)
    client = signed_in(staff)
    groups = found(staff, "จริยธรรม")
    assert len(groups["project"]) == search.PER_KIND and len(groups["ita_measure"]) == search.PER_KIND
    html = strip_tags(page(client.get(reverse("search"), {"q": "จริยธรรม"})))
    assert "แสดง 10 รายการแรก ยังมีอีก ดูโครงการในแผนปฏิบัติการป้องกันการทุจริตที่พบทั้งหมด" in html
    assert "?q=%E0%B8%88%E0%B8%A3%E0%B8%B4%E0%B8%A2%E0%B8%98%E0%B8%A3%E0%B8%A3%E0%B8%A1&amp;kind=project" in page(
        client.get(reverse("search"), {"q": "จริยธรรม"}))
    one_kind = strip_tags(page(client.get(reverse("search"), {"q": "จริยธรรม", "kind": "project"})))
    assert "(21 รายการ)" in one_kind and "มาตรการ “" not in one_kind  # 20 added and the plan's own
    assert "หน้า 1 จาก 1" not in one_kind
    assert "รุ่นที่ 20" in one_kind

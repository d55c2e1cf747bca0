"""The ITA list asked for a year without data says so and offers the latest (issue 13): FY 2569
used to show 2566 silently, under a 2569 address."""

import re

import pytest

from ita.models import Result

LIST = "/ita/"


def h1(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))


def test_a_year_without_a_framework_says_no_data_and_offers_the_latest(client_for, seeded):
    client = client_for(seeded.auditor)
    assert Result.objects.filter(fiscal_year=2566).exists()
    for asked in ("2569", "๒๕๖๙"):
        response = client.get(LIST, {"fiscal_year": asked})
        assert response.status_code == 200
        html = response.content.decode()
        assert "ปีงบประมาณ 2569" in h1(html) and "2566" not in h1(html)
        assert "ไม่มีข้อมูลผลการประเมิน ITA ของปีงบประมาณ 2569" in html
        assert re.search(r'<a href="\?fiscal_year=2566" id="latest-year">ดูปีงบประมาณ 2566 ซึ่งเป็นปีล่าสุดที่มีข้อมูล</a>',
                         html)
        assert response.context["page"].paginator.count == 0  # no other year's rows under 2569
        assert 'id="export-all"' not in html and "ดาวน์โหลด Excel" not in html


def test_the_download_for_a_year_without_data_is_not_another_year(client_for, seeded):
    response = client_for(seeded.auditor).get("/ita/export/", {"fiscal_year": 2569, "format": "csv"})
    assert response.status_code == 404


def test_a_framework_year_without_results_offers_the_latest(client_for, seeded):
    Result.objects.filter(fiscal_year=2563).delete()
    html = client_for(seeded.auditor).get(LIST, {"fiscal_year": 2563}).content.decode()
    assert "ปีงบประมาณ 2563" in h1(html)
    assert "ยังไม่มีผลการประเมิน ITA ของปีงบประมาณ 2563" in html
    assert 'id="latest-year">ดูปีงบประมาณ 2566' in html


@pytest.mark.parametrize("params", [{}, {"fiscal_year": "2566"}, {"fiscal_year": "25x6"}])
def test_a_year_with_data_or_none_asked_has_no_notice(client_for, seeded, params):
    html = client_for(seeded.auditor).get(LIST, params).content.decode()
    assert "ปีงบประมาณ 2566" in h1(html)
    assert 'id="no-data-year"' not in html

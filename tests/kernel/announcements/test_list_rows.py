"""The announcement list's rows (announcements/fragments.py, a Jinja2 fragment): each row links to
its announcement, names its kind and status, and says when a newer revision replaces it."""

import re

import pytest

from lao_integrity.announcements import services


@pytest.fixture
def signed(draft, executive):
    services.announcement_approve(announcement=draft, user=executive)
    return services.announcement_sign(announcement=draft, user=executive)


def _row(html: str, pk: int) -> str:
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if f'href="/announcements/{pk}/"' in row]
    assert len(rows) == 1
    return rows[0]


def test_rows_link_each_announcement_and_mark_the_replaced_one(signed, staff, client_for):
    revision = services.announcement_revise(announcement=signed, user=staff)
    html = client_for(staff).get("/announcements/?kind=no_gift").content.decode()
    old, new = _row(html, signed.pk), _row(html, revision.pk)
    assert "มีฉบับปรับปรุง" in old and "มีฉบับปรับปรุง" not in new
    assert 'class="badge signed">ลงนามแล้ว<' in old and 'class="badge draft">' in new
    assert f'<span class="muted">{signed.get_kind_display()}</span>' in old
    assert f'<td class="c">{signed.fiscal_year}</td>' in old



def test_the_create_card_is_for_those_who_may_create(staff, auditor, client_for):
    # can_create comes from the create form's organisations (read once: OrganisationField).
    assert 'id="create"' in client_for(staff).get("/announcements/").content.decode()
    assert 'id="create"' not in client_for(auditor).get("/announcements/").content.decode()
    assert 'id="create"' in client_for(staff).get("/plans/").content.decode()
    assert 'id="create"' not in client_for(auditor).get("/plans/").content.decode()

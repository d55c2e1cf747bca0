"""The public pages: the organisations (searchable, paged without counting), one organisation's page
with its published announcements by year, an announcement's HTML and PDF only while it is live."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lao_integrity.announcements import services as announcement_services
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, OrgType
from lao_integrity.orgs.services import organisation_upsert
from lao_integrity.publication import registry, services
from lao_integrity.publication.models import Publication
from lao_integrity.publication.selectors import PER_PAGE
from lao_integrity.templatetags.thai import published_since
from tests.support.pages import page, text

pytestmark = pytest.mark.django_db


def _get(url, **params):
    return Client().get(url, params)


def test_the_list_searches_by_name_district_and_province(org, other_org):
    url = reverse("publication:organisations")
    everyone = text(_get(url))
    assert org.name in everyone and other_org.name in everyone
    by_name = text(_get(url, q="บ้านทดสอบ"))
    assert org.name in by_name and other_org.name not in by_name
    by_district = text(_get(url, district="แม่สาย"))
    assert other_org.name in by_district and org.name not in by_district
    by_province = text(_get(url, province="ลำปาง"))
    assert org.name in by_province and other_org.name not in by_province
    assert "ไม่พบ อปท." in text(_get(url, q="ไม่มีชื่อนี้แน่นอน"))
    # An unknown province is ignored, not an error.
    assert _get(url, province="<script>").status_code == 200
    html = page(_get(url, q="บ้านทดสอบ"))
    assert f'href="{reverse("publication:organisation", args=[org.code])}"' in html


def test_the_list_is_paged_without_counting(db, django_assert_max_num_queries):
    for n in range(PER_PAGE + 5):
        organisation_upsert(user=SYSTEM, code=f"96{n:05d}", org_type=OrgType.SAO, name=f"องค์การบริหารส่วนตำบลเพจ{n:03d}",
                            district="เพจ", province="จังหวัดทดสอบเพจ")
    url = reverse("publication:organisations")
    first = page(_get(url, province="จังหวัดทดสอบเพจ"))
    assert first.count("องค์การบริหารส่วนตำบลเพจ") == PER_PAGE and 'rel="next"' in first
    second = page(_get(url, province="จังหวัดทดสอบเพจ", page="2"))
    assert second.count("องค์การบริหารส่วนตำบลเพจ") == 5 and 'rel="prev"' in second and 'rel="next"' not in second
    prev_link = second[second.index('rel="prev"') - 300:second.index('rel="prev"')]
    assert "province=" in prev_link and "page=1" in prev_link
    with django_assert_max_num_queries(2) as captured:  # the provinces, one page of rows
        _get(url, page="2")
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


def test_the_organisation_page_lists_live_announcements_by_year(org, published, signed):
    html = text(_get(reverse("publication:organisation", args=[org.code])))
    assert org.name in html and "ปีงบประมาณ 2569" in html
    assert published.subject_text in html
    assert published_since(timezone.now()) in html and "(ผ่านมา 0 วัน)" in html
    assert f'href="{reverse("public_announcements:pdf", args=[org.code, published.pk])}"' in page(
        _get(reverse("publication:organisation", args=[org.code])))


def test_a_section_with_nothing_says_so(org):
    html = text(_get(reverse("publication:organisation", args=[org.code])))
    assert "ยังไม่มีประกาศที่เผยแพร่" in html and "ยังไม่มีเอกสารที่เผยแพร่" in html


def test_the_published_filter_counts_days():
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    assert published_since(three_days_ago).startswith("เผยแพร่เมื่อ ")
    assert published_since(three_days_ago).endswith("(ผ่านมา 3 วัน)")
    assert published_since(None) == ""


def test_announcement_html_and_pdf_only_while_live(org, draft, executive):
    detail = reverse("public_announcements:detail", args=[org.code, draft.pk])
    pdf = reverse("public_announcements:pdf", args=[org.code, draft.pk])
    assert _get(detail).status_code == 404 and _get(pdf).status_code == 404  # a draft
    announcement_services.announcement_approve(announcement=draft, user=executive)
    assert _get(detail).status_code == 404  # approved, not signed
    signed = announcement_services.announcement_sign(announcement=draft, user=executive)
    assert _get(detail).status_code == 404 and _get(pdf).status_code == 404  # signed, not published
    services.publish(document=signed, user=executive)
    Organisation.objects.filter(pk=org.pk).update(phone="053-734083")
    shown = _get(detail)
    assert shown.status_code == 200
    body = text(shown)
    assert signed.signer_name in body and signed.signer_position in body
    assert "t_executive" not in body and "t_staff" not in body  # who clicked stays private
    assert "053-734083" not in body  # no phone number
    document = _get(pdf)
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    assert document.content.startswith(b"%PDF") and document["Content-Disposition"].startswith("inline")
    # Another organisation's code in the address: not found.
    assert _get(reverse("public_announcements:detail", args=["5799902", signed.pk])).status_code == 404
    services.withdraw(document=signed, user=executive, reason="ทดสอบการถอน")
    assert _get(detail).status_code == 404 and _get(pdf).status_code == 404
    assert signed.subject_text not in text(_get(reverse("publication:organisation", args=[org.code])))


def test_only_the_latest_signed_revision_is_public(published, staff, executive):
    org = published.organisation
    revision = announcement_services.announcement_revise(announcement=published, user=staff)
    detail = reverse("public_announcements:detail", args=[org.code, published.pk])
    assert _get(detail).status_code == 200  # the revision is a draft: the signed one is in force
    revision = announcement_services.announcement_update(announcement=revision, user=staff,
                                                         announced_on=datetime.date(2025, 11, 1))
    announcement_services.announcement_approve(announcement=revision, user=executive)
    revision = announcement_services.announcement_sign(announcement=revision, user=executive)
    assert _get(detail).status_code == 404  # replaced by a signed revision
    services.publish(document=revision, user=executive)
    items = dict((s.key, i) for s, i in registry.public_items(org))["announcements"]
    assert [item.url for item in items] == [reverse("public_announcements:detail", args=[org.code, revision.pk])]
    assert items[0].kind == f"announcement:{revision.kind}" and items[0].fiscal_year == 2569


def test_a_withdrawn_then_republished_announcement_shows_the_new_date(published, executive):
    services.withdraw(document=published, user=executive, reason="แก้ไขลิงก์")
    Publication.objects.filter(subject="announcements.announcement", object_id=published.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=10))
    services.publish(document=published, user=executive)
    html = text(_get(reverse("public_announcements:detail", args=[published.organisation.code, published.pk])))
    assert "(ผ่านมา 0 วัน)" in html

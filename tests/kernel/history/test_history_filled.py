"""The audit trail shows an announcement's text as printed, its tokens filled (issue 13: the
history showed "…พ.ศ. {ปีงบประมาณ}")."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from agreements.organisation import services as org_services
from agreements.organisation.models import Topic, TopicItem
from lao_integrity import history
from lao_integrity.announcements import services as announcement_services

pytestmark = pytest.mark.django_db


def test_changes_and_label_show_filled_text(draft, staff, org):
    assert "{ปีงบประมาณ}" in draft.subject + draft.body  # the standard text carries tokens
    announcement_services.announcement_update(
        announcement=draft, user=staff, subject="นโยบายไม่รับของขวัญ ประจำปีงบประมาณ พ.ศ. {ปีงบประมาณ} ของ{อปท.}",
        closing="{อปท.} จึงประกาศให้ทราบโดยทั่วกัน")
    [change, creation] = history.trail(history.object_history(draft), created_values=True)
    shown = change.label + change.summary + creation.label + creation.summary
    assert "{" not in shown, shown
    assert f"นโยบายไม่รับของขวัญ ประจำปีงบประมาณ พ.ศ. 2569 ของ{org.name}" in change.summary
    assert f"{org.name} จึงประกาศให้ทราบโดยทั่วกัน" in change.summary
    assert change.label.startswith("นโยบายไม่รับของขวัญ ประจำปีงบประมาณ พ.ศ. 2569")


def test_the_page_panel_shows_filled_text(draft, staff, executive, client_for, org):
    announcement_services.announcement_update(announcement=draft, user=staff,
                                              subject="เรื่องใหม่ พ.ศ. {ปีงบประมาณ}")
    page = client_for(executive).get(reverse("announcements:detail", args=[draft.pk])).content.decode()
    panel = re.search(r'<details class="card history" id="history".*?</details>', page, re.S).group(0)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", panel))
    assert "เรื่องใหม่ พ.ศ. 2569" in text
    assert "{ปีงบประมาณ}" not in text and "{อปท.}" not in text


def test_agreement_annex_history_shows_filled_text(org, staff):
    agreement = org_services.org_agreement_create(organisation=org, fiscal_year=2569, user=staff)
    org_services.org_agreement_update(agreement=agreement, user=staff,
                                      introduction="เพื่อให้{อปท.} ปีงบประมาณ {ปีงบประมาณ} ดำเนินการ")
    org_services.topic_create(agreement=agreement, title="การพัฒนา{พนักงาน}", user=staff,
                                      items=[{"text": "อบรม{พนักงาน}ของ{อปท.}", "actions": ""}])
    topics = Topic.history.filter(agreement_id=agreement.pk)
    entries = history.trail(history.object_history(agreement), topics,
                            TopicItem.history.filter(topic_id__in=topics.values("id")), created_values=True)
    shown = " ".join(e.label + " " + e.summary for e in entries)
    assert f"เพื่อให้{org.name} ปีงบประมาณ 2569 ดำเนินการ" in shown
    assert f"การพัฒนา{org.staff_term}" in shown and f"อบรม{org.staff_term}ของ{org.name}" in shown
    assert "{" not in shown, shown

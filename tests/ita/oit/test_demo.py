"""The demo's บ้านแหง: its FY 2569 OIT checklist, O36 linked once the signed plan announcement is published,
O37 once the 6-month report is, and the ITAS sheet downloads."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ita.oit import selectors
from ita.oit.models import OitChecklist
from lao_integrity.announcements import services as announcement_services
from lao_integrity.announcements.models import Announcement, Kind, Status
from lao_integrity.publication import selectors as publication_selectors
from lao_integrity.publication import services as publication_services
from tests.ita.oit.conftest import six_month_report

pytestmark = pytest.mark.django_db


def test_ban_haeng_has_its_2569_checklist_with_o36_and_o37_linked(seeded, section, client_for):
    org, executive = seeded.org, seeded.executive
    checklist = OitChecklist.objects.get(organisation=org, fiscal_year=2569)
    assert checklist.framework.fiscal_year == 2566 and checklist.confirmed
    announcement = Announcement.objects.get(organisation=org, kind=Kind.PLAN, fiscal_year=2569)
    if announcement.status != Status.SIGNED:
        announcement = announcement_services.announcement_sign(announcement=announcement, user=executive)
    if publication_selectors.of(announcement) is None:
        publication_services.publish(document=announcement, user=executive)
    section.extra = {org.code: [six_month_report(org.code)]}  # the plans' public section gives it
    page = selectors.checklist_page(org, 2569)
    assert page.row("O36").state == "yes" and page.row("O36").automatic
    assert page.row("O37").state == "yes" and page.row("O37").automatic
    response = client_for(seeded.staff).get(reverse("ita:oit_export", args=[org.code, 2569]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {row[0]: row[2] for row in rows[1:]}["O36"] == "มี"
    public = Client().get(reverse("public_oit:year", args=[org.code, 2569]))
    assert public.status_code == 200 and f"/announcements/{announcement.pk}/" in public.content.decode()

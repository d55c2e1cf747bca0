"""The national lists of the admin (LargeListAdmin) write each row's link and checkbox without
Django's per-row `reverse` and widget template: the markup must stay Django's own."""

import pytest
from django.contrib import admin as django_admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model

from lao_integrity.admin_site import LargeChangeList
from plans.models import Framework

pytestmark = pytest.mark.django_db


def test_rows_keep_djangos_links_and_checkboxes(client):
    client.force_login(get_user_model().objects.create_superuser("admin_lists_96", password="x"))
    Framework.objects.create(code="96-A&B", name="กรอบ <ทดสอบ> & 96", first_year=2566, last_year=2570)
    model_admin = django_admin.site._registry[Framework]
    page = client.get("/admin/plans/framework/")
    assert page.status_code == 200
    changelist = page.context["cl"]
    assert isinstance(changelist, LargeChangeList)
    rows = list(changelist.result_list)
    assert rows
    for row in rows:
        assert changelist.url_for_result(row) == ChangeList.url_for_result(changelist, row)
        django_box = django_admin.ModelAdmin.action_checkbox(model_admin, row)
        assert model_admin.action_checkbox(row) == django_box
        assert django_box in page.content.decode()

"""District scopes (ท้องถิ่นอำเภอ): read only, the district's organisations and nothing else; who
opens which supervision page."""

from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError

from lao_integrity.orgs import access
from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import AuditorScope, Organisation
from lao_integrity.orgs.services import membership_grant
from plans.models import Plan

from .conftest import PROVINCE, YEAR, supervisor

pytestmark = pytest.mark.django_db


def url(area, suffix=""):
    return f"/supervision/{quote(area)}/{YEAR}/{suffix}"


@pytest.fixture
def district_user(area):
    return supervisor("sv_district", districts=[f"จ.{PROVINCE} / อ.เหนือ"])


def test_a_district_supervisor_sees_the_district_and_nothing_else(area, district_user, other_org):
    visible = set(access.visible_organisations(district_user).values_list("code", flat=True))
    assert visible == {area[name].code for name in ("N1", "N2", "N3")}
    assert access.role_for(district_user, area["N1"]) == "auditor"
    assert access.role_for(district_user, area["N1"].pk) == "auditor"
    assert access.role_for(district_user, area["S1"]) is None and access.role_for(district_user, other_org) is None
    assert access.can_view(district_user, area["N2"]) and not access.can_view(district_user, area["S2"])
    assert not access.can_edit(district_user, area["N1"]) and not access.can_approve(district_user, area["N1"])
    assert not access.editable_organisations(district_user).exists()
    plans = access.restrict(Plan.objects.filter(organisation__province=PROVINCE), district_user)
    assert {plan.organisation.code for plan in plans} == {area[name].code for name in ("N1", "N2", "N3")}
    snapshot = access.scope_snapshot(district_user)
    assert snapshot["districts"] == [[PROVINCE, "เหนือ"]]
    assert access.covers_scope(district_user, snapshot)
    restricted = access.restrict_to_scope(Plan.objects.all(), snapshot)
    assert {plan.organisation.code for plan in restricted} == {area["N1"].code, area["N2"].code, area["N3"].code}
    # A province supervisor of another province does not cover the district's snapshot.
    assert not access.covers_scope(supervisor("sv_elsewhere", provinces=[other_org.province]), snapshot)


def test_a_district_supervisor_reads_an_organisations_page_but_only_in_the_district(area, district_user, client):
    client.force_login(district_user)
    assert client.get(f"/obligations/organisation/{area['N1'].code}/").status_code == 200
    assert client.get(f"/obligations/organisation/{area['S1'].code}/").status_code == 404


def test_the_scope_is_normalised_and_checked_in_thai(area):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("sv_clean")  # no scope yet: each is checked, none saved
    scope = AuditorScope(user=user, districts=[f"จังหวัด{PROVINCE}/อำเภอใต้", f"{PROVINCE}/ใต้"])
    scope.full_clean()
    assert scope.districts == [f"{PROVINCE}/ใต้"]
    for bad, message in ((["ใต้"], "จังหวัด/อำเภอ"), ([f"{PROVINCE}/ไม่มีอำเภอนี้"], "ไม่มี อปท. ในทะเบียนที่อยู่อำเภอ"),
                         ("ใต้", "รายการ")):
        scope = AuditorScope(user=user, districts=bad)
        with pytest.raises(ValidationError) as raised:
            scope.full_clean()
        assert message in str(raised.value.message_dict["districts"])
    with pytest.raises(ValidationError) as raised:
        AuditorScope(user=user).full_clean()
    assert "ระบุจังหวัดหรืออำเภอ" in str(raised.value)
    # A district of a province already covered adds nothing.
    scope = AuditorScope(user=user, provinces=[PROVINCE], districts=[f"{PROVINCE}/ใต้"])
    scope.full_clean()
    assert scope.districts == []


def test_a_district_supervisor_opens_only_the_districts_pages(area, district_user, client):
    client.force_login(district_user)
    choose = client.get("/supervision/")
    assert choose.status_code == 200
    assert quote(f"d-{PROVINCE}-เหนือ") in choose.content.decode()
    assert quote(f"p-{PROVINCE}") not in choose.content.decode()
    assert client.get(url(f"d-{PROVINCE}-เหนือ")).status_code == 200
    assert client.get(url(f"d-{PROVINCE}-เหนือ", "plan-approved.done/")).status_code == 200
    for other in (f"d-{PROVINCE}-ใต้", f"p-{PROVINCE}", "th"):
        assert client.get(url(other)).status_code == 404, other
        assert client.get(url(other, "plan-approved.done/")).status_code == 404, other
        assert client.get(url(other, "plan-approved.done/") + "?format=xlsx").status_code == 404, other


def test_a_province_supervisor_opens_its_districts_but_not_the_nation(area, client):
    client.force_login(supervisor("sv_prov", provinces=[PROVINCE]))
    assert client.get(url(f"p-{PROVINCE}")).status_code == 200
    assert client.get(url(f"d-{PROVINCE}-ใต้")).status_code == 200
    assert client.get(url("th")).status_code == 404
    assert client.get(url("p-ลำปาง")).status_code == 404


def test_a_national_supervisor_and_a_superuser_open_every_area(area, client, django_user_model):
    for user in (supervisor("sv_nation", all_organisations=True),
                 django_user_model.objects.create_superuser("sv_root", password="sv-root-pw-2569")):
        client.force_login(user)
        assert client.get(url("th")).status_code == 200
        assert client.get(url(f"p-{PROVINCE}")).status_code == 200
        assert quote(f"p-{PROVINCE}") in client.get("/supervision/").content.decode()
        # An area with no organisation is not found.
        assert client.get(url("p-ไม่มีจังหวัดนี้")).status_code == 404


def test_members_without_a_scope_are_refused(area, client, django_user_model):
    for role in ("staff", "executive", "auditor"):
        user = django_user_model.objects.create_user(f"sv_{role}")
        membership_grant(user=SYSTEM, account=user, organisation=area["N1"], role=role)
        client.force_login(user)
        assert client.get("/supervision/").status_code == 403, role
        assert client.get(url(f"d-{PROVINCE}-เหนือ")).status_code == 403, role
        assert client.get(url(f"d-{PROVINCE}-เหนือ", "plan-approved.done/")).status_code == 403, role
    client.logout()
    assert client.get("/supervision/").status_code == 302


def test_the_pages_only_read(area, district_user, client):
    client.force_login(district_user)
    assert client.post(url(f"d-{PROVINCE}-เหนือ")).status_code == 405
    assert Organisation.objects.filter(province=PROVINCE).count() == 6


def test_the_administrator_grants_a_district_scope_one_line_each(area, django_user_model):
    from lao_integrity.orgs.admin import AuditorScopeForm

    user = django_user_model.objects.create_user("sv_admin_form")
    form = AuditorScopeForm(data={"user": user.pk, "provinces": "", "districts": f"{PROVINCE}/เหนือ\n\n อ.ใต้ "})
    assert not form.is_valid()
    assert "จังหวัด/อำเภอ" in str(form.errors["districts"])
    form = AuditorScopeForm(data={"user": user.pk, "provinces": "", "districts": f"{PROVINCE}/เหนือ\n{PROVINCE}/ใต้"})
    assert form.is_valid(), form.errors
    scope = form.save()
    assert sorted(scope.districts) == sorted([f"{PROVINCE}/ใต้", f"{PROVINCE}/เหนือ"])
    assert AuditorScopeForm(instance=scope).initial["districts"] == "\n".join(scope.districts)

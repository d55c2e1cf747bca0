"""The organisation registry: type-dependent wording, name checks and the import_orgs command."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from lao_integrity.orgs.access import SYSTEM
from lao_integrity.orgs.models import Organisation, OrgType
from lao_integrity.orgs.resources import HEADERS
from lao_integrity.orgs.selectors import organisation_by_code_or_name
from lao_integrity.orgs.services import organisation_upsert
from lao_integrity.tabular import write_table

# --- vocabulary ----------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "org_type", "name", "words"), [
    pytest.param("5205401", OrgType.SAO, "องค์การบริหารส่วนตำบลบ้านแหง", {
        "executive_title": "นายกองค์การบริหารส่วนตำบลบ้านแหง", "short_name": "บ้านแหง",
        "abbreviated_name": "อบต.บ้านแหง", "staff_term": "พนักงานส่วนตำบล", "ordinance_term": "ข้อบัญญัติ",
    }, id="sao"),
    pytest.param("5570701", OrgType.SUBDISTRICT_MUNI, "เทศบาลตำบลแม่สายมิตรภาพ", {
        "executive_title": "นายกเทศมนตรีตำบลแม่สายมิตรภาพ", "abbreviated_name": "ทต.แม่สายมิตรภาพ",
        "staff_term": "พนักงานเทศบาล", "ordinance_term": "เทศบัญญัติ",
    }, id="subdistrict_municipality"),
])
def test_words_come_from_its_type(code, org_type, name, words):
    org = Organisation(code=code, org_type=org_type, name=name)
    assert {attr: getattr(org, attr) for attr in words} == words
    if org_type == OrgType.SAO:  # an SAO's words never borrow the municipality's
        assert "เทศบาล" not in org.executive_title + org.staff_term + org.ordinance_term


def test_same_short_name_different_type_changes_every_word():
    sao = Organisation(org_type=OrgType.SAO, name="องค์การบริหารส่วนตำบลบ้านหวด")
    muni = Organisation(org_type=OrgType.SUBDISTRICT_MUNI, name="เทศบาลตำบลบ้านหวด")
    assert sao.short_name == muni.short_name == "บ้านหวด"
    for attr in ("executive_title", "staff_term", "ordinance_term", "abbreviated_name"):
        assert getattr(sao, attr) != getattr(muni, attr), attr


# --- name checks ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_sao_named_like_a_municipality_is_rejected():
    org = Organisation(code="5205409", org_type=OrgType.SAO, name="เทศบาลตำบลบ้านแหง", district="งาว",
                       province="ลำปาง")
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    assert "name" in excinfo.value.message_dict
    assert "องค์การบริหารส่วนตำบล" in excinfo.value.message_dict["name"][0]


@pytest.mark.django_db
def test_upsert_refuses_mismatched_name_and_saves_nothing():
    before = Organisation.objects.count()
    with pytest.raises(ValidationError):
        organisation_upsert(user=SYSTEM, code="5205409", org_type=OrgType.SAO, name="เทศบาลตำบลบ้านแหง", district="งาว",
                            province="ลำปาง")
    assert Organisation.objects.count() == before
    # The same data with the right type is accepted.
    org = organisation_upsert(user=SYSTEM, code="5205409", org_type=OrgType.SUBDISTRICT_MUNI, name="เทศบาลตำบลบ้านแหง",
                              district="งาว", province="ลำปาง")
    assert org.executive_title == "นายกเทศมนตรีตำบลบ้านแหง"


@pytest.mark.django_db
def test_organisation_lookup_by_code_or_exact_name(org):
    assert organisation_by_code_or_name(org.code) == org
    assert organisation_by_code_or_name(f"  {org.name} ") == org
    assert organisation_by_code_or_name(org.short_name) is None
    assert organisation_by_code_or_name("9999999") is None
    assert organisation_by_code_or_name("") is None


# --- import_orgs ---------------------------------------------------------------------------


def _run_import(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_orgs", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_orgs_csv_creates_rows_and_completes_short_names(tmp_path):
    rows = [
        ["5205402", "อบต.", "บ้านแหง", "งาว", "ลำปาง"],
        ["5570702", "เทศบาลตำบล", "เทศบาลตำบลแม่สาย", "แม่สาย", "เชียงราย"],
        ["123456", "ทม.", "ตากใบ", "ตากใบ", "นราธิวาส"],
    ]
    path = tmp_path / "orgs.csv"
    path.write_bytes(write_table(HEADERS, rows, "csv"))
    before = Organisation.objects.count()

    out, err = _run_import(path)

    assert err == ""
    assert "3" in out
    assert Organisation.objects.count() == before + 3
    ban_haeng = Organisation.objects.get(code="5205402")
    assert ban_haeng.org_type == OrgType.SAO
    assert ban_haeng.name == "องค์การบริหารส่วนตำบลบ้านแหง"
    assert ban_haeng.executive_title == "นายกองค์การบริหารส่วนตำบลบ้านแหง"
    assert Organisation.objects.get(code="5570702").name == "เทศบาลตำบลแม่สาย"
    # A code that lost its leading zero is padded back to 7 digits.
    tak_bai = Organisation.objects.get(code="0123456")
    assert tak_bai.name == "เทศบาลเมืองตากใบ"
    assert tak_bai.province == "นราธิวาส"


@pytest.mark.django_db
def test_import_orgs_xlsx_with_numeric_codes(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append([5205403, "องค์การบริหารส่วนตำบล", "บ้านหวด", "งาว", "ลำปาง"])
    sheet.append([52101, "อบจ", "ลำปาง", "เมืองลำปาง", "ลำปาง"])  # Excel dropped two leading zeros
    path = tmp_path / "orgs.xlsx"
    workbook.save(path)

    _run_import(path)

    assert Organisation.objects.get(code="5205403").name == "องค์การบริหารส่วนตำบลบ้านหวด"
    pao = Organisation.objects.get(code="0052101")
    assert pao.org_type == OrgType.PAO
    assert pao.name == "องค์การบริหารส่วนจังหวัดลำปาง"
    assert pao.ordinance_term == "ข้อบัญญัติ"


@pytest.mark.django_db
def test_import_orgs_updates_existing_code_instead_of_duplicating(tmp_path, org):
    path = tmp_path / "orgs.csv"
    path.write_bytes(write_table(HEADERS, [[org.code, "อบต.", org.short_name, "เมืองปาน", "ลำปาง"]], "csv"))
    before = Organisation.objects.count()
    _run_import(path)
    org.refresh_from_db()
    assert Organisation.objects.count() == before
    assert org.district == "เมืองปาน"


@pytest.mark.django_db
@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_import_orgs_rejects_whole_file_and_lists_every_bad_line(tmp_path, ext):
    rows = [
        ["5205404", "อบต.", "บ้านโป่ง", "งาว", "ลำปาง"],        # line 2: fine
        ["52O5405", "อบต.", "บ้านร้อง", "งาว", "ลำปาง"],        # line 3: letter O in the code
        ["5205406", "หมู่บ้าน", "บ้านเสด็จ", "งาว", "ลำปาง"],   # line 4: no such type
        ["5205404", "อบต.", "บ้านโป่งใหม่", "งาว", "ลำปาง"],     # line 5: same code as line 2
        ["5205407", "อบต.", "บ้านขอ", "งาว", ""],               # line 6: no province
        ["5205408", "อบต.", "เทศบาลตำบลปงเตา", "งาว", "ลำปาง"],  # line 7: อบต. with a เทศบาล name
        ["5205410", "อบต.", "แม่ตีบ", "งาว", "ลำปาง"],          # line 8: fine
    ]
    path = tmp_path / f"orgs.{ext}"
    path.write_bytes(write_table(HEADERS, rows, ext))
    before = set(Organisation.objects.values_list("code", flat=True))

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_orgs", str(path), stdout=io.StringIO(), stderr=err)

    assert set(Organisation.objects.values_list("code", flat=True)) == before
    lines = err.getvalue().splitlines()
    for bad in (3, 4, 5, 6, 7):
        assert any(line.startswith(f"บรรทัดที่ {bad}:") for line in lines), (bad, lines)
    for good in (2, 8):
        assert not any(line.startswith(f"บรรทัดที่ {good}:") for line in lines), (good, lines)
    text = err.getvalue()
    assert "7 หลัก" in text  # says what is wrong with the code
    assert "หมู่บ้าน" in text  # quotes the unknown type
    assert "ซ้ำ" in text


@pytest.mark.django_db
def test_import_orgs_missing_file_or_column(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_orgs", str(tmp_path / "nope.csv"), stdout=io.StringIO(), stderr=io.StringIO())
    path = tmp_path / "orgs.csv"
    path.write_bytes(write_table(["รหัส", "ประเภท", "ชื่อ"], [["5205411", "อบต.", "บ้านใหม่"]], "csv"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_orgs", str(path), stdout=io.StringIO(), stderr=err)
    assert "บรรทัดที่ 1" in err.getvalue()
    assert "อำเภอ" in err.getvalue()
    assert not Organisation.objects.filter(code="5205411").exists()


@pytest.mark.django_db
def test_lookup_by_name_refuses_an_ambiguous_name():
    from lao_integrity.orgs.models import Organisation, OrgType
    from lao_integrity.orgs.selectors import organisation_by_code_or_name

    for code in ("5000001", "5000002"):
        Organisation.objects.create(code=code, org_type=OrgType.SAO, name="องค์การบริหารส่วนตำบลเวียง",
                                    district="เมือง", province="เชียงราย")
    with pytest.raises(ValueError, match="รหัส"):
        organisation_by_code_or_name("องค์การบริหารส่วนตำบลเวียง")
    assert organisation_by_code_or_name("5000002").code == "5000002"


# --- access: who reads the audit trail ------------------------------------------------------


@pytest.mark.django_db
def test_orgs_access_decides_who_reads_the_audit_trail(org, other_org, staff, executive, auditor, other_staff,
                                                       django_user_model):
    from django.contrib.auth.models import AnonymousUser

    from lao_integrity.orgs import access
    from lao_integrity.orgs.services import auditor_scope_set

    provincial = django_user_model.objects.create_user(username="t_provincial")
    auditor_scope_set(user=SYSTEM, account=provincial, provinces=[org.province])
    superuser = django_user_model.objects.create_superuser(username="t_root", password="x-2569-root")
    assert access.can_see_history(executive, org)
    assert access.can_see_history(auditor, org)
    assert access.can_see_history(provincial, org)
    assert access.can_see_history(superuser, org)
    assert not access.can_see_history(staff, org)  # staff edit but do not read the trail
    assert not access.can_see_history(other_staff, org)
    assert not access.can_see_history(provincial, other_org)
    assert not access.can_see_history(AnonymousUser(), org)

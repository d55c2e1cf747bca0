"""Statements compiled once (lao_integrity/statements.py) give what their queryset gives, whatever
their arguments: integers, texts, lists for `__in` (one compiled form per length), an empty list;
and an area's statement (supervision.registry.AreaStatement) what `AreaData.filter` gives. On
PostgreSQL, they are prepared statements of the database session (a list as one array): prepared once,
again in a new session, kept through a rolled-back transaction, and their EXECUTE names the tables
they read (the page cache finds a page's reads there). A read
with no argument (FixedRead) is prepared too, up to a few a session."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from lao_integrity import statements
from lao_integrity.announcements.models import Announcement, Kind
from lao_integrity.orgs.models import Organisation, OrgType
from lao_integrity.statements import FixedRead, Statement
from lao_integrity.supervision.areas import Area
from lao_integrity.supervision.registry import AreaStatement

pytestmark = pytest.mark.django_db

_ORGS = Statement(lambda ids, province: Organisation.objects.filter(pk__in=ids, province=province)
                  .order_by("code").values_list("pk", "code", "district"))
_BY_CODE = Statement(lambda codes: Organisation.objects.filter(code__in=codes).order_by("code").only("pk", "code", "name"))
_ANNOUNCEMENTS = Statement(lambda organisation_ids, kinds, years: (
    Announcement.objects.filter(organisation_id__in=organisation_ids, kind__in=kinds, fiscal_year__in=years)
    .only("pk", "organisation_id", "kind", "fiscal_year", "status").order_by("pk")))
_ANNOUNCEMENTS_IN = AreaStatement(lambda year: Announcement.objects.filter(fiscal_year=year).order_by("pk")
                                  .values_list("pk", "organisation_id"))
_ORGANISATIONS_IN = AreaStatement(lambda: Organisation.objects.order_by("pk").values_list("pk", flat=False), via="")


@pytest.fixture
def places(db):
    made = Organisation.objects.bulk_create([
        Organisation(code=f"97{i:05d}", org_type=OrgType.SAO, name=f"องค์การบริหารส่วนตำบลคำสั่ง{i}",
                     province="คำสั่งหนึ่ง" if i < 4 else "คำสั่งสอง", district="เหนือ" if i % 2 else "ใต้")
        for i in range(6)])
    orgs = list(Organisation.objects.filter(code__in=[o.code for o in made]).order_by("code"))
    for org in orgs:
        for kind, year in ((Kind.NO_GIFT, 2569), (Kind.PLAN, 2569), (Kind.NO_GIFT, 2568)):
            Announcement.objects.create(organisation=org, kind=kind, fiscal_year=year, subject="ประกาศ", body="ข้อความ")
    return orgs


def test_texts_and_lists_of_every_length_give_what_the_orm_gives(places):
    ids = [o.pk for o in places]
    for chosen in (ids, ids[:1], ids[2:5], [ids[0], ids[0], None, ids[3]]):
        for province in ("คำสั่งหนึ่ง", "คำสั่งสอง", "ไม่มี"):
            assert _ORGS.rows(chosen, province) == list(
                Organisation.objects.filter(pk__in=chosen, province=province).order_by("code")
                .values_list("pk", "code", "district"))
    assert _ORGS.rows([], "คำสั่งหนึ่ง") == [] and _ORGS.rows((), "คำสั่งหนึ่ง") == []
    codes = [o.code for o in places[1:4]]
    found = _BY_CODE.objects(codes)
    assert found == list(Organisation.objects.filter(code__in=codes).order_by("code"))
    assert [(o.pk, o.code, o.name) for o in found] == [(o.pk, o.code, o.name) for o in places[1:4]]
    assert _BY_CODE.objects([]) == []


def test_model_rows_with_lists_of_texts(places):
    ids = [o.pk for o in places]
    for kinds, years in (([Kind.NO_GIFT], [2569]), ([Kind.NO_GIFT, Kind.PLAN], [2569, 2568]),
                         ((Kind.PLAN,), (2568,))):
        read = _ANNOUNCEMENTS.objects(ids, kinds, years)
        expected = list(Announcement.objects.filter(organisation_id__in=ids, kind__in=kinds, fiscal_year__in=years)
                        .order_by("pk"))
        assert read == expected
        assert [(a.organisation_id, a.kind, a.fiscal_year, a.status) for a in read] == [
            (a.organisation_id, a.kind, a.fiscal_year, a.status) for a in expected]


def test_an_area_statement_reads_what_the_areas_filter_keeps(places):
    for area in (Area(), Area("คำสั่งหนึ่ง"), Area("คำสั่งหนึ่ง", "เหนือ"), Area("คำสั่งสอง", "ใต้"), Area("ไม่มี")):
        expected = Announcement.objects.filter(fiscal_year=2569).order_by("pk")
        organisations = Organisation.objects.order_by("pk")
        if area.province is not None:
            expected, organisations = (expected.filter(organisation__province=area.province),
                                       organisations.filter(province=area.province))
        if area.district is not None:
            expected, organisations = (expected.filter(organisation__district=area.district),
                                       organisations.filter(district=area.district))
        assert _ANNOUNCEMENTS_IN.rows(area, 2569) == list(expected.values_list("pk", "organisation_id"))
        assert [row[0] for row in _ORGANISATIONS_IN.rows(area)] == list(organisations.values_list("pk", flat=True))


def test_an_argument_must_land_once_in_the_parameters():
    twice = Statement(lambda name: Organisation.objects.filter(name=name, province=name).values_list("pk"))
    with pytest.raises(ValueError):
        twice.rows("ก")


BY_CODE = Statement(lambda code: Organisation.objects.filter(code=code).order_by().values_list("pk", "name"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as every transactional test here: the next one restores the same rows
def test_prepared_once_a_session_and_named_for_its_tables(org):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    with CaptureQueriesContext(connection) as run:
        assert BY_CODE.rows(org.code) == [(org.pk, org.name)]
        assert BY_CODE.rows("0000000") == []
    assert [query["sql"].split("(")[0] for query in run.captured_queries] == [f"EXECUTE {BY_CODE._name}_s"] * 2
    assert '"orgs_organisation"' in run.captured_queries[0]["sql"]

    with pytest.raises(RuntimeError), transaction.atomic():
        BY_CODE.rows(org.code)
        raise RuntimeError
    assert BY_CODE.rows(org.code) == [(org.pk, org.name)]

    connection.close()  # a new session prepares again
    assert BY_CODE.rows(org.code) == [(org.pk, org.name)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as every transactional test here: the next one restores the same rows
def test_a_list_goes_as_one_array_to_one_prepared_statement(places):
    """Lists of every length, of integers and of texts, run one prepared statement each (`= ANY($n)`),
    and give what the ORM gives."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    province = places[0].province
    with CaptureQueriesContext(connection) as run:
        for chosen in ([places[0].pk], [p.pk for p in places[:2]], [p.pk for p in places]):
            assert _ORGS.rows(chosen, province) == list(
                Organisation.objects.filter(pk__in=chosen, province=province).order_by("code")
                .values_list("pk", "code", "district"))
        codes = [p.code for p in places[1:]]
        assert _BY_CODE.objects(codes) == list(Organisation.objects.filter(code__in=codes).order_by("code"))
    names = [query["sql"].split("(")[0] for query in run.captured_queries if query["sql"].startswith("EXECUTE")]
    assert names == [f"EXECUTE {_ORGS._name}_Is"] * 3 + [f"EXECUTE {_BY_CODE._name}_S"]  # the ORM's own in between


_BY_NAME = Statement(lambda names: Organisation.objects.filter(name__in=names).order_by("code").values_list("code", "name"))


def test_texts_of_any_characters_in_a_list(places):
    """A list of texts goes as an array literal on PostgreSQL: quotes, backslashes, commas, braces and
    spaces inside a text stay that text."""
    odd = ['อบต. "ใหม่", {ทดลอง}', "ทต.\\ทาง\\", "อบจ. ท้าย ", "NULL", ""]
    Organisation.objects.bulk_create([Organisation(code=f"96{i:05d}", org_type=OrgType.SAO, name=name or "ว่าง",
                                                   province="คำสั่งหนึ่ง", district="เหนือ")
                                      for i, name in enumerate(odd)])
    names = [*odd[:4], "ว่าง", "ไม่มีชื่อนี้"]
    assert _BY_NAME.rows(names) == list(Organisation.objects.filter(name__in=names).order_by("code")
                                        .values_list("code", "name"))
    assert len(_BY_NAME.rows(names)) == 5


def test_a_list_outside_an_in_keeps_a_form_per_length():
    marker = statements._LIST_MARKER
    assert statements._as_arrays('SELECT 1 WHERE "a" IN (%s) AND "b" LIKE \'x%%\'', [marker], [marker]) == (
        'SELECT 1 WHERE "a" = ANY(%s) AND "b" LIKE \'x%%\'')
    assert statements._as_arrays('SELECT 1 WHERE "a" = %s', [marker], [marker]) is None
    assert statements._as_arrays('SELECT 1 WHERE "a" IN (%s, %s)', [marker, 5], [marker]) is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as every transactional test here: the next one restores the same rows
def test_a_fixed_read_prepared_once_a_session_up_to_its_cap(org, monkeypatch):
    """A list page's read with no filter (statements.FixedRead): prepared on PostgreSQL, named for
    its tables; past the session's cap, plain SQL; elsewhere plain SQL."""
    sql, params = Organisation.objects.filter(pk=org.pk).values_list("pk", "code").query.sql_with_params()
    read, other = FixedRead(sql, params), FixedRead(sql, params)
    with CaptureQueriesContext(connection) as run, connection.cursor() as cursor:
        read.run(connection, cursor)
        assert cursor.fetchall() == [(org.pk, org.code)]
        read.run(connection, cursor)
        assert cursor.fetchall() == [(org.pk, org.code)]
        monkeypatch.setattr(statements, "_FIXED_PER_SESSION", connection._lao_prepared[2][0]
                            if connection.vendor == "postgresql" else 0)
        other.run(connection, cursor)
        assert cursor.fetchall() == [(org.pk, org.code)]
    sent = [query["sql"] for query in run.captured_queries]
    if connection.vendor != "postgresql":
        assert all(text.startswith("SELECT") for text in sent)
        return
    assert sent[:2] == [f'EXECUTE {read.name} /* "orgs_organisation" */'] * 2
    assert sent[2].startswith("SELECT")  # the cap reached

    connection.close()  # a new session prepares again
    with connection.cursor() as cursor:
        read.run(connection, cursor)
        assert cursor.fetchall() == [(org.pk, org.code)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as every transactional test here: the next one restores the same rows
def test_every_page_reads_its_session_user_and_bell_prepared(org, client_for, staff):
    """The reads of every signed-in page (statements.Prepared): on PostgreSQL prepared once a
    session, then EXECUTE with the request's values; plain SQL elsewhere."""
    client = client_for(staff)
    client.get("/")
    with CaptureQueriesContext(connection) as run:
        assert client.get("/").status_code == 200
    queries = [query["sql"] for query in run.captured_queries]
    bell = next(sql for sql in queries if '"notifications_notification"' in sql and "COUNT(*)" in sql.upper()
                or sql.startswith("EXECUTE") and '"notifications_notification" */' in sql)
    read = [queries[0], queries[1], bell]
    assert '"django_session"' in read[0] and '"auth_user"' in read[1]
    if connection.vendor == "postgresql":
        assert all(sql.startswith("EXECUTE p") for sql in read), read
    else:
        assert all(sql.startswith("SELECT") for sql in read), read
    connection.close()  # a new session prepares again
    assert client.get("/").status_code == 200

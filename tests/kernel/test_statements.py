"""Compiled reads (lao_integrity/statements.py) on PostgreSQL are prepared statements of the
database session: prepared once, again in a new session, kept through a rolled-back transaction,
and their EXECUTE names the tables they read (the page cache finds a page's reads there)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from lao_integrity.orgs.models import Organisation
from lao_integrity.statements import Statement

BY_CODE = Statement(lambda code: Organisation.objects.filter(code=code).order_by().values_list("pk", "name"))


@pytest.mark.django_db(transaction=True)
def test_prepared_once_a_session_and_named_for_its_tables(org):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    with CaptureQueriesContext(connection) as run:
        assert BY_CODE.rows(org.code) == [(org.pk, org.name)]
        assert BY_CODE.rows("0000000") == []
    assert [query["sql"].split("(")[0] for query in run.captured_queries] == [f"EXECUTE {BY_CODE._name}"] * 2
    assert '"orgs_organisation"' in run.captured_queries[0]["sql"]

    with pytest.raises(RuntimeError), transaction.atomic():
        BY_CODE.rows(org.code)
        raise RuntimeError
    assert BY_CODE.rows(org.code) == [(org.pk, org.name)]

    connection.close()  # a new session prepares again
    assert BY_CODE.rows(org.code) == [(org.pk, org.name)]

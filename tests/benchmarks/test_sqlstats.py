"""The statement recorder (benchmarks/sqlstats.py): what it counts, how workers' figures merge,
and that only a SELECT is ever explained."""

import json

import pytest
from django.db import connection

from benchmarks import sqlstats

IN_3 = 'SELECT "t"."id" FROM "t" WHERE "t"."org_id" IN (%s, %s, %s)'
IN_1 = 'SELECT "t"."id" FROM "t" WHERE "t"."org_id" IN (%s)'


class _Cursor:
    """Inlines parameters as psycopg2's mogrify does (enough for these tests); records executes."""

    def __init__(self, rows=()):
        self.executed, self.rows = [], list(rows)

    def mogrify(self, sql, params):
        return (sql % tuple(repr(p) for p in params)).encode()

    def execute(self, sql, params=None):
        self.executed.append(sql)

    def fetchall(self):
        return self.rows


def test_the_recorder_counts_sums_maxes_and_keeps_the_slowest_executions_parameters():
    recorder = sqlstats.Recorder()
    context = {"cursor": _Cursor()}
    recorder.add(IN_1, 0.002, [5], False, context)
    recorder.add(IN_1, 0.010, [9], False, context)
    recorder.add(IN_1, 0.004, [7], False, context)
    recorder.add("INSERT INTO t VALUES (%s)", 0.5, [[1], [2]], True, context)  # executemany: no sample
    figures = recorder.figures()
    assert figures[IN_1]["count"] == 3
    assert figures[IN_1]["total_s"] == pytest.approx(0.016) and figures[IN_1]["max_s"] == 0.010
    assert figures[IN_1]["sample"] == IN_1.replace("%s", "9")
    assert figures["INSERT INTO t VALUES (%s)"]["sample"] is None


def test_the_recorder_wraps_django_executes(db):
    recorder = sqlstats.Recorder()
    with connection.execute_wrapper(recorder):
        with connection.cursor() as cursor:
            for n in (1, 2):
                cursor.execute("SELECT %s", [n])
    figures = recorder.figures()
    assert figures["SELECT %s"]["count"] == 2 and figures["SELECT %s"]["total_s"] > 0


def test_normalise_folds_in_lists_and_literals_but_not_identifiers():
    assert sqlstats.normalise(IN_3) == sqlstats.normalise(IN_1) == 'SELECT "t"."id" FROM "t" WHERE "t"."org_id" IN (...)'
    assert sqlstats.normalise("SELECT a FROM t2 WHERE b = 'x''y' AND c > 42 LIMIT 21") == \
        "SELECT a FROM t2 WHERE b = ? AND c > ? LIMIT ?"


def test_workers_figures_merge_per_statement_and_rank_by_total_time(tmp_path):
    one, two = sqlstats.Recorder(tmp_path), sqlstats.Recorder()
    context = {"cursor": _Cursor()}
    one.add(IN_3, 0.003, [1, 2, 3], False, context)
    two.add(IN_1, 0.020, [4], False, context)
    two.add("SELECT 1", 0.001, None, False, context)
    two.add("UPDATE t SET a = %s", 0.030, [1], False, context)
    one.dump()  # sql-<this pid>.json, as a worker writes it
    (tmp_path / "sql-0.json").write_text(json.dumps(two.figures()), encoding="utf-8")
    files = sqlstats.read_dir(tmp_path)
    assert len(files) == 2 and one.figures() in files
    merged = sqlstats.merge(files)
    folded = merged[sqlstats.normalise(IN_1)]
    assert folded["count"] == 2 and folded["total_s"] == pytest.approx(0.023) and folded["max_s"] == 0.020
    assert folded["sample"] == IN_1.replace("%s", "4")  # the slowest execution's, of either worker
    ranked = sqlstats.top(merged, 2)
    assert [r["statement"] for r in ranked] == ["UPDATE t SET a = %s", sqlstats.normalise(IN_1)]
    assert ranked[1]["count"] == 2 and ranked[1]["total_ms"] == 23.0 and ranked[1]["mean_ms"] == 11.5


@pytest.mark.parametrize("sql", [
    "UPDATE t SET a = 1", "INSERT INTO t VALUES (1)", "DELETE FROM t", "  update t set a = 1",
    "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x", "/* SELECT */ DELETE FROM t", None, "",
])
def test_anything_but_a_select_is_never_explained(sql):
    cursor = _Cursor()
    result = sqlstats.explain_one(cursor, sql)
    assert "skipped" in result and cursor.executed == []


@pytest.mark.parametrize("sql", ["SELECT 1", "  select a from t", "-- why\nSELECT 1", "/* x */ SELECT 1"])
def test_a_select_is_explained_in_a_read_only_transaction(sql):
    cursor = _Cursor(rows=[("Seq Scan on t",), ("Execution Time: 0.01 ms",)])
    result = sqlstats.explain_one(cursor, sql)
    assert cursor.executed == ["SET TRANSACTION READ ONLY", "EXPLAIN (ANALYZE, BUFFERS) " + sql]
    assert result == {"plan": "Seq Scan on t\nExecution Time: 0.01 ms"}

"""PlanCounts: each plan's projects and their progress counted, kept by triggers (issue 19).

The triggers add and take away, rather than count a plan again: two transactions writing the same
plan's projects at once both land (an increment re-reads the row it waited for; a count made
before the wait would not). PostgreSQL's run once per statement over its transition tables (an
import's thousand rows, the bench's COPY of 1.6 million, one UPDATE per plan); SQLite's once per
row. A project's progress is counted with it when it moves to another plan; when a project is
removed, Django removes its progress first (their own triggers take those away).

SQLite drops a table's triggers when a migration rebuilds the table (an altered column of
plans_project or plans_projectprogress): such a migration must run INSTALL again.
tests/plans/test_plan_counts.py fails while a trigger is missing.
"""

from django.db import migrations, models
import django.db.models.deletion

COLUMNS = ("projects", "early", "reported_1", "reported_2", "reported_3", "reported_4")
TRIGGERS = ("plans_counts_plan_insert", "plans_counts_project_insert", "plans_counts_project_update",
            "plans_counts_project_delete", "plans_counts_progress_insert", "plans_counts_progress_update",
            "plans_counts_progress_delete")


# PostgreSQL: (plan id, six deltas) rows from a transition table, summed per plan and added.
def _pg_add(rows: str) -> str:
    sums = ", ".join(f"SUM({c}) AS {c}" for c in COLUMNS)
    sets = ", ".join(f"{c} = c.{c} + d.{c}" for c in COLUMNS)
    zero = " OR ".join(f"d.{c} <> 0" for c in COLUMNS)
    return (f"UPDATE plans_plancounts AS c SET {sets} FROM (SELECT plan_id, {sums} FROM ({rows}) AS x "
            f"GROUP BY plan_id) AS d WHERE c.plan_id = d.plan_id AND ({zero})")


def _pg_projects(table: str, sign: int, reported: bool) -> str:
    """A project's part: itself, planned early or not, and (moved between plans) its progress."""
    if not reported:
        return (f"SELECT t.plan_id, {sign} AS projects, {sign} * (CASE WHEN t.q1 OR t.q2 THEN 1 ELSE 0 END) AS early, "
                "0 AS reported_1, 0 AS reported_2, 0 AS reported_3, 0 AS reported_4 FROM " + table + " AS t")
    counted = ", ".join(f"COUNT(*) FILTER (WHERE quarter = {q}) AS r{q}" for q in (1, 2, 3, 4))
    parts = ", ".join(f"{sign} * COALESCE(r.r{q}, 0) AS reported_{q}" for q in (1, 2, 3, 4))
    return (f"SELECT t.plan_id, {sign} AS projects, {sign} * (CASE WHEN t.q1 OR t.q2 THEN 1 ELSE 0 END) AS early, "
            f"{parts} FROM {table} AS t LEFT JOIN (SELECT project_id, {counted} FROM plans_projectprogress "
            f"WHERE project_id IN (SELECT s.id FROM {table} AS s) GROUP BY project_id) AS r ON r.project_id = t.id")


def _pg_progress(table: str, sign: int) -> str:
    parts = ", ".join(f"{sign} * (CASE WHEN t.quarter = {q} THEN 1 ELSE 0 END) AS reported_{q}" for q in (1, 2, 3, 4))
    return (f"SELECT j.plan_id, 0 AS projects, 0 AS early, {parts} FROM {table} AS t "
            "JOIN plans_project AS j ON j.id = t.project_id")


def _changed(table: str, columns: str) -> str:
    """The rows of an UPDATE's transition table whose counted columns changed (PostgreSQL takes
    no column list on a trigger with transition tables; a save of every column, or an import's
    renumbering, then counts nothing)."""
    pairs = ", ".join(f"n.{c}" for c in columns.split(", ")), ", ".join(f"o.{c}" for c in columns.split(", "))
    picked = "n" if table == "new_rows" else "o"
    return (f"(SELECT {picked}.* FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id "
            f"WHERE ({pairs[0]}) IS DISTINCT FROM ({pairs[1]}))")


def _pg_trigger(name: str, event: str, table: str, referencing: str, body: str) -> str:
    return (f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$;\n"
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();")


POSTGRESQL = [
    _pg_trigger("plans_counts_plan_insert", "INSERT", "plans_plan", "NEW TABLE AS new_rows",
                "INSERT INTO plans_plancounts (plan_id, " + ", ".join(COLUMNS) + ") SELECT id, 0, 0, 0, 0, 0, 0 "
                "FROM new_rows ON CONFLICT (plan_id) DO NOTHING"),
    _pg_trigger("plans_counts_project_insert", "INSERT", "plans_project", "NEW TABLE AS new_rows",
                _pg_add(_pg_projects("new_rows", 1, reported=False))),
    _pg_trigger("plans_counts_project_update", "UPDATE", "plans_project",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                _pg_add(_pg_projects(_changed("new_rows", "plan_id, q1, q2"), 1, reported=True) + " UNION ALL "
                        + _pg_projects(_changed("old_rows", "plan_id, q1, q2"), -1, reported=True))),
    _pg_trigger("plans_counts_project_delete", "DELETE", "plans_project", "OLD TABLE AS old_rows",
                _pg_add(_pg_projects("old_rows", -1, reported=False))),
    _pg_trigger("plans_counts_progress_insert", "INSERT", "plans_projectprogress", "NEW TABLE AS new_rows",
                _pg_add(_pg_progress("new_rows", 1))),
    _pg_trigger("plans_counts_progress_update", "UPDATE", "plans_projectprogress",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                _pg_add(_pg_progress(_changed("new_rows", "project_id, quarter"), 1) + " UNION ALL "
                        + _pg_progress(_changed("old_rows", "project_id, quarter"), -1))),
    _pg_trigger("plans_counts_progress_delete", "DELETE", "plans_projectprogress", "OLD TABLE AS old_rows",
                _pg_add(_pg_progress("old_rows", -1))),
]


# SQLite: once per row, the row's own values.
def _lite_project(row: str, sign: str, reported: bool) -> str:
    sets = [f"projects = projects {sign} 1", f"early = early {sign} ({row}.q1 OR {row}.q2)"]
    if reported:
        sets += [f"reported_{q} = reported_{q} {sign} (SELECT COUNT(*) FROM plans_projectprogress "
                 f"WHERE project_id = {row}.id AND quarter = {q})" for q in (1, 2, 3, 4)]
    return f"UPDATE plans_plancounts SET {', '.join(sets)} WHERE plan_id = {row}.plan_id;"


def _lite_progress(row: str, sign: str) -> str:
    sets = ", ".join(f"reported_{q} = reported_{q} {sign} ({row}.quarter = {q})" for q in (1, 2, 3, 4))
    return (f"UPDATE plans_plancounts SET {sets} "
            f"WHERE plan_id = (SELECT plan_id FROM plans_project WHERE id = {row}.project_id);")


def _lite_trigger(name: str, event: str, table: str, *statements: str) -> str:
    return f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {' '.join(statements)} END;"


SQLITE = [
    _lite_trigger("plans_counts_plan_insert", "INSERT", "plans_plan",
                  "INSERT OR IGNORE INTO plans_plancounts (plan_id, " + ", ".join(COLUMNS)
                  + ") VALUES (NEW.id, 0, 0, 0, 0, 0, 0);"),
    _lite_trigger("plans_counts_project_insert", "INSERT", "plans_project", _lite_project("NEW", "+", reported=False)),
    _lite_trigger("plans_counts_project_update", "UPDATE OF plan_id, q1, q2", "plans_project",
                  _lite_project("OLD", "-", reported=True), _lite_project("NEW", "+", reported=True)),
    _lite_trigger("plans_counts_project_delete", "DELETE", "plans_project", _lite_project("OLD", "-", reported=False)),
    _lite_trigger("plans_counts_progress_insert", "INSERT", "plans_projectprogress", _lite_progress("NEW", "+")),
    _lite_trigger("plans_counts_progress_update", "UPDATE OF project_id, quarter", "plans_projectprogress",
                  _lite_progress("OLD", "-"), _lite_progress("NEW", "+")),
    _lite_trigger("plans_counts_progress_delete", "DELETE", "plans_projectprogress", _lite_progress("OLD", "-")),
]

# Every plan counted once, as it stands (portable SQL: booleans are integers in SQLite).
FILL = ("INSERT INTO plans_plancounts (plan_id, " + ", ".join(COLUMNS) + ") SELECT p.id, "
        "(SELECT COUNT(*) FROM plans_project AS j WHERE j.plan_id = p.id), "
        "(SELECT COUNT(*) FROM plans_project AS j WHERE j.plan_id = p.id AND (j.q1 OR j.q2)), "
        + ", ".join(f"(SELECT COUNT(*) FROM plans_projectprogress AS r JOIN plans_project AS j ON j.id = r.project_id "
                    f"WHERE j.plan_id = p.id AND r.quarter = {q})" for q in (1, 2, 3, 4))
        + " FROM plans_plan AS p")


def install(apps, schema_editor):
    """The triggers (again, after a table was rebuilt: dropped first), then every plan counted."""
    connection = schema_editor.connection
    uninstall(apps, schema_editor)
    for statement in POSTGRESQL if connection.vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement, params=None)
    schema_editor.execute("DELETE FROM plans_plancounts", params=None)
    schema_editor.execute(FILL, params=None)


def uninstall(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    tables = dict(zip(TRIGGERS, ["plans_plan"] + ["plans_project"] * 3 + ["plans_projectprogress"] * 3, strict=True))
    for name in TRIGGERS:
        if postgresql:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {tables[name]}", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()", params=None)
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0011_thai_column_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='PlanCounts',
            fields=[
                ('plan', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='counts', serialize=False, to='plans.plan', verbose_name='แผน')),
                ('projects', models.IntegerField(default=0, verbose_name='จำนวนโครงการ')),
                ('early', models.IntegerField(default=0, verbose_name='โครงการที่ดำเนินการในไตรมาส 1 หรือ 2')),
                ('reported_1', models.IntegerField(default=0, verbose_name='โครงการที่รายงานผลไตรมาส 1')),
                ('reported_2', models.IntegerField(default=0, verbose_name='โครงการที่รายงานผลไตรมาส 2')),
                ('reported_3', models.IntegerField(default=0, verbose_name='โครงการที่รายงานผลไตรมาส 3')),
                ('reported_4', models.IntegerField(default=0, verbose_name='โครงการที่รายงานผลไตรมาส 4')),
            ],
            options={
                'verbose_name': 'จำนวนโครงการของแผน',
                'verbose_name_plural': 'จำนวนโครงการของแผน',
            },
        ),
        migrations.RunPython(install, uninstall),
    ]

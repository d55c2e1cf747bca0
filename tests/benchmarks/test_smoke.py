"""The benchmark's building blocks work, on the test database with tiny sizes.

No timing assertions: speed is measured by `make bench`, never in timed tests. These only check
that the load generator counts what it sees, that each measured operation runs and returns its
figures, that a child process reports its peak memory, and that the report can be written.
"""

import io
import json
import socket
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from benchmarks import bench, loadgen, ops
from benchmarks import config as bench_config
from benchmarks import pages as bench_pages
from benchmarks.scale import Generator
from ita.models import Result
from lao_integrity.orgs.models import Organisation, OrgType
from lpa.models import BONUS_DIMENSIONS, Area, BonusRule, BonusScore, LpaAreaScore, LpaResult
from plans.models import Plan

# live_server makes the test transactional; flushing without serialized_rollback would emit
# post_migrate and recreate content types that a later serialized test then restores again.
LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_percentile_interpolates_between_ranks():
    assert loadgen.percentile([], 0.5) is None
    assert loadgen.percentile([3.0], 0.95) == 3.0
    assert loadgen.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert loadgen.percentile([0.0, 10.0], 0.95) == pytest.approx(9.5)


@LIVE
def test_loadgen_counts_requests_and_every_non_200_as_an_error(live_server):
    address = urlsplit(live_server.url)
    ok = loadgen.run(address.hostname, address.port, "/healthz/", concurrency=2, duration=1.0)
    assert ok.requests > 0 and ok.errors == 0
    assert ok.statuses[200] == ok.requests == len(ok.latencies)
    assert ok.p50 is not None and ok.p95 >= ok.p50
    figures = ok.as_dict()
    assert figures["rps"] > 0 and figures["errors"] == 0

    # Not logged in: the page redirects to the login page, and that is an error, not a success.
    redirected = loadgen.run(address.hostname, address.port, "/plans/", concurrency=1, duration=None,
                             max_requests=3)
    assert redirected.requests == 3 and redirected.errors == 3
    assert redirected.statuses == {302: 3}
    assert redirected.error_samples and "302" in redirected.error_samples[0]


def test_loadgen_counts_a_refused_connection_as_an_error():
    port = bench_config.free_port()  # nothing listens there
    result = loadgen.run("127.0.0.1", port, "/healthz/", concurrency=1, duration=None, max_requests=2, timeout=2)
    assert result.requests == 2 and result.errors == 2 and result.statuses["connection"] == 2


def test_loadgen_counts_a_request_without_an_answer_as_a_timeout():
    with socket.socket() as silent:  # accepts connections (the kernel does) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        result = loadgen.run("127.0.0.1", silent.getsockname()[1], "/healthz/", concurrency=1, duration=None,
                             max_requests=1, timeout=0.3)
    assert result.statuses == {"timeout": 1} and result.errors == 1


@pytest.fixture
def scale(db):
    """Ten synthetic organisations with one year (2569) of plans and ITA results, and a superuser."""
    Generator(orgs=10, years=1, last_year=2569, report=lambda line: None).run()
    user = get_user_model().objects.create_superuser(username="bench-smoke", password="bench-smoke-pw-2569")
    return user


def test_ita_export_then_import_of_ten_organisations(scale, tmp_path):
    path = tmp_path / "ita-2569.csv"
    exported = ops.ita_export(fiscal_year=2569, fmt="csv", username=scale.username, save_to=str(path))
    assert exported["rows"] == Result.objects.filter(fiscal_year=2569).count() >= 10
    assert path.read_bytes()
    assert exported["seconds"] >= 0

    before = dict(Result.objects.filter(fiscal_year=2569).values_list("organisation__code", "overall"))
    imported = ops.ita_import(path=str(path), username=scale.username)
    assert imported["rows"] == exported["rows"]
    assert imported["rows_per_second"] > 0
    # The file is the export: importing it back gives the same results.
    assert dict(Result.objects.filter(fiscal_year=2569).values_list("organisation__code", "overall")) == before

    xlsx = ops.ita_export(fiscal_year=2569, fmt="xlsx", username=scale.username)
    assert xlsx["format"] == "xlsx" and xlsx["bytes"] > 0


def _lpa_counts() -> tuple[int, int, int, int]:
    scale = Organisation.objects.filter(code__startswith="9")
    return (LpaResult.objects.filter(organisation__in=scale).count(),
            LpaAreaScore.objects.filter(result__organisation__in=scale).count(),
            BonusScore.objects.filter(organisation__in=scale).count(), BonusRule.objects.count())


def test_scale_lpa_part_is_consistent_added_to_an_old_data_set_and_added_once(db):
    Generator(orgs=15, years=2, last_year=2569, report=lambda line: None).run()
    scale = list(Organisation.objects.filter(code__startswith="9"))
    municipal = {o.pk for o in scale if o.org_type in (OrgType.SUBDISTRICT_MUNI, OrgType.TOWN, OrgType.CITY)}
    assert len(scale) == 15 and 0 < len(municipal) < 15  # both kinds, so "only municipalities" can fail

    results = LpaResult.objects.filter(organisation__in=scale)
    assert sorted(results.values_list("organisation_id", "fiscal_year")) == sorted(
        (o.pk, year) for o in scale for year in (2568, 2569))
    areas = list(LpaAreaScore.objects.filter(result__in=results))
    assert len(areas) == 5 * len(scale) * 2
    assert {a.area for a in areas} == set(Area.values)
    assert all(0 <= a.score <= a.full_marks for a in areas)
    low, high = {1: 55, 2: 45, 3: 65, 4: 120, 5: 25}, {1: 65, 2: 45, 3: 100, 4: 240, 5: 25}
    assert all(low[a.area] <= a.full_marks <= high[a.area] for a in areas)
    bonus = list(BonusScore.objects.filter(organisation__in=scale))
    assert {b.organisation_id for b in bonus} == municipal and len(bonus) == 2 * len(municipal)
    assert all(0 <= getattr(b, name) <= full for b in bonus for name, _label, full in BONUS_DIMENSIONS)
    rule_2566 = BonusRule.objects.get(fiscal_year=2566)
    for year in (2568, 2569):
        rule = BonusRule.objects.get(fiscal_year=year)
        assert (rule.lpa_threshold, rule.points_at_or_above, rule.points_below) == (
            rule_2566.lpa_threshold, rule_2566.points_at_or_above, rule_2566.points_below)

    # A data set made before the LPA part: the command adds it; run again, it adds nothing.
    full = _lpa_counts()
    LpaResult.objects.filter(organisation__in=scale).delete()
    BonusScore.objects.filter(organisation__in=scale).delete()
    plans = Plan.objects.count()
    call_command("generate_scale_data", orgs=15, years=2, last_year=2569, stdout=io.StringIO())
    assert _lpa_counts() == full and Plan.objects.count() == plans
    call_command("generate_scale_data", orgs=15, years=2, last_year=2569, stdout=io.StringIO())
    Generator(orgs=15, years=2, last_year=2569, report=lambda line: None).run_lpa()
    assert _lpa_counts() == full and Plan.objects.count() == plans


def test_plan_import_is_rolled_back_by_default(scale):
    plan = Plan.objects.filter(organisation__code__startswith="9", fiscal_year=2569).first()
    before = plan.projects.count()
    result = ops.plan_import(code=plan.organisation.code, fiscal_year=2569, rows=20, username=scale.username)
    assert result["rows"] == 20 and result["rolled_back"]
    assert plan.projects.count() == before

    kept = ops.plan_import(code=plan.organisation.code, fiscal_year=2569, rows=20, username=scale.username,
                           rollback=False)
    assert not kept["rolled_back"] and plan.projects.count() == 20


def test_plan_book_and_announcement_render_without_the_document_cache(seeded, plan):
    book = ops.plan_book_pdf(code=plan.organisation.code, fiscal_year=plan.fiscal_year, repeat=1)
    assert book["pages"] >= 1 and book["projects"] == 3
    assert len(book["repeat_seconds"]) == 1
    announcement = ops.announcement_pdf(**bench_config.ANNOUNCEMENT, repeat=0)
    assert announcement["pages"] == 1 and announcement["repeat_median_seconds"] is None


def test_page_op_profiles_a_page_through_the_test_client(scale):
    result = ops.run_here("page", {"path": "/plans/", "username": scale.username}, profile=True)
    assert result["status"] == 200
    profile = result["profile"]
    assert profile["by_cumulative"] and profile["by_own"]
    assert any("plans/views.py" in row["function"] for row in profile["by_cumulative_project"])


def test_child_process_reports_its_own_peak_memory():
    result = ops.run_in_child("allocate", {"mib": 64})
    assert "error" not in result
    assert result["peak_rss_mib"] >= 64 + result["baseline_rss_mib"] * 0.5
    assert result["wall_seconds"] > 0


def test_a_failing_child_is_reported_not_raised(tmp_path):
    result = ops.run_in_child("ita_import", {"path": str(tmp_path / "missing.csv")})
    assert "FileNotFoundError" in result["error"]
    assert result["peak_rss_mib"] > 0


@LIVE
def test_report_and_figures_from_real_load_results(live_server, tmp_path):
    address = urlsplit(live_server.url)
    pages = []
    for mode in ("fresh", "kept"):
        measured = []
        for name, path in (("healthz", "/healthz/"), ("login", "/login/")):
            result = loadgen.run(address.hostname, address.port, path, concurrency=1, duration=None, max_requests=5)
            measured.append({"name": name, "mode": mode, **result.as_dict(), "peak_worker_rss_mib": None,
                             "first_request_ms": 1.0})
        bench_pages.judge(measured, 5.0 if mode == "fresh" else 3.0)
        pages += measured
    assert [p["target"] for p in pages] == ["baseline", "p95 <= 5x /healthz/, no errors",
                                            "baseline", "p95 <= 3x /healthz/, no errors"]
    assert pages[0]["p95_ratio"] == 1.0 and pages[2]["p95_ratio"] == 1.0  # each mode's own baseline
    operations = [{"name": "ita_import", "label": "national ITA import", "operation": "ita_import", "kwargs": {},
                   "seconds": 12.5, "rows": 7850, "rows_per_second": 628.0, "peak_rss_mib": 300.0,
                   "target_seconds": 30.0, "pass": True},
                  {"name": "plan_book_pdf", "label": "plan book", "operation": "plan_book_pdf", "kwargs": {},
                   "error": "Traceback ...\nLookupError: no plan", "peak_rss_mib": 90.0, "target_seconds": 8.0,
                   "pass": False}]
    text = bench.report(pages, operations, {})
    assert "/healthz/" in text and "national ITA import" in text and "ERROR" in text and "MISS" in text
    flat = bench.figures(pages, operations)
    assert json.dumps(flat)
    assert {f["figure"] for f in flat} >= {"page healthz fresh p95_ms", "page login kept p95_ms",
                                           "ita_import seconds", "ita_import throughput"}
    assert "p95 <= 5x" in text and "fresh" in text


def test_fresh_mode_turns_the_page_cache_off_for_the_server_only():
    config = bench.Config(only={"pages"})
    assert bench_pages.mode_env(config, "fresh")["DJANGO_PAGE_CACHE"] == "0"
    assert bench_pages.mode_env(config, "kept") is config.env
    assert config.page_modes == ("fresh", "kept")


def test_gunicorn_server_answers_the_trivial_view(tmp_path):
    pytest.importorskip("gunicorn")
    config = bench.Config(only={"pages"})
    config.workers, config.threads = 1, 2
    config.env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.sqlite3'}"  # the trivial view reads nothing
    with bench_pages.Server(config, tmp_path) as server:
        result = loadgen.run("127.0.0.1", server.port, "/healthz/", concurrency=2, duration=1.0,
                             headers=config.headers)
        assert result.requests > 0 and result.errors == 0
        assert server.worker_peak_rss_mib() > 0


def _settings_apps(**env) -> list[str]:
    """INSTALLED_APPS as a fresh process sees them with `env` (no DJANGO_* inherited)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    code = "import lao_integrity.settings as s; print(' '.join(s.INSTALLED_APPS))"
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2],
                            env={**base, **env}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_benchmarks_is_installed_in_development_and_for_make_bench_only():
    production = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 64}
    assert "benchmarks" not in _settings_apps(**production)
    assert "benchmarks" in _settings_apps(**production, DJANGO_BENCHMARKS="1")  # make bench
    assert "benchmarks" in _settings_apps()  # development: manage.py generate_scale_data works

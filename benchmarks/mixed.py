"""The mixed run: many staff members of many organisations at once, reading and saving
(benchmarks/mixedload.py), at each concurrency with kept pages on and off; and the slowest SQL
statements of one configuration with their plans (benchmarks/sqlstats.py).

Per configuration a fresh gunicorn (the pages' 2 workers x 4 threads), DJANGO_PAGE_CACHE=1 or 0
in its environment; a short warm-up of the mix; /healthz/ at the same concurrency (the baseline
of the ratios), then the mix, BENCH_SECONDS each. The statements are recorded in the
configuration of BENCH_SQL_CONFIG (default: 8 clients, kept pages off: every page rendered, so
every query runs), then the top ones by total time are explained with one recorded sample.
"""

from __future__ import annotations

import copy
from pathlib import Path

from . import loadgen, mixedload, ops, sqlstats
from .config import Config, say
from .pages import Server, ratio

TOP_STATEMENTS = 8


def _configurations(config: Config) -> list[tuple[int, bool]]:
    return [(clients, cache) for clients in config.mixed_clients for cache in (True, False)]


def _row(config: Config, clients: int, cache: bool, users: list[dict], work: Path, sql_dir: Path | None) -> dict:
    run_config = copy.copy(config)
    run_config.env = {**config.env, "DJANGO_PAGE_CACHE": "1" if cache else "0", "DJANGO_BENCHMARKS": "1"}
    run_config.env.pop(sqlstats.ENV, None)
    if sql_dir is not None:
        run_config.env[sqlstats.ENV] = str(sql_dir)
    headers = {k: v for k, v in config.headers.items() if k != "Cookie"}  # each user sends its own
    with Server(run_config, work) as server:
        spread = {"owner": server.connection_owner, "owners": config.workers}
        common = {"headers": headers, "timeout": config.timeout}
        # Warm-up: a few actions per client (every worker thread's connection, templates, caches).
        mixedload.run("127.0.0.1", server.port, users, concurrency=clients, duration=60, max_actions=clients * 3,
                      seed=1, **common)
        health = loadgen.run("127.0.0.1", server.port, "/healthz/", concurrency=clients,
                             duration=config.seconds, **common, **spread)
        mixed = mixedload.run("127.0.0.1", server.port, users, concurrency=clients, duration=config.seconds,
                              seed=2, **common, **spread)
        peak = server.worker_peak_rss_mib()
    row = configuration_row(clients, cache, mixed.summary(), health.as_dict(), peak, sql_stats=sql_dir is not None)
    log = server.log.read_text(errors="replace").strip() if server.log.exists() else ""
    if log:
        row["server_log_tail"] = log[-2000:]
    return row


def configuration_row(clients: int, cache: bool, summary: dict, healthz: dict, peak, *, sql_stats: bool) -> dict:
    """One configuration's figures: the mix's (mixedload summary) with each latency as a ratio to
    /healthz/'s at the same concurrency (loadgen figures)."""
    row = {"name": f"{clients} clients, kept pages {'on' if cache else 'off'}", "clients": clients,
           "page_cache": cache, "sql_stats": sql_stats, **summary,
           "healthz": {k: healthz[k] for k in ("rps", "p50_ms", "p95_ms", "requests", "errors")},
           "peak_worker_rss_mib": peak}
    for part in ("overall", "reads", "writes"):
        figures = row[part]
        figures["p50_ratio"] = ratio(figures["p50_ms"], healthz["p50_ms"])
        figures["p95_ratio"] = ratio(figures["p95_ms"], healthz["p95_ms"])
    return row


def _statements(sql_dir: Path, config: Config) -> list[dict]:
    files = sqlstats.read_dir(sql_dir)
    ranked = sqlstats.top(sqlstats.merge(files), TOP_STATEMENTS)
    explained = ops.run_in_child("bench_explain", {"statements": [s["sample"] for s in ranked]}, env=config.env)
    plans = explained.get("plans") or [{"error": explained.get("error", "no result")}] * len(ranked)
    for statement, plan in zip(ranked, plans, strict=True):
        statement.update(plan)
    return ranked


def measure_mixed(config: Config, work: Path) -> dict:
    prepared = ops.run_in_child("bench_mixed_prepare", {"year": config.year, "count": config.mixed_users},
                                env=config.env)
    if "error" in prepared:
        return {"error": prepared["error"].strip().splitlines()[-1], "configurations": [], "statements": []}
    users = prepared["users"]
    say(f"  {len(users)} users of {len({u['code'] for u in users})} organisations; "
        f"reads {mixedload.READ_WEIGHTS}, writes {mixedload.WRITE_WEIGHTS} (per 100 actions)")
    rows, statements = [], []
    sql_config = (config.sql_clients, False)
    try:
        for clients, cache in _configurations(config):
            recording = (clients, cache) == sql_config
            sql_dir = work / f"sql-{clients}-{int(cache)}" if recording else None
            say(f"  {clients} clients, kept pages {'on' if cache else 'off'}"
                + (" (recording SQL statements)" if recording else "") + " ...")
            row = _row(config, clients, cache, users, work, sql_dir)
            o, r, w = row["overall"], row["reads"], row["writes"]
            say(f"    {o['rps']:.1f} req/s, p50 {o['p50_ms']} ms, p95 {o['p95_ms']} ms (reads {r['p95_ms']}, "
                f"writes {w['p95_ms']}), {o['errors']} errors; /healthz/ p95 {row['healthz']['p95_ms']} ms")
            rows.append(row)
            if recording:
                say("  slowest statements: EXPLAIN (ANALYZE, BUFFERS) ...")
                statements = _statements(sql_dir, config)
    finally:
        forgot = ops.run_in_child("bench_mixed_forget", {"session_keys": [u["session_key"] for u in users]},
                                  env=config.env)
        if "error" in forgot:
            say("  could not end the mixed run's sessions: " + forgot["error"].strip().splitlines()[-1])
    return {"users": len(users), "organisations": len({u["code"] for u in users}),
            "read_weights": mixedload.READ_WEIGHTS, "write_weights": mixedload.WRITE_WEIGHTS,
            "configurations": rows, "statements": statements,
            "statements_recorded_in": f"{sql_config[0]} clients, kept pages off"}

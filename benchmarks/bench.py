"""The benchmark: `make bench`, or `python -m benchmarks.bench` against a prepared database.

Runs against the database in BENCH_DATABASE_URL (default: the national-scale data set
postgres://postgres@127.0.0.1:5432/lao_scale, built by `manage.py generate_scale_data` plus
`manage.py seed_demo`), with production settings (DEBUG off, a random secret key), and prints:

* pages: gunicorn on 127.0.0.1 (a free port; 2 workers x 4 threads, gthread), a fresh server per
  page so each page's peak worker memory is its own; each URL warmed up, then loaded by
  BENCH_CONCURRENCY keep-alive clients for BENCH_SECONDS (benchmarks/loadgen.py; the connections
  spread evenly over the workers, which `ss` tells, else one worker may get them all): requests per
  second, p50/p95 latency and errors (any response but 200), each as a ratio to /healthz/
  measured the same way in the same run. Target: p95 within 3x /healthz/'s, no errors. The
  clients hold a session and a CSRF cookie, as a browser does after its first page, so kept pages
  (lao_integrity/pagecache) are served as they would be to a user; "1st request" is the page
  rendered afresh. DJANGO_PAGE_CACHE=0 in the environment measures every request rendered afresh.
* operations, each in its own child process (benchmarks/ops.py) for its peak memory: a fresh
  render of a one-page announcement (< 1 s) and of the plan book (< 8 s), the export of every
  organisation's ITA results for a year as csv and xlsx (< 5 s), the import of that csv
  (national ITA import, < 30 s) and of a 500-project plan.
* mixed (benchmarks/mixed.py): 200 staff members of 200 organisations at once, 90 % reads of
  their organisation's pages and 10 % saves of its forms, at 8 and 50 clients with kept pages on
  and off, against /healthz/ at the same concurrency; and the slowest SQL statements of one
  configuration with their EXPLAIN (ANALYZE, BUFFERS).

For every target missed the slow operation (or page, through the test client) is run once more
under cProfile and the top functions are printed and saved under artifacts/profiles/.
Everything is written to artifacts/bench.json (BENCH_OUT). Settings, all optional:
BENCH_DATABASE_URL, BENCH_SECONDS (10), BENCH_CONCURRENCY (8), BENCH_WORKERS (2),
BENCH_THREADS (4), BENCH_PAGES (names of some pages only), BENCH_TIMEOUT (120: seconds a request may take before it counts as an error),
BENCH_YEAR (2569: the ITA year exported and imported), BENCH_PLAN_ROWS (500), BENCH_PROFILE (1;
0 skips the profiles), BENCH_MIXED_CLIENTS (8,50), BENCH_MIXED_USERS (200), BENCH_SQL_CLIENTS (8),
BENCH_OUT. `--only pages,pdf,export,import,mixed` runs part of it.

The runner itself never loads Django (a child's peak memory would start from the runner's):
the preparation, every operation and gunicorn run in processes of their own.

Exit status: 0 when every measurement ran (targets missed or not: that is what the report is
for), 1 when something could not be measured or a page answered with errors.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

from . import ops
from .config import FRESH_P95_RATIO, PAGE_P95_RATIO, SECTIONS, TARGETS, Config, say
from .mixed import measure_mixed
from .operations import measure_operations, profile_misses
from .pages import measure_pages
from .preparation import create_database, prepare
from .report import figures, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated parts to run, of {', '.join(SECTIONS)}")
    parser.add_argument("--create-database", metavar="URL",
                        help="only create this PostgreSQL database if it does not exist, then exit")
    args = parser.parse_args(argv)
    if args.create_database:
        create_database(args.create_database)
        return 0
    only = {part.strip() for part in args.only.split(",") if part.strip()}
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    config = Config(only)
    started = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    say(f"lao-integrity benchmark on {config.settings()['database']}: {config.settings()}")
    if load_before[0] > 1.0:
        say(f"note: the machine is busy (load average {load_before[0]:.1f} on {os.cpu_count()} cores): "
            "figures will be noisy")
    facts = prepare(config)
    say(f"data: {facts}")
    config.out.parent.mkdir(parents=True, exist_ok=True)
    profile_dir = config.out.parent / "profiles"
    pages, operations, profiles, mixed = [], [], {}, {}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-") as work:
            work = Path(work)
            if "pages" in only:
                say("pages:")
                pages = measure_pages(config, work)
            if "mixed" in only:
                say("mixed run:")
                mixed = measure_mixed(config, work)
            if only & {"pdf", "export", "import"}:
                say("operations:")
                operations = measure_operations(config, work)
            if config.profile and any(r["pass"] is False for r in pages + operations):
                profile_dir.mkdir(parents=True, exist_ok=True)
                say("profiles of misses:")
                profiles = profile_misses(config, pages, operations, profile_dir)
    finally:
        ops.run_in_child("bench_forget_session", {"session_key": config.session_key}, env=config.env)
    text = report(pages, operations, profiles, mixed)
    say("")
    say(text)
    document = {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "load_average_before": [round(v, 2) for v in load_before],
                    "load_average_after": [round(v, 2) for v in os.getloadavg()]},
        "settings": config.settings(),
        "data": facts,
        "targets": {"page_p95_ratio_max": PAGE_P95_RATIO, "fresh_page_p95_ratio_max": FRESH_P95_RATIO, **{f"{k}_seconds_max": v for k, v in TARGETS.items()}},
        "pages": pages,
        "operations": operations,
        "profiles": profiles,
        "mixed": mixed,
        "figures": figures(pages, operations, mixed),
    }
    config.out.write_text(json.dumps(document, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    say(f"\nwritten: {config.out}")
    broken = (any(p["errors"] for p in pages) or any("error" in o for o in operations) or "error" in mixed
              or any(row["overall"]["errors"] for row in mixed.get("configurations", [])))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

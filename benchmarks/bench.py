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

For every target missed the slow operation (or page, through the test client) is run once more
under cProfile and the top functions are printed and saved under artifacts/profiles/.
Everything is written to artifacts/bench.json (BENCH_OUT). Settings, all optional:
BENCH_DATABASE_URL, BENCH_SECONDS (10), BENCH_CONCURRENCY (8), BENCH_WORKERS (2),
BENCH_THREADS (4), BENCH_TIMEOUT (120: seconds a request may take before it counts as an error),
BENCH_YEAR (2569: the ITA year exported and imported), BENCH_PLAN_ROWS (500), BENCH_PROFILE (1;
0 skips the profiles), BENCH_OUT. `--only pages,pdf,export,import` runs part of it.

The runner itself never loads Django (a child's peak memory would start from the runner's):
the preparation, every operation and gunicorn run in processes of their own.

Exit status: 0 when every measurement ran (targets missed or not: that is what the report is
for), 1 when something could not be measured or a page answered with errors.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import secrets
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import loadgen, ops

BASE_DIR = ops.BASE_DIR
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lao_scale"
BENCH_USERNAME = "bench"
SECTIONS = ("pages", "pdf", "export", "import")

# The demo records the operations use (manage.py seed_demo).
ANNOUNCEMENT = {"code": "5570701", "kind": "no_gift", "fiscal_year": 2567}  # แม่สายมิตรภาพ's No Gift ประกาศ
PLAN_BOOK = {"code": "5205401", "fiscal_year": 2569}  # บ้านแหง's plan with its detail sheets

PAGE_P95_RATIO = 3.0
TARGETS = {  # seconds
    "announcement_pdf": 1.0,
    "plan_book_pdf": 8.0,
    "ita_import": 30.0,
    "ita_export_csv": 5.0,
    "ita_export_xlsx": 5.0,
}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Config:
    def __init__(self, only: set[str]):
        self.database_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
        self.seconds = env_float("BENCH_SECONDS", 10.0)
        self.concurrency = env_int("BENCH_CONCURRENCY", 8)
        self.workers = env_int("BENCH_WORKERS", 2)
        self.threads = env_int("BENCH_THREADS", 4)
        self.year = env_int("BENCH_YEAR", 2569)
        self.plan_rows = env_int("BENCH_PLAN_ROWS", 500)
        self.timeout = env_float("BENCH_TIMEOUT", 120.0)  # per request; a slower answer counts as an error
        self.profile = os.environ.get("BENCH_PROFILE", "1").strip().lower() not in {"0", "false", "no", "off"}
        self.out = Path(os.environ.get("BENCH_OUT") or BASE_DIR / "artifacts" / "bench.json")
        self.only = only
        # Production settings for gunicorn and every child: the same secret key everywhere,
        # since the session's auth hash is signed with it.
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lao_integrity.settings",
            "DATABASE_URL": self.database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secret_key(),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_LOG_LEVEL": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
            "PYTHONUNBUFFERED": "1",
        }
        # Requests arrive "from the TLS proxy" (SECURE_PROXY_SSL_HEADER), so the HTTPS redirect,
        # when on, does not apply; a redirect would show up as errors.
        self.headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}

    def settings(self) -> dict:
        return {"seconds": self.seconds, "concurrency": self.concurrency, "gunicorn_workers": self.workers,
                "gunicorn_threads": self.threads, "request_timeout_s": self.timeout, "ita_year": self.year,
                "plan_rows": self.plan_rows, "database": self.database_url.rsplit("/", 1)[-1]}


def say(text: str = "") -> None:
    print(text, flush=True)


# --- the database --------------------------------------------------------------------------


def prepare_database(year: int) -> dict:
    """In a child process with the benchmark's settings: static files for DEBUG off, the bench
    superuser and its session, the facts of the data set and the records to measure."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.core.management import call_command
    from django.db.models import Count
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    from agreements.performance.models import PerformanceAgreement
    from ita.models import Result
    from lao_integrity.announcements.models import Announcement
    from lao_integrity.orgs.models import Organisation
    from plans.models import Plan, Project

    # DEBUG off serves static files through the manifest: rebuild it so templates find every file.
    call_command("collectstatic", interactive=False, verbosity=0)

    scale = Organisation.objects.filter(code__startswith="9")
    facts = {
        "organisations": Organisation.objects.count(),
        "scale_organisations": scale.count(),
        "plans": Plan.objects.count(),
        "projects": Project.objects.count(),
        "ita_results": Result.objects.count(),
        f"ita_results_{year}": Result.objects.filter(fiscal_year=year).count(),
        "agreements": PerformanceAgreement.objects.count(),
        "announcements": Announcement.objects.count(),
    }
    if not facts["scale_organisations"]:
        raise LookupError("no national-scale data: run `manage.py generate_scale_data --orgs 7850 --years 7` "
                          "(make bench does)")
    if Organisation.objects.filter(code__in=[ANNOUNCEMENT["code"], PLAN_BOOK["code"]]).count() < 2:
        raise LookupError("the demo is missing: run `manage.py seed_demo` (make bench does)")

    user, _ = get_user_model().objects.get_or_create(username=BENCH_USERNAME)
    user.is_superuser = user.is_staff = user.is_active = True
    user.set_unusable_password()
    user.save()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()

    plan = Plan.objects.get(organisation__code=PLAN_BOOK["code"], fiscal_year=PLAN_BOOK["fiscal_year"])
    history_org = scale.order_by("code").first()
    agreement = (PerformanceAgreement.objects.filter(organisation__code=ANNOUNCEMENT["code"])
                 .annotate(n=Count("indicators")).order_by("-n", "pk").first()
                 or PerformanceAgreement.objects.order_by("pk").first())
    # The plan import replaces this organisation's last (draft) plan, then rolls back.
    import_org = scale.order_by("-code").first()
    import_year = Plan.objects.filter(organisation=import_org).order_by("-fiscal_year").first().fiscal_year
    return {
        "facts": facts,
        "session_key": store.session_key,
        # A browser's cookies after its first page: the session and the CSRF cookie (kept pages
        # carry form tokens for that cookie; without one a page is neither kept nor served kept).
        "cookie": (f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
                   f"{settings.CSRF_COOKIE_NAME}={get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)}"),
        "plan_import": {"code": import_org.code, "fiscal_year": import_year},
        "pages": [
            ("healthz", "/healthz/"),
            ("jobs list", "/jobs/"),
            ("plan list", "/plans/"),
            ("plan page", f"/plans/{plan.pk}/"),
            ("ITA list", f"/ita/?fiscal_year={year}"),
            ("ITA history", f"/ita/org/{history_org.code}/"),
            ("agreement page", f"/agreements/{agreement.pk}/"),
            ("announcements", "/announcements/"),
            ("admin projects", "/admin/plans/project/"),
            ("admin ITA results", "/admin/ita/result/"),
        ],
    }


def forget_session(session_key: str) -> None:
    """In a child process: end the bench session."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key).delete()


def prepare(config: Config) -> dict:
    """Run prepare_database in a child: the runner itself never loads Django, so it stays small.
    (A child's ru_maxrss starts from its parent's memory at fork, so a big runner would inflate
    every operation's peak.)"""
    prepared = ops.run_in_child("bench_prepare", {"year": config.year}, env=config.env)
    if "error" in prepared:
        raise SystemExit("could not prepare the benchmark: " + prepared["error"].strip().splitlines()[-1])
    config.session_key = prepared["session_key"]
    config.headers["Cookie"] = prepared["cookie"]
    config.plan_import = prepared["plan_import"]
    config.pages = [tuple(page) for page in prepared["pages"]]
    return prepared["facts"]


# --- pages ---------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                stat = (entry / "stat").read_text()
                if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def _peak_rss_mib(pid: int) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


class Server:
    """gunicorn on 127.0.0.1 with a free port; its own log file; stopped by its pid."""

    def __init__(self, config: Config, log_dir: Path):
        self.config, self.port = config, free_port()
        self.log = log_dir / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        c = self.config
        command = [sys.executable, "-m", "gunicorn", "lao_integrity.wsgi:application",
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(c.workers), "--worker-class", "gthread",
                   "--threads", str(c.threads), "--timeout", "300", "--graceful-timeout", "5",
                   "--keep-alive", "10", "--log-level", "warning", "--error-logfile", str(self.log)]
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=c.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}); see {self.log}")
            with contextlib.suppress(OSError):
                result = loadgen.run("127.0.0.1", self.port, "/healthz/", concurrency=1, duration=None,
                                     max_requests=1, headers=c.headers, timeout=5)
                if result.statuses.get(200):
                    # Both workers must be up: the master forks them one after the other.
                    if len(_children(self.process.pid)) >= c.workers:
                        return self
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.log}")

    def connection_owner(self, client_port: int) -> int | None:
        """The pid of the worker holding the connection from `client_port` (`ss` from iproute2;
        None when it can't tell, and then the connections are left where they land)."""
        try:
            listing = subprocess.run(["ss", "-tnpH", "state", "established", f"( sport = :{self.port} )"],
                                     capture_output=True, text=True, timeout=5).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        for line in listing.splitlines():
            fields = line.split()
            if len(fields) >= 4 and fields[3].rsplit(":", 1)[-1] == str(client_port):
                found = re.search(r"pid=(\d+)", line)
                return int(found.group(1)) if found else None
        return None

    def worker_peak_rss_mib(self) -> float | None:
        peaks = [_peak_rss_mib(pid) for pid in _children(self.process.pid)]
        peaks = [p for p in peaks if p is not None]
        return max(peaks) if peaks else None

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def measure_page(config: Config, name: str, path: str, log_dir: Path) -> dict:
    with Server(config, log_dir) as server:
        # Warm-up: one request, then (when that was quick) enough for every worker thread's
        # database connection, templates and caches.
        first = loadgen.run("127.0.0.1", server.port, path, concurrency=1, duration=None, max_requests=1,
                            headers=config.headers, timeout=config.timeout)
        warm = min(config.concurrency, config.workers * config.threads)
        spread = {"owner": server.connection_owner, "owners": config.workers}
        if first.latencies and first.latencies[0] < 5:
            loadgen.run("127.0.0.1", server.port, path, concurrency=warm, duration=60, max_requests=warm * 2,
                        headers=config.headers, timeout=config.timeout, **spread)
        result = loadgen.run("127.0.0.1", server.port, path, concurrency=config.concurrency,
                             duration=config.seconds, headers=config.headers, timeout=config.timeout, **spread)
        row = {"name": name, **result.as_dict(), "peak_worker_rss_mib": server.worker_peak_rss_mib(),
               "first_request_ms": first.as_dict()["p50_ms"], "first_request_status": dict(first.statuses)}
    log = server.log.read_text(errors="replace").strip() if server.log.exists() else ""
    if log:
        row["server_log_tail"] = log[-2000:]
    return row


def measure_pages(config: Config, log_dir: Path) -> list[dict]:
    rows = []
    for name, path in config.pages:
        say(f"  {name} {path} ...")
        row = measure_page(config, name, path, log_dir)
        say(f"    {row['rps']:.1f} req/s, p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, "
            f"{row['requests']} requests, {row['errors']} errors")
        rows.append(row)
    base = rows[0]
    for row in rows:
        row["rps_ratio"] = _ratio(row["rps"], base["rps"])
        row["p50_ratio"] = _ratio(row["p50_ms"], base["p50_ms"])
        row["p95_ratio"] = _ratio(row["p95_ms"], base["p95_ms"])
        if row is base:
            row["target"], row["pass"] = "baseline", row["errors"] == 0
        else:
            row["target"] = f"p95 <= {PAGE_P95_RATIO:g}x /healthz/, no errors"
            row["pass"] = (row["errors"] == 0 and row["p95_ratio"] is not None
                           and row["p95_ratio"] <= PAGE_P95_RATIO)
    return rows


def _ratio(value, base) -> float | None:
    if value is None or not base:
        return None
    return round(value / base, 2)


# --- operations ----------------------------------------------------------------------------


def measure_operations(config: Config, work: Path) -> list[dict]:
    user = BENCH_USERNAME
    ita_file = work / f"ita-{config.year}.csv"
    plan = {**config.plan_import, "rows": config.plan_rows, "username": user}
    planned = []
    if "pdf" in config.only:
        planned += [
            ("announcement_pdf", "announcement_pdf", {**ANNOUNCEMENT, "repeat": 2},
             "one-page announcement PDF (fresh render)"),
            ("plan_book_pdf", "plan_book_pdf", {**PLAN_BOOK, "repeat": 1}, "plan book PDF (fresh render)"),
        ]
    if "export" in config.only or "import" in config.only:
        planned.append(("ita_export_csv", "ita_export",
                        {"fiscal_year": config.year, "fmt": "csv", "username": user, "save_to": str(ita_file)},
                        f"ITA export, all organisations {config.year}, csv"))
    if "export" in config.only:
        planned.append(("ita_export_xlsx", "ita_export", {"fiscal_year": config.year, "fmt": "xlsx", "username": user},
                        f"ITA export, all organisations {config.year}, xlsx"))
    if "import" in config.only:
        planned += [
            ("ita_import", "ita_import", {"path": str(ita_file), "username": user},
             f"national ITA import ({config.year} csv)"),
            ("plan_import", "plan_import", plan, f"plan import, {config.plan_rows} projects (csv, rolled back)"),
        ]
    rows = []
    for key, operation, kwargs, label in planned:
        say(f"  {label} ...")
        if operation == "ita_import" and not ita_file.exists():
            result = {"error": "no export file to import (the csv export failed)"}
        else:
            result = ops.run_in_child(operation, kwargs, env=config.env)
        row = {"name": key, "label": label, "operation": operation, "kwargs": kwargs, **result}
        target = TARGETS.get(key)
        row["target_seconds"] = target
        if "error" in row:
            row["pass"] = False if target else None
            say(f"    ERROR: {row['error'].strip().splitlines()[-1]}")
        else:
            row["pass"] = None if target is None else row["seconds"] <= target
            say(f"    {_operation_figure(row)}, peak {row['peak_rss_mib']} MiB")
        rows.append(row)
    return rows


def _operation_figure(row: dict) -> str:
    parts = [f"{row['seconds']:.2f} s"]
    if row.get("repeat_median_seconds") is not None:
        parts.append(f"repeat {row['repeat_median_seconds']:.2f} s")
    if row.get("rows_per_second"):
        parts.append(f"{row['rows']:,} rows, {row['rows_per_second']:,.0f} rows/s")
    if row.get("pages"):
        parts.append(f"{row['pages']} pages")
    return ", ".join(parts)


# --- profiles of misses --------------------------------------------------------------------


def profile_misses(config: Config, pages: list[dict], operations: list[dict], folder: Path) -> dict:
    profiles = {}
    jobs = [(f"page {p['name']}", "page",
             {"path": p["path"], "username": BENCH_USERNAME, "repeat": 1,
              # A page that takes many seconds is not worth rendering twice to warm up.
              "warmup_path": p["path"] if (p["first_request_ms"] or 0) < 5000 else "/healthz/"})
            for p in pages if p["pass"] is False and p["name"] != "healthz"]
    jobs += [(o["name"], o["operation"], o["kwargs"]) for o in operations if o["pass"] is False and "error" not in o]
    for name, operation, kwargs in jobs:
        say(f"  profiling {name} ...")
        kwargs = {**kwargs}
        if operation in ("announcement_pdf", "plan_book_pdf"):
            kwargs["repeat"] = 0
        if operation == "ita_export":
            kwargs.pop("save_to", None)
        result = ops.run_in_child(operation, kwargs, env=config.env, profile=True)
        if "error" in result:
            profiles[name] = {"error": result["error"]}
            continue
        profile = result.pop("profile")
        path = folder / (name.replace(" ", "-").lower() + ".txt")
        path.write_text(profile.pop("text"), encoding="utf-8")
        profiles[name] = {"seconds_under_profiler": result["seconds"], "file": _shown(path),
                          **profile}
    return profiles


# --- the report ----------------------------------------------------------------------------


def _shown(path: Path) -> str:
    """A path relative to the project when it is inside it."""
    try:
        return str(path.relative_to(BASE_DIR))
    except ValueError:
        return str(path)


def _verdict(passed) -> str:
    return "-" if passed is None else "PASS" if passed else "MISS"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    line = lambda cells: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)  # noqa: E731
                                   for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _errors(page: dict) -> str:
    if not page["errors"]:
        return "0"
    kinds = ", ".join(f"{count} {status}" for status, count in page["statuses"].items() if status != "200")
    return f"{page['errors']} ({kinds})"


def _x(ratio) -> str:
    return "" if ratio is None else f" (x{ratio:.2f})"


def report(pages: list[dict], operations: list[dict], profiles: dict) -> str:
    out = []
    if pages:
        out.append("Pages (ratios to /healthz/ in this run)")
        out.append(_table(
            ["page", "req/s", "p50", "p95", "requests", "errors", "1st request", "worker peak", "target", "result"],
            [[f"{p['name']} {p['path']}", f"{p['rps']:.1f}{_x(p['rps_ratio'])}",
              f"{p['p50_ms']} ms{_x(p['p50_ratio'])}", f"{p['p95_ms']} ms{_x(p['p95_ratio'])}",
              str(p["requests"]), _errors(p), f"{p['first_request_ms']} ms",
              f"{p['peak_worker_rss_mib']} MiB", "baseline" if p["target"] == "baseline" else "p95 <= 3x",
              _verdict(p["pass"])] for p in pages]))
        out.append("(1st request: the first request to a fresh server, alone; the rest ran with "
                   "BENCH_CONCURRENCY clients at once)")
    if operations:
        out.append("")
        out.append("Operations (each in its own process; peak = that process's max RSS)")
        rows = []
        for o in operations:
            target = f"< {o['target_seconds']:g} s" if o["target_seconds"] else "-"
            if "error" in o:
                rows.append([o["label"], "ERROR", "", "", f"{o.get('peak_rss_mib')} MiB", target, "MISS"])
                continue
            throughput = f"{o['rows_per_second']:,.0f} rows/s ({o['rows']:,} rows)" if o.get("rows") else ""
            detail = f"{o['pages']} pages" if o.get("pages") else ""
            if o.get("repeat_median_seconds") is not None:
                detail += f", repeat {o['repeat_median_seconds']:.2f} s"
            rows.append([o["label"], f"{o['seconds']:.2f} s", throughput, detail,
                         f"{o['peak_rss_mib']} MiB", target, _verdict(o["pass"])])
        out.append(_table(["operation", "time", "throughput", "detail", "peak memory", "target", "result"], rows))
    for name, profile in profiles.items():
        out.append("")
        if "error" in profile:
            out.append(f"Profile of {name}: could not profile ({profile['error'].strip().splitlines()[-1]})")
            continue
        out.append(f"Profile of {name} (cProfile, {profile['seconds_under_profiler']:.2f} s under the profiler; "
                   f"full listing {profile['file']})")
        for title, key in (("top 10 of the project's functions by cumulative time", "by_cumulative_project"),
                           ("top 10 of all functions by own time", "by_own")):
            out.append(f"  {title}:")
            out.append(_table(["function", "calls", "own s", "cumulative s"],
                              [[f["function"], str(f["calls"]), f"{f['own_s']:.3f}", f"{f['cumulative_s']:.3f}"]
                               for f in profile[key]]))
    return "\n".join(out)


def figures(pages: list[dict], operations: list[dict]) -> list[dict]:
    """A flat list of every figure with its unit, ratio, target and verdict (for machines)."""
    flat = []
    for p in pages:
        for metric, unit, ratio in (("rps", "requests/s", "rps_ratio"), ("p50_ms", "ms", "p50_ratio"),
                                    ("p95_ms", "ms", "p95_ratio"), ("errors", "responses", None),
                                    ("peak_worker_rss_mib", "MiB", None)):
            flat.append({"figure": f"page {p['name']} {metric}", "path": p["path"], "value": p[metric],
                         "unit": unit, "ratio_to_healthz": p[ratio] if ratio else None,
                         "target": ("p95 <= 3x /healthz/" if metric == "p95_ms" and p["target"] != "baseline"
                                    else None),
                         "pass": p["pass"] if metric in ("p95_ms", "errors") else None})
    for o in operations:
        target = o["target_seconds"]
        flat.append({"figure": f"{o['name']} seconds", "value": o.get("seconds"), "unit": "s",
                     "target": f"< {target:g} s" if target else None, "pass": o["pass"]})
        if o.get("rows_per_second"):
            flat.append({"figure": f"{o['name']} throughput", "value": round(o["rows_per_second"], 1),
                         "unit": "rows/s", "target": None, "pass": None})
        flat.append({"figure": f"{o['name']} peak memory", "value": o.get("peak_rss_mib"), "unit": "MiB",
                     "target": None, "pass": None})
    return flat


# --- main ----------------------------------------------------------------------------------


def create_database(url: str) -> None:
    """CREATE DATABASE for a postgres:// URL unless it exists (make bench's first step)."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    parsed = dj_database_url.parse(url)
    if "postgresql" not in parsed["ENGINE"]:
        raise SystemExit(f"the benchmark needs PostgreSQL, not {parsed['ENGINE']}")
    connection = psycopg2.connect(dbname="postgres", user=parsed["USER"] or None,
                                  password=parsed["PASSWORD"] or None, host=parsed["HOST"] or None,
                                  port=parsed["PORT"] or None)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parsed["NAME"]])
            if cursor.fetchone():
                say(f"database {parsed['NAME']} exists")
                return
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(parsed["NAME"])))
            say(f"database {parsed['NAME']} created")
    finally:
        connection.close()


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
    pages, operations, profiles = [], [], {}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-") as work:
            work = Path(work)
            if "pages" in only:
                say("pages:")
                pages = measure_pages(config, work)
            if only & {"pdf", "export", "import"}:
                say("operations:")
                operations = measure_operations(config, work)
            if config.profile and any(r["pass"] is False for r in pages + operations):
                profile_dir.mkdir(parents=True, exist_ok=True)
                say("profiles of misses:")
                profiles = profile_misses(config, pages, operations, profile_dir)
    finally:
        ops.run_in_child("bench_forget_session", {"session_key": config.session_key}, env=config.env)
    text = report(pages, operations, profiles)
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
        "targets": {"page_p95_ratio_max": PAGE_P95_RATIO, **{f"{k}_seconds_max": v for k, v in TARGETS.items()}},
        "pages": pages,
        "operations": operations,
        "profiles": profiles,
        "figures": figures(pages, operations),
    }
    config.out.write_text(json.dumps(document, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    say(f"\nwritten: {config.out}")
    broken = any(p["errors"] for p in pages) or any("error" in o for o in operations)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

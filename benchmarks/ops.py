"""The measured operations, each runnable in a child process so that its peak memory is its own.

In-process (the smoke test calls them like this, on the test database)::

    ops.ita_export(fiscal_year=2569, fmt="csv", username="bench")   # -> {"seconds": ..., "rows": ...}

In a child process (the benchmark does this; the child's peak RSS comes from os.wait4)::

    ops.run_in_child("ita_export", {"fiscal_year": 2569, "fmt": "csv", "username": "bench"}, env=env)
    # -> {"seconds": ..., "rows": ..., "peak_rss_mib": ..., "baseline_rss_mib": ..., "wall_seconds": ...}

or by hand: ``python -m benchmarks.ops ita_export --kwargs '{"fiscal_year": 2569, "fmt": "csv",
"username": "bench"}'`` (settings come from the environment as usual: DATABASE_URL, DJANGO_DEBUG, …).

Only the work an operation is about is timed (a Stopwatch section); finding the records and
writing the input file are not. With a profiler the timed sections, and nothing else, run under
cProfile, and the top functions by cumulative and by own time are returned.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import mixedusers, sqlstats

BASE_DIR = Path(__file__).resolve().parent.parent
DUMMY_DOCUMENT_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def _maxrss_mib(kib: int) -> float:
    return round(kib / 1024, 1)  # Linux reports ru_maxrss in KiB


class Stopwatch:
    """Times named sections; with a profiler, profiles exactly those sections."""

    def __init__(self, profiler: cProfile.Profile | None = None):
        self.profiler = profiler
        self.times: dict[str, list[float]] = {}

    @contextlib.contextmanager
    def __call__(self, label: str):
        if self.profiler is not None:
            self.profiler.enable()
        started = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            if self.profiler is not None:
                self.profiler.disable()
            self.times.setdefault(label, []).append(elapsed)

    def total(self, label: str) -> float:
        return sum(self.times.get(label, []))


def _user(username: str | None):
    if not username:
        from lao_integrity.orgs.access import SYSTEM

        return SYSTEM  # no login named: the portal itself, as the import commands run
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _pdf_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


# --- operations ------------------------------------------------------------------------------
# Each takes keyword arguments that are plain JSON values and a Stopwatch, and returns a dict of
# JSON values with at least "seconds" (the timed work).


def announcement_pdf(*, code: str, kind: str, fiscal_year: int | None, repeat: int = 2,
                     watch: Stopwatch | None = None) -> dict:
    """A fresh render (document cache bypassed) of the organisation's latest announcement of `kind`:
    once cold (first in this process: fonts loaded, templates compiled), then `repeat` more times."""
    from lao_integrity.announcements import documents, selectors
    from lao_integrity.orgs.models import Organisation

    watch = watch or Stopwatch()
    organisation = Organisation.objects.get(code=code)
    announcement = selectors.latest_announcement(organisation, kind, fiscal_year)
    if announcement is None:
        raise LookupError(f"no {kind} announcement of {code} for {fiscal_year}")
    return _render_repeatedly(lambda: documents.announcement_pdf(announcement), repeat, watch,
                              subject=f"{organisation.name} {announcement.get_kind_display()} {fiscal_year}")


def plan_book_pdf(*, code: str, fiscal_year: int, repeat: int = 1, watch: Stopwatch | None = None) -> dict:
    """A fresh render of the plan book (announcement, plan table and every detail sheet)."""
    from plans.documents import plan_document_pdf
    from plans.models import Plan

    watch = watch or Stopwatch()
    plan = Plan.objects.select_related("organisation").get(organisation__code=code, fiscal_year=fiscal_year)
    result = _render_repeatedly(lambda: plan_document_pdf(plan, "book"), repeat, watch,
                                subject=f"{plan.organisation.name} {fiscal_year}")
    result["projects"] = plan.projects.count()
    result["detail_sheets"] = plan.projects.filter(sheet__isnull=False).count()
    return result


def _render_repeatedly(render, repeat: int, watch: Stopwatch, *, subject: str) -> dict:
    from django.conf import settings
    from django.test.utils import override_settings

    caches = {**settings.CACHES, "documents": DUMMY_DOCUMENT_CACHE}
    with override_settings(CACHES=caches):  # never served from the rendered-PDF cache
        with watch("first"):
            pdf = render()
        for _ in range(repeat):
            with watch("repeat"):
                render()
    repeats = watch.times.get("repeat", [])
    return {
        "subject": subject,
        "seconds": watch.total("first"),
        "first_seconds": watch.total("first"),
        "repeat_seconds": repeats,
        "repeat_median_seconds": statistics.median(repeats) if repeats else None,
        "pages": _pdf_pages(pdf),
        "bytes": len(pdf),
    }


def _export_queryset(fiscal_year: int, user):
    from ita.results import selectors as result_selectors

    filters = result_selectors.parse_filters({"fiscal_year": str(fiscal_year)}, user=user)
    if filters.fiscal_year != fiscal_year:
        raise LookupError(f"no ITA framework for {fiscal_year}")
    return result_selectors.filtered_results(user, filters)


def ita_export(*, fiscal_year: int, fmt: str = "csv", username: str, save_to: str | None = None,
               watch: Stopwatch | None = None) -> dict:
    """Every result of the year the user may see (a superuser: all organisations) as the
    download of the ITA list builds it."""
    from ita.results import exchange

    watch = watch or Stopwatch()
    user = _user(username)
    results = _export_queryset(fiscal_year, user)
    rows = results.count()
    with watch("export"):
        data = exchange.export_results(fiscal_year=fiscal_year, results=results, fmt=fmt)
    if save_to:
        Path(save_to).write_bytes(data)
    seconds = watch.total("export")
    return {"seconds": seconds, "rows": rows, "rows_per_second": rows / seconds if seconds else None,
            "bytes": len(data), "format": fmt}


def ita_import(*, path: str, username: str | None = None, rollback: bool = False,
               watch: Stopwatch | None = None) -> dict:
    """Import an ITA results file (as the import page does, all or nothing)."""
    from django.db import transaction

    from ita.results import exchange

    watch = watch or Stopwatch()
    data = Path(path).read_bytes()
    user = _user(username)
    with transaction.atomic():
        with watch("import"):
            summary = exchange.results_import(data=data, filename=Path(path).name, user=user)
        if rollback:
            transaction.set_rollback(True)
    seconds = watch.total("import")
    return {"seconds": seconds, "rows": summary.results, "organisations": summary.organisations,
            "rows_per_second": summary.results / seconds if seconds else None, "bytes": len(data),
            "rolled_back": rollback}


def plan_file(rows: int, fmt: str = "csv") -> bytes:
    """A plan file of `rows` projects under plans.resources.HEADERS, as an organisation would type it."""
    from lao_integrity.tabular import write_table
    from plans.resources import HEADERS, TICK

    words = ("โครงการ", "มาตรการ", "กิจกรรม")
    topics = ("ส่งเสริมคุณธรรมจริยธรรมบุคลากร", "เปิดเผยข้อมูลสาธารณะ", "ป้องกันผลประโยชน์ทับซ้อน",
              "พัฒนาช่องทางรับเรื่องร้องเรียน", "สร้างจิตสำนึกต่อต้านการทุจริต")
    table = []
    for number in range(1, rows + 1):
        quarters = [TICK if (number + q) % 3 else "" for q in range(4)]
        table.append([number, f"{words[number % 3]}{topics[number % len(topics)]} ครั้งที่ {number}",
                      (number % 4) + 1, f"{(number % 7) * 5000:,}.00", *quarters,
                      "นำเข้าเพื่อวัดสมรรถนะ" if number % 5 == 0 else ""])
    return write_table(list(HEADERS), table, fmt, title="แผน")


def plan_import(*, code: str, fiscal_year: int, rows: int = 500, fmt: str = "csv", username: str | None = None,
                rollback: bool = True, watch: Stopwatch | None = None) -> dict:
    """Import a `rows`-project file into the organisation's plan of the year (replacing its project
    list). By default the transaction is rolled back afterwards so the data set stays as generated
    (the commit itself is not timed then)."""
    from django.db import transaction

    from lao_integrity.orgs.models import Organisation
    from plans import services

    watch = watch or Stopwatch()
    organisation = Organisation.objects.get(code=code)
    user = _user(username)
    data = plan_file(rows, fmt)
    with transaction.atomic():
        with watch("import"):
            plan = services.plan_import(organisation=organisation, fiscal_year=fiscal_year, data=data,
                                        filename=f"plan.{fmt}", user=user)
        imported = plan.projects.count()
        if rollback:
            transaction.set_rollback(True)
    if imported != rows:
        raise AssertionError(f"imported {imported} projects, expected {rows}")
    seconds = watch.total("import")
    return {"seconds": seconds, "rows": rows, "rows_per_second": rows / seconds if seconds else None,
            "bytes": len(data), "format": fmt, "rolled_back": rollback}


def page(*, path: str, username: str, repeat: int = 1, warmup_path: str | None = None,
         watch: Stopwatch | None = None) -> dict:
    """One page through Django's test client in this process (no server): for profiling a page.
    A first request to `warmup_path` (default: the page itself) warms up; `repeat` more are timed."""
    from django.test import Client

    watch = watch or Stopwatch()
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(_user(username))
    client.get(warmup_path or path)
    status = None
    for _ in range(max(1, repeat)):
        with watch("request"):
            response = client.get(path)
        status = response.status_code
    client.logout()
    return {"seconds": statistics.median(watch.times["request"]), "status": status,
            "bytes": len(response.content)}


def allocate(*, mib: int = 50, watch: Stopwatch | None = None) -> dict:
    """Hold `mib` MiB for a moment: checks the peak-memory measurement itself."""
    watch = watch or Stopwatch()
    with watch("allocate"):
        block = bytearray(mib * 1024 * 1024)
        for offset in range(0, len(block), 4096):  # touch every page so it is resident
            block[offset] = 1
        del block
    return {"seconds": watch.total("allocate"), "mib": mib}


def bench_prepare(*, year: int, watch: Stopwatch | None = None) -> dict:
    """The benchmark's preparation (benchmarks.preparation.prepare_database), run in a child process."""
    from . import preparation

    return preparation.prepare_database(year)


def bench_forget_session(*, session_key: str, watch: Stopwatch | None = None) -> dict:
    from . import preparation

    preparation.forget_session(session_key)
    return {}


OPERATIONS = {f.__name__: f for f in (announcement_pdf, plan_book_pdf, ita_export, ita_import, plan_import,
                                      page, allocate, bench_prepare, bench_forget_session)}
OPERATIONS.update(bench_mixed_prepare=mixedusers.prepare_users, bench_mixed_forget=mixedusers.forget_users,
                  bench_explain=sqlstats.explain)
NEEDS_DJANGO = set(OPERATIONS) - {"allocate"}


# --- profiles --------------------------------------------------------------------------------


def _function_name(key: tuple) -> str:
    filename, line, name = key
    if filename == "~":
        return name  # a built-in
    path = Path(filename)
    for root in (BASE_DIR, Path(sys.prefix)):
        with contextlib.suppress(ValueError):
            path = path.relative_to(root)
            break
    text = str(path)
    marker = "site-packages/"
    if marker in text:
        text = text.split(marker, 1)[1]
    return f"{text}:{line}({name})"


def _is_project(filename: str) -> bool:
    """The project's own code (not the benchmark, not installed packages)."""
    path = Path(filename)
    try:
        relative = path.relative_to(BASE_DIR)
    except ValueError:
        return False
    return relative.parts[0] not in (".venv", "benchmarks") and "site-packages" not in relative.parts


def profile_summary(profiler: cProfile.Profile, top: int = 10) -> dict:
    """Top functions by cumulative time and by own time, plus pstats' own text for the file."""
    stats = pstats.Stats(profiler)

    def rows(sort: str, project_only: bool = False) -> list[dict]:
        stats.sort_stats(sort)
        out = []
        for key in stats.fcn_list:
            if len(out) == top:
                break
            if project_only and not _is_project(key[0]):
                continue
            primitive, calls, own, cumulative, _ = stats.stats[key]
            out.append({"function": _function_name(key), "calls": calls, "own_s": round(own, 4),
                        "cumulative_s": round(cumulative, 4)})
        return out

    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
    return {"by_cumulative": rows("cumulative"), "by_cumulative_project": rows("cumulative", project_only=True),
            "by_own": rows("tottime"), "text": text.getvalue(),
            "total_s": round(stats.total_tt, 4)}


# --- child process ---------------------------------------------------------------------------


def run_here(name: str, kwargs: dict, *, profile: bool = False) -> dict:
    """Run an operation in this process (Django set up already if it needs it)."""
    profiler = cProfile.Profile() if profile else None
    result = OPERATIONS[name](**kwargs, watch=Stopwatch(profiler))
    if profiler is not None:
        result["profile"] = profile_summary(profiler)
    return result


def _vm_hwm_mib() -> float | None:
    """This address space's own high-water mark (Linux), which, unlike ru_maxrss, does not start
    from the parent's memory at fork: a cross-check of the peak os.wait4 reports."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return _maxrss_mib(int(line.split()[1]))
    return None


def _child_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one benchmark operation and write its figures as JSON.")
    parser.add_argument("operation", choices=sorted(OPERATIONS))
    parser.add_argument("--kwargs", default="{}", help="the operation's keyword arguments as a JSON object")
    parser.add_argument("--out", help="write the JSON here (default: standard output)")
    parser.add_argument("--profile", action="store_true", help="profile the timed sections with cProfile")
    args = parser.parse_args(argv)
    try:
        if args.operation in NEEDS_DJANGO:
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lao_integrity.settings")
            import django

            django.setup()
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = run_here(args.operation, json.loads(args.kwargs), profile=args.profile)
        result["baseline_rss_mib"] = _maxrss_mib(baseline)
        result["self_peak_rss_mib"] = _vm_hwm_mib()
        status = 0
    except Exception:
        result, status = {"error": traceback.format_exc()}, 1
    text = json.dumps(result, ensure_ascii=False, default=str)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text)
    return status


def run_in_child(name: str, kwargs: dict, *, env: dict | None = None, profile: bool = False,
                 timeout: float = 1800) -> dict:
    """Run an operation in a fresh Python process; adds its peak RSS (os.wait4) and wall time.

    Linux starts a child's ru_maxrss from the parent's memory at fork, so call this from a small
    process (the benchmark runner never loads Django); "self_peak_rss_mib", the child's own VmHWM,
    is the cross-check.

    Never raises for a failed operation: the returned dict then has "error".
    """
    with tempfile.TemporaryDirectory(prefix="bench-op-") as folder:
        out, log = Path(folder) / "result.json", Path(folder) / "output.txt"
        command = [sys.executable, "-m", "benchmarks.ops", name, "--kwargs", json.dumps(kwargs), "--out", str(out)]
        if profile:
            command.append("--profile")
        started = time.perf_counter()
        killed = False
        with log.open("wb") as output:
            child = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
            # Collect the child ourselves (not child.wait()) to get its resource usage.
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() - started > timeout:
                    child.kill()
                    killed = True
                    pid, status, usage = os.wait4(child.pid, 0)
                    break
                time.sleep(0.05)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        text = log.read_text(encoding="utf-8", errors="replace")
        try:
            result = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            result = {"error": f"no result (exit {child.returncode}" + (f", killed after {timeout:.0f} s" if killed else "") + ")"}
    if child.returncode and "error" not in result:
        result["error"] = f"exit {child.returncode}"
    if "error" in result and text:
        result["output"] = text[-4000:]
    result["peak_rss_mib"] = _maxrss_mib(usage.ru_maxrss)
    result["wall_seconds"] = round(wall, 3)
    return result


if __name__ == "__main__":
    sys.exit(_child_main())

"""The slowest SQL statements of a run, and their plans.

In the gunicorn workers: with BENCH_SQL_STATS=<dir> in the environment (and the benchmarks app
installed, DJANGO_BENCHMARKS=1), BenchmarksConfig.ready() calls `install`, which adds an execute
wrapper to every database connection as it is made. Per SQL text as Django sends it (parameters
as %s, so one text per statement shape) it counts executions and sums and maxes their time, and
keeps the slowest execution's parameters inlined (psycopg2's mogrify) as a sample. Each worker
writes its figures to <dir>/sql-<pid>.json at most once a second after a request, and at exit.

In the bench: `merge` reads the files, folds texts that differ only in the length of an IN list
or in literals (`normalise`), and `top` ranks them by total time. `explain` (in a child process,
with Django) runs EXPLAIN (ANALYZE, BUFFERS) on the sample of each SELECT, in a read-only
transaction that is rolled back; anything but a SELECT is never explained.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import threading
import time
from pathlib import Path

ENV = "BENCH_SQL_STATS"
DUMP_EVERY = 1.0  # seconds


class Recorder:
    """Figures per SQL text: [count, total seconds, max seconds, sample of the slowest]."""

    def __init__(self, directory: Path | None = None):
        self.directory = directory
        self.stats: dict[str, list] = {}
        self.lock = threading.Lock()
        self.dumped = time.monotonic()

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.add(sql, time.perf_counter() - started, params, many, context)

    def add(self, sql: str, seconds: float, params=None, many: bool = False, context=None) -> None:
        with self.lock:
            entry = self.stats.get(sql)
            if entry is None:
                entry = self.stats[sql] = [0, 0.0, -1.0, None]
            entry[0] += 1
            entry[1] += seconds
            slowest = seconds > entry[2]
            if slowest:
                entry[2] = seconds
        if slowest and not many:
            sample = _inline(sql, params, context)
            with self.lock:
                if entry[2] == seconds:
                    entry[3] = sample

    def figures(self) -> dict:
        with self.lock:
            return {sql: {"count": c, "total_s": t, "max_s": m, "sample": s}
                    for sql, (c, t, m, s) in self.stats.items()}

    def dump(self) -> None:
        if self.directory is None:
            return
        self.dumped = time.monotonic()
        path = self.directory / f"sql-{os.getpid()}.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.figures(), ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)  # a reader never sees half a file

    def maybe_dump(self, **_) -> None:
        if time.monotonic() - self.dumped >= DUMP_EVERY:
            self.dump()


def _inline(sql: str, params, context) -> str | None:
    """The statement with its parameters inlined as the driver would send them (psycopg2)."""
    if params is None:
        return sql
    cursor = (context or {}).get("cursor")
    try:
        text = cursor.mogrify(sql, params)
    except Exception:  # noqa: BLE001 - not psycopg2, or parameters it cannot inline: no sample
        return None
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else text


def install(directory: str) -> Recorder:
    """Record every statement of this process's connections (called once per worker process)."""
    from django.core.signals import request_finished
    from django.db.backends.signals import connection_created

    recorder = Recorder(Path(directory))
    recorder.directory.mkdir(parents=True, exist_ok=True)

    def wrap(sender, connection, **kwargs):
        if recorder not in connection.execute_wrappers:
            connection.execute_wrappers.append(recorder)

    connection_created.connect(wrap, weak=False)
    request_finished.connect(recorder.maybe_dump, weak=False)
    atexit.register(recorder.dump)
    return recorder


# --- in the bench ------------------------------------------------------------------------------

_IN_LIST = re.compile(r"\bIN \((?:\s*%s\s*,)*\s*%s\s*\)", re.IGNORECASE)
_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w\"$.])-?\d+(?:\.\d+)?\b")


def normalise(sql: str) -> str:
    """One text per statement shape: IN lists of any length, literal strings and numbers as ?."""
    text = _STRING.sub("?", sql)
    text = _NUMBER.sub("?", text)
    text = _IN_LIST.sub("IN (...)", text)
    return " ".join(text.split())


def merge(figures: list[dict]) -> dict[str, dict]:
    """Workers' figures (Recorder.figures, one dict each) folded per normalised statement."""
    merged: dict[str, dict] = {}
    for worker in figures:
        for sql, f in worker.items():
            key = normalise(sql)
            into = merged.setdefault(key, {"statement": key, "count": 0, "total_s": 0.0, "max_s": 0.0,
                                           "sample": None, "sample_s": -1.0})
            into["count"] += f["count"]
            into["total_s"] += f["total_s"]
            into["max_s"] = max(into["max_s"], f["max_s"])
            if f.get("sample") is not None and f["max_s"] > into["sample_s"]:
                into["sample"], into["sample_s"] = f["sample"], f["max_s"]
    return merged


def read_dir(directory: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(directory).glob("sql-*.json"))]


def top(merged: dict[str, dict], n: int = 8) -> list[dict]:
    ranked = sorted(merged.values(), key=lambda f: (-f["total_s"], f["statement"]))[:n]
    return [{"statement": f["statement"], "count": f["count"], "total_ms": round(f["total_s"] * 1000, 1),
             "mean_ms": round(f["total_s"] * 1000 / f["count"], 3) if f["count"] else None,
             "max_ms": round(f["max_s"] * 1000, 2), "sample": f["sample"]} for f in ranked]


_COMMENT = re.compile(r"^\s*(?:--[^\n]*\n|/\*.*?\*/)", re.DOTALL)


def is_select(sql: str | None) -> bool:
    """A plain SELECT (comments before it allowed); a WITH, an INSERT, an UPDATE... is not."""
    if not sql:
        return False
    text = sql
    while True:
        stripped = _COMMENT.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    words = text.lstrip().split(None, 1)
    return bool(words) and words[0].upper() == "SELECT"


def explain_one(cursor, sql: str | None) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of one SELECT with `cursor` inside a transaction that the caller
    rolls back; the transaction is made read-only first, so even a SELECT that would write (a
    function with side effects, FOR UPDATE) fails instead. Anything but a SELECT is skipped."""
    if sql is None:
        return {"skipped": "no sample of its parameters"}
    if not is_select(sql):
        return {"skipped": "not a SELECT: never explained with ANALYZE (it would run)"}
    cursor.execute("SET TRANSACTION READ ONLY")
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
    return {"plan": "\n".join(row[0] for row in cursor.fetchall())}


def explain(*, statements: list[str | None], watch=None) -> dict:
    """In a child process with Django (ops.bench_explain): each statement's plan, or why none."""
    from django.db import connection, transaction

    plans = []
    for sql in statements:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    plans.append(explain_one(cursor, sql))
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 - reported with the statement, the others go on
            plans.append({"error": f"{type(error).__name__}: {error}".strip()})
    return {"plans": plans}

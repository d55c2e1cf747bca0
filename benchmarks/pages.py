"""Pages under load: a fresh gunicorn per page, warmed up, then measured against /healthz/."""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import loadgen
from .config import BASE_DIR, FRESH_P95_RATIO, PAGE_P95_RATIO, Config, free_port, say


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

    def __init__(self, config: Config, log_dir: Path, *, env: dict | None = None):
        self.config, self.port, self.env = config, free_port(), env or config.env
        self.log = log_dir / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        c = self.config
        command = [sys.executable, "-m", "gunicorn", "lao_integrity.wsgi:application",
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(c.workers), "--worker-class", "gthread",
                   "--threads", str(c.threads), "--timeout", "300", "--graceful-timeout", "5",
                   "--keep-alive", "10", "--log-level", "warning", "--error-logfile", str(self.log)]
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=self.env, stdout=subprocess.DEVNULL,
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


def mode_env(config: Config, mode: str) -> dict:
    """gunicorn's environment for a mode: "fresh" turns the page cache off, "kept" leaves it as set."""
    return {**config.env, "DJANGO_PAGE_CACHE": "0"} if mode == "fresh" else config.env


def measure_page(config: Config, name: str, path: str, log_dir: Path, *, anonymous: bool = False,
                 mode: str = "kept") -> dict:
    # An anonymous page (the public pages) is requested without the bench user's cookies: what a
    # crawler or an assessor meets, rendered afresh at every request.
    headers = {k: v for k, v in config.headers.items() if k != "Cookie"} if anonymous else config.headers
    with Server(config, log_dir, env=mode_env(config, mode)) as server:
        # Warm-up: one request, then (when that was quick) enough for every worker thread's
        # database connection, templates and caches.
        first = loadgen.run("127.0.0.1", server.port, path, concurrency=1, duration=None, max_requests=1,
                            headers=headers, timeout=config.timeout)
        warm = min(config.concurrency, config.workers * config.threads)
        spread = {"owner": server.connection_owner, "owners": config.workers}
        if first.latencies and first.latencies[0] < 5:
            loadgen.run("127.0.0.1", server.port, path, concurrency=warm, duration=60, max_requests=warm * 2,
                        headers=headers, timeout=config.timeout, **spread)
        result = loadgen.run("127.0.0.1", server.port, path, concurrency=config.concurrency,
                             duration=config.seconds, headers=headers, timeout=config.timeout, **spread)
        row = {"name": name, "mode": mode, **result.as_dict(), "peak_worker_rss_mib": server.worker_peak_rss_mib(),
               "first_request_ms": first.as_dict()["p50_ms"], "first_request_status": dict(first.statuses)}
    log = server.log.read_text(errors="replace").strip() if server.log.exists() else ""
    if log:
        row["server_log_tail"] = log[-2000:]
    return row


def measure_pages(config: Config, log_dir: Path) -> list[dict]:
    """Every page in each mode (config.page_modes), each mode with its own /healthz/ first: a
    ratio is always to the baseline measured the same way in the same run."""
    rows = []
    for mode in config.page_modes:
        say(f" rendered {'afresh (kept pages off)' if mode == 'fresh' else 'with kept pages'}:")
        measured = []
        for name, path, *how in config.pages:
            say(f"  {name} {path} ...")
            row = measure_page(config, name, path, log_dir, anonymous="anonymous" in how, mode=mode)
            say(f"    {row['rps']:.1f} req/s, p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, "
                f"{row['requests']} requests, {row['errors']} errors")
            measured.append(row)
        judge(measured, FRESH_P95_RATIO if mode == "fresh" else PAGE_P95_RATIO)
        rows += measured
    return rows


def judge(rows: list[dict], limit: float) -> None:
    """Ratios to the first row (/healthz/) and the verdict against `limit`."""
    base = rows[0]
    for row in rows:
        row["rps_ratio"] = ratio(row["rps"], base["rps"])
        row["p50_ratio"] = ratio(row["p50_ms"], base["p50_ms"])
        row["p95_ratio"] = ratio(row["p95_ms"], base["p95_ms"])
        if row is base:
            row["target"], row["pass"] = "baseline", row["errors"] == 0
        else:
            row["target"] = f"p95 <= {limit:g}x /healthz/, no errors"
            row["pass"] = (row["errors"] == 0 and row["p95_ratio"] is not None
                           and row["p95_ratio"] <= limit)


def ratio(value, base) -> float | None:
    if value is None or not base:
        return None
    return round(value / base, 2)

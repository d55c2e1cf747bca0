"""What the benchmark measures, against what, and its targets: settings from the environment."""

from __future__ import annotations

import os
import secrets
import socket
import string
from pathlib import Path

from . import ops

BASE_DIR = ops.BASE_DIR
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lao_scale"
BENCH_USERNAME = "bench"
SECTIONS = ("pages", "pdf", "export", "import", "mixed")

# The demo records the operations use (manage.py seed_demo).
ANNOUNCEMENT = {"code": "5570701", "kind": "no_gift", "fiscal_year": 2567}  # แม่สายมิตรภาพ's No Gift ประกาศ
PLAN_BOOK = {"code": "5205401", "fiscal_year": 2569}  # บ้านแหง's plan with its detail sheets

# p95 as a multiple of /healthz/'s in the same run: a page kept in memory, and one rendered afresh
# (the first visit, after every write to what it shows, every other address: issue 19).
PAGE_P95_RATIO = 3.0
FRESH_P95_RATIO = 5.0
PAGE_MODES = ("fresh", "kept")
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
        # "fresh": gunicorn with DJANGO_PAGE_CACHE=0, every request rendered; "kept": the page cache
        # as configured (on by default). BENCH_PAGE_MODES=fresh measures one of them.
        modes = os.environ.get("BENCH_PAGE_MODES", ",".join(PAGE_MODES))
        self.page_modes = tuple(m.strip() for m in modes.split(",") if m.strip() in PAGE_MODES) or PAGE_MODES
        # BENCH_PAGES="plan page,province dashboard": only these of the pages (and /healthz/).
        self.page_names = {n.strip() for n in os.environ.get("BENCH_PAGES", "").split(",") if n.strip()}
        # The mixed run (benchmarks/mixed.py): its clients per configuration, its users (one
        # organisation each), and the clients of the configuration whose statements are recorded.
        self.mixed_clients = [int(n) for n in os.environ.get("BENCH_MIXED_CLIENTS", "8,50").split(",") if n.strip()]
        self.mixed_users = env_int("BENCH_MIXED_USERS", 200)
        self.sql_clients = env_int("BENCH_SQL_CLIENTS", self.mixed_clients[0] if self.mixed_clients else 8)
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
            # All clients come from 127.0.0.1: the public pages' limit per address still runs (its
            # cost is measured) but never refuses the bench.
            "DJANGO_PUBLIC_RATE_LIMIT": "100000000",
        }
        # Requests arrive "from the TLS proxy" (SECURE_PROXY_SSL_HEADER), so the HTTPS redirect,
        # when on, does not apply; a redirect would show up as errors.
        self.headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}

    def settings(self) -> dict:
        return {"seconds": self.seconds, "concurrency": self.concurrency, "gunicorn_workers": self.workers,
                "gunicorn_threads": self.threads, "request_timeout_s": self.timeout, "ita_year": self.year,
                "plan_rows": self.plan_rows, "mixed_clients": self.mixed_clients,
                "mixed_users": self.mixed_users, "database": self.database_url.rsplit("/", 1)[-1], "page_modes": list(self.page_modes)}


def say(text: str = "") -> None:
    print(text, flush=True)

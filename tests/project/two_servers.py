"""What test_two_servers.py runs: a local S3-compatible server (moto), gunicorn, a browser-like client.

Each process here is started by the test and stopped by its own pid; nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import html.parser
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

BASE_DIR = Path(__file__).resolve().parents[2]
MANAGE = BASE_DIR / "manage.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(*args, env: dict, timeout: int = 600) -> str:
    """`manage.py ARGS` in a subprocess with `env`; its stdout, or AssertionError with its output."""
    result = subprocess.run([sys.executable, str(MANAGE), *args], env=env, capture_output=True, text=True,
                            timeout=timeout, cwd=BASE_DIR)
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


class Gunicorn:
    """One application server: gunicorn on a free port of 127.0.0.1 with its own environment."""

    def __init__(self, name: str, env: dict, log_dir: Path):
        self.name, self.env, self.port = name, env, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"gunicorn-{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> Gunicorn:
        command = [sys.executable, "-m", "gunicorn", "lao_integrity.wsgi:application", "--bind",
                   f"127.0.0.1:{self.port}", "--workers", "1", "--worker-class", "gthread", "--threads", "2",
                   "--timeout", "300", "--graceful-timeout", "5", "--log-level", "warning",
                   "--error-logfile", str(self.log)]
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        import requests

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited ({self.process.returncode}): {self.log_text()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.base + "/healthz/", timeout=5).status_code == 200:
                    return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn {self.name} did not answer within 90 s: {self.log_text()}")

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


class _Forms(html.parser.HTMLParser):
    """Every <form> of a page: its action and the values a browser would post unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}, "first_option": {}})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("file", "submit", "button"):
                fields[a["name"]] = a.get("value", "on" if kind in ("checkbox", "radio") else "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            self.forms[-1]["first_option"].setdefault(self._select, a.get("value", ""))
            if "selected" in a:
                fields[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            if self._select and self.forms:
                form = self.forms[-1]
                if self._select not in form["fields"] and self._select in form["first_option"]:
                    form["fields"][self._select] = form["first_option"][self._select]
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class Browser:
    """A requests session that behaves as a person's browser: cookies, CSRF tokens from the page's forms."""

    def __init__(self):
        import requests

        self.session = requests.Session()

    def get(self, url: str, **kwargs):
        return self.session.get(url, timeout=300, **kwargs)

    def form(self, page_url: str, action: str) -> dict:
        """The fields of the form on `page_url` whose action ends with `action`."""
        page = self.get(page_url)
        assert page.status_code == 200, f"{page_url}: {page.status_code}"
        parser = _Forms()
        parser.feed(page.text)
        for form in parser.forms:
            if urljoin(page_url, form["action"] or page_url).endswith(action):
                return dict(form["fields"])
        raise AssertionError(f"no form posting to {action} on {page_url}")

    def submit(self, page_url: str, action: str, data: dict | None = None, files: dict | None = None):
        """Fill the form as it was shown, change `data`, post it from `page_url`; the answer unfollowed."""
        fields = {**self.form(page_url, action), **(data or {})}
        target = urljoin(page_url, action)
        return self.session.post(target, data=fields, files=files, headers={"Referer": page_url},
                                 allow_redirects=False, timeout=300)

    def login(self, base: str, username: str, password: str) -> None:
        answer = self.submit(base + "/login/", "/login/", {"username": username, "password": password})
        assert answer.status_code == 302, f"login of {username} on {base}: {answer.status_code} {answer.text[:500]}"


def messages_of(text: str) -> str:
    """The page's flash messages and form errors, for an assertion's message."""
    found = re.findall(r'class="[^"]*(?:messages|errorlist|problems)[^"]*"[^>]*>(.*?)</(?:ul|div)>', text, re.S)
    return " | ".join(re.sub(r"<[^>]+>|\s+", " ", item).strip() for item in found)[:1500]


def redis_client(url: str):
    """A client when Redis answers at `url`, else None."""
    try:
        import redis
    except ImportError:
        return None
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


def flush_prefix(client, prefix: str) -> int:
    """Delete the keys of this test's prefix only (another installation may share the Redis)."""
    keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start:start + 500])
    return len(keys)


def clean_env() -> dict:
    """The test process's environment without what would point a server elsewhere."""
    drop = ("DATABASE_URL", "REDIS_URL", "DJANGO_S3_", "AWS_", "DJANGO_MEDIA_ROOT", "DJANGO_DOCUMENT_CACHE",
            "DJANGO_CACHE_KEY_PREFIX", "DJANGO_TASKS_BACKEND", "DJANGO_PAGE_CACHE")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}

"""The mixed run's load: clients that act as staff members, reading their organisation's pages
and saving its forms as a browser does.

Each client holds one keep-alive connection and cycles over its own slice of the users (so two
clients never edit the same record at once: a version conflict would be a race of the bench, not
a fault of the server). For every action it picks, by weight, a page to read (GET, 200 expected)
or a form to save: GET the form, take the form that carries a version field with everything a
browser would send (hidden fields: version, csrfmiddlewaretoken, a once-only token; the values
as filled in; a select's selected or first option; ticked boxes only; no file), POST it back
unchanged with the browser's Origin and Referer, and expect 302 (the save's redirect). Anything
else is an error, counted by status with a few samples. The form's GET is a read ("<write> form").

    result = run("127.0.0.1", port, users, concurrency=8, duration=10, headers={...})
    result.summary()  # overall / reads / writes: requests, rps, p50, p95, errors; per action name
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlencode

from .loadgen import _Budget, _ms, open_balanced, percentile

# Of 100 actions: 90 page reads, 10 saves (each a GET of the form and its POST).
READ_WEIGHTS = {
    "home": 15,
    "plan list": 10,
    "plan page": 25,
    "progress summary": 10,
    "ITA history": 10,
    "ITA list": 5,
    "agreement page": 10,
    "announcements": 5,
}
WRITE_WEIGHTS = {"progress save": 5, "project edit": 5}
VERSION_FIELD = "version"
SAMPLES = 5


class _FormParser(HTMLParser):
    """The POST forms of a page: each a list of (name, value) as a browser would submit it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list | None = None
        self._textarea: list | None = None  # [name, text]
        self._select: dict | None = None
        self._option: list | None = None  # [value or None, text, selected]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = [] if (a.get("method") or "get").lower() == "post" else None
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.append((name, a.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = {"name": name, "options": []}
        elif tag == "option" and self._select is not None:
            self._close_option()
            self._option = [a.get("value"), "", "selected" in a]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        elif self._option is not None:
            self._option[1] += data

    def _close_option(self):
        if self._option is not None:
            value, text, selected = self._option
            self._select["options"].append((text.strip() if value is None else value, selected))
            self._option = None

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # A browser drops one newline right after <textarea>.
            self._form.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "option":
            self._close_option()
        elif tag == "select" and self._select is not None:
            self._close_option()
            options = self._select["options"]
            chosen = [v for v, selected in options if selected] or [v for v, _ in options[:1]]
            self._form += [(self._select["name"], v) for v in chosen[:1]]
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def edit_form(html: str) -> list[tuple[str, str]] | None:
    """The fields of the page's POST form that carries a version field (None when there is none)."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        if any(name == VERSION_FIELD for name, _ in form):
            return form
    return None


class MixedResult:
    """Every request of the run: (kind "read"/"write", action name, seconds, error or None)."""

    def __init__(self, concurrency: int):
        self.concurrency = concurrency
        self.elapsed = 0.0
        self.records: list[tuple[str, str, float, str | None]] = []
        self.statuses: Counter = Counter()
        self.samples: list[str] = []
        self.users: set[str] = set()

    def _stats(self, records) -> dict:
        latencies = sorted(seconds for _, _, seconds, _ in records)
        errors = sum(1 for *_, error in records if error)
        return {"requests": len(latencies), "errors": errors,
                "rps": round(len(latencies) / self.elapsed, 2) if self.elapsed else 0.0,
                "p50_ms": _ms(percentile(latencies, 0.5)), "p95_ms": _ms(percentile(latencies, 0.95))}

    def summary(self) -> dict:
        by_name = defaultdict(list)
        for record in self.records:
            by_name[record[1]].append(record)
        return {
            "concurrency": self.concurrency, "seconds": round(self.elapsed, 3), "users": len(self.users),
            "overall": self._stats(self.records),
            "reads": self._stats([r for r in self.records if r[0] == "read"]),
            "writes": self._stats([r for r in self.records if r[0] == "write"]),
            "by_action": {name: self._stats(rows) for name, rows in sorted(by_name.items())},
            "statuses": {str(k): v for k, v in sorted(self.statuses.items(), key=str)},
            "error_samples": self.samples,
        }


class _Client(threading.Thread):
    def __init__(self, host, port, users, headers, timeout, budget, connection, seed, weights):
        super().__init__(daemon=True)
        self.host, self.port, self.users, self.headers, self.timeout = host, port, users, headers, timeout
        self.budget, self.connection = budget, connection
        self.random = random.Random(seed)
        self.names, self.weights = list(weights), list(weights.values())
        self.records: list = []
        self.statuses: Counter = Counter()
        self.samples: list[str] = []
        self.used: set[str] = set()
        scheme = "https" if headers.get("X-Forwarded-Proto") == "https" else "http"
        self.origin = f"{scheme}://{headers.get('Host') or f'{host}:{port}'}"

    def _request(self, method, path, headers, body=None):
        """(status, body text, seconds); status is "timeout"/"connection" when no answer came."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = None
            kind = "timeout" if isinstance(error, TimeoutError) else "connection"
            return kind, f"{type(error).__name__}: {error}", time.perf_counter() - started
        seconds = time.perf_counter() - started
        if response.will_close:
            self.connection.close()
            self.connection = None
        text = data.decode("utf-8", "replace")
        if response.status in (301, 302, 303):
            text = response.getheader("Location") or ""
        return response.status, text, seconds

    def _record(self, kind, name, method, path, status, text, seconds, expected):
        self.statuses[status] += 1
        error = None if status == expected else f"{method} {path} ({name}): {status}"
        if error:
            detail = text if isinstance(status, str) or status in (301, 302, 303) else _excerpt(text)
            if len(self.samples) < SAMPLES:
                self.samples.append(f"{error} {detail}".strip())
        self.records.append((kind, name, seconds, error))
        return error is None

    def run(self):
        turn = 0
        try:
            while self.budget.take():
                user = self.users[turn % len(self.users)]
                turn += 1
                self.used.add(user["username"])
                name = self.random.choices(self.names, self.weights)[0]
                headers = {**self.headers, "Cookie": user["cookie"]}
                if name in user["reads"]:
                    path = user["reads"][name]
                    status, text, seconds = self._request("GET", path, headers)
                    self._record("read", name, "GET", path, status, text, seconds, 200)
                    continue
                path = user["writes"][name]
                status, text, seconds = self._request("GET", path, headers)
                if not self._record("read", f"{name} form", "GET", path, status, text, seconds, 200):
                    continue
                fields = edit_form(text)
                if fields is None:
                    self._record("write", name, "POST", path, "no form", "", 0.0, 302)
                    continue
                post_headers = {**headers, "Content-Type": "application/x-www-form-urlencoded",
                                "Origin": self.origin, "Referer": self.origin + path}
                status, text, seconds = self._request("POST", path, post_headers, urlencode(fields).encode())
                self._record("write", name, "POST", path, status, text, seconds, 302)
        finally:
            if self.connection is not None:
                self.connection.close()


def _excerpt(html: str) -> str:
    """The messages of an answer that was not the expected one (errors shown on the form)."""
    for marker in ('class="errorlist', 'role="alert"', "<title>"):
        at = html.find(marker)
        if at >= 0:
            return " ".join(html[at:at + 300].split())
    return " ".join(html[:200].split())


def slices(users: list[dict], concurrency: int) -> list[list[dict]]:
    """Each client's own users: distinct clients, distinct users (and organisations)."""
    if len(users) < concurrency:
        raise ValueError(f"{len(users)} users for {concurrency} clients: each client needs its own")
    return [users[i::concurrency] for i in range(concurrency)]


def run(host: str, port: int, users: list[dict], *, concurrency: int = 8, duration: float | None = 10.0,
        max_actions: int = 1_000_000, headers: dict | None = None, timeout: float = 120.0, seed: int = 0,
        weights: dict[str, int] | None = None, owner: Callable[[int], object] | None = None,
        owners: int = 1) -> MixedResult:
    """`concurrency` clients act until `duration` seconds have passed or `max_actions` actions
    were started; with `owner` their connections are first spread over the workers (loadgen)."""
    headers = {"Connection": "keep-alive", "User-Agent": "lao-integrity-bench", **(headers or {})}
    weights = weights or {**READ_WEIGHTS, **WRITE_WEIGHTS}
    opened = (open_balanced(host, port, "/healthz/", count=concurrency, headers=headers, timeout=timeout,
                            owner=owner, owners=owners) if owner is not None and concurrency > 1 else [])
    opened += [None] * (concurrency - len(opened))
    started = time.perf_counter()
    budget = _Budget(started + duration if duration is not None else None, max_actions)
    clients = [_Client(host, port, mine, headers, timeout, budget, connection, seed * 1000 + i, weights)
               for i, (mine, connection) in enumerate(zip(slices(users, concurrency), opened, strict=True))]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    result = MixedResult(concurrency)
    result.elapsed = time.perf_counter() - started
    for client in clients:
        result.records += client.records
        result.statuses.update(client.statuses)
        result.users |= client.used
        result.samples += client.samples[: max(0, SAMPLES - len(result.samples))]
    return result

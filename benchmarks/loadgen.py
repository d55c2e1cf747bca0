"""A small load generator: N threads, each with its own keep-alive HTTP connection, sending GETs.

Every request's latency is recorded (from sending the request to the end of the body). Any
response other than 200 is an error and is counted by status; a request that gets no answer
within the timeout, or whose connection fails, is counted as an error too ("timeout",
"connection") and the connection is reopened. The run is bounded by time and by a request count, whichever comes
first, and it only ever talks to the host it is given (the benchmark gives it 127.0.0.1).

    result = run("127.0.0.1", 8000, "/healthz/", concurrency=8, duration=10)
    result.rps, result.p50, result.p95, result.errors

The client runs on the same two cores as the server, so absolute numbers are modest; the benchmark
reports each page as a ratio to the trivial view measured the same way in the same run.
"""

import http.client
import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

DEFAULT_MAX_REQUESTS = 200_000


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks; `sorted_values` ascending; None when empty."""
    if not sorted_values:
        return None
    position = (len(sorted_values) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return sorted_values[low]
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


@dataclass
class LoadResult:
    path: str
    concurrency: int
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, every completed request
    # HTTP status -> count; "timeout" (no answer within the timeout) and "connection" for failures
    statuses: Counter = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)  # a few descriptions of errors, for the report
    bytes_received: int = 0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status != 200)

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def quantile(self, fraction: float) -> float | None:
        return percentile(sorted(self.latencies), fraction)

    @property
    def p50(self) -> float | None:
        return self.quantile(0.50)

    @property
    def p95(self) -> float | None:
        return self.quantile(0.95)

    @property
    def p99(self) -> float | None:
        return self.quantile(0.99)

    def as_dict(self) -> dict:
        return {
            "path": self.path, "concurrency": self.concurrency, "seconds": round(self.elapsed, 3),
            "requests": self.requests, "errors": self.errors,
            "statuses": {str(status): count for status, count in sorted(self.statuses.items(), key=str)},
            "error_samples": self.error_samples,
            "rps": round(self.rps, 2),
            "p50_ms": _ms(self.p50), "p95_ms": _ms(self.p95), "p99_ms": _ms(self.p99),
            "max_ms": _ms(max(self.latencies)) if self.latencies else None,
            "mean_response_bytes": round(self.bytes_received / self.requests) if self.requests else 0,
        }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


class _Worker(threading.Thread):
    def __init__(self, host: str, port: int, path: str, headers: dict, timeout: float, budget: "_Budget",
                 connection: http.client.HTTPConnection | None = None):
        super().__init__(daemon=True)
        self.host, self.port, self.path, self.headers, self.timeout = host, port, path, headers, timeout
        self.budget = budget
        self.connection = connection  # opened beforehand (open_balanced), or None
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.error_samples: list[str] = []
        self.bytes_received = 0

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def _error(self, status, description: str) -> None:
        self.statuses[status] += 1
        if len(self.error_samples) < 3:
            self.error_samples.append(description)

    def run(self) -> None:
        connection = self.connection or self._connect()
        try:
            while self.budget.take():
                started = time.perf_counter()
                try:
                    connection.request("GET", self.path, headers=self.headers)
                    response = connection.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException) as error:
                    self.latencies.append(time.perf_counter() - started)
                    kind = "timeout" if isinstance(error, TimeoutError) else "connection"
                    self._error(kind, f"{type(error).__name__}: {error}")
                    connection.close()
                    connection = self._connect()
                    continue
                self.latencies.append(time.perf_counter() - started)
                self.bytes_received += len(body)
                if response.status == 200:
                    self.statuses[200] += 1
                else:
                    location = response.getheader("Location")
                    self._error(response.status, f"HTTP {response.status} {response.reason}"
                                + (f" -> {location}" if location else ""))
                if response.will_close:
                    connection.close()
                    connection = self._connect()
        finally:
            connection.close()


class _Budget:
    """Shared stop condition: a deadline and a maximum number of requests."""

    def __init__(self, deadline: float | None, max_requests: int):
        self.deadline, self.remaining = deadline, max_requests
        self.lock = threading.Lock()

    def take(self) -> bool:
        if self.deadline is not None and time.perf_counter() >= self.deadline:
            return False
        with self.lock:
            if self.remaining <= 0:
                return False
            self.remaining -= 1
            return True


def open_balanced(host: str, port: int, path: str, *, count: int, headers: dict, timeout: float,
                  owner: Callable[[int], object], owners: int) -> list[http.client.HTTPConnection]:
    """`count` keep-alive connections spread evenly over the server's `owners` worker processes.

    A pre-fork server's workers race to accept each new connection, and a keep-alive connection
    stays with the worker that accepted it: left to chance, all 8 clients sometimes land on one of
    2 workers, which then serves alone on one core, and the run measures that instead of the page.
    So each connection sends one request, `owner(local_port)` says which worker holds it, and a
    connection to a worker that has its share already is closed and opened again."""
    share = math.ceil(count / max(1, owners))
    kept: list[http.client.HTTPConnection] = []
    load: Counter = Counter()
    for _ in range(count * 20):
        if len(kept) == count:
            break
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        connection.request("GET", path, headers=headers)
        connection.getresponse().read()
        holder = owner(connection.sock.getsockname()[1])
        if holder is not None and load[holder] >= share:
            connection.close()
            continue
        load[holder] += 1
        kept.append(connection)
    return kept  # fewer than `count` only if the server never spread them; the rest connect as they may


def run(host: str, port: int, path: str, *, concurrency: int = 8, duration: float | None = 10.0,
        max_requests: int = DEFAULT_MAX_REQUESTS, headers: dict | None = None, timeout: float = 120.0,
        owner: Callable[[int], object] | None = None, owners: int = 1) -> LoadResult:
    """GET `path` from `concurrency` keep-alive connections until `duration` seconds have passed or
    `max_requests` were sent (at least one of the two must bound the run). Requests in flight at
    the deadline are completed and counted; `elapsed` runs until the last of them. With `owner`
    (see open_balanced) the connections are spread evenly over the server's `owners` workers
    before the run starts."""
    if duration is None and not max_requests:
        raise ValueError("a load run needs a duration or a request count")
    headers = {"Connection": "keep-alive", "User-Agent": "lao-integrity-bench", **(headers or {})}
    opened = (open_balanced(host, port, path, count=concurrency, headers=headers, timeout=timeout, owner=owner,
                            owners=owners) if owner is not None and concurrency > 1 else [])
    opened += [None] * (concurrency - len(opened))
    started = time.perf_counter()
    budget = _Budget(started + duration if duration is not None else None, max_requests)
    workers = [_Worker(host, port, path, headers, timeout, budget, connection) for connection in opened]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    result = LoadResult(path=path, concurrency=concurrency, elapsed=time.perf_counter() - started)
    for worker in workers:
        result.latencies += worker.latencies
        result.statuses.update(worker.statuses)
        result.bytes_received += worker.bytes_received
        result.error_samples += worker.error_samples[: max(0, 5 - len(result.error_samples))]
    return result

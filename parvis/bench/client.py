"""A small HTTP/1.1 load client: threads, each with one keep-alive ``http.client`` connection.

It spends little CPU (the server shares the machine's cores), keeps cookies per connection
(CSRF and session, like a browser), and records each request's status and latency.
"""

import http.client
import math
import queue
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: list[tuple[str, str]]
    seconds: float

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")


class Session:
    """One client with its cookies, on a keep-alive connection reopened if the server closes it.

    With ``keep_alive=False`` every request opens its own connection (``Connection: close``);
    with ``requests_per_connection`` N, a new connection is opened after every N requests
    (as a browser whose idle connection the server closed after its keep-alive time).
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        headers: Mapping[str, str] | None = None,
        keep_cookies: Iterable[str] = ("csrftoken", "sessionid"),
        keep_alive: bool = True,
        requests_per_connection: int = 0,
    ) -> None:
        self.host, self.port = host, port
        self.requests_per_connection = requests_per_connection
        self.sent_on_connection = 0
        self.headers = dict(headers or {})
        if not keep_alive:
            self.headers["Connection"] = "close"
        self.keep_cookies = set(keep_cookies)
        self.cookies: dict[str, str] = {}
        self.csrf = ""  # the form token of the page the session opened, if any
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        all_headers = {**self.headers, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.requests_per_connection and self.sent_on_connection >= self.requests_per_connection:
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.sent_on_connection = 0
        self.sent_on_connection += 1
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            raise
        seconds = time.perf_counter() - started
        headers_list = response.getheaders()
        for name, value in headers_list:
            if name.lower() == "set-cookie":
                cookie: SimpleCookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    if key in self.keep_cookies:
                        self.cookies[key] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return Response(response.status, data, headers_list, seconds)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, fields: Sequence[tuple[str, str]]) -> Response:
        from urllib.parse import urlencode

        return self.request(
            "POST",
            path,
            body=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def close(self) -> None:
        self.conn.close()


def csrf_token(html: bytes) -> str:
    match = _CSRF_INPUT.search(html)
    if match is None:
        raise RuntimeError("no csrfmiddlewaretoken in the page")
    return match.group(1).decode()


@dataclass
class PhaseResult:
    """What one phase of load produced."""

    name: str
    concurrency: int
    requests: int = 0
    ok: int = 0
    errors: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    by_label: dict[str, list[float]] = field(default_factory=dict)
    wall_seconds: float = 0.0
    started_at: float = 0.0  # perf_counter() at the first request
    ended_at: float = 0.0  # perf_counter() at the last response
    client_cpu_seconds: float = 0.0
    error_samples: list[str] = field(default_factory=list)

    def throughput(self) -> float:
        return self.ok / self.wall_seconds if self.wall_seconds else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "ok": self.ok,
            "errors": self.errors,
            "statuses": dict(sorted(self.statuses.items())),
            "concurrency": self.concurrency,
            "wall_seconds": round(self.wall_seconds, 2),
            "per_second": round(self.throughput(), 1),
            "latency_ms": latency_summary(self.latencies),
            "client_cpu_seconds": round(self.client_cpu_seconds, 2),
        }


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: a value that was actually observed)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    if not seconds:
        return {}
    return {
        "p50": round(percentile(seconds, 50) * 1000, 1),
        "p95": round(percentile(seconds, 95) * 1000, 1),
        "p99": round(percentile(seconds, 99) * 1000, 1),
        "max": round(max(seconds) * 1000, 1),
        "mean": round(sum(seconds) / len(seconds) * 1000, 1),
    }


@dataclass(frozen=True)
class Task:
    """One request: ``send(session)`` returns the response; ``ok`` says if it did its job."""

    label: str
    send: Callable[[Session], Response]
    ok: Callable[[Response], bool]


def run_phase(
    name: str,
    tasks: Sequence[Task],
    *,
    concurrency: int,
    open_session: Callable[[], Session],
    on_start: Callable[[], None] = lambda: None,
    on_end: Callable[[], None] = lambda: None,
) -> PhaseResult:
    """Run the tasks on ``concurrency`` sessions at once, as fast as the server answers.

    Sessions are opened (and logged in) before the clock starts; the phase lasts from the
    moment all sessions are ready until the last response. ``on_start`` and ``on_end`` run
    just before the first request and just after the last one (to sample CPU counters).
    """
    result = PhaseResult(name=name, concurrency=concurrency)
    pending: queue.SimpleQueue[Task] = queue.SimpleQueue()
    for task in tasks:
        pending.put(task)
    lock = threading.Lock()
    ready = threading.Barrier(concurrency + 1)
    go = threading.Event()
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            session = open_session()
        except BaseException as error:  # reported below, the barrier must not wait forever
            failures.append(error)
            ready.abort()
            return
        try:
            ready.wait()
        except threading.BrokenBarrierError:
            return
        go.wait()
        while True:
            try:
                task = pending.get_nowait()
            except queue.Empty:
                break
            _run_task(task, session, result, lock)
        session.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    try:
        ready.wait()
    except threading.BrokenBarrierError:
        raise SystemExit(f"bench: {name}: could not open a session: {failures[:1]}") from None
    on_start()
    cpu_before, started = time.process_time(), time.perf_counter()
    go.set()
    for thread in threads:
        thread.join()
    result.started_at, result.ended_at = started, time.perf_counter()
    result.wall_seconds = result.ended_at - started
    result.client_cpu_seconds = time.process_time() - cpu_before
    on_end()
    return result


def _run_task(task: Task, session: Session, result: PhaseResult, lock: threading.Lock) -> None:
    try:
        response = task.send(session)
    except (OSError, http.client.HTTPException) as error:
        with lock:
            result.requests += 1
            result.errors += 1
            result.statuses["connection-error"] += 1
            if len(result.error_samples) < 5:
                result.error_samples.append(f"{task.label}: {error!r}")
        return
    good = task.ok(response)
    with lock:
        result.requests += 1
        result.statuses[str(response.status)] += 1
        result.latencies.append(response.seconds)
        result.by_label.setdefault(task.label, []).append(response.seconds)
        if not 200 <= response.status < 400:
            result.errors += 1
        if good:
            result.ok += 1
        elif len(result.error_samples) < 5:
            result.error_samples.append(
                f"{task.label}: HTTP {response.status} {response.body[:300]!r}"
            )


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)

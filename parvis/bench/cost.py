"""``python -m parvis.bench.cost``: the CPU and the statements of a ticket creation, in-process.

``make bench`` gives rates, which move with whatever else the machine runs. This gives what
a change is judged by: per creation, the CPU of the web side (the WSGI application called
as gunicorn calls it, every middleware included), of the worker (``dispatch_pending`` on
the deliveries those creations recorded, divided by the creations too) and of the
PostgreSQL backend serving them, with the number of SQL statements and of cache round
trips. CPU time counts only this process's work (and its backend's), not the other
processes' on a shared machine.

Run it with the bench's environment (``DATABASE_URL`` of a seeded bench database,
``REDIS_URL``); what it creates is deleted at the end. ``--profile web-api`` (or
``web-portal``, ``worker``) prints a cProfile of that part to stderr.
"""

import argparse
import cProfile
import io
import itertools
import json
import os
import pstats
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

PROFILES = ("web-api", "web-portal", "worker", "web-ticket")
PROFILE_FILE = "parvis-cost.prof"  # in the current directory, for pstats or snakeviz
WARM_UP = 30  # requests before the measure: templates loaded, statements prepared


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m parvis.bench.cost", description=__doc__)
    parser.add_argument("--api", type=int, default=500, help="API creations to measure")
    parser.add_argument("--portal", type=int, default=500, help="portal creations to measure")
    parser.add_argument(
        "--ticket-pages",
        type=int,
        default=0,
        help="agents' ticket pages to measure (random tickets, the bench agent logged in)",
    )
    parser.add_argument("--batch", type=int, default=50, help="deliveries per worker batch")
    parser.add_argument("--profile", choices=PROFILES, default="")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--statements", action="store_true", help="print the SQL of one request of each kind"
    )
    args = parser.parse_args(argv)
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", "--noinput", verbosity=0)  # the pages name hashed files

    from parvis.accounts.actions import api_token_issue
    from parvis.accounts.models import Requester
    from parvis.bench import fixtures, scenarios
    from parvis.bench.__main__ import BENCH_PASSWORD, PORTAL_FORM_SLUG
    from parvis.bench.client import csrf_token
    from parvis.tickets.models import Ticket

    agent = fixtures.bench_agent_ensure(BENCH_PASSWORD)
    token = api_token_issue(user=agent, rotate=True)
    last_ticket = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_requester = Requester.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    known = list(
        Requester.objects.exclude(email="").order_by("pk").values_list("email", flat=True)[:5000]
    )
    app = application()
    results: dict[str, Any] = {"database": connection.vendor}
    try:
        api = scenarios.Generator(seed=args.seed, known_emails=known, public_only=False)

        def api_post() -> int:
            submission = api.submission(free_text_share=scenarios.FREE_TEXT_SHARE)
            return app.call(
                "POST",
                "/api/v1/tickets/",
                body=scenarios.api_body(submission),
                content_type="application/json",
                headers={"HTTP_AUTHORIZATION": f"Token {token}"},
            )

        results["api"] = _measure("web-api", api_post, 201, args)
        results["api_worker"] = _worker(args, creations=args.api + args.statements)

        portal = scenarios.Generator(seed=args.seed + 1, known_emails=known, public_only=True)
        status, page = app.get(f"/demarches/{PORTAL_FORM_SLUG}/")
        assert status == 200, status
        csrf = csrf_token(page)

        def portal_post() -> int:
            submission = portal.submission()
            return app.call(
                "POST",
                f"/demarches/{submission.slug}/",
                body=urlencode(scenarios.portal_fields(submission, csrf)).encode(),
                content_type="application/x-www-form-urlencoded",
            )

        results["portal"] = _measure("web-portal", portal_post, 302, args)
        results["portal_worker"] = _worker(args, creations=args.portal + args.statements)
        if args.ticket_pages:
            results["ticket_page"] = _ticket_pages(app, args)
    finally:
        _flush_jobs()
        fixtures.delete_created_after(ticket_id=last_ticket, requester_id=last_requester)
    print(json.dumps(results, indent=2))


def django_setup() -> tuple[str, Path]:
    """Django set up with the bench server's environment (its lifted form limits too), but
    for what is set already; the database's URL and the data directory."""
    from parvis.bench.database import database_url
    from parvis.bench.server import server_environment

    data_dir = Path(os.environ.get("PARVIS_DATA_DIR", "/tmp/parvis-bench-cost"))  # noqa: S108
    data_dir.mkdir(exist_ok=True)
    url = os.environ.get("DATABASE_URL", database_url())
    for name, value in server_environment(url, data_dir).items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parvis.settings")
    import django

    django.setup()
    return url, data_dir


def _measure(
    name: str, send: Callable[[], int], expected: int, args: argparse.Namespace
) -> dict[str, Any]:
    """CPU, statements and cache calls per request of ``send`` (after a warm-up)."""
    from parvis.tickets.outbox import dispatch_pending

    count = {"web-api": args.api, "web-portal": args.portal}.get(name, args.ticket_pages)
    if not count:  # nothing of this kind measured (nor shown with --statements)
        return {}
    for _ in range(WARM_UP):
        _check(send(), expected)
    dispatch_pending()  # the warm-up's deliveries out of the way of the worker's measure
    if args.statements:
        with counting(show=True):
            _check(send(), expected)
    with counting() as counts, _profiled(args.profile == name), cpu_spent() as cpu:
        for _ in range(count):
            _check(send(), expected)
    return per_request(cpu, counts, count)


def _ticket_pages(app: "_Wsgi", args: argparse.Namespace) -> dict[str, Any]:
    """The agents' ticket page of random tickets, as the bench's agent opens them (logged in
    with its second factor, as ``parvis.bench.__main__.agent_session``)."""
    import random

    from parvis.bench.__main__ import BENCH_PASSWORD, BENCH_TOTP_KEY, BENCH_USERNAME, totp_code
    from parvis.bench.client import csrf_token
    from parvis.tickets.models import Ticket

    agent = _Wsgi(keep=("csrftoken", "sessionid"))
    status, page = agent.get("/agents/connexion/")
    _check(status, 200)
    login = [
        ("csrfmiddlewaretoken", csrf_token(page)),
        ("username", BENCH_USERNAME),
        ("password", BENCH_PASSWORD),
        ("next", "/agents/"),
    ]
    _check(agent.post_form("/agents/connexion/", login), 302)
    status, page = agent.get("/agents/connexion/code/")
    if status == 200:
        code = [
            ("csrfmiddlewaretoken", csrf_token(page)),
            ("code", totp_code(BENCH_TOTP_KEY, time.time())),
            ("next", "/agents/"),
        ]
        _check(agent.post_form("/agents/connexion/code/", code), 302)
    ids = list(Ticket.objects.order_by("pk").values_list("reference", flat=True))
    references = random.Random(args.seed).sample(ids, min(len(ids), args.ticket_pages + WARM_UP))
    pages = iter(references)
    del app  # the agent's own client: its session cookie is kept

    def open_page() -> int:
        return agent.get(f"/agents/demandes/{next(pages)}/")[0]

    return _measure("web-ticket", open_page, 200, args)


def _worker(args: argparse.Namespace, *, creations: int) -> dict[str, Any]:
    """The worker's share: the deliveries of the creations just measured, in batches.

    Per creation (a creation records one delivery per subscriber of its events: the
    acknowledgement, the deadlines, a workflow's first step), and the deliveries counted.
    """
    from parvis.tickets.models import EventDelivery
    from parvis.tickets.outbox import _deliver_batch, dispatch_pending

    pending = EventDelivery.objects.filter(delivered_at__isnull=True, failed_at__isnull=True)
    deliveries = pending.count()
    if not deliveries:
        return {}
    if args.statements:  # one creation's deliveries, as one batch
        batch = round(deliveries / creations)
        with counting(show=True):
            deliveries -= _deliver_batch(batch)[1]
        creations -= 1
        if not deliveries or not creations:
            return {}
    with counting() as counts, _profiled(args.profile == "worker"), cpu_spent() as cpu:
        delivered = dispatch_pending(limit=args.batch)
    assert delivered == deliveries, (delivered, deliveries)
    return per_request(cpu, counts, creations) | {
        "deliveries_per_creation": round(deliveries / creations, 2)
    }


def _check(status: int, expected: int) -> None:
    if status != expected:
        raise SystemExit(f"bench.cost: answered {status}, expected {expected}")


def per_request(cpu: dict[str, float], counts: dict[str, int], count: int) -> dict[str, Any]:
    return {
        "requests": count,
        "cpu_ms": round(1000 * cpu["python"] / count, 2),
        "postgres_cpu_ms": round(1000 * cpu["postgres"] / count, 2),
        "statements": round(counts["statements"] / count, 2),
        "cache_calls": round(counts["cache"] / count, 2),
    }


@contextmanager
def cpu_spent() -> Iterator[dict[str, float]]:
    """This process's CPU time, and its PostgreSQL backend's (from /proc, same machine)."""
    from django.db import connection

    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    result: dict[str, float] = {}
    started, started_pg = time.process_time(), process_seconds(backend)
    yield result
    result["python"] = time.process_time() - started
    result["postgres"] = process_seconds(backend) - started_pg


def process_seconds(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def counting(*, show: bool = False) -> Iterator[dict[str, int]]:
    """SQL statements (every one sent, by an execute wrapper) and calls to the Redis client."""
    from django.db import connection

    counts = {"statements": 0, "cache": 0}

    def count_statement(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counts["statements"] += 1
        if show:
            print(f"  SQL {sql[:300]}", file=sys.stderr)
        return execute(sql, params, many, context)

    undo = _count_redis(counts, show)
    try:
        with connection.execute_wrapper(count_statement):
            yield counts
    finally:
        undo()


def _count_redis(counts: dict[str, int], show: bool) -> Callable[[], None]:
    """Count every command sent to Redis (cache and job queue), pipelines as one."""
    try:
        import redis
    except ImportError:  # pragma: no cover - Redis is a dependency of the bench
        return lambda: None
    originals = (redis.Redis.execute_command, redis.client.Pipeline.execute)

    def command(self: Any, *args: Any, **options: Any) -> Any:
        counts["cache"] += 1
        if show:
            print(f"  REDIS {args[:2]}", file=sys.stderr)
        return originals[0](self, *args, **options)  # type: ignore[no-untyped-call]

    def pipeline(self: Any, *args: Any, **options: Any) -> Any:
        counts["cache"] += 1
        if show:
            print(f"  REDIS pipeline {[c[0][:2] for c in self.command_stack]}", file=sys.stderr)
        return originals[1](self, *args, **options)

    redis.Redis.execute_command = command  # type: ignore[method-assign]
    redis.client.Pipeline.execute = pipeline  # type: ignore[method-assign]

    def undo() -> None:
        redis.Redis.execute_command, redis.client.Pipeline.execute = originals  # type: ignore[method-assign]

    return undo


@contextmanager
def _profiled(enabled: bool) -> Iterator[None]:
    if not enabled:
        yield
        return
    profile = cProfile.Profile(time.process_time)  # CPU, not the waits on sockets
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        profile.dump_stats(PROFILE_FILE)
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
        print(out.getvalue(), file=sys.stderr)


def _flush_jobs() -> None:
    """The wake-ups the creations enqueued: nobody consumes them here."""
    from huey.contrib.djhuey import HUEY

    HUEY.flush()


class _Wsgi:
    """The WSGI application gunicorn serves (``parvis.wsgi``), called as gunicorn calls it:
    an environ, bytes back."""

    def __init__(self, keep: tuple[str, ...] = ("csrftoken",)) -> None:
        from parvis.wsgi import application

        self.handler = application
        self.keep = keep
        self.cookies: dict[str, str] = {}
        self.port = itertools.count(40000)

    def get(self, path: str) -> tuple[int, bytes]:
        return self._call("GET", path, b"", "", {})

    def call(
        self,
        method: str,
        path: str,
        *,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> int:
        return self._call(method, path, body, content_type, headers or {})[0]

    def post_form(self, path: str, fields: list[tuple[str, str]]) -> int:
        body = urlencode(fields).encode()
        return self.call("POST", path, body=body, content_type="application/x-www-form-urlencoded")

    def _call(
        self, method: str, path: str, body: bytes, content_type: str, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "REMOTE_PORT": str(next(self.port)),
            "HTTP_HOST": "127.0.0.1:8000",
            "HTTP_ACCEPT": "application/json"
            if content_type == "application/json"
            else "text/html",
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
            **headers,
        }
        if body:
            environ["CONTENT_TYPE"] = content_type
            environ["CONTENT_LENGTH"] = str(len(body))
        # By default only the CSRF cookie is kept, as by the bench's citizens (a new session
        # each post); an agent keeps its session too.
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answer: dict[str, Any] = {}

        def start_response(
            status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
        ) -> None:
            answer["status"] = int(status.split()[0])
            for name, value in response_headers:
                if name.lower() == "set-cookie":
                    cookie, _sep, cookie_value = value.split(";", 1)[0].partition("=")
                    if cookie in self.keep:
                        self.cookies[cookie] = cookie_value

        chunks = self.handler(environ, start_response)  # type: ignore[arg-type]
        try:
            content = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return int(answer["status"]), content


def application() -> _Wsgi:
    return _Wsgi()


if __name__ == "__main__":
    main()

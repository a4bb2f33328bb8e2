"""``python -m parvis.bench`` (``make bench``): Parvis measured on 100,000 tickets in PostgreSQL.

Prepares the database (created, migrated and seeded once, then reused), starts gunicorn
and the Huey worker, loads them over real HTTP and prints ONE JSON object on stdout;
progress goes to stderr. A ticket creation counts once its whole work is done: the worker
has delivered its events and written its acknowledgement. See docs/benchmarks.md for what
is measured and the figures obtained.
"""

import argparse
import hashlib
import hmac
import itertools
import json
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import redis

from parvis.bench import database, machine, scenarios
from parvis.bench import mail as mail_phase
from parvis.bench import search as search_phase
from parvis.bench import triage as triage_phase
from parvis.bench.client import (
    PhaseResult,
    Response,
    Session,
    Task,
    csrf_token,
    latency_summary,
    progress,
    run_phase,
)
from parvis.bench.server import (
    GunicornConfig,
    Server,
    collect_static,
    redis_url,
    server_environment,
    temporary_data_dir,
)
from parvis.bench.worker import Outbox, Worker, WorkerConfig, drain_summary

BENCH_PASSWORD = "mesure-de-la-performance-de-parvis"  # noqa: S105 - throwaway bench database
SEED_TICKETS = 100_000
SEED_REQUESTERS = 30_000
# Chosen after measuring several configurations on 2 cores, the worker running beside
# (docs/benchmarks.md, "gunicorn and worker"): two processes use less CPU per ticket than four.
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4
DISTURBED_PERCENT = 10  # other processes' share of the machine that makes figures doubtful
DEFAULT_HUEY_THREADS = 1  # one job thread: less CPU per ticket than two, and larger batches
TARGETS = {
    "api_tickets_per_second": 300,
    "portal_tickets_per_second": 250,
    "queue_page_p95_ms": 100,
    "ticket_page_p95_ms": 60,
    "mail_sqlite_messages_per_second": 200,
    "mail_postgres_messages_per_second": 200,
    "triage_predict_ms_p95": 5,
    "triage_train_100k_seconds": 120,
    "ticket_search_p95_ms": 150,  # with 1,000,000 tickets (--search-tickets)
    "document_search_p95_ms": 20,  # among 1,000 documents
}
# What must be nothing at the end of the creation phases: the whole work was done.
MUST_BE_ZERO = ("deliveries_pending_at_end", "deliveries_failed", "acknowledgements_missing")
BENCH_USERNAME = "bench"  # created by parvis.bench.fixtures
BENCH_TOTP_KEY = "01" * 20  # the bench agent's authenticator, as parvis.bench.fixtures
PORTAL_FORM_SLUG = "nid-de-poule"  # the page a citizen's browser opens before posting
# An agent's browser keeps its connection while the agent moves from page to page, and
# opens another after a pause longer than gunicorn's keep-alive (30 s): two agents' pages
# then land on the processes as each new connection is accepted — by the process free to
# accept it first —, not as two connections decided once for a whole phase (which made the
# page phases' p95 a draw between "both agents in one process" and "one in each": docs/
# benchmarks.md, session 8). A new connection every ten pages samples that landing thirty
# times in a phase of 300 pages.
PAGES_PER_CONNECTION = 10


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m parvis.bench", description=__doc__)
    parser.add_argument("--reseed", action="store_true", help="drop and recreate the database")
    parser.add_argument("--tickets", type=int, default=SEED_TICKETS, help="tickets to seed")
    parser.add_argument("--api-requests", type=int, default=3000)
    parser.add_argument("--portal-requests", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=16, help="for the API and the portal")
    parser.add_argument("--page-requests", type=int, default=300)
    parser.add_argument("--page-concurrency", type=int, default=2)
    parser.add_argument(
        "--page-connections",
        choices=["keep-alive", "close"],
        default="keep-alive",
        help="agents' pages: connections kept alive like a browser's (default), or one per request",
    )
    parser.add_argument(
        "--pages-per-connection",
        type=int,
        default=PAGES_PER_CONNECTION,
        help="agents' pages: a new keep-alive connection after this many pages (0: one "
        "connection per agent for the whole phase)",
    )
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument(
        "--huey-workers",
        type=int,
        default=DEFAULT_HUEY_THREADS,
        help="job threads of the Huey worker (HUEY_WORKERS); 0: no worker, requests only",
    )
    parser.add_argument(
        "--compare",
        default="",
        metavar="WxT[+H],...",
        help="also measure these configurations first: gunicorn workers x threads, and "
        "optionally + Huey threads, e.g. 2x4,3x4+1,4x4+2",
    )
    parser.add_argument(
        "--phases",
        default="queue,ticket,api,portal,mail,triage,search",
        help="which measurements, in this order (mail: `parvis mail ingest`, on its own "
        "databases; triage: the classifier, in this process; search: the agents' ticket "
        "search and the document search, on a database of its own)",
    )
    parser.add_argument(
        "--search-tickets",
        type=int,
        default=search_phase.SEARCH_TICKETS,
        help="tickets in the search phase's database (seeded once, then reused)",
    )
    parser.add_argument("--mail-messages", type=int, default=1000)
    parser.add_argument(
        "--mail-runs", type=int, default=1, help="mail ingestion runs per database (the best kept)"
    )
    parser.add_argument(
        "--keep-created",
        action="store_true",
        help="keep the tickets the run created (default: deleted at the end)",
    )
    return parser.parse_args(argv)


def seeding(url: str, data_dir: Path, *args: str) -> dict[str, Any]:
    """Run ``python -m parvis.bench.seeding`` against the bench database; its JSON line."""
    command = [sys.executable, "-m", "parvis.bench.seeding", *args]
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        command,
        env=server_environment(url, data_dir),
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench: seeding failed (exit {result.returncode})")
    parsed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def prepare_database(
    url: str, data_dir: Path, args: argparse.Namespace
) -> tuple[str, dict[str, Any]]:
    """The database with its tickets (seeded only when needed) and the bench agent's token."""
    env = server_environment(url, data_dir)
    existing = database.ticket_count(url)
    info: dict[str, Any] = {"reseeded": False}
    password = ["--password", BENCH_PASSWORD]
    if args.reseed or existing < args.tickets:
        progress(f"(re)creating the database ({existing} tickets found, {args.tickets} wanted)")
        database.recreate(url)
        database.manage(url, "migrate", "--noinput", env=env)
        database.manage(url, "load-catalog", env=env)
        seeding(url, data_dir, *password)  # the agent first: some tickets are assigned to it
        progress(f"seeding {args.tickets} tickets")
        amounts = ["--tickets", str(args.tickets), "--requesters", str(SEED_REQUESTERS)]
        seeded = seeding(url, data_dir, *password, *amounts)
        info = {"reseeded": True, "seed_seconds": seeded["seconds"], "written": seeded["written"]}
    else:
        progress(f"reusing the database ({existing} tickets; --reseed to start again)")
        database.manage(url, "migrate", "--noinput", env=env)
        seeding(url, data_dir, *password)
        # The previous run deleted what it created: without a VACUUM, index-only counts
        # would visit the table for those pages, and this run would not read what it did.
        info["vacuum_seconds"] = database.vacuum_analyze(url)
    # The worker trains the first classifier at its first five-minute mark when a database
    # has none (routing.tasks.train_first_classifier): a freshly seeded bench database would
    # pay that training, a one-off of tens of seconds of CPU, inside whichever phase is then
    # measured. An installation in use has had its classifier since its first minutes.
    if not database.ids(url, "SELECT count(*) FROM routing_classifierversion")[0]:
        progress("training the first classifier (as the worker would, before the measures)")
        database.manage(url, "triage", "train", env=env)
        info["classifier_trained"] = True
    # A new key each run: only its hash is stored, an existing one cannot be shown again.
    token = database.manage(url, "create-api-token", BENCH_USERNAME, "--rotate", env=env).strip()
    info["tickets"] = database.ticket_count(url)
    return token, info


# --- sessions: how each kind of client starts --------------------------------------------------


def api_session(server: Server, token: str) -> Session:
    return Session(
        server.host,
        server.port,
        keep_cookies=(),
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )


def citizen_session(server: Server) -> Session:
    """A browser that opened a démarche's form: it holds the CSRF cookie and the form's token."""
    session = Session(server.host, server.port, keep_cookies=("csrftoken",))
    page = session.get(f"/demarches/{PORTAL_FORM_SLUG}/")
    if page.status != 200:
        raise RuntimeError(f"GET /demarches/{PORTAL_FORM_SLUG}/ answered {page.status}")
    session.csrf = csrf_token(page.body)
    return session


_logins = itertools.count()
_logging_in = threading.Lock()


def totp_code(hex_key: str, moment: float) -> str:
    """RFC 6238 (30 s, 6 digits, SHA-1): what the agent's authenticator app shows."""
    counter = int(moment // 30).to_bytes(8, "big")
    digest = hmac.new(bytes.fromhex(hex_key), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def agent_session(
    server: Server, *, keep_alive: bool = True, requests_per_connection: int = 0
) -> Session:
    """A logged-in agent (the login form with its CSRF token, then the second factor)."""
    session = Session(
        server.host,
        server.port,
        keep_alive=keep_alive,
        requests_per_connection=requests_per_connection,
    )
    page = session.get("/agents/connexion/")
    if page.status != 200:
        raise RuntimeError(f"GET /agents/connexion/ answered {page.status}")
    response = session.post_form(
        "/agents/connexion/",
        [
            ("csrfmiddlewaretoken", csrf_token(page.body)),
            ("username", BENCH_USERNAME),
            ("password", BENCH_PASSWORD),
            ("next", "/agents/"),
        ],
    )
    if response.status != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"login refused: HTTP {response.status}")
    page = session.get("/agents/connexion/code/?next=/agents/")
    if page.status == 200:  # the second factor: this login's own code (parvis.bench.fixtures)
        # One login at a time: a code older than the last one accepted is refused as a
        # replay, so two agents' sessions opened at once must post theirs in order.
        with _logging_in:
            moment = time.time() + 30 * next(_logins)
            response = session.post_form(
                "/agents/connexion/code/",
                [
                    ("csrfmiddlewaretoken", csrf_token(page.body)),
                    ("code", totp_code(BENCH_TOTP_KEY, moment)),
                    ("next", "/agents/"),
                ],
            )
        if response.status != 302:
            raise RuntimeError(f"second factor refused: HTTP {response.status}")
    return session


# --- tasks: what each request sends ------------------------------------------------------------


def _created(response: Response) -> bool:
    return response.status == 201


def _redirected_to_tracking(response: Response) -> bool:
    return response.status == 302 and "/suivi/" in response.header("Location")


def _page_ok(response: Response) -> bool:
    return response.status == 200


def api_tasks(generator: scenarios.Generator, count: int) -> list[Task]:
    tasks = []
    for _ in range(count):
        submission = generator.submission(free_text_share=scenarios.FREE_TEXT_SHARE)
        body = scenarios.api_body(submission)
        label = submission.slug or "free-text"

        def send(session: Session, body: bytes = body) -> Response:
            return session.request("POST", "/api/v1/tickets/", body=body)

        tasks.append(Task(label, send, _created))
    return tasks


def portal_tasks(generator: scenarios.Generator, count: int) -> list[Task]:
    tasks = []
    for _ in range(count):
        submission = generator.submission()

        def send(session: Session, submission: scenarios.Submission = submission) -> Response:
            fields = scenarios.portal_fields(submission, session.csrf)
            return session.post_form(f"/demarches/{submission.slug}/", fields)

        tasks.append(Task(submission.slug, send, _redirected_to_tracking))
    return tasks


def queue_filters(url: str) -> list[tuple[str, str]]:
    """What agents look at: the default tab, other tabs, a service, a status, a priority, a page."""
    services = database.ids(url, "SELECT id FROM catalog_service ORDER BY position, id")
    busiest = database.ids(
        url,
        "SELECT service_id FROM tickets_ticket GROUP BY service_id ORDER BY count(*) DESC LIMIT 2",
    )
    first = busiest[0] if busiest else services[0]
    second = busiest[-1] if busiest else services[-1]
    return [
        ("open (default tab)", "/agents/"),
        ("new", "/agents/?view=new"),
        ("unassigned", "/agents/?view=unassigned"),
        ("mine", "/agents/?view=mine"),
        ("all", "/agents/?view=all"),
        ("all, recently updated", "/agents/?view=all&sort=updated"),
        ("all, page 5", "/agents/?view=all&page=5"),
        ("one service, open", f"/agents/?service={first}"),
        ("one service, all, closed", f"/agents/?view=all&service={second}&status=closed"),
        ("all, urgent", "/agents/?view=all&priority=4"),
    ]


def page_tasks(paths: Sequence[tuple[str, str]]) -> list[Task]:
    tasks = []
    for label, path in paths:

        def send(session: Session, path: str = path) -> Response:
            return session.get(path)

        tasks.append(Task(label, send, _page_ok))
    return tasks


# --- measuring ---------------------------------------------------------------------------------


def measure(
    name: str,
    server: Server,
    tasks: list[Task],
    *,
    concurrency: int,
    open_session: Callable[[], Session],
    warmup: list[Task],
    worker: Worker,
    backends: database.Backends,
    outbox: Outbox | None = None,
) -> tuple[PhaseResult, dict[str, Any]]:
    """Warm up (not counted), then run the tasks and account for the CPU they cost.

    With an ``outbox`` (creation phases, a worker running), the phase lasts until the work
    of what it created is drained, and its rate is tickets created over that time.
    """
    groups = {
        "server": server.pids,
        "worker": worker.pids,
        "postgres": machine.postgres_pids,
        "postgres_bench_db": backends.pids,
    }
    drain = outbox is not None and worker.config.threads > 0
    if warmup:
        marks = outbox.marks() if outbox is not None else None
        run_phase(f"{name} warm-up", warmup, concurrency=concurrency, open_session=open_session)
        if drain and outbox is not None and marks is not None:
            outbox.wait_drained(marks, worker=worker)  # the measure starts with nothing queued
    marks = outbox.marks() if outbox is not None else None
    samples: list[machine.CpuSample] = []
    result = run_phase(
        name,
        tasks,
        concurrency=concurrency,
        open_session=open_session,
        on_start=lambda: samples.append(machine.sample(groups)),
        on_end=lambda: None if drain else samples.append(machine.sample(groups)),
    )
    summary = result.summary()
    if outbox is not None and marks is not None:
        drained_at, state = (
            outbox.wait_drained(marks, worker=worker) if drain else (None, outbox.state(marks))
        )
        if drain:
            samples.append(machine.sample(groups))
        drained = drain_summary(
            started=result.started_at,
            last_response=result.ended_at,
            drained_at=drained_at,
            created=result.ok,
            state=state,
        )
        if not drain:  # no worker: the requests only, as before the worker was counted
            drained["per_second"] = drained["requests_per_second"]
        summary |= drained
    before, after = samples
    summary |= machine.usage(
        before,
        after,
        result.requests,
        result.client_cpu_seconds,
        subsets=frozenset({"postgres_bench_db"}),
    )
    if result.error_samples:
        summary["error_samples"] = result.error_samples
    lag = f", drained {summary['drain_lag_ms']} ms after the last response" if drain else ""
    progress(
        f"{name}: {result.ok}/{result.requests} ok, {result.errors} errors, "
        f"{summary['per_second']}/s{lag}, p50 {summary['latency_ms'].get('p50')} ms, "
        f"p95 {summary['latency_ms'].get('p95')} ms; CPU ms/request: "
        f"server {summary['server_cpu_ms_per_request']}, "
        f"worker {summary['worker_cpu_ms_per_request']}, "
        f"postgres {summary['postgres_cpu_ms_per_request']} "
        f"(this database's {summary['postgres_bench_db_cpu_ms_per_request']}); "
        f"other processes {summary['other_processes_cpu_percent']}% of the machine"
    )
    return result, summary


def run_all(
    url: str,
    server: Server,
    worker: Worker,
    token: str,
    args: argparse.Namespace,
    phases: Sequence[str],
) -> dict[str, dict[str, Any]]:
    outbox = Outbox(url)
    backends = database.Backends(url)
    try:
        return _run_phases(url, server, worker, outbox, backends, token, args, phases)
    finally:
        outbox.close()
        backends.close()


def _run_phases(
    url: str,
    server: Server,
    worker: Worker,
    outbox: Outbox,
    backends: database.Backends,
    token: str,
    args: argparse.Namespace,
    phases: Sequence[str],
) -> dict[str, dict[str, Any]]:
    rng = random.Random(7)
    keep_alive = args.page_connections == "keep-alive"
    per_connection = args.pages_per_connection
    known_emails = [e for e in _known_emails(url) if e]
    results: dict[str, dict[str, Any]] = {}
    for phase in phases:
        if phase == "queue":
            filters = queue_filters(url)
            paths = [filters[i % len(filters)] for i in range(args.page_requests)]
            rng.shuffle(paths)
            result, summary = measure(
                "queue page",
                server,
                page_tasks(paths),
                concurrency=args.page_concurrency,
                open_session=lambda: agent_session(
                    server, keep_alive=keep_alive, requests_per_connection=per_connection
                ),
                warmup=page_tasks(filters * 2),
                worker=worker,
                backends=backends,
            )
            summary["by_filter"] = {k: latency_summary(v) for k, v in result.by_label.items()}
            results["queue_page"] = summary
        elif phase == "ticket":
            references = database.random_references(url, args.page_requests + 20)
            paths = [("ticket", f"/agents/demandes/{ref}/") for ref in references]
            _result, summary = measure(
                "ticket page",
                server,
                page_tasks(paths[20:]),
                concurrency=args.page_concurrency,
                open_session=lambda: agent_session(
                    server, keep_alive=keep_alive, requests_per_connection=per_connection
                ),
                warmup=page_tasks(paths[:20]),
                worker=worker,
                backends=backends,
            )
            results["ticket_page"] = summary
        elif phase == "api":
            generator = scenarios.Generator(seed=11, known_emails=known_emails, public_only=False)
            _result, summary = measure(
                "API ticket creation",
                server,
                api_tasks(generator, args.api_requests),
                concurrency=args.concurrency,
                open_session=lambda: api_session(server, token),
                warmup=api_tasks(generator, 4 * args.concurrency),
                worker=worker,
                backends=backends,
                outbox=outbox,
            )
            results["api_create"] = summary
        elif phase == "portal":
            generator = scenarios.Generator(seed=13, known_emails=known_emails, public_only=True)
            _result, summary = measure(
                "portal ticket creation",
                server,
                portal_tasks(generator, args.portal_requests),
                concurrency=args.concurrency,
                open_session=lambda: citizen_session(server),
                warmup=portal_tasks(generator, 4 * args.concurrency),
                worker=worker,
                backends=backends,
                outbox=outbox,
            )
            results["portal_create"] = summary
        else:
            raise SystemExit(f"bench: unknown phase {phase!r}")
    return results


def _known_emails(url: str) -> list[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT email FROM accounts_requester WHERE email <> '' ORDER BY random() LIMIT 2000"
        ).fetchall()
    return [str(row[0]) for row in rows]


def _max_ids(url: str) -> tuple[int, int]:
    tickets = database.ids(url, "SELECT coalesce(max(id), 0) FROM tickets_ticket")
    requesters = database.ids(url, "SELECT coalesce(max(id), 0) FROM accounts_requester")
    return tickets[0], requesters[0]


def _flush_redis() -> None:
    try:
        redis.Redis.from_url(redis_url()).flushdb()
    except redis.RedisError as error:
        progress(f"could not flush {redis_url()}: {error}")


def _headline(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    def get(phase: str, *keys: str) -> Any:
        value: Any = results.get(phase)
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    creations = [r for name, r in results.items() if name in ("api_create", "portal_create")]

    def total(key: str) -> int | None:
        values = [r["outbox"][key] for r in creations if "outbox" in r]
        return sum(values) if values else None

    return {
        "api_tickets_per_second": get("api_create", "per_second"),
        "portal_tickets_per_second": get("portal_create", "per_second"),
        "api_requests_per_second": get("api_create", "requests_per_second"),
        "portal_requests_per_second": get("portal_create", "requests_per_second"),
        "api_drain_lag_ms": get("api_create", "drain_lag_ms"),
        "portal_drain_lag_ms": get("portal_create", "drain_lag_ms"),
        "queue_page_p50_ms": get("queue_page", "latency_ms", "p50"),
        "queue_page_p95_ms": get("queue_page", "latency_ms", "p95"),
        "ticket_page_p50_ms": get("ticket_page", "latency_ms", "p50"),
        "ticket_page_p95_ms": get("ticket_page", "latency_ms", "p95"),
        "mail_sqlite_messages_per_second": get("mail_ingest", "sqlite", "per_second"),
        "mail_postgres_messages_per_second": get("mail_ingest", "postgres", "per_second"),
        "triage_predict_ms_p95": get("triage", "triage_predict_ms_p95"),
        "triage_train_100k_seconds": get("triage", "triage_train_100k_seconds"),
        "ticket_search_p95_ms": get("search", "ticket_search_ms_p95"),
        "document_search_p95_ms": get("search", "document_search_ms_p95"),
        "search_tickets": get("search", "tickets"),
        "deliveries_pending_at_end": total("deliveries_pending"),
        "deliveries_failed": total("deliveries_failed"),
        "acknowledgements_missing": total("acknowledgements_missing"),
        "cpu_ms_per_ticket": {
            phase: {
                "web": get(phase, "server_cpu_ms_per_request"),
                "worker": get(phase, "worker_cpu_ms_per_request"),
                "postgres": get(phase, "postgres_cpu_ms_per_request"),
                "postgres_bench_db": get(phase, "postgres_bench_db_cpu_ms_per_request"),
            }
            for phase in ("api_create", "portal_create")
            if phase in results
        },
    }


def _targets(headline: dict[str, Any]) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    for key, target in TARGETS.items():
        value = headline.get(key)
        if value is None:
            checks[key] = {"target": target, "met": None}
        elif key.endswith("per_second"):
            checks[key] = {"target": f">= {target}", "met": value >= target}
        else:
            checks[key] = {"target": f"< {target}", "met": value < target}
    for key in MUST_BE_ZERO:
        value = headline.get(key)
        checks[key] = {"target": "0", "met": None if value is None else value == 0}
    return checks


def _configs(spec: str, huey_default: int) -> list[tuple[GunicornConfig, WorkerConfig]]:
    """``2x4,3x4+1`` → gunicorn 2 × 4 with the default worker, 3 × 4 with one Huey thread."""
    configs = []
    for item in [s.strip().lower() for s in spec.split(",") if s.strip()]:
        web, _plus, huey = item.partition("+")
        workers, threads = (int(n) for n in web.split("x"))
        configs.append(
            (GunicornConfig(workers, threads), WorkerConfig(int(huey) if huey else huey_default))
        )
    return configs


def _web(
    url: str, data_dir: Path, args: argparse.Namespace, phases: Sequence[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """The phases served over HTTP, on the seeded bench database: results, comparison, seed."""
    token, db_info = prepare_database(url, data_dir, args)
    collect_static(url, data_dir)
    _flush_redis()
    first_ticket, first_requester = _max_ids(url)
    comparison: dict[str, Any] = {}
    try:
        for config, huey in _configs(args.compare, args.huey_workers):
            with Server(url, config, data_dir) as server, Worker(url, huey, data_dir) as worker:
                label = f"{config.label()}, {huey.label()}"
                repeat = sum(1 for key in comparison if key.startswith(label))
                label += f" (#{repeat + 1})" if repeat else ""
                comparison[label] = _headline(run_all(url, server, worker, token, args, phases))
            _flush_redis()
        config = GunicornConfig(args.workers, args.threads)
        huey = WorkerConfig(args.huey_workers)
        with Server(url, config, data_dir) as server, Worker(url, huey, data_dir) as worker:
            results = run_all(url, server, worker, token, args, phases)
    finally:
        _flush_redis()
        if not args.keep_created:
            deleted = seeding(
                url, data_dir, "--delete-after", str(first_ticket), str(first_requester)
            )
            progress(f"deleted what the run created: {deleted}")
    return results, comparison, db_info


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    web_phases = [p for p in phases if p not in ("mail", "triage", "search")]
    url = database.database_url()
    started = time.monotonic()
    context = machine.context()
    context["load_average_at_start"] = machine.load_average()
    context["machine_busy_percent_before_start"] = machine.background_busy_percent()
    results: dict[str, dict[str, Any]] = {}
    comparison: dict[str, Any] = {}
    db_info: dict[str, Any] = {}
    config = GunicornConfig(args.workers, args.threads)
    huey = WorkerConfig(args.huey_workers)
    with temporary_data_dir() as tmp:
        data_dir = Path(tmp)
        if web_phases:
            results, comparison, db_info = _web(url, data_dir, args, web_phases)
        if "mail" in phases:
            results["mail_ingest"] = mail_phase.measure(
                url, redis_url(), data_dir, messages=args.mail_messages, runs=args.mail_runs
            )
            _flush_redis()
        if "triage" in phases:
            results["triage"] = triage_phase.measure()
        if "search" in phases:
            results["search"] = search_phase.measure(url, data_dir, tickets=args.search_tickets)
    headline = _headline(results)
    errors = sum(int(r.get("errors", 0)) for r in results.values())
    report: dict[str, Any] = {
        **headline,
        "errors": errors,
        "targets": _targets(headline),
        "context": {
            **context,
            "postgres_version": database.server_version(url),
            "database": db_info,
            "gunicorn": {
                "worker_class": "gthread",
                "workers": config.workers,
                "threads": config.threads,
            },
            "job_queue": {
                "consumer": "parvis run_huey (thread workers) on Redis",
                "threads": huey.threads,
                "counted": "a creation is done when its deliveries are delivered and its "
                "acknowledgement mail written"
                if huey.threads
                else "no worker: requests only (jobs queued, then flushed)",
            },
            "api_concurrency": args.concurrency,
            "portal_concurrency": args.concurrency,
            "page_concurrency": args.page_concurrency,
            "page_connections": args.page_connections,
            "pages_per_connection": args.pages_per_connection,
            "duration_seconds": round(time.monotonic() - started, 1),
        },
        "phases": results,
    }
    if comparison:
        report["gunicorn_comparison"] = comparison
    disturbed = [
        f"{name}: other processes used {r['other_processes_cpu_percent']}% of the machine"
        for name, r in results.items()
        if (r.get("other_processes_cpu_percent") or 0) > DISTURBED_PERCENT
    ]
    interpreter = machine.interpreter_warning(context["python_configure"])
    warnings = disturbed + ([interpreter] if interpreter else [])
    if warnings:
        report["warnings"] = warnings
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

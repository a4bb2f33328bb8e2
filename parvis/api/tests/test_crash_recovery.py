"""Web workers killed with ``kill -9`` while clients create tickets: nothing lost, nothing twice.

A real gunicorn (2 workers × 4 threads) and a real Huey consumer serve a database that the
test prepared (pytest-django's committed test database on PostgreSQL; on SQLite, a copy of
it in a file). Twelve clients create tickets through the API, each request with its own
``Idempotency-Key``; about every half second a killer sends SIGKILL to a random gunicorn
worker that has served for half a second (the master forks a new one). A client whose
connection breaks, or who gets a 5xx or a 409, retries with the same key and body, as the
idempotency draft says it may.

Then, once the worker has drained the outbox: every logical request is exactly one ticket,
and every ticket has exactly one acknowledgement, on both databases.
"""

import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.db import connection

from parvis.testing.processes import shared_database_name

CLIENTS = 12
TICKETS_PER_CLIENT = 20  # long enough for several kills, however fast creation has become
DRAIN_TIMEOUT = 240  # the worker's sweep runs every minute: a lost wake-up waits for it
MAX_KILLS = 20  # bounded chaos: on a loaded machine the creations may take minutes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _post(url: str, token: str, key: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": f'"{key}"',
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def _create_until_done(base: str, token: str, client: int, errors: list[str]) -> None:
    """One client: each logical request retried with its key until it has its answer."""
    for number in range(TICKETS_PER_CLIENT):
        key = f"crash-{client}-{number}"
        body = {
            "subject": f"Demande {key}",
            "description": "Bonjour, le lampadaire de ma rue ne s'allume plus.",
            "requester": {"name": f"Usager {key}", "email": f"{key}@example.fr"},
        }
        deadline = time.monotonic() + 180
        while True:
            try:
                status, answer = _post(base + "/api/v1/tickets/", token, key, body)
            # Connection reset or refused, or the answer cut after its headers
            # (IncompleteRead): the worker died under us.
            except (OSError, http.client.HTTPException):
                status, answer = 0, {}
            if status in (200, 201) and answer.get("reference"):
                break
            if status not in (0, 409, 500, 502, 503) or time.monotonic() > deadline:
                errors.append(f"{key}: HTTP {status} {answer}")
                return
            time.sleep(0.05)


def _kill_workers(master: int, stop: threading.Event, kills: list[int]) -> None:
    """Every 0.1 – 0.3 s, kill -9 a worker that has been serving for a little while."""
    rng = random.Random(7)
    first_seen: dict[int, float] = {}
    while len(kills) < MAX_KILLS and not stop.wait(rng.uniform(0.1, 0.3)):
        now = time.monotonic()
        serving = []
        for pid in _children(master):
            first_seen.setdefault(pid, now)
            if now - first_seen[pid] > 0.2:
                serving.append(pid)
        if serving:
            victim = rng.choice(serving)
            try:
                os.kill(victim, signal.SIGKILL)
                kills.append(victim)
            except ProcessLookupError:
                pass


def _wait_until_answering(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def _prepare(tmp_path: Path) -> tuple[dict[str, str], str, str]:
    """The catalogue, an agent and their API key; the children's environment."""
    from parvis.accounts.actions import agent_create, api_token_issue
    from parvis.catalog.actions import catalog_load_defaults
    from parvis.catalog.models import Service

    catalog_load_defaults()
    agent = agent_create(
        username="integration",
        first_name="Appli",
        last_name="Signalements",
        email="appli@mairie.test",
        password="motdepasse-test",
        services=list(Service.objects.filter(slug="accueil")),
    )
    token = api_token_issue(user=agent)
    assert token
    env = {key: value for key, value in os.environ.items() if not key.startswith("PARVIS_")}
    env |= {"PARVIS_DATA_DIR": str(tmp_path), "PARVIS_MAIL_SEND": "false", "HUEY_WORKERS": "2"}
    if connection.vendor == "sqlite":
        database = shared_database_name(tmp_path)
        env["DATABASE_URL"] = ""
        Path(database).rename(tmp_path / "parvis.sqlite3")  # where the settings look for it
        database = str(tmp_path / "parvis.sqlite3")
    else:
        settings = connection.settings_dict
        database = str(settings["NAME"])
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{database}"
        )
    return env, token, database


def _query(database: str, sql: str) -> list[tuple[Any, ...]]:
    if connection.vendor == "sqlite":
        with sqlite3.connect(database, timeout=30) as db:
            return db.execute(sql).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _wait_for_drain(database: str, tickets: int) -> None:
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while time.monotonic() < deadline:
        [(pending,)] = _query(
            database, "SELECT COUNT(*) FROM tickets_eventdelivery WHERE delivered_at IS NULL"
        )
        [(mails,)] = _query(database, "SELECT COUNT(*) FROM notifications_mail")
        if not pending and mails >= tickets:
            return
        time.sleep(1)


def test_killed_web_workers_lose_no_ticket_and_send_no_acknowledgement_twice(
    transactional_db: None, tmp_path: Path
) -> None:
    env, token, database = _prepare(tmp_path)
    port = _free_port()
    python = [sys.executable]
    web = subprocess.Popen(
        [
            *python,
            "-m",
            "gunicorn",
            "parvis.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--graceful-timeout",
            "1",
            "--preload",  # a killed worker is replaced by a fork, at once
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )
    worker = subprocess.Popen(
        [*python, "-m", "parvis.manage", "run_huey", "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    errors: list[str] = []
    kills: list[int] = []
    stop = threading.Event()
    try:
        _wait_until_answering(base + "/api/v1/tickets/")
        killer = threading.Thread(target=_kill_workers, args=(web.pid, stop, kills))
        clients = [
            threading.Thread(target=_create_until_done, args=(base, token, n, errors))
            for n in range(CLIENTS)
        ]
        killer.start()
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 480
        for thread in clients:
            thread.join(timeout=max(1.0, deadline - time.monotonic()))
        stop.set()
        assert not any(thread.is_alive() for thread in clients), "clients still waiting"
        killer.join()
        log = (tmp_path / "gunicorn.log").read_text()[-3000:]
        assert not errors, "\n".join(errors[:5]) + f"\n{len(kills)} kills; gunicorn:\n{log}"
        assert len(kills) >= 2, "the killer must have struck during the creations"
        expected = CLIENTS * TICKETS_PER_CLIENT
        _wait_for_drain(database, expected)
    finally:
        stop.set()
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    [(pending,)] = _query(
        database, "SELECT COUNT(*) FROM tickets_eventdelivery WHERE delivered_at IS NULL"
    )
    assert pending == 0, f"{pending} deliveries still pending after {DRAIN_TIMEOUT} s"
    per_subject = _query(
        database, "SELECT subject, COUNT(*) FROM tickets_ticket GROUP BY subject ORDER BY subject"
    )
    assert len(per_subject) == expected, f"every logical request is a ticket ({len(kills)} kills)"
    assert all(count == 1 for _subject, count in per_subject), "and only one"
    acknowledgements = _query(
        database,
        "SELECT ticket_id, COUNT(*) FROM notifications_mail "
        "WHERE template = 'acknowledgement' GROUP BY ticket_id",
    )
    assert len(acknowledgements) == expected, "every ticket has its acknowledgement"
    assert all(count == 1 for _ticket, count in acknowledgements), "exactly one"
    [(failed,)] = _query(
        database, "SELECT COUNT(*) FROM tickets_eventdelivery WHERE failed_at IS NOT NULL"
    )
    assert failed == 0

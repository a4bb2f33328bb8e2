"""Retries that race: one Idempotency-Key sent by several processes at once is one ticket.

Four processes (``parvis.testing.processes``: as gunicorn workers, on either database) post
the same creation with the same key at the same moment; a client that timed out and
retried does just that. A process killed (``kill -9``) in the middle of its creation leaves
nothing behind, and the retry creates the ticket. A request made while the first one is
held inside its transaction gets a 409 once its wait runs out (PostgreSQL: on SQLite a
writer waits for the other's commit, as every request does).
"""

import multiprocessing
import os
import signal
import sqlite3
import threading
import time
import traceback
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from parvis.testing.locks import counter_lock_at_each_creation
from parvis.testing.processes import (
    TIMEOUT,
    close_connections,
    run_processes,
    setup_django,
    shared_database_name,
)

WORKERS = 4
URL = "/api/v1/tickets/"
KEY = '"5b0e6f6e-6a49-4f59-a3c7-1f2b8f0e3c11"'
PAYLOAD = {
    "request_type": "nid-de-poule",
    "subject": "Nid de poule devant l'école",
    "requester": {"name": "Camille Martin", "email": "camille@example.fr"},
    "fields": {
        "location": "3 rue Victor Hugo",
        "surface_type": "chaussee",
        "hazard_level": "dangereux",
    },
}


def _post_the_same_creation(
    database_name: str,
    token: str,
    worker: int,
    barrier: Barrier,
    results: "multiprocessing.Queue[Any]",
) -> None:
    """Child: wait for the others, then post the creation with the shared key."""
    try:
        setup_django(database_name)
        from django.core import mail
        from django.test.utils import setup_test_environment
        from rest_framework.test import APIClient

        setup_test_environment()  # the test client's host name, mail kept in mail.outbox
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        barrier.wait(timeout=TIMEOUT)
        response = client.post(URL, PAYLOAD, format="json", headers={"Idempotency-Key": KEY})
        results.put((worker, response.status_code, response.json(), len(mail.outbox), ""))
    except BaseException:
        results.put((worker, 0, None, 0, traceback.format_exc()))
    finally:
        close_connections()


def _post_and_die_before_commit(database_name: str, token: str, written: Event) -> None:
    """Child: post the creation, and stop dead once the ticket is written, not committed."""
    setup_django(database_name)
    from django.test.utils import setup_test_environment
    from rest_framework.test import APIClient

    from parvis.api.views import tickets

    setup_test_environment()
    real_intake_submit = tickets.intake_submit

    def intake_submit_then_hang(**kwargs: Any) -> Any:
        real_intake_submit(**kwargs)
        written.set()
        time.sleep(TIMEOUT)  # killed here by the test

    tickets.intake_submit = intake_submit_then_hang
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    client.post(URL, PAYLOAD, format="json", headers={"Idempotency-Key": KEY})


def _api_token() -> str:
    from parvis.accounts.actions import agent_create, api_token_issue
    from parvis.catalog.actions import catalog_load_defaults
    from parvis.catalog.models import Service

    catalog_load_defaults()
    agent = agent_create(
        username="application",
        first_name="Application",
        last_name="Voirie",
        email="appli@mairie.test",
        password="motdepasse-test",
        services=list(Service.objects.filter(slug="services-techniques")),
    )
    return api_token_issue(user=agent)


def _count(database_name: str, table: str) -> int:
    if connection.vendor == "sqlite":
        with sqlite3.connect(database_name) as database:
            (count,) = database.execute(f"SELECT COUNT(*) FROM {table}").fetchone()  # noqa: S608 - our table names
            return int(count)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - our table names
        (count,) = cursor.fetchone()
        return int(count)


def test_concurrent_retries_with_one_key_make_one_ticket(
    transactional_db: None, tmp_path: Path
) -> None:
    token = _api_token()
    database_name = shared_database_name(tmp_path)

    outcomes = run_processes(_post_the_same_creation, database_name, token, count=WORKERS)

    errors = [error for *_rest, error in outcomes if error]
    assert not errors, "\n".join(errors)
    assert {status for _worker, status, *_rest in outcomes} == {201}
    bodies = [body for _worker, _status, body, *_rest in outcomes]
    assert all(body == bodies[0] for body in bodies)
    assert _count(database_name, "tickets_ticket") == 1
    assert _count(database_name, "intake_idempotencykey") == 1
    assert sum(sent for *_start, sent, _error in outcomes) == 1  # one acknowledgement


def test_a_retry_after_the_first_process_was_killed_creates_the_ticket_once(
    transactional_db: None, tmp_path: Path
) -> None:
    token = _api_token()
    database_name = shared_database_name(tmp_path)
    context = multiprocessing.get_context("spawn")
    written = context.Event()
    doomed = context.Process(
        target=_post_and_die_before_commit, args=(database_name, token, written)
    )
    doomed.start()
    try:
        assert written.wait(timeout=TIMEOUT), "the first process never wrote its ticket"
    finally:
        os.kill(doomed.pid or 0, signal.SIGKILL)
        doomed.join(timeout=30)

    (outcome,) = run_processes(_post_the_same_creation, database_name, token, count=1)

    _worker, status, body, sent, error = outcome
    assert not error, error
    assert status == 201
    assert _count(database_name, "tickets_ticket") == 1
    assert _count(database_name, "intake_idempotencykey") == 1
    assert sent == 1
    assert body["reference"]


def test_a_retry_while_the_first_request_runs_gets_a_409(
    transactional_db: None,
    token_client: Any,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite queues every writer: a retry waits for the first one's commit.")
    from parvis.api.views import tickets
    from parvis.tickets.models import Ticket

    settings.PARVIS_IDEMPOTENCY_WAIT_SECONDS = 1
    client = token_client("services-techniques")
    inside, release = threading.Event(), threading.Event()
    real_intake_submit = tickets.intake_submit

    def held_intake_submit(**kwargs: Any) -> Any:
        inside.set()
        assert release.wait(timeout=30)
        return real_intake_submit(**kwargs)

    monkeypatch.setattr(tickets, "intake_submit", held_intake_submit)
    first: dict[str, Any] = {}

    def post_first() -> None:
        try:
            first["response"] = client.post(
                URL, PAYLOAD, format="json", headers={"Idempotency-Key": KEY}
            )
        finally:
            connection.close()

    thread = threading.Thread(target=post_first)
    thread.start()
    try:
        assert inside.wait(timeout=30)
        retry = client.post(URL, PAYLOAD, format="json", headers={"Idempotency-Key": KEY})
    finally:
        release.set()
        thread.join(timeout=30)

    assert retry.status_code == 409
    assert "encore en cours" in retry.json()["detail"]
    assert first["response"].status_code == 201
    again = client.post(URL, PAYLOAD, format="json", headers={"Idempotency-Key": KEY})
    assert again.status_code == 201
    assert again.json() == first["response"].json()
    assert Ticket.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_keyed_creation_does_not_hold_the_tracking_number_counter(
    token_client: Any, birth_payload: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The number is drawn before the key's transaction: other creations never wait for it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: there is no row lock to hold")
    seen = counter_lock_at_each_creation(monkeypatch)
    client = token_client("accueil", "etat-civil")
    response = client.post(
        "/api/v1/tickets/", birth_payload(), format="json", headers={"Idempotency-Key": '"k-1"'}
    )

    assert response.status_code == 201
    assert seen == [False]

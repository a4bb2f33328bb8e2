"""Several processes filing tickets at once: every reference is distinct, and none fails.

Each creator is a separate process (``spawn``: a fresh interpreter with its own database
connection), as gunicorn workers are. They start together behind a barrier and each files
25 tickets through ``intake_submit``.

The processes need a database they can all open. On PostgreSQL that is pytest-django's test
database: ``transactional_db`` commits for real, so the catalogue loaded here is visible to
them. On SQLite the test database lives in memory, out of reach of another process: it is
copied, catalogue included, to a file with SQLite's backup API, and the children open that
file with the production settings (WAL, immediate transactions, busy timeout). Nothing is
skipped on either backend.

Module-level code imports no model: a spawned child imports this module before Django is
set up.
"""

import multiprocessing
import os
import queue
import sqlite3
import traceback
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

WORKERS = 4
TICKETS_PER_WORKER = 25
TIMEOUT = 240


def _setup_django(database_name: str) -> None:
    """In a child: configure Django on the given database before anything connects."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parvis.settings")
    os.environ["PARVIS_TESTING"] = "1"
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = database_name
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()


def _create_tickets(
    database_name: str, worker: int, barrier: Barrier, results: "multiprocessing.Queue[Any]"
) -> None:
    """Child: wait for the others, then file TICKETS_PER_WORKER tickets as fast as possible."""
    references: list[str] = []
    try:
        _setup_django(database_name)
        from parvis.catalog.selectors import request_type_with_fields
        from parvis.intake.pipeline import intake_submit
        from parvis.tickets.models import Channel
        from parvis.tickets.structures import IncomingRequest, RequesterData

        pothole = request_type_with_fields("nid-de-poule")
        barrier.wait(timeout=TIMEOUT)
        for number in range(TICKETS_PER_WORKER):
            incoming = IncomingRequest(
                channel=Channel.API,
                # A phone but no email: no acknowledgement to send.
                requester=RequesterData(
                    f"Usager {worker}-{number}", phone=f"06 00 0{worker} {number:02d} 00"
                ),
                subject=f"Nid de poule n° {worker}-{number}",
                request_type=pothole,
                field_values={
                    "location": f"{number} rue Victor Hugo",
                    "surface_type": "chaussee",
                    "hazard_level": "faible",
                },
            )
            references.append(intake_submit(incoming=incoming, actor=None).reference)
        results.put((worker, references, ""))
    except BaseException:
        results.put((worker, references, traceback.format_exc()))
    finally:
        _close_connections()


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()


def _run(target: Any, *args: Any, count: int) -> list[Any]:
    """Start ``count`` spawned processes on ``target`` and collect one result from each."""
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[Any] = context.Queue()
    barrier = context.Barrier(count)
    processes = [
        context.Process(
            target=target,
            args=(*args, index, barrier, results),
        )
        for index in range(count)
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=TIMEOUT) for _ in processes]
    except queue.Empty:
        pytest.fail(f"Un processus n'a pas répondu en {TIMEOUT} s.")
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    return outcomes


def _copy_sqlite_database(path: str) -> None:
    """Copy the (in-memory) test database, committed data included, to a file."""
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")


def _sqlite_references(path: Path) -> list[str]:
    with sqlite3.connect(path) as database:
        return [row[0] for row in database.execute("SELECT reference FROM tickets_ticket")]


def test_concurrent_submissions_get_distinct_references(
    transactional_db: None, tmp_path: Path
) -> None:
    from parvis.catalog.actions import catalog_load_defaults

    catalog_load_defaults()
    if connection.vendor == "sqlite":
        database_name = str(tmp_path / "concurrency.sqlite3")
        _copy_sqlite_database(database_name)
    else:
        database_name = connection.settings_dict["NAME"]

    outcomes = _run(_create_tickets, database_name, count=WORKERS)

    errors = [error for _worker, _references, error in outcomes if error]
    assert not errors, "\n".join(errors)
    references = [reference for _worker, refs, _error in outcomes for reference in refs]
    assert len(references) == WORKERS * TICKETS_PER_WORKER
    assert len(set(references)) == len(references)
    if connection.vendor == "sqlite":
        stored = _sqlite_references(Path(database_name))
    else:
        from parvis.tickets.models import Ticket

        stored = list(Ticket.objects.values_list("reference", flat=True))
    assert sorted(stored) == sorted(references)


def test_reference_counter_statement_names_the_model_table() -> None:
    from parvis.tickets.models import ReferenceCounter
    from parvis.tickets.references import NEXT_VALUE_SQL

    assert f'"{ReferenceCounter._meta.db_table}"' in NEXT_VALUE_SQL

"""Several processes filing tickets at once: every reference is distinct, and none fails.

Four processes (``parvis.testing.processes``: as gunicorn workers, on either database)
start together and each files 25 tickets through ``intake_submit``.
"""

import multiprocessing
import sqlite3
import traceback
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from django.db import connection

from parvis.testing.processes import (
    TIMEOUT,
    close_connections,
    run_processes,
    setup_django,
    shared_database_name,
)

WORKERS = 4
TICKETS_PER_WORKER = 25


def _create_tickets(
    database_name: str, worker: int, barrier: Barrier, results: "multiprocessing.Queue[Any]"
) -> None:
    """Child: wait for the others, then file TICKETS_PER_WORKER tickets as fast as possible."""
    references: list[str] = []
    try:
        setup_django(database_name)
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
            references.append(intake_submit(incoming=incoming, actor=None).ticket.reference)
        results.put((worker, references, ""))
    except BaseException:
        results.put((worker, references, traceback.format_exc()))
    finally:
        close_connections()


def _sqlite_references(path: Path) -> list[str]:
    with sqlite3.connect(path) as database:
        return [row[0] for row in database.execute("SELECT reference FROM tickets_ticket")]


def test_concurrent_submissions_get_distinct_references(
    transactional_db: None, tmp_path: Path
) -> None:
    from parvis.catalog.actions import catalog_load_defaults

    catalog_load_defaults()
    database_name = shared_database_name(tmp_path)

    outcomes = run_processes(_create_tickets, database_name, count=WORKERS)

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

"""Failed logins are counted across processes: two gunicorn workers share one count.

Two processes (``parvis.testing.processes``, on either database) each fail a password a few
times, fewer than the limit; together they pass it, and then neither lets the right password
in. With a count of each process's own, both would let it in.
"""

import multiprocessing
import traceback
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from parvis.testing.processes import (
    TIMEOUT,
    close_connections,
    run_processes,
    setup_django,
    shared_database_name,
)

WORKERS = 2
LIMIT = 5
FAILURES_PER_WORKER = 3  # under the limit alone, over it together
PASSWORD = "motdepasse-test"


def _try_logins(
    database_name: str, worker: int, barrier: Barrier, results: "multiprocessing.Queue[Any]"
) -> None:
    """Child: fail FAILURES_PER_WORKER times, wait for the other, then give the right password."""
    statuses: list[int] = []
    try:
        setup_django(database_name)
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        client = Client()
        barrier.wait(timeout=TIMEOUT)
        for _ in range(FAILURES_PER_WORKER):
            response = client.post("/agents/connexion/", {"username": "alice", "password": "x"})
            statuses.append(response.status_code)
        barrier.wait(timeout=TIMEOUT)
        response = client.post("/agents/connexion/", {"username": "alice", "password": PASSWORD})
        statuses.append(response.status_code)
        results.put((worker, statuses, ""))
    except BaseException:
        results.put((worker, statuses, traceback.format_exc()))
    finally:
        close_connections()


def test_two_processes_share_the_count_of_failed_logins(
    transactional_db: None, tmp_path: Path, settings: Any
) -> None:
    from parvis.accounts.actions import agent_create
    from parvis.catalog.actions import catalog_load_defaults
    from parvis.catalog.models import Service

    assert settings.AXES_FAILURE_LIMIT == LIMIT  # the children read the same default
    catalog_load_defaults()
    agent_create(
        username="alice",
        first_name="Alice",
        last_name="Durand",
        email="alice@mairie.test",
        password=PASSWORD,
        services=list(Service.objects.filter(slug="etat-civil")),
    )
    database_name = shared_database_name(tmp_path)

    outcomes = run_processes(_try_logins, database_name, count=WORKERS)

    errors = [error for _worker, _statuses, error in outcomes if error]
    assert not errors, "\n".join(errors)
    failures = [status for _worker, statuses, _error in outcomes for status in statuses[:-1]]
    assert failures.count(429) == WORKERS * FAILURES_PER_WORKER - LIMIT + 1
    assert [statuses[-1] for _worker, statuses, _error in outcomes] == [429] * WORKERS

"""Test code run in separate processes (``spawn``), as gunicorn workers and job workers are.

A child is a fresh interpreter with its own connections and its own memory. It sets Django
up on a database the parent can share: on PostgreSQL the test database itself (the parent
uses ``transactional_db``, which commits for real); on SQLite, where the test database
lives in memory, a file copied from it with SQLite's backup API, opened with the production
settings (WAL, immediate transactions, busy timeout). The child's cache is given too: the
production default of one machine, or Redis.

Module-level code here and in a child's module imports no model: a spawned child imports
them before Django is set up.
"""

import multiprocessing
import os
import queue
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from parvis.testing.processes import shared_database_name

SPAWN = multiprocessing.get_context("spawn")
TIMEOUT = 120


def shared_database(tmp_path: Path) -> str:
    """The name of a database a child can open, holding what the parent committed so far."""
    return shared_database_name(tmp_path)


def run(
    database: str,
    caches: dict[str, Any],
    children: list[tuple[Callable[..., Any], tuple[Any, ...]]],
) -> list[Any]:
    """Run each ``(function, args)`` in a process of its own; return what each returned, in order.

    A child that raises fails the test with its traceback; one that hangs, after ``TIMEOUT``.
    """
    results: multiprocessing.Queue[tuple[int, Any, str]] = SPAWN.Queue()
    processes = [
        SPAWN.Process(target=_child, args=(index, database, caches, function, args, results))
        for index, (function, args) in enumerate(children)
    ]
    for process in processes:
        process.start()
    outcomes: dict[int, Any] = {}
    try:
        for _ in processes:
            index, value, error = results.get(timeout=TIMEOUT)
            if error:
                pytest.fail(f"Processus {index} :\n{error}")
            outcomes[index] = value
    except queue.Empty:
        pytest.fail(f"Un processus n'a pas répondu en {TIMEOUT} s.")
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    return [outcomes[index] for index in range(len(children))]


def _child(
    index: int,
    database: str,
    caches: dict[str, Any],
    function: Callable[..., Any],
    args: tuple[Any, ...],
    results: "multiprocessing.Queue[tuple[int, Any, str]]",
) -> None:
    try:
        _setup_django(database, caches)
        results.put((index, function(*args), ""))
    except BaseException:
        results.put((index, None, traceback.format_exc()))
    finally:
        from django.db import connections

        connections.close_all()


def _setup_django(database: str, caches: dict[str, Any]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parvis.settings")
    os.environ["PARVIS_TESTING"] = "1"
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = database
    settings.CACHES = caches
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # the test client's host allowed, mail kept in memory

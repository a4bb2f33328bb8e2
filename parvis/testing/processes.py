"""Several processes against one database, as gunicorn workers are: the harness of the
concurrency tests, and of the caches shared across processes.

Each worker is a separate process (``spawn``: a fresh interpreter with its own database
connection). They start together behind a barrier. The processes need a database they can
all open. On PostgreSQL that is pytest-django's test database: ``transactional_db`` commits
for real, so what the test wrote is visible to them. On SQLite the test database lives in
memory, out of reach of another process: ``shared_database_name`` copies it to a file with
SQLite's backup API, and the children open that file with the production settings (WAL,
immediate transactions, busy timeout). Nothing is skipped on either backend. A child may
be given its cache too (``setup_django(…, caches=…)``): the production default of one
machine, or Redis.

A spawned child imports the test module that holds its target before Django is set up:
such modules import no model at module level.
"""

import multiprocessing
import os
import queue
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

SPAWN = multiprocessing.get_context("spawn")
TIMEOUT = 240


def setup_django(database_name: str, *, caches: dict[str, Any] | None = None) -> None:
    """In a child: configure Django on the given database (and ``CACHES``, if given) before
    anything connects."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parvis.settings")
    os.environ["PARVIS_TESTING"] = "1"
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = database_name
    if caches is not None:
        settings.CACHES = caches
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()


def close_connections() -> None:
    """In a child, when done: let the parent's test database be dropped."""
    from django.db import connections

    connections.close_all()


def shared_database_name(tmp_path: Path) -> str:
    """The name under which the children open the test database, committed data included."""
    if connection.vendor != "sqlite":
        return str(connection.settings_dict["NAME"])
    path = str(tmp_path / "concurrency.sqlite3")
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    return path


def command_environment(database_name: str, tmp_path: Path) -> dict[str, str]:
    """A ``parvis`` command run in a process of its own (``subprocess``) on the test
    database, as it runs on a mairie's machine: production settings, its own data dir. Only
    the secret key is the tests' (what the tests signed, the command can check)."""
    return {
        **os.environ,
        "DATABASE_URL": _database_url(database_name),
        "PARVIS_TESTING": "0",
        "PARVIS_DATA_DIR": str(tmp_path / "data"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": settings.SECRET_KEY,
        "REDIS_URL": "",
        "DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
    }


def _database_url(database_name: str) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{database_name}"
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{database_name}"
    )


def run_processes(target: Callable[..., None], *args: Any, count: int) -> list[Any]:
    """Start ``count`` spawned ``target(*args, index, barrier, results)`` and collect the one
    result each puts on ``results``. Queues of their own between them come from ``SPAWN``."""
    results: multiprocessing.Queue[Any] = SPAWN.Queue()
    barrier = SPAWN.Barrier(count)
    processes = [
        SPAWN.Process(target=target, args=(*args, index, barrier, results))
        for index in range(count)
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=TIMEOUT) for _ in processes]
    except queue.Empty:
        pytest.fail(f"A process did not answer within {TIMEOUT} s.")
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    return outcomes

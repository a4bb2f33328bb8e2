"""Whether another transaction holds a row lock, seen from a connection of its own (PostgreSQL).

Module-level code imports no model: the concurrency tests that import this module are
imported by spawned children before Django is set up (``parvis.testing.processes``).
"""

from typing import Any

import psycopg
import pytest
from django.db import connection


def reference_counter_locked() -> bool:
    """True if the tracking-number counter rows are locked by a transaction in progress.

    Asked on a second connection to the test database, with ``NOWAIT``: the answer comes at
    once instead of waiting for the lock.
    """
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    ) as other:
        try:
            other.execute(
                'SELECT 1 FROM "tickets_referencecounter" FOR UPDATE NOWAIT'
            )  # a constant, no input: the counter's table
        except psycopg.errors.LockNotAvailable:
            return True
    return False


def counter_lock_at_each_creation(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """A list that each ticket creation of the pipeline appends ``reference_counter_locked()`` to.

    This year's counter row is made first: a row another transaction inserted is not seen
    (nor reported locked), one it updated is. (Imports inside: the multi-process tests'
    children import their test module before Django is set up.)
    """
    from parvis.intake import pipeline
    from parvis.tickets.references import next_reference

    next_reference()
    seen: list[bool] = []
    create = pipeline.ticket_create  # type: ignore[attr-defined]  # the name the pipeline calls

    def create_and_look(**kwargs: Any) -> Any:
        seen.append(reference_counter_locked())
        return create(**kwargs)

    monkeypatch.setattr(pipeline, "ticket_create", create_and_look)
    return seen

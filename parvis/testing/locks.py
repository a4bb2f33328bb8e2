"""Whether another transaction holds a row lock, seen from a connection of its own (PostgreSQL).

Module-level code imports no model: the concurrency tests that import this module are
imported by spawned children before Django is set up (``parvis.testing.processes``).
"""

import threading
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction


def reference_counter_locked() -> bool:
    """True if the tracking-number counter rows are locked by a transaction in progress.

    Asked from another thread, hence on another database connection (Django's are per
    thread), with ``NOWAIT``: the answer comes at once instead of waiting for the lock.
    """
    from parvis.tickets.models import ReferenceCounter

    answer: list[bool] = []

    def look() -> None:
        try:
            with transaction.atomic():
                list(ReferenceCounter.objects.select_for_update(nowait=True))
            answer.append(False)
        except OperationalError:  # LockNotAvailable
            answer.append(True)
        finally:
            connection.close()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join(30)
    return answer == [True]


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

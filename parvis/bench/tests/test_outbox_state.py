"""What the bench reads of the outbox: pending deliveries and missing acknowledgements.

PostgreSQL only, as the bench: the harness reads the database with its own connection.
"""

from typing import Any

import pytest
from django.db import connection

from parvis.bench.worker import Outbox
from parvis.intake.pipeline import intake_submit
from parvis.notifications.models import Mail
from parvis.tickets import outbox
from parvis.tickets.models import Channel, EventDelivery
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bench runs on PostgreSQL"
)


def _url() -> str:
    settings = connection.settings_dict
    return (
        f"postgresql://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def _create(email: str) -> Any:
    return intake_submit(
        incoming=IncomingRequest(
            channel=Channel.API,
            requester=RequesterData(name="Jeanne Martin", email=email),
            subject="Lampadaire éteint",
            description="Rue des Lilas, depuis hier soir.",
        ),
        actor=None,
    ).ticket


def test_it_sees_work_pending_then_drained(transactional_db: None, catalog: None) -> None:
    reader = Outbox(_url())
    try:
        marks = reader.marks()
        with_email = _create("jeanne.martin@courriel.example")
        _create("")  # no email: no acknowledgement expected
        assert reader.state(marks).drained  # tests deliver at once (Huey immediate)
        # Undo the delivery of the first ticket: its work is pending again.
        # (One delivery per subscriber of its events: the acknowledgement, its deadlines…)
        undone = EventDelivery.objects.filter(event__ticket=with_email).update(delivered_at=None)
        Mail.objects.filter(ticket=with_email).delete()
        state = reader.state(marks)
        assert undone >= 1
        assert (state.tickets, state.pending, state.acknowledgements_missing) == (2, undone, 1)
        assert reader.pending(marks) == undone
        assert not state.drained
        outbox.dispatch_pending()
        drained_at, state = reader.wait_drained(marks, timeout=5)
        assert drained_at is not None
        assert state.drained and state.failed == 0
    finally:
        reader.close()

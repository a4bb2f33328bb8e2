"""Several processes approving overlapping bookings of one room at once: exactly one wins.

Four processes (``parvis.testing.processes``: as gunicorn workers, on either database)
each approve their own request for overlapping evenings of the salle des fêtes, together,
behind a barrier. One approval commits, the three others get the French refusal, and the
room holds one approved booking — also with the action's own check switched off in the
children, when the database alone decides (ADR 0025).
"""

import multiprocessing
import sqlite3
import traceback
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from parvis.testing.processes import (
    TIMEOUT,
    close_connections,
    run_processes,
    setup_django,
    shared_database_name,
)

WORKERS = 4


def _approve(
    database_name: str,
    booking_ids: list[int],
    database_only: bool,
    worker: int,
    barrier: Barrier,
    results: "multiprocessing.Queue[Any]",
) -> None:
    """Child: wait for the others, then approve this worker's booking."""
    try:
        setup_django(database_name)
        from django.core.exceptions import ValidationError

        from parvis.accounts.selectors import system_actor
        from parvis.bookings import actions
        from parvis.bookings.actions import booking_approve
        from parvis.bookings.models import Booking

        if database_only:  # the action's own check off: the database alone decides
            actions.overlaps_approved = lambda *args, **kwargs: False  # type: ignore[assignment]

        booking = Booking.objects.get(pk=booking_ids[worker])
        actor = system_actor()
        barrier.wait(timeout=TIMEOUT)
        try:
            booking_approve(booking=booking, actor=actor)
            results.put((worker, "approved", ""))
        except ValidationError as refused:
            results.put((worker, "refused", " ".join(refused.messages)))
    except BaseException:
        results.put((worker, "error", traceback.format_exc()))
    finally:
        close_connections()


def _approved_in_sqlite(path: Path) -> int:
    with sqlite3.connect(path) as database:
        return database.execute(
            "SELECT count(*) FROM bookings_booking WHERE state = 'approved'"
        ).fetchone()[0]


@pytest.mark.parametrize("database_only", [False, True], ids=["action", "database-only"])
def test_overlapping_approvals_in_parallel_only_one_succeeds(
    transactional_db: None, tmp_path: Path, database_only: bool
) -> None:
    from parvis.accounts.selectors import system_actor
    from parvis.bookings.actions import resource_load_defaults
    from parvis.bookings.models import Booking
    from parvis.catalog.actions import catalog_load_defaults
    from parvis.catalog.selectors import request_type_with_fields
    from parvis.intake.pipeline import intake_submit
    from parvis.tickets.models import Channel
    from parvis.tickets.structures import IncomingRequest, RequesterData

    catalog_load_defaults()
    resource_load_defaults()
    system_actor()  # created before the children look it up
    room = request_type_with_fields("reservation-salle")
    booking_ids = []
    for worker in range(WORKERS):
        ticket = intake_submit(
            incoming=IncomingRequest(
                channel=Channel.API,
                requester=RequesterData(f"Usager {worker}", phone=f"06 00 00 00 0{worker}"),
                subject="Salle des fêtes",
                request_type=room,
                field_values={
                    "room": "salle-des-fetes",
                    "event_date": "2027-06-19",
                    # Each overlaps every other: 14h–22h, 15h–23h, 16h–0h, 17h–1h.
                    "start_time": f"{14 + worker}h00",
                    "end_time": f"{(22 + worker) % 24}h00",
                    "attendees": 50,
                    "purpose": "fete-familiale",
                    "organizer_type": "habitant",
                },
            ),
            actor=None,
            rate_limited=False,
        )
        booking_ids.append(Booking.objects.get(ticket=ticket).pk)
    database_name = shared_database_name(tmp_path)

    outcomes = run_processes(_approve, database_name, booking_ids, database_only, count=WORKERS)

    errors = [detail for _worker, outcome, detail in outcomes if outcome == "error"]
    assert not errors, "\n".join(errors)
    approved = [worker for worker, outcome, _detail in outcomes if outcome == "approved"]
    refusals = [detail for _worker, outcome, detail in outcomes if outcome == "refused"]
    assert len(approved) == 1
    assert len(refusals) == WORKERS - 1
    assert all(r.startswith("Ce créneau vient d'être réservé") for r in refusals), refusals
    if connection.vendor == "sqlite":
        assert _approved_in_sqlite(Path(database_name)) == 1
    else:
        assert Booking.objects.filter(state="approved").count() == 1

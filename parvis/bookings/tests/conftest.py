"""Fixtures of the bookings tests: the default rooms and equipment, a booking ticket."""

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def resources(catalog: None) -> None:
    """The default catalogue and, on it, the default rooms and equipment."""
    from parvis.bookings.actions import resource_load_defaults

    resource_load_defaults()


ROOM_VALUES: dict[str, object] = {
    "room": "salle-des-fetes",
    "event_date": "2027-06-19",
    "start_time": "14h00",
    "end_time": "23h00",
    "attendees": 80,
    "purpose": "fete-familiale",
    "organizer_type": "habitant",
}


@pytest.fixture
def room_ticket(resources: None, make_ticket: Callable[..., Any]) -> Callable[..., Any]:
    """room_ticket(start_time="18h00", …) → a ticket of the room démarche, its booking asked."""

    def make(**values: object) -> Any:
        return make_ticket(
            "reservation-salle",
            subject="Réservation de la salle des fêtes",
            field_values={**ROOM_VALUES, **values},
        )

    return make

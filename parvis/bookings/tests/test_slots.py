"""Reading the slot a démarche's fields ask for: times as people type them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parvis.bookings.slots import EQUIPMENT, ROOM, binding_for, parse_time, requested_slot


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14h", datetime.time(14)),
        ("14h30", datetime.time(14, 30)),
        ("14H30", datetime.time(14, 30)),
        ("14:30", datetime.time(14, 30)),
        (" 9 h 05 ", datetime.time(9, 5)),
        ("9", datetime.time(9)),
        ("24h00", datetime.time(0)),
    ],
)
def test_times_are_read_as_people_write_them(text: str, expected: datetime.time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "midi", "25h", "14h75", "dimanche 18h00", "14h3"])
def test_what_is_not_a_time_is_not_read_as_one(text: str) -> None:
    assert parse_time(text) is None


def test_a_room_slot_is_the_day_from_start_to_end_in_the_communes_zone() -> None:
    slot = requested_slot(
        ROOM,
        {"room": "salle", "event_date": "2027-01-22", "start_time": "19h", "end_time": "22h"},
    )
    assert slot is not None
    assert timezone.localtime(slot.starts_at).isoformat() == "2027-01-22T19:00:00+01:00"
    assert timezone.localtime(slot.ends_at).isoformat() == "2027-01-22T22:00:00+01:00"


def test_an_unreadable_time_is_refused_on_its_field() -> None:
    with pytest.raises(ValidationError) as refused:
        requested_slot(
            ROOM,
            {"room": "salle", "event_date": "2027-01-22", "start_time": "soir", "end_time": "22h"},
        )
    assert list(refused.value.message_dict) == ["start_time"]
    assert "par exemple 14h00" in refused.value.message_dict["start_time"][0]


def test_equipment_is_lent_for_whole_days_return_day_included() -> None:
    slot = requested_slot(
        EQUIPMENT,
        {"equipment": "sono", "pickup_date": "2027-05-07", "return_date": "2027-05-09"},
    )
    assert slot is not None
    assert timezone.localtime(slot.starts_at).isoformat() == "2027-05-07T00:00:00+02:00"
    assert timezone.localtime(slot.ends_at).isoformat() == "2027-05-10T00:00:00+02:00"


def test_a_return_before_the_pickup_is_refused() -> None:
    with pytest.raises(ValidationError, match="date de retour"):
        requested_slot(
            EQUIPMENT,
            {"equipment": "sono", "pickup_date": "2027-05-07", "return_date": "2027-05-06"},
        )


def test_no_resource_chosen_books_nothing() -> None:
    assert requested_slot(EQUIPMENT, {"pickup_date": "2027-05-07"}) is None


def test_a_demarche_books_when_it_has_the_fields_of_a_binding() -> None:
    assert binding_for({"room", "event_date", "start_time", "end_time", "purpose"}) == ROOM
    assert binding_for({"equipment", "pickup_date", "return_date"}) == EQUIPMENT
    assert binding_for({"room", "event_date"}) is None

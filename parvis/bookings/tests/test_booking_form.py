"""The portal's booking form: the day's free and taken hours, and a taken slot refused.

The fragment of availability says when, never who: no name, email, phone, reference or
purpose of another booker reaches the page.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from parvis.bookings.actions import booking_approve
from parvis.bookings.models import Booking
from parvis.tickets.models import Ticket
from parvis.tickets.structures import RequesterData

pytestmark = pytest.mark.django_db

FORM_URL = reverse("portal:request_form", args=["reservation-salle"])
AVAILABILITY_URL = reverse("portal:availability", args=["reservation-salle"])


@pytest.fixture
def approved(
    room_ticket: Callable[..., Any], make_ticket: Callable[..., Any], make_agent: Callable[..., Any]
) -> Booking:
    """The salle des fêtes approved for Dominique Secret, 19 June 2027, 14:00 to 23:00."""
    ticket = make_ticket(
        "reservation-salle",
        subject="Mariage Secret",
        description="Réception du mariage de Dominique Secret",
        requester=RequesterData("Dominique Secret", "dominique.secret@example.fr", "0611223344"),
        field_values={
            "room": "salle-des-fetes",
            "event_date": "2027-06-19",
            "start_time": "14h00",
            "end_time": "23h00",
            "attendees": 120,
            "purpose": "fete-familiale",
            "organizer_type": "association",
            "organization_name": "Association Confidentielle",
        },
    )
    return booking_approve(booking=Booking.objects.get(ticket=ticket), actor=make_agent())


def _form(**overrides: str) -> dict[str, str]:
    return {
        "name": "Camille Martin",
        "email": "camille@example.fr",
        "description": "Pour l'anniversaire de ma fille.",
        "consent": "on",
        "f-room": "salle-des-fetes",
        "f-event_date": "2027-06-19",
        "f-start_time": "18h00",
        "f-end_time": "20h00",
        "f-attendees": "40",
        "f-purpose": "fete-familiale",
        "f-organizer_type": "habitant",
    } | overrides


def test_the_form_asks_for_the_availability_of_the_resource_and_day(
    client: Any, resources: None
) -> None:
    html = client.get(FORM_URL).text
    assert f'hx-get="{AVAILABILITY_URL}"' in html
    assert "change from:#id_f-room" in html
    assert 'hx-include="#id_f-room, #id_f-event_date"' in html


def test_the_day_shows_its_free_and_taken_hours_and_nothing_of_the_booker(
    client: Any, approved: Booking, django_assert_max_num_queries: Any
) -> None:
    query = {"f-room": "salle-des-fetes", "f-event_date": "2027-06-19"}
    client.get(AVAILABILITY_URL, query)  # the process's catalogue copy is read once
    with django_assert_max_num_queries(2):  # the resource, the day's approved slots
        response = client.get(AVAILABILITY_URL, query)
    assert response.status_code == 200
    text = " ".join(response.text.split())
    assert "de 00:00 à 14:00 : libre" in text
    assert "de 14:00 à 23:00 : <strong>déjà réservé</strong>" in text
    assert "de 23:00 à 24:00 : libre" in text
    ticket = approved.ticket
    for secret in (
        "Secret",
        "dominique",
        "0611223344",
        "Confidentielle",
        "Mariage",
        ticket.reference,
        ticket.tracking_token,
        "120",
    ):
        assert secret not in response.text
    assert response["Cache-Control"] == "no-store"


def test_a_free_day_is_free_all_day(client: Any, approved: Booking) -> None:
    response = client.get(
        AVAILABILITY_URL, {"f-room": "salle-des-fetes", "f-event_date": "2027-06-20"}
    )
    assert "de 00:00 à 24:00 : libre" in " ".join(response.text.split())


def test_requests_not_yet_approved_leave_the_slot_free(
    client: Any, room_ticket: Callable[..., Any]
) -> None:
    room_ticket()
    response = client.get(
        AVAILABILITY_URL, {"f-room": "salle-des-fetes", "f-event_date": "2027-06-19"}
    )
    assert "déjà réservé" not in response.text


def test_without_a_room_or_a_date_the_fragment_says_what_to_choose(
    client: Any, resources: None
) -> None:
    response = client.get(AVAILABILITY_URL, {"f-room": "", "f-event_date": "demain"})
    assert "Choisissez ce que vous réservez et une date" in response.text


def test_a_demarche_that_books_nothing_has_no_availability(client: Any, resources: None) -> None:
    url = reverse("portal:availability", args=["acte-de-naissance"])
    assert client.get(url).status_code == 404


def test_a_free_slot_is_requested_with_the_ticket(client: Any, resources: None) -> None:
    response = client.post(FORM_URL, _form())
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.ticket == Ticket.objects.get()
    assert booking.state == "requested"


def test_a_taken_slot_cannot_be_requested_and_what_was_typed_stays(
    client: Any, approved: Booking
) -> None:
    response = client.post(FORM_URL, _form())
    assert response.status_code == 400
    assert "Ce créneau est déjà réservé : choisissez un autre horaire ou une autre date." in (
        response.text
    )
    assert 'value="18h00"' in response.text
    assert "Pour l&#x27;anniversaire de ma fille." in response.text
    assert Ticket.objects.count() == 1  # the approved one only


def test_an_unreadable_time_is_refused_next_to_its_field(client: Any, resources: None) -> None:
    response = client.post(FORM_URL, _form(**{"f-start_time": "le soir"}))
    assert response.status_code == 400
    assert "Indiquez une heure, par exemple 14h00 ou 14h30." in response.text
    assert not Ticket.objects.exists()

"""A resource's calendar feed: RFC 5545 text of its approved slots, behind a secret address."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from parvis.bookings.actions import booking_approve
from parvis.bookings.ical import escape_text, fold
from parvis.bookings.models import Booking, Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(
    client: Any, room_ticket: Callable[..., Any], make_agent: Callable[..., Any]
) -> tuple[Any, Booking]:
    approved = Booking.objects.get(ticket=room_ticket())
    booking_approve(booking=approved, actor=make_agent())
    room_ticket(event_date="2027-06-26")  # requested only: not in the feed
    resource = Resource.objects.get(slug="salle-des-fetes")
    response = client.get(reverse("portal:resource_feed", args=[resource.feed_token]))
    return response, approved


def test_the_feed_is_a_calendar_of_the_approved_slots(feed: tuple[Any, Booking]) -> None:
    response, approved = feed
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 1
    assert f"UID:booking-{approved.pk}@" in text
    assert "DTSTART:20270619T120000Z\r\n" in text  # 14:00 in Paris, summer time
    assert "DTEND:20270619T210000Z\r\n" in text
    assert "\nDTSTAMP:2" in text


def test_every_line_ends_in_crlf_and_fits_in_75_octets(feed: tuple[Any, Booking]) -> None:
    body: bytes = feed[0].content
    assert b"\n" not in body.replace(b"\r\n", b"")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75


def test_the_feed_says_nothing_of_who_booked(feed: tuple[Any, Booking]) -> None:
    text = feed[0].content.decode("utf-8")
    ticket = feed[1].ticket
    for secret in (ticket.requester_name, ticket.requester_email, ticket.reference, ticket.subject):
        assert secret not in text


def test_a_wrong_token_finds_no_feed(client: Any, resources: None) -> None:
    assert client.get(reverse("portal:resource_feed", args=["devine"])).status_code == 404


def test_each_resource_has_its_own_long_random_token(resources: None) -> None:
    tokens = list(Resource.objects.values_list("feed_token", flat=True))
    assert len(set(tokens)) == len(tokens)
    assert all(len(token) >= 40 for token in tokens)


def test_long_lines_are_folded_without_cutting_a_character() -> None:
    line = "SUMMARY:" + "Réservé — salle des fêtes " * 6
    folded = fold(line)
    chunks = folded.encode("utf-8").split(b"\r\n")
    assert all(len(chunk) <= 75 for chunk in chunks)
    assert all(chunk.startswith(b" ") for chunk in chunks[1:])
    assert "".join(c[1:] if i else c for i, c in enumerate(folded.split("\r\n"))) == line
    for chunk in chunks:
        chunk.decode("utf-8")  # no character cut in two


def test_text_values_are_escaped() -> None:
    assert escape_text("a, b; c\\d\ne") == "a\\, b\\; c\\\\d\\ne"

"""Agents and bookings: the resources of their services, a resource's week, and the decision
from the ticket page."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parvis.bookings.actions import booking_approve
from parvis.bookings.models import Booking, BookingState, Resource
from parvis.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(resources: None, make_agent: Callable[..., Any]) -> Any:
    return make_agent("vie-associative", username="vera")


@pytest.fixture
def agent_client(client: Client, agent: Any) -> Client:
    return verified_login(client, agent)


def _week_url(slug: str, day: str = "2027-06-16") -> str:
    resource = Resource.objects.get(slug=slug)
    return reverse("backoffice:resource_week", args=[resource.pk]) + f"?semaine={day}"


def test_an_agent_lists_the_resources_of_their_services(
    agent_client: Client, django_assert_max_num_queries: Any
) -> None:
    agent_client.get(reverse("backoffice:resources"))
    with django_assert_max_num_queries(8):
        response = agent_client.get(reverse("backoffice:resources"))
    assert response.status_code == 200
    assert "Salle des fêtes" in response.text
    assert "Sonorisation portable" in response.text


def test_an_agent_of_another_service_sees_none_of_them(
    client: Client, resources: None, make_agent: Callable[..., Any]
) -> None:
    other = verified_login(client, make_agent("etat-civil"))
    assert "Salle des fêtes" not in other.get(reverse("backoffice:resources")).text
    assert other.get(_week_url("salle-des-fetes")).status_code == 404


def test_the_week_shows_each_day_and_its_bookings_in_a_fixed_number_of_queries(
    agent_client: Client,
    room_ticket: Callable[..., Any],
    agent: Any,
    django_assert_max_num_queries: Any,
) -> None:
    first = Booking.objects.get(ticket=room_ticket())
    agent_client.get(_week_url("salle-des-fetes"))
    with django_assert_max_num_queries(9) as few:
        agent_client.get(_week_url("salle-des-fetes"))
    booking_approve(booking=first, actor=agent)
    for day in ("2027-06-15", "2027-06-16", "2027-06-17", "2027-06-18"):
        room_ticket(event_date=day)
    with django_assert_max_num_queries(len(few)):
        response = agent_client.get(_week_url("salle-des-fetes"))
    text = " ".join(response.text.split())
    assert "Samedi 19 juin" in text
    assert "Lundi 14 juin" in text
    assert text.count("booking-state-approved") == 1
    assert text.count("booking-state-requested") == 4
    assert first.ticket.reference in text
    assert "Libre toute la journée." in text  # Sunday the 20th, Monday the 14th
    assert reverse("portal:resource_feed", args=[first.resource.feed_token]) in text


def test_an_agent_approves_from_the_ticket_page(
    agent_client: Client, room_ticket: Callable[..., Any]
) -> None:
    ticket = room_ticket()
    page = agent_client.get(reverse("backoffice:ticket", args=[ticket.reference])).text
    booking = Booking.objects.get(ticket=ticket)
    approve_url = reverse("backoffice:booking_approve", args=[booking.pk])
    assert approve_url in page
    response = agent_client.post(approve_url, follow=True)
    assert "Réservation accordée." in response.text
    assert "Réservation accordée : Salle des fêtes, le 19/06/2027 de 14:00 à 23:00" in (
        response.text
    )
    booking.refresh_from_db()
    assert booking.state == BookingState.APPROVED


def test_approving_a_slot_taken_meanwhile_says_so_on_the_ticket_page(
    agent_client: Client, room_ticket: Callable[..., Any], agent: Any
) -> None:
    first, second = (Booking.objects.get(ticket=room_ticket()) for _ in range(2))
    booking_approve(booking=first, actor=agent)
    response = agent_client.post(
        reverse("backoffice:booking_approve", args=[second.pk]), follow=True
    )
    assert "Ce créneau vient d&#x27;être réservé pour une autre demande" in response.text
    second.refresh_from_db()
    assert second.state == BookingState.REQUESTED


def test_an_agent_refuses_from_the_ticket_page(
    agent_client: Client, room_ticket: Callable[..., Any]
) -> None:
    booking = Booking.objects.get(ticket=room_ticket())
    agent_client.post(reverse("backoffice:booking_refuse", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.state == BookingState.REFUSED


def test_an_agent_outside_the_resources_service_cannot_decide(
    client: Client, room_ticket: Callable[..., Any], make_agent: Callable[..., Any]
) -> None:
    booking = Booking.objects.get(ticket=room_ticket())
    outsider = verified_login(client, make_agent("etat-civil"))
    response = outsider.post(reverse("backoffice:booking_approve", args=[booking.pk]))
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED


def test_decisions_are_posts_only(agent_client: Client, room_ticket: Callable[..., Any]) -> None:
    booking = Booking.objects.get(ticket=room_ticket())
    assert (
        agent_client.get(reverse("backoffice:booking_approve", args=[booking.pk])).status_code
        == 405
    )

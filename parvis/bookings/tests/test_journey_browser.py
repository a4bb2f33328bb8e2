"""Booking a room in a real browser: a citizen sees the day free and asks for a slot, an
agent approves it from the ticket, a second citizen sees it taken and is refused."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from parvis.accounts.actions import agent_create
from parvis.backoffice.tests.test_journey_browser import PASSWORD, log_in
from parvis.bookings.actions import resource_load_defaults
from parvis.bookings.models import Booking, BookingState
from parvis.catalog.models import Service
from parvis.tickets.models import Ticket

pytestmark = pytest.mark.browser


@pytest.fixture
def agent(live_catalog: None) -> Any:
    resource_load_defaults()
    return agent_create(
        username="victor",  # the name log_in types
        first_name="Véra",
        last_name="Lenoir",
        email="vera@mairie.test",
        password=PASSWORD,
        services=list(Service.objects.filter(slug="vie-associative")),
    )


def fill_booking_form(page: Any, live_server: Any, name: str, email: str) -> None:
    page.goto(live_server.url + "/demarches/reservation-salle/")
    page.get_by_label("Nom et prénom").fill(name)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Décrivez votre demande").fill("Un anniversaire en famille.")
    page.get_by_label("Salle souhaitée").select_option("salle-des-fetes")
    page.locator("#id_f-event_date").fill("2027-06-19")
    page.locator("#id_f-event_date").dispatch_event("change")
    page.get_by_label("Heure de début").fill("14h00")
    page.get_by_label("Heure de fin").fill("23h00")
    page.get_by_label("Nombre de personnes attendues").fill("60")
    page.get_by_label("Objet de la réservation").select_option("fete-familiale")
    page.get_by_label("Vous réservez en tant que").select_option("habitant")
    page.get_by_label("J'accepte").check()


def test_a_citizen_books_an_agent_approves_and_the_slot_is_then_taken(
    page: Any, live_server: Any, agent: Any, axe_check: Any, browser: Any
) -> None:
    availability = page.locator("#availability")

    fill_booking_form(page, live_server, "Camille Martin", "camille@example.fr")
    expect(availability).to_contain_text("de 00:00 à 24:00 : libre")
    axe_check(page)
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page).to_have_url(re.compile("/suivi/"))
    ticket = Ticket.objects.get()
    expect(page.get_by_text("Réservation demandée : Salle des fêtes")).to_be_visible()

    log_in(page, live_server, f"/agents/demandes/{ticket.reference}/")
    page.get_by_role("button", name="Accorder").click()
    expect(page.get_by_text("Réservation accordée.", exact=True)).to_be_visible()
    assert Booking.objects.get().state == BookingState.APPROVED
    page.get_by_role("link", name="Salle des fêtes").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Salle des fêtes")
    expect(page.get_by_text(ticket.reference)).to_be_visible()
    axe_check(page)

    other = browser.new_page()  # another citizen, not logged in
    fill_booking_form(other, live_server, "Paul Girard", "paul@example.fr")
    expect(other.locator("#availability")).to_contain_text("de 14:00 à 23:00 : déjà réservé")
    expect(other.locator("#availability")).not_to_contain_text("Camille")
    other.get_by_role("button", name="Envoyer ma demande").click()
    expect(other.get_by_text("Ce créneau est déjà réservé").first).to_be_visible()
    expect(other.get_by_label("Heure de début")).to_have_value("14h00")
    assert Ticket.objects.count() == 1
    other.close()

"""Conditional fields in a real browser: hidden until their condition holds, shown then,
hidden and not sent again when it no longer does (conditional-fields.js, CSP-strict)."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from parvis.tickets.models import Ticket

pytestmark = pytest.mark.browser


@pytest.fixture
def live_catalog(transactional_db: None) -> None:
    from parvis.catalog.actions import catalog_load_defaults

    catalog_load_defaults()


def test_the_organisation_shows_only_for_an_association_or_a_company(
    page: Any, live_server: Any, live_catalog: None, axe_check: Any
) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))  # a CSP refusal shows here
    page.goto(live_server.url + "/demarches/reservation-salle/")
    organisation = page.get_by_label("Nom de l'association ou de l'entreprise")
    association_name = page.get_by_label("Nom de l'association", exact=True)
    expect(organisation).to_be_hidden()
    expect(association_name).to_be_hidden()
    axe_check(page)

    page.get_by_label("Vous réservez en tant que").select_option("association")
    expect(organisation).to_be_visible()
    page.get_by_label("Je représente une association").check()
    expect(association_name).to_be_visible()
    axe_check(page)

    organisation.fill("Les Amis du Parvis")
    page.get_by_label("Vous réservez en tant que").select_option("habitant")
    expect(organisation).to_be_hidden()
    page.get_by_label("Je représente une association").uncheck()
    expect(association_name).to_be_hidden()

    page.get_by_label("Nom et prénom").fill("Camille Martin")
    page.get_by_label("Adresse électronique").fill("camille@example.fr")
    page.get_by_label("Décrivez votre demande").fill("Un anniversaire.")
    page.get_by_label("Salle souhaitée").select_option("salle-polyvalente")
    page.locator("#id_f-event_date").fill("2026-06-20")
    page.get_by_label("Heure de début").fill("14h00")
    page.get_by_label("Heure de fin").fill("20h00")
    page.get_by_label("Nombre de personnes attendues").fill("30")
    page.get_by_label("Objet de la réservation").select_option("fete-familiale")
    page.get_by_label("J'accepte").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page).to_have_url(re.compile("/suivi/"))
    assert "organization_name" not in Ticket.objects.get().field_values  # hidden: not sent
    assert not [text for text in errors if "Content Security Policy" in text]

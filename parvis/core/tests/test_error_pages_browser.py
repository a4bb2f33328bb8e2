"""The error pages in a real browser: French, the site's look, the ways on work, and no
serious or critical accessibility violation (axe)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from parvis.accounts.actions import agent_create
from parvis.catalog.models import RequestType, Service
from parvis.intake.pipeline import intake_submit
from parvis.tickets.actions import ticket_transfer
from parvis.tickets.models import Channel
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.browser
PASSWORD = "motdepasse-test"


@pytest.fixture
def live_catalog(transactional_db: None) -> None:
    from parvis.catalog.actions import catalog_load_defaults

    catalog_load_defaults()


def test_a_wrong_tracking_link_leads_to_the_search_and_the_lookup(
    page: Any, live_server: Any, live_catalog: None, axe_check: Any
) -> None:
    response = page.goto(live_server.url + "/suivi/lien-incomplet/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable.")
    expect(page.get_by_text("Ce lien de suivi ne correspond à aucune demande")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Retrouver une demande avec son numéro de suivi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suivre une demande")


def test_an_unknown_demarche_offers_the_search(
    page: Any, live_server: Any, live_catalog: None, axe_check: Any
) -> None:
    page.goto(live_server.url + "/demarches/permis-de-voler/")
    axe_check(page)
    page.get_by_label("Que souhaitez-vous faire ?").fill("acte de naissance")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name="Demande d'acte de naissance").first).to_be_visible()


def test_an_agent_is_told_where_the_ticket_they_transferred_went(
    page: Any, live_server: Any, live_catalog: None, axe_check: Any
) -> None:
    agent = agent_create(
        username="victor",
        first_name="Victor",
        last_name="Roux",
        email="victor@mairie.test",
        password=PASSWORD,
        services=list(Service.objects.filter(slug="services-techniques")),
    )
    ticket = intake_submit(
        incoming=IncomingRequest(
            channel=Channel.WEB,
            requester=RequesterData("Camille Martin", "camille@example.fr"),
            subject="Lampadaire éteint",
            description="Rue des Lilas.",
            request_type=RequestType.objects.get(slug="eclairage-public"),
            field_values={"location": "Rue des Lilas", "failure_type": "eteint"},
        ),
        actor=None,
    ).ticket
    ticket_transfer(
        ticket=ticket,
        actor=agent,
        to_service=Service.objects.get(slug="urbanisme"),
        reason="Relève de l'urbanisme",
    )
    page.goto(live_server.url + f"/agents/demandes/{ticket.reference}/")
    page.get_by_label("Identifiant").fill("victor")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Cette demande a été transférée au service Urbanisme")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Retour aux demandes").click()
    expect(page).to_have_url(live_server.url + "/agents/")


def test_an_expired_form_says_what_to_do(
    page: Any, live_server: Any, live_catalog: None, axe_check: Any
) -> None:
    page.goto(live_server.url + "/suivi/")
    page.context.clear_cookies()  # as after a long absence: the CSRF cookie is gone
    page.get_by_label("Numéro de suivi").fill("2026-00001")
    page.get_by_label("Adresse électronique utilisée pour la demande").fill("a@example.fr")
    page.get_by_role("button", name="Recevoir mon lien de suivi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ce formulaire a expiré ou n'a pas pu être vérifié."
    )
    axe_check(page)

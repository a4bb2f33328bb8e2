"""An agent in a real browser fills a reply with a canned response and an article's link."""

from typing import Any

import pytest
from playwright.sync_api import expect

from parvis.accounts.actions import agent_create
from parvis.catalog.models import RequestType, Service
from parvis.intake.pipeline import intake_submit
from parvis.knowledge.canned import CannedContent, canned_response_create
from parvis.tickets.models import Channel
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.browser

PASSWORD = "motdepasse-test"


@pytest.fixture
def live_knowledge(live_catalog: None) -> None:
    from parvis.knowledge.defaults import knowledge_load_defaults

    knowledge_load_defaults()


def test_an_agent_inserts_a_canned_response_then_an_article_link(
    page: Any, live_server: Any, live_knowledge: None, axe_check: Any
) -> None:
    civil_status = Service.objects.get(slug="etat-civil")
    alice = agent_create(
        username="alice",
        first_name="Alice",
        last_name="Durand",
        email="alice@mairie.test",
        password=PASSWORD,
        services=[civil_status, Service.objects.get(slug="accueil")],
    )
    canned_response_create(
        actor=alice,
        content=CannedContent(
            service=civil_status, title="Pièces à apporter", body="Bonjour {nom}, pour {numero} :"
        ),
    )
    ticket = intake_submit(
        incoming=IncomingRequest(
            channel=Channel.PHONE,
            requester=RequesterData("Paul Girard", "paul@example.fr"),
            subject="Carte d'identité",
            description="Que faut-il apporter pour refaire ma carte d'identité ?",
            request_type=RequestType.objects.get(slug="question-generale"),
        ),
        actor=None,
    ).ticket
    page.goto(f"{live_server.url}/agents/demandes/{ticket.reference}/")
    page.get_by_label("Identifiant").fill("alice")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_text("Insérer une réponse type").click()
    page.get_by_role("button", name="Insérer", exact=True).click()
    reply = page.get_by_label("Réponse à l'usager")
    expect(reply).to_have_value(f"Bonjour Paul Girard, pour {ticket.reference} :")

    page.get_by_text("Insérer une fiche de la base de connaissances").click()
    page.get_by_label("Chercher une fiche publiée").press_sequentially("carte identite", delay=20)
    results = page.locator("#fiches-a-inserer")
    results.get_by_role("button", name="Insérer le lien").first.click()
    expect(reply).to_have_value(
        f"Bonjour Paul Girard, pour {ticket.reference} :\n"
        + "Carte nationale d'identité - demande et renouvellement : "
        + f"{live_server.url}/aide/fiches/carte-nationale-d-identite/"
    )
    axe_check(page)

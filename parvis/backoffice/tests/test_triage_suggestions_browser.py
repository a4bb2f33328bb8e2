"""At the accueil, a request the classifier was unsure of is sent on in one click."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from parvis.accounts.actions import agent_create
from parvis.catalog.models import Service
from parvis.intake.pipeline import intake_submit
from parvis.routing.actions import classifier_retrain
from parvis.routing.tests.test_triage_classifier import SMALL_CORPUS
from parvis.tickets.models import Channel, Event
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.browser

PASSWORD = "motdepasse-test"


def test_the_accueil_sends_an_unsure_request_to_a_suggested_service(
    page: Any, live_server: Any, live_catalog: None, axe_check: Any
) -> None:
    classifier_retrain(bootstrap=SMALL_CORPUS, history=[])
    Service.objects.update(triage_threshold=1.0)  # nothing routed automatically
    agent_create(
        username="ines",
        first_name="Inès",
        last_name="Blanc",
        email="ines@mairie.test",
        password=PASSWORD,
        services=list(Service.objects.filter(slug="accueil")),
    )
    ticket = intake_submit(
        incoming=IncomingRequest(
            channel=Channel.PHONE,
            requester=RequesterData("Paul Girard", "paul@example.fr"),
            subject="Appel de M. Girard",
            description="Le lampadaire devant chez lui ne s'allume plus depuis lundi.",
        ),
        actor=None,
    ).ticket
    assert ticket.service.slug == "accueil"
    routed = ticket.events.get(kind=Event.Kind.ROUTED)
    offered = [s for s in routed.data["suggestions"] if s[0] != ticket.service_id]
    assert offered[0][0] == Service.objects.get(slug="services-techniques").pk

    page.goto(f"{live_server.url}/agents/demandes/{ticket.reference}/")
    page.get_by_label("Identifiant").fill("ines")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    suggestions = page.get_by_role("region", name="Orientation suggérée")
    expect(suggestions).to_be_visible()
    buttons = suggestions.get_by_role("button")
    expect(buttons).to_have_count(len(offered))  # the three best, less the accueil itself
    axe_check(page)
    suggestions.get_by_role("button", name=re.compile(r"^Envoyer à Services techniques")).click()

    expect(page.get_by_text("est transférée au service Services techniques")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.service.slug == "services-techniques"
    transfer = ticket.events.get(kind=Event.Kind.TRANSFERRED)
    assert transfer.data["reason"].startswith("Suggestion du classement automatique (")

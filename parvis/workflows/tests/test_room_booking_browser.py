"""A room booking walked through its workflow in a real browser: the service checks, the
deputy mayor approves, and the citizen is told at each public step and reads it online."""

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from parvis.accounts.actions import agent_create
from parvis.accounts.models import Membership
from parvis.catalog.models import RequestType, Service
from parvis.conftest import TEST_PASSWORD as PASSWORD
from parvis.conftest import _valid_values, run_worker
from parvis.conftest import browser_log_in as log_in
from parvis.intake.pipeline import intake_submit
from parvis.tickets.models import Channel, Status
from parvis.tickets.structures import IncomingRequest, RequesterData
from parvis.workflows.actions import workflows_load_defaults
from parvis.workflows.selectors import ticket_step

pytestmark = pytest.mark.browser


def _member(username: str, role: str, first_name: str) -> Any:
    return agent_create(
        username=username,
        first_name=first_name,
        last_name="Test",
        email=f"{username}@mairie.test",
        password=PASSWORD,
        services=[Service.objects.get(slug="vie-associative")],
        role=Membership.Role(role),
    )


def _mailed_step() -> str:
    """The step named in the one mail written since the last call."""
    run_worker()
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    subject = mail.outbox[0].subject
    mail.outbox.clear()
    return subject.split(" : ", 1)[1]


def test_a_room_booking_goes_from_request_to_confirmation_and_the_citizen_follows_it(
    page: Any, browser: Any, live_server: Any, live_catalog: None, axe_check: Any, settings: Any
) -> None:
    settings.BASE_URL = live_server.url
    workflows_load_defaults()
    _member("sophie", "agent", "Sophie")
    _member("adjoint", "elected", "Bernard")
    booking = RequestType.objects.get(slug="reservation-salle")
    ticket = intake_submit(
        incoming=IncomingRequest(
            channel=Channel.WEB,
            requester=RequesterData("Club de judo", "judo@example.fr"),
            subject="Salle des fêtes pour notre gala",
            description="Bonjour, nous souhaitons la salle pour le gala de fin d'année.",
            request_type=booking,
            field_values=_valid_values(booking),
        ),
        actor=None,
        rate_limited=False,
    ).ticket
    run_worker()
    mail.outbox.clear()  # the acknowledgement

    log_in(page, live_server, "sophie", reverse("backoffice:ticket", args=[ticket.reference]))
    panel = page.locator("#circuit")
    expect(panel.locator(".workflow-status")).to_have_text("Demande reçue")
    axe_check(page)
    panel.get_by_role("button", name="Vérifier la disponibilité").click()
    expect(page.get_by_text("Étape enregistrée : Vérification par le service.")).to_be_visible()
    assert _mailed_step() == "En cours de vérification par le service"

    # A refusal without its reason comes back on its field; nothing moves.
    page.locator("#circuit").get_by_role("button", name="Refuser (salle indisponible)").click()
    expect(page.get_by_text("« Motif du refus » est obligatoire pour cette étape.")).to_be_visible()
    axe_check(page)
    assert ticket_step(ticket).status.code == "service_check"

    page.locator("#circuit").get_by_label("Avis du service").fill("Salle libre ce soir-là.")
    page.locator("#circuit").get_by_role("button", name="Transmettre à l'adjoint au maire").click()
    expect(
        page.get_by_text("Étape enregistrée : Validation par l'adjoint au maire.")
    ).to_be_visible()
    assert _mailed_step() == "En attente de validation par l'élu"
    # Sophie may not approve: the button is not hers, and the page says whose it is.
    assert (
        page.locator("#circuit").get_by_role("button", name="Approuver la réservation").count() == 0
    )
    expect(page.locator("#circuit").get_by_text("élu délégué (adjoint)").first).to_be_visible()

    deputy = browser.new_page()
    log_in(deputy, live_server, "adjoint", reverse("backoffice:ticket", args=[ticket.reference]))
    deputy.locator("#circuit").get_by_role("button", name="Approuver la réservation").click()
    expect(deputy.get_by_text("Étape enregistrée : Confirmée.")).to_be_visible()
    assert _mailed_step() == "Réservation confirmée"
    deputy.close()  # its context too: no request of it left to the live server after the test
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED

    # The citizen's tracking page: the public step and its history, no internal note.
    page.goto(live_server.url + reverse("portal:track", args=[ticket.tracking_token]))
    expect(page.locator(".step-label")).to_have_text("Réservation confirmée")
    timeline = page.locator(".timeline")
    for step in (
        "En cours de vérification par le service",
        "En attente de validation par l'élu",
        "Réservation confirmée",
    ):
        expect(timeline.get_by_text(f"Étape : {step}")).to_be_visible()
    assert timeline.get_by_text("Statut :").count() == 0  # the steps say it, once
    assert page.get_by_text("Salle libre ce soir-là.").count() == 0
    axe_check(page)

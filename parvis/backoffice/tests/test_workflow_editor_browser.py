"""An administrator creates a workflow for a démarche that had none, in the back office's
editor; then a ticket of that démarche is walked through it and its citizen told at each step."""

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from parvis.catalog.models import RequestType
from parvis.conftest import _valid_values, browser_administrator, fits_the_screen, run_worker
from parvis.conftest import browser_log_in as log_in
from parvis.intake.pipeline import intake_submit
from parvis.tickets.models import Channel, Status
from parvis.tickets.structures import IncomingRequest, RequesterData
from parvis.workflows.selectors import latest_version, ticket_step

pytestmark = pytest.mark.browser

LOST_AND_FOUND = "objet-trouve-perdu"


@pytest.fixture
def administrator(live_catalog: None) -> Any:
    return browser_administrator("police-municipale")


def _status(page: Any, row: int, label: str, public: str, state: str) -> None:
    page.get_by_label(f"Libellé pour les agents, ligne {row}", exact=True).fill(label)
    page.get_by_label(f"Libellé pour l'usager, ligne {row}", exact=True).fill(public)
    page.get_by_label(f"État de la demande, ligne {row}", exact=True).select_option(state)


def _transition(page: Any, index: int, label: str, source: str, target: str) -> Any:
    card = page.locator(".workflow-transition-card").nth(index)
    card.get_by_label("Libellé du bouton").fill(label)
    card.get_by_label("Depuis l'étape").select_option(label=source)
    card.get_by_label("Vers l'étape").select_option(label=target)
    return card


def _mailed() -> Any:
    run_worker()
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    sent = mail.outbox[0]
    mail.outbox.clear()
    return sent


def test_an_administrator_creates_a_workflow_and_a_ticket_follows_it(
    page: Any, live_server: Any, administrator: Any, axe_check: Any, settings: Any
) -> None:
    settings.BASE_URL = live_server.url
    demarche = RequestType.objects.get(slug=LOST_AND_FOUND)
    assert latest_version(demarche.pk) is None
    log_in(page, live_server, "chef", reverse("backoffice:workflow_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Circuits de traitement")
    axe_check(page)
    page.get_by_role("link", name="Créer un circuit pour « Objet trouvé ou perdu »").click()
    fits_the_screen(page)
    axe_check(page)

    # The statuses first: a transition chooses among saved ones.
    _status(page, 1, "Déclaration reçue", "Déclaration reçue", "new")
    _status(page, 2, "Recherche en cours", "Recherche en cours", "in_progress")
    _status(page, 3, "Objet retrouvé", "Objet retrouvé, à retirer au poste", "resolved")
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    expect(page.get_by_text("Circuit enregistré : version 1.")).to_be_visible()

    # A mistake is refused in French, with what was typed kept.
    card = _transition(page, 0, "Lancer la recherche", "Objet retrouvé", "Déclaration reçue")
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("ne peut pas passer")
    expect(
        page.locator(".workflow-transition-card").nth(0).get_by_label("Libellé du bouton")
    ).to_have_value("Lancer la recherche")
    axe_check(page)

    card = _transition(page, 0, "Lancer la recherche", "Déclaration reçue", "Recherche en cours")
    card.get_by_label("Prévenir l'usager (par courriel, ou par SMS s'il l'a choisi)").check()
    card.get_by_label("Message à l'usager").fill("Nous recherchons votre objet.")
    card = _transition(page, 1, "Objet retrouvé", "Recherche en cours", "Objet retrouvé")
    card.get_by_label("Champs à remplir").fill("Date de retrait ; date ; visible par l'usager")
    card.get_by_label("Prévenir l'usager (par courriel, ou par SMS s'il l'a choisi)").check()
    card.get_by_label("Message à l'usager").fill("Votre objet vous attend au poste.")
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    expect(page.get_by_text("Circuit enregistré : version 2.")).to_be_visible()
    fits_the_screen(page)
    axe_check(page)

    ticket = intake_submit(
        incoming=IncomingRequest(
            channel=Channel.WEB,
            requester=RequesterData("Léa Petit", "lea@example.fr"),
            subject="Portefeuille perdu au marché",
            description="Un portefeuille marron, perdu samedi.",
            request_type=demarche,
            field_values=_valid_values(demarche),
        ),
        actor=None,
        rate_limited=False,
    ).ticket
    run_worker()
    mail.outbox.clear()
    assert ticket_step(ticket).version.number == 2

    page.goto(live_server.url + reverse("backoffice:ticket", args=[ticket.reference]))
    panel = page.locator("#circuit")
    expect(panel.locator(".workflow-status")).to_have_text("Déclaration reçue")
    panel.get_by_role("button", name="Lancer la recherche").click()
    sent = _mailed()
    assert sent.subject.endswith(": Recherche en cours")
    assert "Nous recherchons votre objet." in sent.body
    page.locator("#circuit").get_by_label("Date de retrait").fill("2026-03-14")
    page.locator("#circuit").get_by_role("button", name="Objet retrouvé").click()
    expect(page.get_by_text("Étape enregistrée : Objet retrouvé.")).to_be_visible()
    axe_check(page)
    sent = _mailed()
    assert sent.subject.endswith(": Objet retrouvé, à retirer au poste")
    assert "Date de retrait : 14/03/2026" in sent.body
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED

    page.goto(live_server.url + reverse("portal:track", args=[ticket.tracking_token]))
    expect(page.locator(".step-label")).to_have_text("Objet retrouvé, à retirer au poste")
    expect(
        page.locator(".timeline").get_by_text(
            "Étape : Objet retrouvé, à retirer au poste — Date de retrait : 14/03/2026"
        )
    ).to_be_visible()

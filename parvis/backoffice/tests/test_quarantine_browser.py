"""The quarantine and the originals of mail in a real browser: an administrator reads a
message that failed, assigns it to its ticket, retries or discards others; an agent without
admin rights is refused; the ticket page opens the whole original of a citizen's mail."""

from typing import Any
from unittest import mock

import pytest
from playwright.sync_api import expect

from parvis.accounts.actions import agent_create
from parvis.backoffice.tests.conftest import email_bytes, ingest_email
from parvis.catalog.models import RequestType, Service
from parvis.conftest import PHONE_SCREEN as PHONE
from parvis.conftest import TEST_PASSWORD as PASSWORD
from parvis.conftest import browser_administrator
from parvis.conftest import browser_log_in as log_in
from parvis.intake.pipeline import intake_submit
from parvis.mailin.models import InboundHandling, InboundMessage
from parvis.tickets.models import Channel, Message, Ticket
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.browser

QUOTED = (
    "Voici la photo du banc, comme demandé.\n\n"
    "Le lun. 30 nov. 2026 à 10:12, Mairie <contact@ma-commune.fr> a écrit :\n"
    "> Pouvez-vous nous envoyer une photo du banc cassé ?\n"
)


def _broken(**kwargs: Any) -> Any:
    raise RuntimeError("service de routage indisponible")


def quarantine(raw: bytes) -> InboundMessage:
    with mock.patch("parvis.mailin.actions.intake_submit", _broken):
        inbound = ingest_email(raw)
    assert inbound.state == InboundMessage.State.QUARANTINED
    return inbound  # type: ignore[no-any-return]


@pytest.fixture
def administrator(live_catalog: None) -> Any:
    return browser_administrator("accueil", "services-techniques")


@pytest.fixture
def agent(live_catalog: None) -> Any:
    return agent_create(
        username="victor",
        first_name="Victor",
        last_name="Roux",
        email="victor@mairie.test",
        password=PASSWORD,
        services=list(Service.objects.filter(slug="services-techniques")),
    )


def pothole() -> Ticket:
    return intake_submit(
        incoming=IncomingRequest(
            channel=Channel.WEB,
            requester=RequesterData("Camille Martin", "camille@example.fr"),
            subject="Banc cassé square Jean Moulin",
            description="Le banc est cassé.",
            request_type=RequestType.objects.get(slug="nid-de-poule"),
            field_values={
                "location": "Square Jean Moulin",
                "surface_type": "chaussee",
                "hazard_level": "dangereux",
            },
        ),
        actor=None,
    ).ticket


def fits_the_phone(page: Any) -> bool:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= PHONE["width"]


def test_an_administrator_reads_a_message_and_assigns_it_to_its_ticket(
    page: Any, live_server: Any, administrator: Any, axe_check: Any
) -> None:
    ticket = pothole()
    inbound = quarantine(email_bytes(subject="Photo du banc (sans numéro)", body=QUOTED))
    log_in(page, live_server, "chef")

    page.get_by_role("link", name="Quarantaine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Courriels en quarantaine")
    row = page.get_by_role("row").filter(has_text="Photo du banc (sans numéro)")
    expect(row).to_contain_text("camille@example.fr")
    expect(row).to_contain_text("RuntimeError: service de routage indisponible")
    axe_check(page)

    row.get_by_role("link", name="Photo du banc (sans numéro)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Courriel reçu : Photo du banc (sans numéro)"
    )
    cleaned = page.get_by_role("region", name="Texte nettoyé")
    expect(cleaned).to_contain_text("Voici la photo du banc, comme demandé.")
    expect(cleaned).not_to_contain_text("Pouvez-vous nous envoyer")
    expect(page.locator(".original-text")).to_contain_text("> Pouvez-vous nous envoyer une photo")
    expect(page.get_by_role("link", name="Télécharger le message d'origine (.eml)")).to_be_visible()
    axe_check(page)
    page.set_viewport_size(PHONE)
    assert fits_the_phone(page)

    page.get_by_label("Numéro de suivi de la demande").fill("2026-99999")
    page.get_by_role("button", name="Rattacher").click()
    expect(
        page.get_by_text("Aucune demande 2026-99999 parmi celles que vous pouvez ouvrir.")
    ).to_be_visible()
    axe_check(page)
    page.get_by_label("Numéro de suivi de la demande").fill(ticket.reference)
    page.get_by_role("button", name="Rattacher").click()

    page.wait_for_url(f"**/agents/demandes/{ticket.reference}/")
    expect(page.get_by_text(f"Message ajouté à la demande {ticket.reference}.")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Voici la photo du banc, comme demandé.")
    page.locator(".timeline").get_by_role("link", name="Afficher le message d'origine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Message d'origine")
    expect(page.locator(".original-text")).to_contain_text("> Pouvez-vous nous envoyer une photo")
    assert fits_the_phone(page)

    page.goto(live_server.url + f"/agents/quarantaine/{inbound.pk}/")
    history = page.get_by_role("region", name="Interventions")
    expect(history).to_contain_text(
        f"Nadia Chef : rattaché à une demande (ajouté à une demande), demande {ticket.reference}"
    )
    assert Message.objects.get(ticket=ticket, kind=Message.Kind.CITIZEN).body == (
        "Voici la photo du banc, comme demandé."
    )


def test_an_administrator_retries_one_message_and_discards_another(
    page: Any, live_server: Any, administrator: Any
) -> None:
    quarantine(email_bytes(subject="Lampadaire éteint rue Pasteur", message_id="<a@x.fr>"))
    quarantine(email_bytes(subject="Gagnez un iPhone", message_id="<b@x.fr>"))
    log_in(page, live_server, "chef", "/agents/quarantaine/")

    page.get_by_role("link", name="Lampadaire éteint rue Pasteur").click()
    page.get_by_role("button", name="Réessayer").click()
    expect(page.get_by_text("Message traité : nouvelle demande.")).to_be_visible()
    expect(page.get_by_role("link", name="Lampadaire éteint rue Pasteur")).to_have_count(0)
    assert Ticket.objects.get().subject == "Lampadaire éteint rue Pasteur"

    page.get_by_role("link", name="Gagnez un iPhone").click()
    page.get_by_role("button", name="Écarter le message").click()
    expect(page.get_by_text("Message écarté. Il reste conservé.")).to_be_visible()
    expect(page.get_by_text("Aucun courriel en quarantaine.")).to_be_visible()
    assert list(InboundHandling.objects.order_by("pk").values_list("action", flat=True)) == [
        "retry",
        "discard",
    ]
    assert Ticket.objects.count() == 1


def test_an_agent_without_admin_rights_is_refused(page: Any, live_server: Any, agent: Any) -> None:
    inbound = quarantine(email_bytes())
    log_in(page, live_server, "victor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes")
    expect(page.get_by_role("link", name="Quarantaine")).to_have_count(0)

    for path in ("/agents/quarantaine/", f"/agents/quarantaine/{inbound.pk}/"):
        response = page.goto(live_server.url + path)
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
        expect(page.get_by_role("alert")).to_have_text(
            "Cette page est réservée aux administrateurs."
        )
        expect(page.get_by_text("Service de routage")).to_have_count(0)


def test_the_ticket_page_shows_the_quoted_history_the_cleaned_text_hides(
    page: Any, live_server: Any, agent: Any, axe_check: Any
) -> None:
    inbound = ingest_email(
        email_bytes(
            subject="Nid de poule rue des Écoles",
            body=(
                "Bonjour,\nil y a un trou dangereux devant l'école.\n\n"
                "Le lun. 30 nov. 2026 à 10:12, Voisin <voisin@example.fr> a écrit :\n"
                "> Tu as signalé le nid de poule de la rue des Écoles ?\n"
            ),
        )
    )
    ticket = inbound.ticket
    log_in(page, live_server, "victor", f"/agents/demandes/{ticket.reference}/")

    description = page.get_by_role("region", name="Description")
    expect(description).to_contain_text("il y a un trou dangereux devant l'école.")
    expect(page.get_by_text("Tu as signalé le nid de poule")).to_have_count(0)
    description.get_by_role("link", name="Afficher le message d'origine").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Message d'origine")
    expect(page.locator(".original-text")).to_contain_text(
        "> Tu as signalé le nid de poule de la rue des Écoles ?"
    )
    headers = page.locator(".mail-headers")
    for text in (
        "Camille Martin <camille@example.fr>",
        "contact@ma-commune.fr",
        "Mon, 30 Nov 2026",
    ):
        expect(headers).to_contain_text(text)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le message d'origine (.eml)").click()
    assert download.value.suggested_filename == f"courriel-{inbound.pk}.eml"
    axe_check(page)
    page.get_by_role("link", name=f"Retour à la demande {ticket.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ticket.reference)

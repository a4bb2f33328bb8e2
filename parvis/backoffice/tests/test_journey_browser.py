"""Agents' journeys in a real browser: answer and resolve a ticket; take a phone call."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from parvis.accounts.actions import agent_create
from parvis.catalog.models import RequestType, Service
from parvis.intake.pipeline import intake_submit
from parvis.tickets.models import Channel, Status, Ticket
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.browser

PASSWORD = "motdepasse-test"


@pytest.fixture
def agent(live_catalog: None) -> Any:
    return agent_create(
        username="victor",
        first_name="Victor",
        last_name="Roux",
        email="victor@mairie.test",
        password=PASSWORD,
        services=list(Service.objects.filter(slug__in=["services-techniques", "accueil"])),
    )


def submit(slug: str, subject: str, requester: RequesterData, values: dict[str, object]) -> Ticket:
    return intake_submit(
        incoming=IncomingRequest(
            channel=Channel.WEB,
            requester=requester,
            subject=subject,
            description="Bonjour, merci de faire le nécessaire.",
            request_type=RequestType.objects.get(slug=slug),
            field_values=values,
        ),
        actor=None,
    ).ticket


def log_in(page: Any, live_server: Any, next_path: str = "/agents/") -> None:
    page.goto(live_server.url + next_path)
    assert "/agents/connexion/" in page.url
    page.get_by_label("Identifiant").fill("victor")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_an_agent_answers_and_resolves_a_ticket(
    page: Any, live_server: Any, agent: Any, axe_check: Any, settings: Any
) -> None:
    settings.BASE_URL = live_server.url
    ticket = submit(
        "nid-de-poule",
        "Trou rue Victor Hugo",
        RequesterData("Camille Martin", "camille@example.fr"),
        {"location": "12 rue Victor Hugo", "surface_type": "chaussee", "hazard_level": "dangereux"},
    )
    submit(
        "eclairage-public",
        "Lampadaire éteint",
        RequesterData("Paul Girard", "paul@example.fr"),
        {"location": "Place du marché", "failure_type": "eteint"},
    )

    page.goto(live_server.url + "/agents/connexion/")
    axe_check(page)
    log_in(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes")
    expect(page.get_by_role("link", name=ticket.reference)).to_be_visible()
    axe_check(page)

    # HTMX: typing in the search box narrows the table and updates the address bar.
    page.get_by_label("Rechercher").fill("Trou")
    page.wait_for_url(re.compile(r"q=Trou"))
    page.get_by_text("Lampadaire éteint").wait_for(state="detached")
    expect(page.get_by_role("link", name=ticket.reference)).to_be_visible()

    page.get_by_role("link", name=ticket.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ticket.reference)
    expect(page.get_by_text("Orientée vers le service Services techniques")).to_be_visible()
    axe_check(page)

    page.get_by_label("Réponse à l'usager").fill("Une équipe passe jeudi matin.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.get_by_text("Réponse envoyée à camille@example.fr.")).to_be_visible()
    expect(page.locator(".timeline").get_by_text("Une équipe passe jeudi matin.")).to_be_visible()

    page.locator("#status-status").select_option("resolved")
    page.get_by_role("button", name="Changer le statut").click()
    expect(page.get_by_text("Statut : résolue.")).to_be_visible()
    expect(page.locator(".timeline").get_by_text("Statut : en cours → résolue")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_an_agent_takes_a_phone_call(
    page: Any, live_server: Any, agent: Any, axe_check: Any, settings: Any
) -> None:
    settings.BASE_URL = live_server.url
    earlier = submit(
        "depot-sauvage",
        "Sacs abandonnés",
        RequesterData("Hélène Faure", "helene@example.fr", "0698765432"),
        {"location": "Chemin du lavoir", "waste_type": "ordures-menageres", "volume": "petit"},
    )
    log_in(page, live_server, "/agents/nouvelle/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Nouvelle demande")
    axe_check(page)

    page.get_by_label("Nom, courriel ou téléphone de l'usager").fill("helene")
    results = page.locator("#requester-results")
    results.locator("strong", has_text="Hélène Faure").wait_for()
    expect(results.get_by_role("link", name=earlier.reference)).to_be_visible()
    expect(
        results.get_by_role("button", name=re.compile("Enregistrer une relance"))
    ).to_be_visible()
    axe_check(page)
    results.get_by_role("link", name=re.compile("^Choisir")).click()
    expect(page.locator("#id_requester_email")).to_have_value("helene@example.fr")
    assert page.get_by_label("Nom de l'usager").input_value() == "Hélène Faure"

    page.get_by_label("Démarche").select_option(label="Éclairage public en panne")
    page.locator("#id_f-location").wait_for()
    page.locator("#id_f-location").fill("Rue des Lilas, devant le n° 4")
    page.locator("#id_f-failure_type").select_option("eteint")
    page.get_by_label("Objet").fill("Lampadaire éteint rue des Lilas")
    axe_check(page)
    page.get_by_role("button", name="Enregistrer la demande").click()

    expect(page.get_by_text("Numéro de suivi à communiquer")).to_be_visible()
    created = Ticket.objects.exclude(pk=earlier.pk).get()
    big = page.locator(".reference-huge")
    expect(big).to_have_text(created.reference)
    assert float(big.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 40
    axe_check(page)
    assert created.channel == Channel.PHONE and created.requester == earlier.requester
    assert created.field_values["failure_type"] == "eteint"

    page.get_by_role("link", name="Nouvelle demande").last.click()
    page.wait_for_load_state()  # htmx listens to the search field once the page has loaded
    page.get_by_label("Nom, courriel ou téléphone de l'usager").fill("0698765432")
    page.locator(f"#follow-up-{earlier.pk}").fill("Elle rappelle, les sacs sont toujours là.")
    page.get_by_role(
        "button", name=re.compile(f"Enregistrer une relance sur la demande {earlier.reference}")
    ).click()
    recorded = (
        f"Relance enregistrée sur la demande {earlier.reference} du service .* \\(1 relance\\)"
    )
    expect(page.get_by_text(re.compile(recorded))).to_be_visible()
    earlier.refresh_from_db()
    assert earlier.follow_up_count == 1


def test_an_agent_reads_whether_the_mails_of_a_ticket_arrived(
    page: Any, live_server: Any, agent: Any, axe_check: Any, settings: Any
) -> None:
    """The mails of the ticket, a notice to agents and a bounce among them, read and audited."""
    from parvis.accounts.actions import requester_email_failing
    from parvis.conftest import run_worker
    from parvis.notifications.actions import mail_mark_bounced
    from parvis.notifications.models import Mail
    from parvis.tickets.actions import ticket_add_citizen_message

    settings.BASE_URL = live_server.url
    ticket = submit(
        "nid-de-poule",
        "Trou rue Victor Hugo",
        RequesterData("Camille Martin", "camille@example.fr"),
        {"location": "12 rue Victor Hugo", "surface_type": "chaussee", "hazard_level": "dangereux"},
    )
    run_worker()
    ticket_add_citizen_message(ticket=ticket, body="C'est devant le numéro 12.")
    run_worker()
    acknowledgement = Mail.objects.get(ticket=ticket, template="acknowledgement")
    mail_mark_bounced(message_ids=[acknowledgement.message_id])
    requester_email_failing(requester_id=ticket.requester_id, email="camille@example.fr")

    log_in(page, live_server, f"/agents/demandes/{ticket.reference}/")
    mails = page.locator("#courriels")
    expect(mails.get_by_text("Accusé de réception")).to_be_visible()
    expect(mails.get_by_text("Non remis", exact=True)).to_be_visible()
    expect(mails.get_by_text("Avis aux agents : message de l'usager")).to_be_visible()
    expect(
        page.get_by_text("Les courriels à cette adresse ne sont pas remis depuis le").first
    ).to_be_visible()
    mails.locator("summary").last.click()
    expect(mails.get_by_text("C'est devant le numéro 12.")).to_be_visible()
    axe_check(page)

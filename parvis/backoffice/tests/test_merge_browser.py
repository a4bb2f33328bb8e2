"""An agent merges a repeated request into the first one in one click, after reading what
the merge will do; the citizen's tracking page then says where the matter goes on."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from parvis.accounts.actions import agent_create
from parvis.catalog.models import Service
from parvis.intake.pipeline import intake_submit
from parvis.tickets.models import Channel, Event, Status, Ticket
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.browser

PASSWORD = "motdepasse-test"


def _file(channel: Channel, subject: str, description: str, requester: RequesterData) -> Ticket:
    return intake_submit(
        incoming=IncomingRequest(
            channel=channel, requester=requester, subject=subject, description=description
        ),
        actor=None,
        rate_limited=False,
    ).ticket


def test_an_agent_merges_a_flagged_repeat_in_one_click(
    page: Any, live_server: Any, live_catalog: None, axe_check: Any
) -> None:
    agent_create(
        username="ines",
        first_name="Inès",
        last_name="Blanc",
        email="ines@mairie.test",
        password=PASSWORD,
        services=list(Service.objects.filter(slug__in=["services-techniques", "accueil"])),
    )
    first = _file(
        Channel.EMAIL,
        "Lampadaire éteint rue des Lilas",
        "Bonjour, le lampadaire devant le 14 rue des Lilas ne s'allume plus depuis lundi.",
        RequesterData("Camille Martin", "camille@example.fr", "06 12 34 56 78"),
    )
    repeat = _file(
        Channel.PHONE,
        "Appel de Mme Martin",
        "Mme Martin rappelle : lampadaire du 14 rue des Lilas toujours éteint, pas de réponse.",
        RequesterData("Camille Martin", "", "06 12 34 56 78"),
    )
    assert repeat.events.filter(kind=Event.Kind.SAME_MATTER, data__certain=False).exists()

    page.goto(f"{live_server.url}/agents/demandes/{repeat.reference}/")
    page.get_by_label("Identifiant").fill("ines")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    card = page.get_by_role("region", name="Fusionner")
    expect(card).to_contain_text(f"même affaire que la demande {first.reference}")
    card.get_by_role("button", name=f"Fusionner dans {first.reference}").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(
        f"Fusionner la demande {repeat.reference} dans la demande {first.reference} ?"
    )
    expect(page.get_by_text("ne pourra plus être rouverte")).to_be_visible()
    axe_check(page)
    assert Ticket.objects.get(pk=repeat.pk).merged_into_id is None, "nothing before confirming"
    page.get_by_role("button", name="Confirmer la fusion").click()

    expect(page.get_by_text(f"La demande {repeat.reference} a été fusionnée")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/agents/demandes/{first.reference}/$"))
    expect(page.get_by_text(f"La demande {repeat.reference} y a été fusionnée")).to_be_visible()
    repeat.refresh_from_db()
    assert repeat.merged_into_id == first.pk and repeat.status == Status.CLOSED

    # The repeat's page says where it went, and offers no second merge.
    page.get_by_role("link", name=f"Ouvrir la demande {repeat.reference}").click()
    expect(page.get_by_text(f"Fusionnée dans {first.reference}").first).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Fusionner"))).to_have_count(0)

    # The citizen's tracking page of the repeat tells where the matter goes on.
    page.goto(f"{live_server.url}/suivi/{repeat.tracking_token}/")
    expect(page.locator(".merged-notice")).to_contain_text(
        f"c'est la demande {first.reference} qui se poursuit"
    )
    expect(page.get_by_role("button", name="Envoyer le message")).to_have_count(0)
    axe_check(page)


def test_a_mistyped_reference_is_refused_with_a_french_message(
    page: Any, live_server: Any, live_catalog: None
) -> None:
    agent_create(
        username="ines",
        first_name="Inès",
        last_name="Blanc",
        email="ines@mairie.test",
        password=PASSWORD,
        services=list(Service.objects.filter(slug="services-techniques")),
    )
    ticket = _file(
        Channel.EMAIL,
        "Lampadaire éteint rue des Lilas",
        "Le lampadaire du 14 ne s'allume plus.",
        RequesterData("Camille Martin", "camille@example.fr"),
    )
    page.goto(f"{live_server.url}/agents/demandes/{ticket.reference}/")
    page.get_by_label("Identifiant").fill("ines")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_text("Fusionner dans une autre demande").click()
    page.get_by_label("Numéro de la demande qui se poursuit").fill("2026-99999")
    page.get_by_role("button", name="Fusionner…").click()

    expect(
        page.get_by_text("Aucune demande n° 2026-99999 que vous puissiez consulter.")
    ).to_be_visible()
    expect(page.get_by_label("Numéro de la demande qui se poursuit")).to_have_value("2026-99999")

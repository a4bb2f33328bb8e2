"""The tracking page on a phone: the status and the last answer on the first screen.

Issue 7, point 17: they were about 2,000 px down, below two forms; "Relancer" showed just
after filing and on resolved requests.
"""

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parvis.accounts.actions import agent_create
from parvis.catalog.models import RequestType, Service
from parvis.intake.pipeline import intake_submit
from parvis.tickets import actions
from parvis.tickets.models import Channel, Event, Status, Ticket
from parvis.tickets.structures import IncomingRequest, RequesterData

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ANSWER = "Bonjour, votre acte est prêt : vous pouvez le retirer à l'accueil dès jeudi."


@pytest.fixture
def agent(live_catalog: None) -> Any:
    return agent_create(
        username="agent",
        first_name="Inès",
        last_name="Blanc",
        email="ines@mairie.example",
        password="x",
        services=[Service.objects.get(slug="etat-civil")],
    )


def _ticket(days_ago: int = 0) -> Ticket:
    request_type = RequestType.objects.get(slug="acte-de-naissance")
    values = {
        "birth_last_name": "Martin",
        "first_names": "Camille Jeanne",
        "birth_date": "1990-05-12",
        "birth_place": "Ma commune",
        "copy_type": "copie-integrale",
        "requester_relation": "titulaire",
        "copies": 1,
        "delivery_mode": "courrier",
        "delivery_address": "1 rue Haute",
    }
    ticket = intake_submit(
        incoming=IncomingRequest(
            channel=Channel.WEB,
            requester=RequesterData("Camille Martin", "camille@example.fr"),
            subject="Acte pour mon dossier de mariage",
            description="Bonjour,\n" + "Je me marie en juin et il me faut cet acte.\n" * 12,
            request_type=request_type,
            field_values=values,
        ),
        actor=None,
    ).ticket
    if days_ago:
        then = timezone.now() - datetime.timedelta(days=days_ago)
        Ticket.objects.filter(pk=ticket.pk).update(created_at=then)
        Event.objects.filter(ticket=ticket).update(created_at=then)
        ticket.refresh_from_db()
    return ticket


def _on_first_screen(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def _track(page: Any, live_server: Any, ticket: Ticket) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/suivi/{ticket.tracking_token}/")


def test_the_status_and_the_last_answer_come_first_on_a_phone(page, live_server, agent, axe_check):
    ticket = _ticket()
    actions.ticket_add_citizen_message(ticket=ticket, body="Merci d'avance.\n" * 8)
    actions.ticket_reply(ticket=ticket, actor=agent, body=ANSWER)
    _track(page, live_server, ticket)

    assert _on_first_screen(page, ".track-status .badge")
    expect(page.locator(".track-status")).to_contain_text("En cours")
    assert _on_first_screen(page, ".last-answer")
    expect(page.locator(".last-answer")).to_contain_text(ANSWER)
    expect(page.locator(".last-answer")).to_contain_text("Réponse du service État civil")
    # Just answered: a follow-up would make no sense; a message does.
    assert page.get_by_role("heading", name="Relancer ma demande").count() == 0
    assert page.get_by_role("heading", name="Ajouter un message").count() == 1
    axe_check(page)


def test_just_filed_it_says_no_answer_yet_and_offers_no_follow_up(page, live_server, agent):
    ticket = _ticket()
    _track(page, live_server, ticket)
    assert _on_first_screen(page, ".track-status .badge")
    expect(page.locator(".track-status")).to_contain_text("n'a pas encore répondu")
    assert page.get_by_role("heading", name="Relancer ma demande").count() == 0


def test_after_a_silent_fortnight_the_follow_up_is_offered_and_sent(
    page, live_server, agent, axe_check
):
    ticket = _ticket(days_ago=14)
    _track(page, live_server, ticket)
    assert page.get_by_role("heading", name="Relancer ma demande").count() == 1
    axe_check(page)
    page.get_by_role("button", name="Relancer ma demande").click()
    assert "Votre relance a bien été transmise au service." in page.content()
    assert page.get_by_role("heading", name="Relancer ma demande").count() == 0, "done: wait again"
    ticket.refresh_from_db()
    assert ticket.follow_up_count == 1


def test_never_on_a_resolved_request(page, live_server, agent):
    ticket = _ticket(days_ago=30)
    actions.ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    _track(page, live_server, ticket)
    expect(page.locator(".track-status")).to_contain_text("Résolue")
    assert page.get_by_role("heading", name="Relancer ma demande").count() == 0

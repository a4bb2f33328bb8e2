"""Deadlines shown to agents: a column of the queue with its states, filters and sort, the
ticket page's "Délais", and the overview of lateness per service."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from parvis.sla.models import Target, TicketDeadline

QUEUE = "/agents/"
LATENESS = "/agents/delais/"
HOUR = datetime.timedelta(hours=1)


def set_deadline(ticket: Any, *, due_in: datetime.timedelta | None, warn_in: Any = None) -> None:
    now = timezone.now()
    TicketDeadline.objects.update_or_create(
        ticket=ticket,
        defaults={
            "due_target": Target.RESOLUTION,
            "due_at": None if due_in is None else now + due_in,
            "resolution_due_at": None if due_in is None else now + due_in,
            "warn_at": None if warn_in is None else now + warn_in,
            "paused_left": HOUR if due_in is None else None,
        },
    )


@pytest.fixture
def three(many_tickets: Any) -> tuple[Any, Any, Any]:
    """An overdue ticket, one due soon, one on time."""
    late, soon, calm = many_tickets(3, "services-techniques")
    set_deadline(late, due_in=-2 * HOUR, warn_in=-6 * HOUR)
    set_deadline(soon, due_in=2 * HOUR, warn_in=-2 * HOUR)
    set_deadline(calm, due_in=48 * HOUR, warn_in=44 * HOUR)
    return late, soon, calm


def references(response: Any) -> list[str]:
    import re

    return re.findall(r'class="reference" href="[^"]+">([^<]+)<', response.content.decode())


def test_the_queue_shows_each_due_time_and_its_state(
    login: Any, voirie_agent: Any, three: tuple[Any, Any, Any]
) -> None:
    page = login(voirie_agent).get(QUEUE).content.decode()
    assert '<th scope="col">Échéance</th>' in page
    assert '<span class="badge due-overdue">en retard</span>' in page
    assert '<span class="badge due-soon">bientôt due</span>' in page
    assert page.count('class="badge due-') == 2  # on time: no badge


def test_the_queue_filters_overdue_and_due_soon_tickets(
    login: Any, voirie_agent: Any, three: tuple[Any, Any, Any]
) -> None:
    late, soon, _calm = three
    client = login(voirie_agent)
    assert references(client.get(QUEUE, {"due": "overdue"})) == [late.reference]
    assert references(client.get(QUEUE, {"due": "soon"})) == [soon.reference]
    assert len(references(client.get(QUEUE, {"due": "n'importe"}))) == 3  # ignored, not a 500


def test_the_queue_sorts_by_the_nearest_due_time_and_nothing_due_last(
    login: Any, voirie_agent: Any, three: tuple[Any, Any, Any], many_tickets: Any
) -> None:
    late, soon, calm = three
    [paused] = many_tickets(1, "services-techniques")
    set_deadline(paused, due_in=None)
    page = login(voirie_agent).get(QUEUE, {"sort": "due"})
    assert references(page) == [late.reference, soon.reference, calm.reference, paused.reference]
    assert '<span class="badge due-paused">en pause</span>' in page.content.decode()


def test_the_queue_with_deadlines_costs_no_query_per_row(
    login: Any, voirie_agent: Any, many_tickets: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(voirie_agent)
    client.get(QUEUE)
    for ticket in many_tickets(40, "services-techniques"):
        set_deadline(ticket, due_in=HOUR, warn_in=-HOUR)
    with django_assert_max_num_queries(7):
        response = client.get(QUEUE, {"sort": "due"})
    assert response.content.decode().count("due-soon") == 40


def test_the_ticket_page_shows_the_due_dates_and_the_legal_deadline(
    login: Any, make_agent: Any, make_ticket: Any
) -> None:
    agent = make_agent("urbanisme")
    ticket = make_ticket("declaration-prealable", subject="Abri de jardin")
    page = login(agent).get(f"/agents/demandes/{ticket.reference}/").content.decode()
    assert '<h2 id="deadlines-title">Délais</h2>' in page
    deadline = TicketDeadline.objects.get(ticket=ticket)
    assert timezone.localtime(deadline.resolution_due_at).strftime("%d/%m/%Y à %H:%M") in page
    assert "Délai légal" in page
    assert "un mois pour décider d&#x27;une déclaration préalable" in page


def test_a_ticket_just_filed_shows_its_due_dates_before_the_worker_ran(
    login: Any, make_agent: Any, catalog: None
) -> None:
    from parvis.catalog.models import RequestType
    from parvis.intake.pipeline import intake_submit
    from parvis.tickets.models import Channel
    from parvis.tickets.structures import IncomingRequest, RequesterData

    agent = make_agent("etat-civil")
    ticket = intake_submit(
        incoming=IncomingRequest(
            channel=Channel.PHONE,
            requester=RequesterData("Camille Martin", phone="0600000000"),
            subject="Un acte",
            description="Bonjour",
            service=RequestType.objects.get(slug="acte-de-naissance").service,
        ),
        actor=agent,
        rate_limited=False,
    )
    assert not TicketDeadline.objects.filter(ticket=ticket).exists()  # no worker yet
    page = login(agent).get(f"/agents/demandes/{ticket.reference}/").content.decode()
    assert "Première réponse" in page
    assert "avant le " in page


def test_the_overview_counts_overdue_and_due_soon_tickets_per_service(
    login: Any,
    voirie_agent: Any,
    three: tuple[Any, Any, Any],
    many_tickets: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = login(voirie_agent)
    client.get(LATENESS)
    many_tickets(20, "services-techniques")
    with django_assert_max_num_queries(6):
        page = client.get(LATENESS).content.decode()
    assert "1 demande ouverte en retard." in page
    assert "?service=" in page and "due=overdue" in page
    assert '<th scope="row">Services techniques</th>' in page
    assert '<td class="number"><a href="/agents/?service=' in page


def test_the_overview_shows_only_the_agent_services(
    login: Any, etat_civil_agent: Any, three: tuple[Any, Any, Any]
) -> None:
    page = login(etat_civil_agent).get(LATENESS).content.decode()
    assert "Services techniques" not in page
    assert "Aucune demande ouverte dans vos services." in page

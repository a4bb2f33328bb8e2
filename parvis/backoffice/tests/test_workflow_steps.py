"""The ticket page of a démarche with a workflow: its step, its buttons, their forms."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.tickets.models import Status
from parvis.workflows.models import WorkflowTransition
from parvis.workflows.selectors import ticket_step

pytestmark = pytest.mark.django_db


def _url(ticket: Any) -> str:
    return reverse("backoffice:ticket", args=[ticket.reference])


def _post(client: Any, ticket: Any, code: str, **values: str) -> Any:
    transition = WorkflowTransition.objects.get(version=ticket_step(ticket).version, code=code)
    url = reverse("backoffice:workflow_advance", args=[ticket.reference, transition.pk])
    return client.post(url, values)


def test_the_page_shows_the_step_and_only_the_buttons_this_agent_may_press(
    workflows: None, make_ticket: Any, make_member: Any, login: Any
) -> None:
    ticket = make_ticket("reservation-salle")
    client = login(make_member("vie-associative", "agent"))
    page = client.get(_url(ticket)).content.decode()
    assert "Circuit de traitement" in page
    assert "Demande reçue" in page
    assert ">Vérifier la disponibilité</button>" in page
    assert "Changer le statut" not in page  # the workflow says where it may go
    _post(client, ticket, "take")
    _post(client, ticket, "to_approval")
    page = client.get(_url(ticket)).content.decode()
    assert "Validation par l&#x27;adjoint au maire" in page
    assert ">Approuver la réservation</button>" not in page
    assert "« Approuver la réservation » : élu délégué (adjoint) du service Vie associative" in page


def test_a_missing_required_value_comes_back_on_its_field_with_the_text_kept(
    workflows: None, make_ticket: Any, make_member: Any, login: Any
) -> None:
    ticket = make_ticket("reservation-salle")
    client = login(make_member("vie-associative", "manager"))
    _post(client, ticket, "take")
    response = _post(client, ticket, "unavailable", reason="")
    page = response.content.decode()
    assert "« Motif du refus » est obligatoire pour cette étape." in page
    assert ticket_step(ticket).status.code == "service_check"
    response = _post(client, ticket, "unavailable", reason="Salle en travaux")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert ticket_step(ticket).status.code == "refused"


def test_the_generic_status_form_is_refused_on_a_ticket_with_a_workflow(
    workflows: None, make_ticket: Any, make_member: Any, login: Any
) -> None:
    ticket = make_ticket("reservation-salle")
    client = login(make_member("vie-associative", "manager"))
    response = client.post(
        reverse("backoffice:status", args=[ticket.reference]),
        {"status": Status.RESOLVED},
        follow=True,
    )
    assert "utilisez ses étapes" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_the_ticket_page_of_a_workflow_ticket_reads_in_few_queries(
    workflows: None,
    make_ticket: Any,
    make_member: Any,
    login: Any,
    django_assert_max_num_queries: Any,
) -> None:
    ticket = make_ticket("reservation-salle")
    client = login(make_member("vie-associative", "agent"))
    _post(client, ticket, "take")
    client.get(_url(ticket))
    # The ticket page (15 with the service's canned responses), its step, transitions, the
    # booking of this room démarche.
    with django_assert_max_num_queries(19):
        client.get(_url(ticket))

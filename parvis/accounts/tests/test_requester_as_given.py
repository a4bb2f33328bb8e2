"""The requester as given: a ticket shows what its author typed, whoever the email belongs to."""

from typing import Any

import pytest
from django.db import IntegrityError
from django.urls import reverse

from parvis.accounts.actions import requester_find_or_create
from parvis.accounts.models import Requester
from parvis.accounts.selectors import system_actor
from parvis.tickets.events import actor_label
from parvis.tickets.models import Event
from parvis.tickets.structures import RequesterData

pytestmark = pytest.mark.django_db


def test_a_ticket_filed_with_a_known_email_keeps_the_name_typed(make_ticket: Any) -> None:
    first = make_ticket(requester=RequesterData("Camille Martin", "camille@example.fr"))
    second = make_ticket(requester=RequesterData("Quelqu'un d'autre", "CAMILLE@example.fr"))
    assert second.requester_id == first.requester_id, "the same email is the same requester"
    assert second.requester_name == "Quelqu'un d'autre"
    assert first.requester_name == "Camille Martin"
    assert Requester.objects.get(pk=first.requester_id).name == "Camille Martin"


def test_the_ticket_page_shows_the_name_typed_on_that_ticket(
    make_ticket: Any, make_agent: Any, client: Any
) -> None:
    make_ticket("nid-de-poule", requester=RequesterData("Camille Martin", "camille@example.fr"))
    other = make_ticket(
        "nid-de-poule", requester=RequesterData("Dominique Usurpe", "camille@example.fr")
    )
    agent = make_agent("services-techniques")
    client.force_login(agent)
    text = client.get(f"/agents/demandes/{other.reference}/").text
    assert "Dominique Usurpe" in text and "Camille Martin" not in text


def test_a_new_requester_is_an_event_of_the_ticket(make_ticket: Any) -> None:
    ticket = make_ticket(requester=RequesterData("Léa Petit", "lea@example.fr"))
    again = make_ticket(requester=RequesterData("Léa Petit", "lea@example.fr"))
    created = ticket.events.get(kind=Event.Kind.REQUESTER_CREATED)
    assert created.data == {"requester_id": ticket.requester_id}
    assert not again.events.filter(kind=Event.Kind.REQUESTER_CREATED).exists()


def test_a_new_requester_without_email_costs_no_savepoint(catalog: None) -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        by_phone, created = requester_find_or_create(name="Paul", phone="06 12 34 56 78")
    assert created
    assert len(queries) == 2, "the look-up by phone and the INSERT"
    again, created_again = requester_find_or_create(name="Paul M.", phone="0612345678")
    assert (again.pk, created_again, again.name) == (by_phone.pk, False, "Paul")


def test_the_database_refuses_two_requesters_with_one_email(catalog: None) -> None:
    requester_find_or_create(name="A", email="a@example.fr")
    with pytest.raises(IntegrityError):
        Requester.objects.create(name="B", email="a@example.fr")


def test_requesters_without_email_may_be_many(catalog: None) -> None:
    Requester.objects.create(name="Sans courriel 1", phone="0600000001")
    Requester.objects.create(name="Sans courriel 2", phone="0600000002")
    assert Requester.objects.filter(email="").count() == 2


def test_the_system_actor_exists_cannot_log_in_and_signs_as_parvis(client: Any) -> None:
    actor = system_actor()
    assert actor.is_system and not actor.is_active and not actor.has_usable_password()
    assert str(actor) == "Parvis (automatique)"
    assert system_actor().pk == actor.pk
    client.post(reverse("backoffice:login"), {"username": actor.username, "password": ""})
    assert "_auth_user_id" not in client.session
    event = Event(kind=Event.Kind.STATUS, actor=actor)
    assert actor_label(event) == "Parvis (automatique)"

"""A citizen asking again about an open ticket becomes a follow-up (relance), not a new ticket."""

from typing import Any

from django.urls import reverse

from parvis.tickets.models import Event, Message, Status, Ticket


def follow_up(client: Any, ticket: Ticket, body: str = "") -> Any:
    return client.post(
        reverse("backoffice:record_follow_up", args=[ticket.reference]), {"body": body}, follow=True
    )


def test_a_follow_up_is_counted_on_the_same_ticket(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    client = login(voirie_agent)
    response = follow_up(client, pothole, "Il rappelle : toujours dangereux.")
    assert response.redirect_chain[-1][0] == reverse("backoffice:ticket", args=[pothole.reference])
    assert (
        f"Relance enregistrée sur la demande {pothole.reference} du service Services techniques "
        "(1 relance)." in response.text
    )
    response = follow_up(client, pothole)
    assert "(2 relances)" in response.text
    pothole.refresh_from_db()
    assert pothole.follow_up_count == 2
    assert Ticket.objects.count() == 1
    messages = Message.objects.filter(ticket=pothole, kind=Message.Kind.CITIZEN, is_follow_up=True)
    assert [m.body for m in messages] == [
        "Il rappelle : toujours dangereux.",
        "L'usager a relancé sa demande.",
    ]
    events = Event.objects.filter(ticket=pothole, kind=Event.Kind.FOLLOW_UP)
    assert events.count() == 2 and all(e.actor == voirie_agent for e in events)
    assert "2 relances" in client.get(reverse("backoffice:queue")).text


def test_a_follow_up_reopens_a_ticket_waiting_for_the_citizen(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    Ticket.objects.filter(pk=pothole.pk).update(status=Status.WAITING)
    follow_up(login(voirie_agent), pothole, "Voici le numéro demandé.")
    pothole.refresh_from_db()
    assert pothole.status == Status.IN_PROGRESS


def test_a_closed_ticket_takes_no_follow_up(login: Any, voirie_agent: Any, pothole: Ticket) -> None:
    Ticket.objects.filter(pk=pothole.pk).update(status=Status.CLOSED)
    response = follow_up(login(voirie_agent), pothole, "Encore moi")
    assert "Cette demande est clôturée" in response.text
    assert not Message.objects.filter(ticket=pothole).exists()


def test_a_follow_up_that_is_too_long_is_refused(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    response = follow_up(login(voirie_agent), pothole, "x" * 5001)
    assert "La relance n&#x27;a pas été enregistrée" in response.text
    pothole.refresh_from_db()
    assert pothole.follow_up_count == 0


def test_a_follow_up_requires_post(login: Any, voirie_agent: Any, pothole: Ticket) -> None:
    url = reverse("backoffice:record_follow_up", args=[pothole.reference])
    assert login(voirie_agent).get(url).status_code == 405


def test_the_front_desk_records_a_follow_up_on_another_services_ticket(
    login: Any, make_agent: Any, pothole: Ticket
) -> None:
    front_desk = make_agent("accueil")
    client = login(front_desk)
    search = client.get(reverse("backoffice:requester_search"), {"q": pothole.requester.name})
    assert pothole.reference in search.text
    assert f'href="{reverse("backoffice:ticket", args=[pothole.reference])}"' not in search.text
    response = follow_up(client, pothole, "Le monsieur est à l'accueil, il s'impatiente.")
    assert response.redirect_chain[-1][0] == reverse("backoffice:new_ticket")
    assert "Relance enregistrée" in response.text
    pothole.refresh_from_db()
    assert pothole.follow_up_count == 1
    assert client.get(reverse("backoffice:ticket", args=[pothole.reference])).status_code == 404


def test_the_front_desk_cannot_touch_a_confidential_ticket(
    login: Any, make_agent: Any, make_ticket: Any
) -> None:
    aid = make_ticket("demande-aide-sociale")
    client = login(make_agent("accueil"))
    search = client.get(reverse("backoffice:requester_search"), {"q": aid.requester.name})
    assert aid.reference not in search.text
    assert follow_up(client, aid).status_code == 404
    aid.refresh_from_db()
    assert aid.follow_up_count == 0

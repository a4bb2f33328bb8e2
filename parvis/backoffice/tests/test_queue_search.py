"""The agents' full-text search in the queue (parvis/search/ticket_search.py), on both
databases: every field an agent may remember, accents ignored, visibility kept."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.accounts.models import User
from parvis.tickets.actions import ticket_add_note
from parvis.tickets.models import Status, Ticket
from parvis.tickets.structures import RequesterData

QUEUE = reverse("backoffice:queue")


def _found(client: Any, query: str, view: str = "all") -> list[str]:
    response = client.get(QUEUE, {"q": query, "view": view})
    assert response.status_code == 200
    return [ticket.reference for ticket in response.context["page"].object_list]


@pytest.fixture
def lamp(make_ticket: Any) -> Ticket:
    return make_ticket(
        "eclairage-public",
        subject="Lampadaires éteints avenue de l'Église",
        description="Depuis trois nuits, tout le quartier est dans le noir.",
        requester=RequesterData("Hélène Lefèvre", "helene.lefevre@exemple.fr", "06 12 34 56 78"),
    )


@pytest.mark.parametrize(
    "query",
    [
        "lampadaire",  # singular for a plural
        "LAMPADAIRES ETEINTS",  # capitals, no accents
        "eglise",  # no accent
        "l'église",
        "quartier noir",  # every word, in the description
        "helene lefevre",  # the requester's name without accents
        "Lefèvre",
        "helene.lefevre@exemple",  # part of the email
        "0612345678",  # the phone, written another way
        "06 12 34",
        "lampad",  # the beginning of a word
    ],
)
def test_an_agent_finds_a_ticket_by_what_they_remember(
    login: Any, voirie_agent: User, lamp: Ticket, many_tickets: Any, query: str
) -> None:
    many_tickets(5, "services-techniques")
    assert _found(login(voirie_agent), query) == [lamp.reference]


def test_the_reference_whole_or_in_part_finds_the_ticket(
    login: Any, voirie_agent: User, lamp: Ticket, many_tickets: Any
) -> None:
    many_tickets(5, "services-techniques")
    client = login(voirie_agent)
    assert _found(client, lamp.reference) == [lamp.reference]
    assert lamp.reference in _found(client, lamp.reference[-4:])


def test_a_word_of_a_message_or_note_finds_the_ticket(
    login: Any, voirie_agent: User, lamp: Ticket
) -> None:
    ticket_add_note(ticket=lamp, actor=voirie_agent, body="Enedis prévenu, intervention jeudi.")
    client = login(voirie_agent)
    assert _found(client, "enedis") == [lamp.reference]
    assert _found(client, "prevenu jeudi") == [lamp.reference]


def test_every_word_must_be_found(login: Any, voirie_agent: User, lamp: Ticket) -> None:
    assert _found(login(voirie_agent), "lampadaire piscine") == []


def test_the_search_keeps_the_queue_filters(
    login: Any, voirie_agent: User, lamp: Ticket, many_tickets: Any
) -> None:
    many_tickets(2, "services-techniques", subject="Lampadaire tordu", status=Status.CLOSED)
    client = login(voirie_agent)
    assert len(_found(client, "lampadaire", view="all")) == 3
    assert _found(client, "lampadaire", view="open") == [lamp.reference]


def test_a_confidential_ticket_never_appears_to_another_services_agent(
    login: Any, voirie_agent: User, ccas_agent: User, social_aid: Ticket, make_agent: Any
) -> None:
    for query in ["électricité", "facture", social_aid.reference, "camille@example.fr"]:
        assert _found(login(voirie_agent), query) == []
    superuser = User.objects.create_superuser(username="chef", password="x", email="c@m.test")
    assert _found(login(superuser), "facture électricité") == []
    assert _found(login(ccas_agent), "facture electricite") == [social_aid.reference]


def test_a_ticket_of_another_service_is_not_found(
    login: Any, etat_civil_agent: User, lamp: Ticket
) -> None:
    assert _found(login(etat_civil_agent), "lampadaire") == []


def test_a_search_costs_the_same_number_of_queries_whatever_the_matches(
    login: Any, voirie_agent: User, many_tickets: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(voirie_agent)
    client.get(QUEUE)  # the process reads the catalogue once
    many_tickets(40, "services-techniques", subject="Lampadaire en panne")
    # The page's queries (test_queue.py), the matching messages, the count of the matches
    # (on PostgreSQL: whether the words themselves are frequent, then the ids of the matches,
    # which count them: ticket_search).
    with django_assert_max_num_queries(10):
        assert len(_found(client, "lampadaires en panne")) == 40


@pytest.mark.parametrize("query", ["%", "_", "'; --", "a:* | b", "!!!", "&", "(", "\\"])
def test_odd_characters_are_searched_never_an_error(
    login: Any, voirie_agent: User, lamp: Ticket, query: str
) -> None:
    assert lamp.reference not in _found(login(voirie_agent), query)


@pytest.mark.parametrize("sort", ["recent", "oldest", "updated", "reference", "priority", "due"])
@pytest.mark.parametrize("query", ["lampadaires panne", "lampad pann"])
def test_many_matches_give_the_same_page_and_count_as_few(
    login: Any, voirie_agent: User, many_tickets: Any, monkeypatch: Any, sort: str, query: str
) -> None:
    """On PostgreSQL, beyond ``FEW`` matches the page is read by walking the sort's index
    (ticket_search): the same tickets, in the same order, and a capped count — known from
    the words themselves ("lampadaires") or only from word beginnings ("lampad")."""
    many_tickets(6, "services-techniques", subject="Lampadaire en panne")
    many_tickets(4, "services-techniques")
    client = login(voirie_agent)
    params = {"q": query, "view": "all", "sort": sort}
    monkeypatch.setattr("parvis.tickets.selectors.QUEUE_COUNT_LIMIT", 4)
    few = client.get(QUEUE, params).context["page"]
    monkeypatch.setattr("parvis.search.ticket_search.FEW", 4)
    many = client.get(QUEUE, params).context["page"]
    # A capped count ends the page there (Django's paginator): its first 4 tickets.
    assert len(few.object_list) == 4
    assert [t.reference for t in many.object_list] == [t.reference for t in few.object_list]
    assert (few.paginator.count, few.paginator.is_capped) == (4, True)
    assert (many.paginator.count, many.paginator.is_capped) == (4, True)


def test_a_search_counts_beyond_the_queues_count_limit() -> None:
    """The search's count stands for the queue's: past ``FEW``, it must be "more than
    QUEUE_COUNT_LIMIT" (tickets.selectors.QueuePaginator)."""
    from parvis.search.ticket_search import FEW
    from parvis.tickets.selectors import QUEUE_COUNT_LIMIT

    assert FEW >= QUEUE_COUNT_LIMIT

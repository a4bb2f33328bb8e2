"""Finding a requester on the phone form: by name, email or phone, with their open tickets."""

from typing import Any

import pytest
from django.urls import reverse

from parvis.accounts.actions import requester_find_or_create
from parvis.core.models import Commune
from parvis.tickets.models import Status, Ticket
from parvis.tickets.structures import RequesterData

SEARCH = reverse("backoffice:requester_search")


def found(response: Any) -> list[str]:
    return [r.name for r in response.context["requesters"]]


@pytest.fixture
def helene(catalog: None) -> Any:
    requester, _created = requester_find_or_create(
        name="Hélène Faure", email="helene.faure@example.fr", phone="06 98 76 54 32"
    )
    return requester


@pytest.mark.parametrize(
    "query",
    ["helene", "FAURE", "Hélène Fa", "faure@exam", "+33 6 98 76 54 32", "0698765432", "98 76 54"],
)
def test_it_finds_a_requester_by_name_email_or_phone(
    login: Any, voirie_agent: Any, helene: Any, query: str
) -> None:
    requester_find_or_create(name="Paul Girard", email="paul@example.fr", phone="0711111111")
    response = login(voirie_agent).get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert found(response) == ["Hélène Faure"]


@pytest.mark.parametrize("query", ["", "h", "   ", "zzzz"])
def test_short_or_unmatched_queries_find_nobody(
    login: Any, voirie_agent: Any, helene: Any, query: str
) -> None:
    response = login(voirie_agent).get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert found(response) == []


def test_it_returns_at_most_ten_requesters(login: Any, voirie_agent: Any, catalog: None) -> None:
    for number in range(12):
        requester_find_or_create(name=f"Martin {number}", email=f"martin{number}@example.fr")
    assert len(found(login(voirie_agent).get(SEARCH, {"q": "martin"}))) == 10


def test_it_lists_their_open_tickets_with_a_follow_up_button(
    login: Any, voirie_agent: Any, make_ticket: Any
) -> None:
    who = RequesterData("Hélène Faure", "helene.faure@example.fr")
    open_ticket = make_ticket("nid-de-poule", subject="Trou rue des Lilas", requester=who)
    closed = make_ticket("eclairage-public", subject="Lampadaire réparé", requester=who)
    Ticket.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    other_service = make_ticket("acte-de-naissance", subject="Acte pour mon fils", requester=who)
    response = login(voirie_agent).get(SEARCH, {"q": "helene"})
    text = response.text
    assert "<html" not in text
    assert open_ticket.reference in text and "Trou rue des Lilas" in text
    assert closed.reference not in text
    # Another service's ticket: listed for a follow-up, but not linked (the agent cannot open it).
    assert other_service.reference in text
    assert f'href="{reverse("backoffice:ticket", args=[other_service.reference])}"' not in text
    assert f'href="{reverse("backoffice:ticket", args=[open_ticket.reference])}"' in text
    assert reverse("backoffice:record_follow_up", args=[open_ticket.reference]) in text
    assert "Enregistrer une relance" in text


def test_clicking_a_requester_fills_the_form(login: Any, voirie_agent: Any, helene: Any) -> None:
    text = login(voirie_agent).get(SEARCH, {"q": "helene"}).text
    assert f'hx-get="{reverse("backoffice:requester_fields")}?requester={helene.pk}"' in text
    assert f'href="{reverse("backoffice:new_ticket")}?requester={helene.pk}"' in text


def test_the_search_works_without_javascript(login: Any, voirie_agent: Any, helene: Any) -> None:
    response = login(voirie_agent).get(reverse("backoffice:new_ticket"), {"q": "faure"})
    assert "<html" in response.text
    assert found(response) == ["Hélène Faure"]


def test_names_are_escaped(login: Any, voirie_agent: Any, catalog: None) -> None:
    requester_find_or_create(name="<script>evil()</script> Dupont", email="d@example.fr")
    text = login(voirie_agent).get(SEARCH, {"q": "dupont"}).text
    assert "<script>evil()" not in text
    assert "&lt;script&gt;evil()" in text


def test_the_number_of_queries_does_not_grow_with_the_results(
    login: Any, voirie_agent: Any, make_ticket: Any, django_assert_max_num_queries: Any
) -> None:
    for number in range(8):
        make_ticket(
            "nid-de-poule", requester=RequesterData(f"Martin {number}", f"m{number}@example.fr")
        )
    client = login(voirie_agent)
    Commune.current()  # kept by the process from its first page on
    # Session, agent, their second factor (the device of the session), and the search.
    with django_assert_max_num_queries(6):
        response = client.get(SEARCH, {"q": "martin"})
    assert len(found(response)) == 8


def test_a_search_that_shows_a_confidential_ticket_is_logged_as_a_list_read(
    login: Any, make_agent: Any, make_ticket: Any
) -> None:
    from parvis.privacy.models import AccessContext, AccessLog

    who = RequesterData("Hélène Faure", "helene.faure@example.fr")
    aid = make_ticket("demande-aide-sociale", subject="Aide énergie", requester=who)
    make_ticket("nid-de-poule", subject="Trou rue des Lilas", requester=who)
    claire = make_agent("ccas", "accueil", username="claire")

    text = login(claire).get(SEARCH, {"q": "helene"}).text
    assert aid.reference in text
    (entry,) = AccessLog.objects.filter(context=AccessContext.REQUESTER_SEARCH)
    assert entry.user == claire
    assert list(entry.tickets.values_list("pk", flat=True)) == [aid.pk]

"""The queue: tabs and counts, filters, sorts, pagination, defensive parameters, HTMX partial."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parvis.tickets.models import Priority, Status, Ticket

QUEUE = reverse("backoffice:queue")


def references(response: Any) -> list[str]:
    return [t.reference for t in response.context["page"].object_list]


def test_the_open_tab_lists_the_services_tickets(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    response = login(voirie_agent).get(QUEUE)
    assert response.status_code == 200
    assert references(response) == [pothole.reference]
    text = response.text
    assert "Trou rue Victor Hugo" in text
    assert "Camille Martin" in text
    assert "Services techniques" in text
    assert "Signaler un nid-de-poule" in text
    assert "status-new" in text


def test_each_tab_shows_its_count(login: Any, voirie_agent: Any, many_tickets: Any) -> None:
    many_tickets(3, "services-techniques")
    many_tickets(2, "services-techniques", status=Status.WAITING, assignee=voirie_agent)
    many_tickets(1, "services-techniques", status=Status.CLOSED)
    response = login(voirie_agent).get(QUEUE)
    tabs = {key: count for key, _label, count in response.context["tabs"]}
    assert tabs == {"new": 3, "unassigned": 3, "mine": 2, "waiting": 2, "open": 5, "all": None}
    assert 'Nouvelles <span class="tab-count">(3)</span>' in response.text
    # The whole history is not counted on every view: its count shows once its tab is open.
    assert ">Toutes</a>" in response.text
    assert "6 demandes" in login(voirie_agent).get(QUEUE, {"view": "all"}).text


@pytest.mark.parametrize(
    ("view", "expected"),
    [("new", 1), ("unassigned", 1), ("mine", 1), ("waiting", 1), ("open", 2), ("all", 3)],
)
def test_each_tab_filters_the_list(
    login: Any, voirie_agent: Any, many_tickets: Any, view: str, expected: int
) -> None:
    many_tickets(1, "services-techniques")
    many_tickets(1, "services-techniques", status=Status.WAITING, assignee=voirie_agent)
    many_tickets(1, "services-techniques", status=Status.RESOLVED)
    response = login(voirie_agent).get(QUEUE, {"view": view})
    assert len(references(response)) == expected


def test_the_follow_up_count_and_assignee_are_shown(
    login: Any, voirie_agent: Any, many_tickets: Any
) -> None:
    many_tickets(1, "services-techniques", follow_up_count=2, assignee=voirie_agent)
    text = login(voirie_agent).get(QUEUE).text
    assert "2 relances" in text
    assert "Victor Roux" in text


def test_it_filters_by_service_among_the_agents_services(
    login: Any, make_agent: Any, many_tickets: Any, catalog: None
) -> None:
    agent = make_agent("services-techniques", "urbanisme")
    roads = many_tickets(2, "services-techniques")
    many_tickets(1, "urbanisme")
    client = login(agent)
    service_id = roads[0].service_id
    assert len(references(client.get(QUEUE, {"service": service_id}))) == 2
    assert len(references(client.get(QUEUE))) == 3


def test_a_service_the_agent_is_not_in_is_ignored(
    login: Any, voirie_agent: Any, many_tickets: Any
) -> None:
    many_tickets(2, "services-techniques")
    other = many_tickets(1, "urbanisme")[0]
    response = login(voirie_agent).get(QUEUE, {"service": other.service_id})
    assert response.context["filters"].service is None
    assert len(references(response)) == 2


def test_it_filters_by_status_priority_and_demarche(
    login: Any, voirie_agent: Any, many_tickets: Any, pothole: Ticket
) -> None:
    many_tickets(2, "services-techniques", status=Status.IN_PROGRESS, priority=Priority.URGENT)
    client = login(voirie_agent)
    assert len(references(client.get(QUEUE, {"status": "in_progress"}))) == 2
    assert len(references(client.get(QUEUE, {"priority": "4"}))) == 2
    assert references(client.get(QUEUE, {"request_type": pothole.request_type_id})) == [
        pothole.reference
    ]


@pytest.mark.parametrize(
    "query", ["2026-00001", "victor hugo", "camille martin", "camille@example.fr"]
)
def test_the_search_box_finds_by_reference_subject_or_requester(
    login: Any, voirie_agent: Any, pothole: Ticket, many_tickets: Any, query: str
) -> None:
    many_tickets(3, "services-techniques")
    assert pothole.reference == "2026-00001" or query != "2026-00001"
    response = login(voirie_agent).get(QUEUE, {"q": query.replace("2026-00001", pothole.reference)})
    assert references(response) == [pothole.reference]


def test_the_sorts_order_the_list(login: Any, voirie_agent: Any, many_tickets: Any) -> None:
    low, urgent, normal = (
        many_tickets(1, "services-techniques", priority=p)[0]
        for p in (Priority.LOW, Priority.URGENT, Priority.NORMAL)
    )
    client = login(voirie_agent)
    assert references(client.get(QUEUE, {"sort": "priority"}))[0] == urgent.reference
    assert references(client.get(QUEUE, {"sort": "reference"})) == sorted(
        [low.reference, urgent.reference, normal.reference]
    )
    recent = references(client.get(QUEUE, {"sort": "recent"}))
    assert references(client.get(QUEUE, {"sort": "oldest"})) == list(reversed(recent))


def test_it_shows_fifty_tickets_per_page(login: Any, voirie_agent: Any, many_tickets: Any) -> None:
    many_tickets(55, "services-techniques")
    client = login(voirie_agent)
    first = client.get(QUEUE, {"status": "new"})
    assert len(references(first)) == 50
    assert "Page 1 sur 2" in first.text
    assert "status=new&amp;page=2" in first.text
    second = client.get(QUEUE, {"status": "new", "page": "2"})
    assert len(references(second)) == 5
    assert not set(references(first)) & set(references(second))


@pytest.mark.parametrize(
    "params",
    [
        {"view": "nope", "sort": "drop table", "status": "zzz"},
        {"service": "abc", "priority": "high", "request_type": "1e9"},
        {"service": "-1", "priority": "99", "request_type": "99999999999999999999999"},
        {"page": "abc"},
        {"page": "-4"},
        {"page": "100000"},
        {"page": ""},
        {"q": "x" * 5000},
        {"service": "٣"},
    ],
)
def test_malformed_parameters_are_ignored_never_a_server_error(
    login: Any, voirie_agent: Any, pothole: Ticket, params: dict[str, str]
) -> None:
    response = login(voirie_agent).get(QUEUE, params)
    assert response.status_code == 200


def test_a_nul_byte_in_the_search_names_nothing(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    # Refused for every address before any query (parvis/request_limits.py).
    assert login(voirie_agent).get(QUEUE, {"q": "nul\x00byte"}).status_code == 404


def test_unknown_values_fall_back_to_the_defaults(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    response = login(voirie_agent).get(QUEUE, {"view": "nope", "sort": "nope", "status": "nope"})
    filters = response.context["filters"]
    assert (filters.view, filters.sort, filters.status) == ("open", "recent", "")
    assert references(response) == [pothole.reference]


def test_htmx_requests_get_only_the_results(login: Any, voirie_agent: Any, pothole: Ticket) -> None:
    response = login(voirie_agent).get(QUEUE, {"q": "trou"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert pothole.reference in response.text
    assert "<html" not in response.text
    assert 'class="tabs"' not in response.text
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(
    login: Any, voirie_agent: Any, pothole: Ticket
) -> None:
    response = login(voirie_agent).get(
        QUEUE, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.text


def test_the_filter_form_works_without_javascript(login: Any, voirie_agent: Any) -> None:
    text = login(voirie_agent).get(QUEUE).text
    assert f'<form method="get" action="{QUEUE}"' in text
    assert 'hx-get="' in text and 'hx-push-url="true"' in text


def queries_for_queue(client: Any, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(QUEUE, params or {}).status_code == 200
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(
    login: Any, voirie_agent: Any, many_tickets: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(voirie_agent)
    client.get(QUEUE)  # the process reads the catalogue (démarche filter) once
    many_tickets(2, "services-techniques", assignee=voirie_agent, follow_up_count=1)
    few = queries_for_queue(client)
    many_tickets(45, "services-techniques", assignee=voirie_agent, follow_up_count=1)
    assert queries_for_queue(client) == few
    # Session, agent, their second factor, their services, the service filter, tab counts, rows.
    with django_assert_max_num_queries(7):
        client.get(QUEUE)


def test_the_htmx_partial_stays_cheap(
    login: Any, voirie_agent: Any, many_tickets: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(voirie_agent)
    many_tickets(30, "services-techniques")
    # As the page, plus the search's look-up of matching messages (ticket_search), and on
    # PostgreSQL whether the words are frequent and the ids of the matches (their count).
    with django_assert_max_num_queries(10):
        client.get(QUEUE, {"q": "Demande"}, HTTP_HX_REQUEST="true")


def test_a_view_larger_than_the_count_limit_says_more_than(
    login: Any, voirie_agent: Any, many_tickets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parvis.tickets import selectors

    monkeypatch.setattr(selectors, "QUEUE_COUNT_LIMIT", 100)
    many_tickets(130, "services-techniques", status=Status.CLOSED)
    client = login(voirie_agent)

    text = client.get(QUEUE, {"view": "all"}).text
    assert "Plus de 100 demandes — page 1" in text
    assert "Page 1 sur 2 (et plus)" in text
    last = client.get(QUEUE, {"view": "all", "page": "9"})  # beyond the cap: the last page
    assert "Plus de 100 demandes — page 2" in last.text
    assert last.context["page"].number == 2 and len(last.context["rows"]) == 50

    found = client.get(QUEUE, {"view": "all", "q": "numéro 5001"}).text  # 50010 to 50019
    assert "10 demandes" in found and "Plus de" not in found  # under the cap: exact, as before

"""Who sees which ticket: service membership, confidentiality, and the access log."""

import pytest
from django.http import Http404

from parvis.privacy.models import AccessContext, AccessLog
from parvis.tickets.selectors import (
    QueueFilters,
    queue_counts,
    queue_tickets,
    ticket_for_agent,
    tickets_visible_to,
)

pytestmark = pytest.mark.django_db


def test_agents_see_only_their_services_tickets(make_ticket, make_agent):
    pothole = make_ticket("nid-de-poule")
    birth = make_ticket("acte-de-naissance")
    roads = make_agent("services-techniques")
    assert list(tickets_visible_to(roads)) == [pothole]
    with pytest.raises(Http404):
        ticket_for_agent(roads, birth.reference)


def test_confidential_tickets_are_hidden_from_administrators_outside_the_service(
    make_ticket, make_agent
):
    aid = make_ticket("demande-aide-sociale")
    admin = make_agent("accueil", is_superuser=True)
    public = make_ticket("nid-de-poule")
    assert list(tickets_visible_to(admin)) == [public]
    with pytest.raises(Http404):
        ticket_for_agent(admin, aid.reference)
    refused = AccessLog.objects.get()
    assert (refused.user, refused.granted, list(refused.tickets.all())) == (admin, False, [aid])


def test_every_read_of_a_confidential_ticket_is_logged(make_ticket, make_agent):
    aid = make_ticket("demande-aide-sociale")
    social = make_agent("ccas")
    ticket_for_agent(social, aid.reference)
    ticket_for_agent(social, aid.reference, context=AccessContext.API)
    logs = list(AccessLog.objects.order_by("pk").values_list("user", "tickets", "context"))
    assert logs == [(social.pk, aid.pk, "ticket_page"), (social.pk, aid.pk, "api")]


def test_reading_an_ordinary_ticket_is_not_logged(make_ticket, make_agent):
    pothole = make_ticket("nid-de-poule")
    ticket_for_agent(make_agent("services-techniques"), pothole.reference)
    assert not AccessLog.objects.exists()


def test_an_inactive_agent_sees_nothing(make_ticket, make_agent):
    make_ticket("nid-de-poule")
    agent = make_agent("services-techniques", is_active=False)
    assert not tickets_visible_to(agent).exists()


def test_queue_tabs_and_counts_agree(make_ticket, make_agent):
    from parvis.tickets.actions import ticket_assign, ticket_reply

    agent = make_agent("services-techniques")
    first, second, third = (make_ticket("nid-de-poule") for _ in range(3))
    ticket_assign(ticket=first, actor=agent, assignee=agent)
    ticket_reply(ticket=second, actor=agent, body="Précisez ?", wait_for_citizen=True)
    counts = queue_counts(agent)
    for view, expected in {"new": 2, "unassigned": 1, "mine": 2, "waiting": 1, "open": 3}.items():
        assert counts[view] == expected, view
        assert queue_tickets(agent, QueueFilters(view=view)).count() == expected, view
    assert list(queue_tickets(agent, QueueFilters(view="unassigned"))) == [third]


def test_the_queue_finds_a_ticket_by_reference_or_requester(make_ticket, make_agent):
    agent = make_agent("services-techniques")
    ticket = make_ticket("nid-de-poule")
    make_ticket("graffiti")
    assert list(queue_tickets(agent, QueueFilters(view="all", query=ticket.reference))) == [ticket]
    assert queue_tickets(agent, QueueFilters(view="all", query="camille martin")).count() == 2


def test_an_unfiltered_tab_reuses_its_count_instead_of_counting_again(
    make_ticket, make_agent, django_assert_num_queries
):
    from parvis.tickets.selectors import queue_page

    agent = make_agent("services-techniques")
    for _ in range(3):
        make_ticket("nid-de-poule")
    counts = queue_counts(agent)
    with django_assert_num_queries(1):  # the page's rows, no COUNT
        page = queue_page(agent, QueueFilters(view="open"), 1, counts=counts)
        assert len(page.object_list) == page.paginator.count == 3
    with django_assert_num_queries(2):  # a filter narrows the tab: counted
        page = queue_page(agent, QueueFilters(view="open", priority=2), 1, counts=counts)
        assert len(page.object_list) == page.paginator.count == 3
    assert "all" not in counts  # the whole history is counted only when its tab is open
    assert queue_page(agent, QueueFilters(view="all"), 1, counts=counts).paginator.count == 3

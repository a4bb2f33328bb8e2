"""Followers of a ticket, and merging a ticket into another: ``ticket_follow``, ``ticket_merge``."""

import pytest
from django.core.exceptions import ValidationError

from parvis.accounts.actions import requester_find_or_create
from parvis.tickets.actions import (
    ticket_add_citizen_message,
    ticket_change_status,
    ticket_follow,
    ticket_merge,
)
from parvis.tickets.events import Audience, describe, names_for
from parvis.tickets.models import Event, Status, TicketFollower
from parvis.tickets.structures import RequesterData

pytestmark = pytest.mark.django_db

Reason = TicketFollower.Reason


@pytest.fixture
def agent(make_agent):
    return make_agent("services-techniques")


@pytest.fixture
def target(make_ticket):
    return make_ticket("nid-de-poule", subject="Trou rue des Lilas")


@pytest.fixture
def source(make_ticket):
    return make_ticket(
        "nid-de-poule",
        subject="Nid-de-poule devant le 14 rue des Lilas",
        requester=RequesterData("Jean Dupont", "jean.dupont@example.fr"),
    )


def _neighbour(name="Léa Petit", email="lea@example.fr"):
    return requester_find_or_create(name=name, email=email)[0]


def test_following_records_the_follower_once_with_one_event(target, agent):
    neighbour = _neighbour()
    first = ticket_follow(
        ticket=target, requester=neighbour, actor=agent, reason=Reason.ADDED_BY_AGENT
    )
    again = ticket_follow(
        ticket=target, requester=neighbour, actor=None, reason=Reason.NEARBY_REPORT
    )
    assert first is not None and again == first
    assert first.email == "lea@example.fr"
    assert list(target.followers.values_list("requester_id", flat=True)) == [neighbour.pk]
    events = list(target.events.filter(kind=Event.Kind.FOLLOWER_ADDED))
    assert len(events) == 1
    assert events[0].data == {
        "follower_id": first.pk,
        "requester_id": neighbour.pk,
        "reason": "added_by_agent",
    }


def test_the_requester_does_not_follow_their_own_ticket(target):
    assert (
        ticket_follow(
            ticket=target, requester=target.requester, actor=None, reason=Reason.NEARBY_REPORT
        )
        is None
    )
    assert not target.followers.exists()


def test_the_citizen_reads_that_someone_follows_never_who(target):
    ticket_follow(ticket=target, requester=_neighbour(), actor=None, reason=Reason.NEARBY_REPORT)
    event = target.events.get(kind=Event.Kind.FOLLOWER_ADDED)
    citizen = describe(event, Audience.CITIZEN, names_for([event], Audience.CITIZEN))
    assert citizen == "Une autre personne suit aussi cette demande"
    assert "Léa" not in citizen and "lea@" not in citizen


def test_a_merge_closes_the_source_and_links_both_histories(source, target, agent):
    ticket_merge(source=source, target=target, actor=agent)
    source.refresh_from_db()
    assert source.status == Status.CLOSED
    assert source.merged_into == target
    into = source.events.get(kind=Event.Kind.MERGED_INTO)
    assert into.data == {"ticket_id": target.pk, "reference": target.reference}
    assert into.actor == agent
    came = target.events.get(kind=Event.Kind.MERGED_FROM)
    assert came.data == {"ticket_id": source.pk, "reference": source.reference}
    assert source.events.filter(kind=Event.Kind.STATUS, data__to="closed").exists()
    assert source.messages.count() == 0 and target.messages.count() == 0, "nothing moves"


def test_a_merge_makes_the_source_requester_and_followers_follow_the_target(source, target, agent):
    neighbour = _neighbour()
    ticket_follow(ticket=source, requester=neighbour, actor=None, reason=Reason.NEARBY_REPORT)
    ticket_merge(source=source, target=target, actor=agent)
    followers = {f.requester_id: f for f in target.followers.all()}
    assert set(followers) == {source.requester_id, neighbour.pk}
    assert followers[source.requester_id].source_ticket == source
    assert followers[source.requester_id].email == "jean.dupont@example.fr"
    assert followers[neighbour.pk].source_ticket is None, "no link to a stranger's ticket"
    assert all(f.reason == Reason.MERGED for f in followers.values())


def test_a_merged_ticket_cannot_be_merged_again_nor_reopened(source, target, agent, make_ticket):
    other = make_ticket("nid-de-poule", subject="Encore un trou")
    ticket_merge(source=source, target=target, actor=agent)
    with pytest.raises(ValidationError, match="fusionnée dans la demande"):
        ticket_merge(source=source, target=other, actor=agent)
    with pytest.raises(ValidationError, match="elle-même fusionnée"):
        ticket_merge(source=other, target=source, actor=agent)
    with pytest.raises(ValidationError, match="fusionnée"):
        ticket_change_status(ticket=source, actor=agent, status=Status.IN_PROGRESS)
    with pytest.raises(ValidationError, match="fusionnée dans la demande"):
        ticket_add_citizen_message(ticket=source, body="Et alors ?", reopen_closed=True)
    source.refresh_from_db()
    assert source.status == Status.CLOSED


def test_a_ticket_is_not_merged_into_itself(target, agent):
    with pytest.raises(ValidationError, match="elle-même"):
        ticket_merge(source=target, target=target, actor=agent)


def test_both_tickets_must_be_visible_to_the_actor(source, target, make_agent):
    outsider = make_agent("etat-civil")
    with pytest.raises(ValidationError, match="accès"):
        ticket_merge(source=source, target=target, actor=outsider)
    source.refresh_from_db()
    assert source.merged_into is None


def test_following_a_merged_ticket_follows_the_one_that_goes_on(source, target, agent):
    ticket_merge(source=source, target=target, actor=agent)
    follower = ticket_follow(
        ticket=source, requester=_neighbour(), actor=None, reason=Reason.NEARBY_REPORT
    )
    assert follower is not None and follower.ticket == target

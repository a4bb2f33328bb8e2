"""A public-space report filed near an open one of its démarche is flagged as a probable
duplicate, whatever the channel; the flag is the agent's, never the citizen's."""

import math

import pytest

from parvis.tickets.events import Audience, describe, kinds_for, names_for
from parvis.tickets.models import Channel, Event, Status, Ticket
from parvis.tickets.structures import Location, RequesterData

pytestmark = pytest.mark.django_db

HERE = (47.394144, 0.684840)
NEIGHBOUR = RequesterData("Lou Bernard", "lou@example.fr")


def east(metres: float) -> tuple[float, float]:
    """The point ``metres`` east of HERE (flat Earth: right to a millimetre at this scale)."""
    return HERE[0], HERE[1] + math.degrees(metres / (6_371_008.8 * math.cos(math.radians(HERE[0]))))


def place(at: tuple[float, float]) -> Location:
    return Location("", at[0], at[1])


def flags(ticket: Ticket) -> list[dict]:
    return [e.data for e in ticket.events.filter(kind=Event.Kind.NEARBY_REPORT)]


def test_a_report_near_an_open_one_says_which_and_how_far(make_ticket):
    first = make_ticket("nid-de-poule", location=place(HERE))
    second = make_ticket(
        "nid-de-poule", location=place(east(30)), requester=NEIGHBOUR, channel=Channel.PHONE
    )
    assert flags(second) == [
        {"ticket_id": first.pk, "reference": first.reference, "distance_m": 30}
    ]
    assert flags(first) == []


def test_the_nearest_open_report_is_the_one_flagged(make_ticket):
    make_ticket("nid-de-poule", location=place(east(40)))
    nearest = make_ticket("nid-de-poule", location=place(east(-8)))
    new = make_ticket("nid-de-poule", location=place(HERE), requester=NEIGHBOUR)
    assert [f["ticket_id"] for f in flags(new)] == [nearest.pk]


def test_nothing_is_flagged_beyond_the_radius_or_for_a_closed_report(make_ticket):
    make_ticket("nid-de-poule", location=place(east(70)))
    closed = make_ticket("nid-de-poule", location=place(east(5)))
    Ticket.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    assert flags(make_ticket("nid-de-poule", location=place(HERE), requester=NEIGHBOUR)) == []


def test_nothing_is_flagged_for_another_demarche_at_the_same_place(make_ticket):
    make_ticket("eclairage-public", location=place(HERE))
    assert flags(make_ticket("nid-de-poule", location=place(HERE), requester=NEIGHBOUR)) == []


def test_nothing_is_compared_without_coordinates_or_for_a_private_place(make_ticket):
    make_ticket("nid-de-poule", location=place(HERE))
    assert flags(make_ticket("nid-de-poule", location=Location("12 rue Nationale"))) == []
    make_ticket("tranquillite-vacances", location=place(HERE))
    again = make_ticket("tranquillite-vacances", location=place(HERE), requester=NEIGHBOUR)
    assert flags(again) == []


def test_the_flag_reads_for_agents_and_is_hidden_from_citizens(make_ticket):
    first = make_ticket("nid-de-poule", location=place(HERE))
    second = make_ticket("nid-de-poule", location=place(east(12)), requester=NEIGHBOUR)
    event = second.events.get(kind=Event.Kind.NEARBY_REPORT)
    text = describe(event, Audience.AGENT, names_for([event], Audience.AGENT))
    assert text == (
        f"Doublon probable : à 12 m du signalement ouvert {first.reference} de la même démarche"
    )
    assert Event.Kind.NEARBY_REPORT not in kinds_for(Audience.CITIZEN)
    assert Event.Kind.NEARBY_REPORT in kinds_for(Audience.API)


def test_comparing_costs_one_query(make_ticket, django_assert_num_queries):
    from parvis.intake.pipeline import _nearest_report
    from parvis.tickets.structures import IncomingRequest

    make_ticket("nid-de-poule", location=place(HERE))
    request_type = Ticket.objects.get().request_type
    incoming = IncomingRequest(
        channel=Channel.WEB,
        requester=NEIGHBOUR,
        subject="Trou",
        request_type=request_type,
        location=place(east(3)),
    )
    with django_assert_num_queries(1):
        assert _nearest_report(incoming) is not None

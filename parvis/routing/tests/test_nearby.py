"""Public-space reports near a place: the distance, the radius, the window, what is compared."""

import datetime
import json
import math
from pathlib import Path

import pytest
from django.utils import timezone

from parvis.catalog.models import RequestType
from parvis.routing.nearby import bounding_box, haversine_m, nearby_reports
from parvis.tickets.models import Status, Ticket
from parvis.tickets.structures import Location

pytestmark = pytest.mark.django_db

PAIRS = Path(__file__).parents[1] / "corpus" / "nearby_pairs.jsonl"
HERE = (47.394144, 0.684840)  # place Jean-Jaurès, Tours


def offset(lat: float, lon: float, metres: float, bearing: float) -> tuple[float, float]:
    """The point ``metres`` away from (lat, lon) towards ``bearing`` (degrees from north)."""
    r = 6_371_008.8
    b, p1, l1, d = math.radians(bearing), math.radians(lat), math.radians(lon), metres / r
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
    )
    return math.degrees(p2), math.degrees(l2)


@pytest.fixture
def report(make_ticket):
    def make(slug="nid-de-poule", *, at=HERE, days_ago=0, status=Status.NEW, **extra):
        ticket = make_ticket(slug, location=Location("12 rue Nationale", at[0], at[1]), **extra)
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago), status=status
        )
        return ticket

    return make


def pothole() -> RequestType:
    return RequestType.objects.get(slug="nid-de-poule")


def found_ids(request_type, at=HERE):
    return [
        r.ticket_id
        for r in nearby_reports(request_type=request_type, latitude=at[0], longitude=at[1])
    ]


def test_the_haversine_gives_known_distances():
    # One degree of latitude is 111.2 km on the mean sphere; Paris–Tours is about 205 km.
    assert haversine_m(0, 0, 1, 0) == pytest.approx(111_195, rel=1e-4)
    assert haversine_m(48.8566, 2.3522, 47.3941, 0.6848) == pytest.approx(205_000, rel=0.02)
    assert haversine_m(*HERE, *HERE) == 0
    assert haversine_m(*HERE, *offset(*HERE, 50, 37)) == pytest.approx(50, abs=0.01)


@pytest.mark.parametrize("bearing", [0, 45, 90, 135, 180, 225, 270, 315])
def test_the_bounding_box_holds_every_point_of_the_circle(bearing):
    south, north, west, east = bounding_box(*HERE, 50)
    lat, lon = offset(*HERE, 50, bearing)
    assert south <= lat <= north and west <= lon <= east


def test_near_a_pole_or_the_antimeridian_the_box_takes_every_longitude():
    assert bounding_box(89.99999, 0, 50)[2:] == (-180.0, 180.0)
    assert bounding_box(0, 179.99999, 50)[2:] == (-180.0, 180.0)


@pytest.mark.parametrize(
    ("metres", "near"),
    [(0, True), (10, True), (45, True), (49.5, True), (50.5, False), (60, False)],
)
def test_an_open_report_of_the_same_demarche_is_near_within_the_radius(report, metres, near):
    ticket = report(at=offset(*HERE, metres, 120))
    assert found_ids(pothole()) == ([ticket.pk] if near else [])


def test_nearest_first_with_the_distance(report):
    far = report(at=offset(*HERE, 40, 0))
    close = report(at=offset(*HERE, 5, 180))
    found = nearby_reports(request_type=pothole(), latitude=HERE[0], longitude=HERE[1])
    assert [r.ticket_id for r in found] == [close.pk, far.pk]
    assert found[0].distance_m == pytest.approx(5, abs=0.01)
    assert found[0].reference == close.reference


def test_only_reports_filed_within_the_window(report):
    assert pothole().nearby_window_days == 30
    recent = report(days_ago=29)
    report(days_ago=31)
    assert found_ids(pothole()) == [recent.pk]


def test_a_report_of_another_demarche_is_not_near(report):
    report("eclairage-public")
    assert found_ids(pothole()) == []


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED])
def test_a_resolved_or_closed_report_is_not_near(report, status):
    report(status=status)
    assert found_ids(pothole()) == []


@pytest.mark.parametrize("status", [Status.NEW, Status.IN_PROGRESS, Status.WAITING])
def test_every_open_status_is_near(report, status):
    ticket = report(status=status)
    assert found_ids(pothole()) == [ticket.pk]


def test_a_confidential_ticket_is_never_near(report):
    ticket = report()
    Ticket.objects.filter(pk=ticket.pk).update(is_confidential=True)
    assert found_ids(pothole()) == []


def test_a_report_without_coordinates_is_not_near(make_ticket):
    make_ticket("nid-de-poule", location=Location("12 rue Nationale"))
    assert found_ids(pothole()) == []


def test_a_demarche_without_radius_compares_nothing(report, django_assert_num_queries):
    report("tranquillite-vacances")
    holidays = RequestType.objects.get(slug="tranquillite-vacances")
    assert holidays.nearby_radius_m is None
    with django_assert_num_queries(0):
        assert found_ids(holidays) == []


def test_the_radius_is_the_administrators(report):
    ticket = report(at=offset(*HERE, 80, 0))
    RequestType.objects.filter(slug="nid-de-poule").update(nearby_radius_m=100)
    assert found_ids(pothole()) == [ticket.pk]


def test_one_query_whatever_the_number_of_reports(report, django_assert_num_queries):
    for metres in (5, 20, 45, 70, 300):
        report(at=offset(*HERE, metres, 10))
    request_type = pothole()
    with django_assert_num_queries(1):
        assert len(found_ids(request_type)) == 3


def test_precision_and_recall_on_labelled_pairs(report):
    """Each pair: a first report, then a second at another place; is the first found?"""
    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    assert len(pairs) >= 30
    types = {t.slug: t for t in RequestType.objects.filter(nearby_radius_m__isnull=False)}
    true_pos = false_pos = false_neg = 0
    for pair in pairs:
        ticket = report(pair["request_type"], at=tuple(pair["first"]))
        found = ticket.pk in found_ids(types[pair["request_type"]], at=tuple(pair["second"]))
        Ticket.objects.filter(pk=ticket.pk).update(status=Status.CLOSED)  # out of the next pair
        true_pos += found and pair["same"]
        false_pos += found and not pair["same"]
        false_neg += not found and pair["same"]
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    assert precision >= 0.9, precision
    assert recall >= 0.9, recall

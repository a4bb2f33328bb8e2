"""Public-space reports near a place: is this pothole already reported?

Ten people report the same pothole. A démarche that is a public-space report has a radius
and a window (``RequestType.nearby_radius_m`` / ``nearby_window_days``, set by an
administrator; empty for every other démarche). The open reports of the same démarche filed
within the window whose place is within the radius are "nearby": the intake pipeline flags
the nearest on a new report (a probable duplicate, for the agent), and the portal shows them
to the citizen before they file, who may follow one instead.

The same on SQLite and PostgreSQL, without a geographic extension: one query reads the
reports in the bounding box of the circle (a range of latitudes and of longitudes, on the
``ticket_location_idx`` index), then the exact great-circle distance (haversine) keeps those
within the radius. At 50 m the Earth is flat to a millimetre; the haversine costs nothing
and stays right for a commune's widest radius (``MAX_NEARBY_RADIUS_M``).

``routing/tests/test_nearby.py`` measures precision and recall on a labelled set of pairs of
places (``corpus/nearby_pairs.jsonl``).
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from parvis.catalog.models import RequestType
from parvis.tickets.models import OPEN_STATUSES, Ticket

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG), which the haversine assumes
# More candidates than this in one box would be a flood of reports of one thing: the newest
# are enough to show and to flag, and the query stays bounded.
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class NearbyReport:
    """An open report of the same démarche near a place: facts only, for a selector to show."""

    ticket_id: int
    reference: str
    distance_m: float
    latitude: float
    longitude: float
    created_at: datetime.datetime
    status: str
    address: str


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points, in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = math.radians(lat2 - lat1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(south, north, west, east): every point within ``radius_m`` of the place is inside.

    A little wider than the circle (the distance is checked after); near a pole, or where the
    box would cross the antimeridian, every longitude.
    """
    margin = 1.01  # rounding of the degrees must never leave a point on the edge outside
    dlat = math.degrees(radius_m * margin / EARTH_RADIUS_M)
    south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    cos_lat = math.cos(math.radians(max(abs(south), abs(north))))
    if cos_lat < 1e-6:
        return south, north, -180.0, 180.0
    dlon = math.degrees(radius_m * margin / (EARTH_RADIUS_M * cos_lat))
    west, east = lon - dlon, lon + dlon
    if west < -180.0 or east > 180.0:
        return south, north, -180.0, 180.0
    return south, north, west, east


def _visible(request_type: RequestType, now: datetime.datetime | None) -> "QuerySet[Ticket]":
    """The reports of this démarche that may be near anything: open, in the window, with a
    place, never confidential."""
    window = request_type.nearby_window_days or 0
    since = (now or timezone.now()) - datetime.timedelta(days=window)
    return Ticket.objects.filter(
        request_type_id=request_type.pk,
        location_lat__isnull=False,
        location_lon__isnull=False,
        status__in=OPEN_STATUSES,
        created_at__gte=since,
        is_confidential=False,
    )


_COLUMNS = (
    "pk",
    "reference",
    "location_lat",
    "location_lon",
    "created_at",
    "status",
    "location_address",
)


def nearby_reports(
    *,
    request_type: RequestType,
    latitude: float,
    longitude: float,
    now: datetime.datetime | None = None,
) -> list[NearbyReport]:
    """The open reports of this démarche near the place, nearest first (one query).

    Nothing for a démarche that is not a public-space report, and never a confidential ticket:
    what is returned may be shown to any citizen (by ``portal``, through its own choice of
    facts) and flagged on a new ticket.
    """
    radius, window = request_type.nearby_radius_m, request_type.nearby_window_days
    if not (radius and window):
        return []
    south, north, west, east = bounding_box(latitude, longitude, radius)
    rows = (
        _visible(request_type, now)
        .filter(location_lat__range=(south, north), location_lon__range=(west, east))
        .order_by("-created_at")
        .values_list(*_COLUMNS)[:MAX_CANDIDATES]
    )
    found = []
    for pk, reference, lat, lon, created_at, status, address in rows:
        if lat is None or lon is None:  # never, within a range; said for the type checker
            continue
        distance = haversine_m(latitude, longitude, lat, lon)
        if distance <= radius:
            found.append(
                NearbyReport(pk, reference, distance, lat, lon, created_at, status, address)
            )
    found.sort(key=lambda report: (report.distance_m, -report.created_at.timestamp()))
    return found


def listed_report(
    *, request_type: RequestType, ticket_id: int, now: datetime.datetime | None = None
) -> NearbyReport | None:
    """A report that ``nearby_reports`` could list, by its id, or None (closed meanwhile, out
    of the window, of another démarche, confidential): what a follow page shows of it. Its
    distance is unknown here (0)."""
    if not request_type.is_public_space_report:
        return None
    row = _visible(request_type, now).filter(pk=ticket_id).values_list(*_COLUMNS).first()
    if row is None:
        return None
    pk, reference, lat, lon, created_at, status, address = row
    return NearbyReport(pk, reference, 0.0, lat or 0.0, lon or 0.0, created_at, status, address)

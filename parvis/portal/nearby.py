"""The open reports near a place, as any citizen may see them: public facts only.

``routing.nearby`` finds the open reports of a public-space démarche near a place; this
module keeps of each what a passer-by could see in the street (what is reported, roughly
where, since when, whether the mairie is on it), and a signed token that lets a citizen
follow that report without being able to name any other ticket. Why these facts and no
others: the threat model in ``portal/views/nearby.py``.
"""

import datetime
import math
import re
from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from parvis.catalog.models import RequestType
from parvis.core.text import unaccent
from parvis.routing.nearby import NearbyReport, listed_report, nearby_reports
from parvis.tickets.models import Status

SHOWN = 10  # the nearest; more would only be the same pothole told again
DISTANCE_STEP_M = 10  # "about 30 m": never the exact place of a report
FOLLOW_SALT = "parvis.portal.nearby-follow"
FOLLOW_MAX_AGE = 24 * 3600  # a list shown yesterday may be followed today; older, list again

# A street as a person types it: its kind, then its name, up to a comma or a word that
# starts saying something else about the place (or about a person: « chez Mme … »).
# Compared without accents (« allée » as « allee »), as are the stop words.
_STREET_KINDS = "|".join(
    [
        "rue", "avenue", "av", "boulevard", "bd", "place", "chemin", "allee", "impasse", "route",
        "quai", "cours", "square", "passage", "rond-point", "parvis", "esplanade", "promenade",
        "sentier", "voie", "ruelle", "mail", "cite", "residence", "lotissement", "parking",
        "parc", "jardin", "pont",
    ]
)  # fmt: skip
_STREET = re.compile(rf"\b(?:{_STREET_KINDS})\b\.?[^,;:()\n\[\]/]*", re.IGNORECASE)
_STOP_WORDS = frozenset(
    [
        "devant",
        "face",
        "pres",
        "cote",
        "niveau",
        "entre",
        "chez",
        "angle",
        "coin",
        "vers",
        "apres",
        "avant",
        "sous",
        "dans",
        "derriere",
        "juste",
        "sur",
        "contre",
        "proche",
        "proximite",
        "mme",
        "m",
        "mr",
        "mlle",
        "madame",
        "monsieur",
        "famille",
        "numero",
        "n°",
        "au-dessus",
    ]
)
_MAX_STREET_WORDS = 7
_DIRECTIONS = ("N", "NE", "E", "SE", "S", "SO", "O", "NO")


@dataclass(frozen=True)
class PublicReport:
    """One open report near a place, as a citizen is shown it."""

    request_type_name: str
    street: str
    distance_m: int
    direction: str
    reported_on: datetime.date
    status: str
    follow_token: str

    @property
    def direction_label(self) -> str:
        labels = {
            "N": _("au nord"),
            "NE": _("au nord-est"),
            "E": _("à l'est"),
            "SE": _("au sud-est"),
            "S": _("au sud"),
            "SO": _("au sud-ouest"),
            "O": _("à l'ouest"),
            "NO": _("au nord-ouest"),
        }
        return labels.get(self.direction, "")

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def public_reports(
    request_type: RequestType, latitude: float, longitude: float
) -> list[PublicReport]:
    """The nearest open reports of this démarche around the place, public facts only."""
    found = nearby_reports(request_type=request_type, latitude=latitude, longitude=longitude)
    return [_public(report, request_type, latitude, longitude) for report in found[:SHOWN]]


def _public(
    report: NearbyReport, request_type: RequestType, lat: float, lon: float
) -> PublicReport:
    return PublicReport(
        request_type_name=request_type.name,
        street=street_of(report.address),
        distance_m=approximate_distance(report.distance_m),
        direction=direction(lat, lon, report.latitude, report.longitude),
        reported_on=report.created_at.date(),
        status=report.status,
        follow_token=follow_token(report.ticket_id),
    )


def followed_report(request_type: RequestType, ticket_id: int) -> PublicReport | None:
    """The report a follow link names, as the list showed it (without distance), or None
    when it can no longer be followed."""
    report = listed_report(request_type=request_type, ticket_id=ticket_id)
    if report is None:
        return None
    return PublicReport(
        request_type_name=request_type.name,
        street=street_of(report.address),
        distance_m=0,
        direction="",
        reported_on=report.created_at.date(),
        status=report.status,
        follow_token=follow_token(report.ticket_id),
    )


def approximate_distance(distance_m: float) -> int:
    """The distance rounded to ``DISTANCE_STEP_M`` (at least one step: "about 10 m")."""
    return max(DISTANCE_STEP_M, DISTANCE_STEP_M * round(distance_m / DISTANCE_STEP_M))


def direction(from_lat: float, from_lon: float, to_lat: float, to_lon: float) -> str:
    """The compass point (8 of them) from the citizen's place to the report, "" on the spot."""
    dy = to_lat - from_lat
    dx = (to_lon - from_lon) * math.cos(math.radians(from_lat))
    if math.hypot(dx, dy) < 1e-5:  # about a metre: the same place
        return ""
    bearing = math.degrees(math.atan2(dx, dy)) % 360
    return _DIRECTIONS[round(bearing / 45) % 8]


def street_of(address: str) -> str:
    """The street of an address as a reporter typed it, without the house number and without
    what else they wrote; "" when no street is recognised (then only the distance is shown).
    """
    address = address or ""
    folded = unaccent(address)
    # Searched without accents; the words shown are the typed ones (same positions, unless a
    # letter unfolds into two: œ).
    match = _STREET.search(folded if len(folded) == len(address) else address)
    if match is None:
        return ""
    words: list[str] = []
    for word in address[match.start() : match.end()].split():
        if words and unaccent(word.lower().strip(".'’")) in _STOP_WORDS:
            break
        words.append(word)
        if len(words) > _MAX_STREET_WORDS:
            return ""  # a sentence, not a street
    if len(words) < 2:
        return ""
    street = " ".join(words).rstrip(" .-'’")
    return street[:1].upper() + street[1:]


def follow_token(ticket_id: int) -> str:
    """What the "follow" link carries: this report's id, signed, valid ``FOLLOW_MAX_AGE``."""
    return signing.TimestampSigner(salt=FOLLOW_SALT).sign(str(ticket_id))


def followed_ticket_id(token: str) -> int | None:
    """The report a follow token names, or None if it is forged, mangled or too old."""
    try:
        value = signing.TimestampSigner(salt=FOLLOW_SALT).unsign(token, max_age=FOLLOW_MAX_AGE)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None

"""A resource's approved bookings as an iCalendar feed (RFC 5545), written by hand.

Twenty lines of text do not call for a dependency. What the RFC asks and a calendar
application checks: CRLF line ends (3.1), lines folded at 75 octets without cutting a UTF-8
character (3.1), text values escaped (3.3.11), a UID and a DTSTAMP on every event (3.6.1),
times in UTC (``Z``). The feed names the resource and says « Réservé »: nothing about who
booked, nor why.
"""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.bookings.models import Resource

CRLF = "\r\n"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, continuation lines starting
    with a space (RFC 5545 3.1), never inside a UTF-8 character."""
    chunks: list[str] = []
    current, size = "", 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size = " ", 1  # the space counts in the next line's 75
        current += char
        size += width
    chunks.append(current)
    return CRLF.join(chunks)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def resource_feed(
    resource: Resource, slots: Iterable[tuple[int, datetime.datetime, datetime.datetime]]
) -> str:
    """The whole calendar, ready to send as ``text/calendar``."""
    host = urlsplit(settings.BASE_URL).hostname or "parvis"
    stamp = _utc(timezone.now())
    summary = escape_text(_("Réservé — %(resource)s") % {"resource": resource.name})
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Parvis//Reservations//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(resource.name)}",
    ]
    for booking_id, starts_at, ends_at in slots:
        lines += [
            "BEGIN:VEVENT",
            f"UID:booking-{booking_id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(starts_at)}",
            f"DTEND:{_utc(ends_at)}",
            f"SUMMARY:{summary}",
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)

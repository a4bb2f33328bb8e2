"""Links to Parvis put in what is sent to citizens, and how they are masked when shown."""

import functools
import re

from django.conf import settings
from django.urls import reverse

from parvis.tickets.models import Ticket

MASK = "••••••"


def tracking_url(ticket: Ticket) -> str:
    """The citizen's secret tracking link of a ticket."""
    return settings.BASE_URL + reverse("portal:track", args=[ticket.tracking_token])


def mask_secret_links(text: str) -> str:
    """The text with the token of every tracking link replaced by a mask.

    A mail kept in the outbox is read by agents: its tracking link would open the ticket to
    them as to the citizen, past the back office's visibility and its access log.
    """
    return _tracking_token().sub(lambda found: found["prefix"] + MASK, text)


@functools.cache
def _tracking_token() -> re.Pattern[str]:
    # "/suivi/<token>/" from the URLconf itself: a tracking token is at least 16 characters.
    marker = "0" * 16
    prefix = reverse("portal:track", args=[marker]).partition(marker)[0]
    return re.compile(rf"(?P<prefix>{re.escape(prefix)})[A-Za-z0-9_-]{{16,}}")

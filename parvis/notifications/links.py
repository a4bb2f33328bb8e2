"""Links to Parvis put in what is sent to citizens."""

from django.conf import settings
from django.urls import reverse

from parvis.tickets.models import Ticket


def tracking_url(ticket: Ticket) -> str:
    """The citizen's secret tracking link of a ticket."""
    return settings.BASE_URL + reverse("portal:track", args=[ticket.tracking_token])

"""Links to Parvis put in what is sent to citizens, and how they are masked when shown.

A link in a mail carries a proof that it came from a mail to the ticket's address
(``?courriel=…``, an HMAC of the ticket and the address under ``SECRET_KEY``): the tracking
page then offers its reader to confirm that the address is theirs. The same page reached
from the screen shown after filing the request carries none, and proves nothing.
"""

import functools
import re
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from parvis.tickets.models import Ticket

PROOF_PARAMETER = "courriel"
_PROOF_SALT = "parvis.notifications.links.address-proof"
MASK = "••••••"


def tracking_url(ticket: Ticket) -> str:
    """The citizen's secret tracking link of a ticket."""
    return settings.BASE_URL + reverse("portal:track", args=[ticket.tracking_token])


def mailed_tracking_url(ticket: Ticket) -> str:
    """The tracking link as written in a mail to the ticket's address: with its proof."""
    return f"{tracking_url(ticket)}?{urlencode({PROOF_PARAMETER: address_proof(ticket)})}"


def address_proof(ticket: Ticket) -> str:
    address = ticket.requester_email.strip().lower()
    return salted_hmac(_PROOF_SALT, f"{ticket.pk}:{address}", algorithm="sha256").hexdigest()[:32]


def is_address_proof(ticket: Ticket, proof: str) -> bool:
    """Whether ``proof`` is the one our mails to this ticket's address carry."""
    return bool(ticket.requester_email and proof) and constant_time_compare(
        proof, address_proof(ticket)
    )


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


def backoffice_url(ticket: Ticket) -> str:
    """The ticket's page in the back office, absolute: the link of the notices to agents."""
    return settings.BASE_URL + reverse("backoffice:ticket", args=[ticket.reference])

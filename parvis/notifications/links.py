"""Links to Parvis put in what is sent to citizens.

A link in a mail carries a proof that it came from a mail to the ticket's address
(``?courriel=…``, an HMAC of the ticket and the address under ``SECRET_KEY``): the tracking
page then offers its reader to confirm that the address is theirs. The same page reached
from the screen shown after filing the request carries none, and proves nothing.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from parvis.tickets.models import Ticket

PROOF_PARAMETER = "courriel"
_PROOF_SALT = "parvis.notifications.links.address-proof"


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

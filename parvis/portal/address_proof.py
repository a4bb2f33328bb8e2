"""Confirming a citizen's address: they followed a link from our mail, then acted on the page.

A link in our mails carries a proof (``parvis.notifications.links``). Following it is not
enough to confirm the address: mail filters and antivirus scanners open links too. The
proof is kept in the session (and dropped from the address bar), and the address is
confirmed when that visitor acts — the "this is my address" button, a message, a follow-up
(docs/decisions/0018-abuse-of-the-public-form.md).
"""

from django.http import HttpRequest

from parvis.accounts.actions import requester_email_confirm
from parvis.notifications.links import PROOF_PARAMETER, is_address_proof
from parvis.tickets.models import Ticket

_SESSION_KEY = "portal_address_proofs"


def remember_proof(request: HttpRequest, ticket: Ticket) -> bool:
    """Whether the URL carried a proof (valid or not): the page is then shown without it."""
    proof = request.GET.get(PROOF_PARAMETER)
    if proof is None:
        return False
    if is_address_proof(ticket, proof):
        proven = set(request.session.get(_SESSION_KEY, []))
        request.session[_SESSION_KEY] = sorted(proven | {ticket.tracking_token})
    return True


def awaits_confirmation(request: HttpRequest, ticket: Ticket) -> bool:
    """This visitor came from our mail, and the address is not confirmed yet."""
    proven = request.session.get(_SESSION_KEY, [])
    return ticket.tracking_token in proven and not ticket.requester.has_confirmed(
        ticket.requester_email
    )


def confirm_if_proven(request: HttpRequest, ticket: Ticket) -> bool:
    """Confirm the ticket's address if this visitor came from our mail; whether it was done."""
    if not awaits_confirmation(request, ticket):
        return False
    return requester_email_confirm(requester_id=ticket.requester_id, email=ticket.requester_email)

"""Reads that only the back office needs, built on the domain selectors' visibility rules.

Candidates for ``tickets/selectors.py`` if another interface needs them.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q

from parvis.accounts.models import Requester, User
from parvis.catalog.selectors import catalogue_names
from parvis.core.text import normalize, normalize_phone
from parvis.notifications.models import Mail
from parvis.privacy.models import AccessContext
from parvis.tickets.models import Attachment, Ticket, TicketFollower
from parvis.tickets.selectors import tickets_open_for_follow_up, tickets_shown, tickets_visible_to

REQUESTER_SEARCH_LIMIT = 10


def requester_search(
    user: User, query: str, *, limit: int = REQUESTER_SEARCH_LIMIT
) -> list[Requester]:
    """Requesters whose name, email or phone matches, each with their ``open_tickets``.

    Open tickets include other services' non-confidential ones, so that the front desk can
    record a follow-up on them (``visible_to_agent`` says whether the agent may open one).

    Two queries whatever the number of matches; the confidential tickets it shows are
    logged as a list read (one entry, ``tickets_shown``).
    """
    query = query.strip()
    if len(query) < 2:
        return []
    condition = Q()
    name = normalize(query)
    if len(name) >= 2:
        condition |= Q(name_normalized__contains=name)
    if len(query) >= 3:
        condition |= Q(email__icontains=query.lower())
    digits = normalize_phone(query)
    if len(digits) >= 4:
        condition |= Q(phone_normalized__contains=digits)
    if not condition:
        return []
    open_tickets = (
        tickets_open_for_follow_up(user).select_related("service").order_by("-created_at")
    )
    requesters: list[Requester] = list(
        Requester.objects.filter(condition)
        .prefetch_related(Prefetch("tickets", queryset=open_tickets, to_attr="open_tickets"))
        .order_by("name", "pk")[:limit]
    )
    shown = [ticket for r in requesters for ticket in getattr(r, "open_tickets", [])]
    tickets_shown(user, shown, context=AccessContext.REQUESTER_SEARCH)
    return requesters


def requester_for_form(requester_id: int) -> Requester | None:
    """A requester to prefill the phone form after the agent picked them in the search."""
    return Requester.objects.filter(pk=requester_id).first()


def other_tickets_count(user: User, ticket: Ticket) -> int:
    """How many other tickets of the same requester this agent may see."""
    return (
        tickets_visible_to(user)
        .filter(requester_id=ticket.requester_id)
        .exclude(pk=ticket.pk)
        .count()
    )


@dataclass(frozen=True)
class TicketPanels:
    """Which of a ticket page's lists have something to show."""

    followers: bool
    mails: bool
    form_attachments: bool


def ticket_panels(ticket: Ticket) -> TicketPanels:
    """Whether the ticket has followers, mails and files sent with the request, in one query:
    the page then reads only the lists that have rows (most tickets have no follower and no
    file). For a ticket read through ``ticket_for_agent``."""
    ticket_id = OuterRef("pk")
    row = (
        Ticket.objects.filter(pk=ticket.pk)
        .annotate(
            has_followers=Exists(TicketFollower.objects.filter(ticket_id=ticket_id)),
            has_mails=Exists(Mail.objects.filter(ticket_id=ticket_id)),
            has_form_attachments=Exists(
                Attachment.objects.filter(ticket_id=ticket_id, message__isnull=True)
            ),
        )
        .values_list("has_followers", "has_mails", "has_form_attachments")
        .first()
    )
    followers, mails, form_attachments = row or (False, False, False)
    return TicketPanels(bool(followers), bool(mails), bool(form_attachments))


def created_ticket_service_name(reference: str) -> str:
    """The service a ticket just typed in went to, to say it to the caller (even if it is not
    the agent's: the confirmation page is shown only to the agent who created it)."""
    service_id = Ticket.objects.filter(reference=reference).values_list("service_id", flat=True)
    return catalogue_names()[0].get(next(iter(service_id), 0), "")


def ticket_is_visible(user: User, reference: str) -> bool:
    """Whether this agent still sees the ticket (after a transfer, or a phone form submission)."""
    return tickets_visible_to(user).filter(reference=reference).exists()

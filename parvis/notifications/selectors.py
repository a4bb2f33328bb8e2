"""Reads of the mails, with the visibility of their tickets.

An agent reads the mails of the tickets they may open; mails with no ticket are for
administrators only. Reading a page of mails is reading its confidential tickets: logged,
one entry per page.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from parvis.accounts.models import User
from parvis.notifications.models import Audience, Mail
from parvis.privacy.models import AccessContext
from parvis.tickets.models import Event, Ticket
from parvis.tickets.selectors import tickets_shown, tickets_visible_to


def mails_visible_to(user: User) -> QuerySet[Mail]:
    """The mails of the tickets this agent may see (and, for staff, those of no ticket)."""
    visible = Q(ticket__in=tickets_visible_to(user))
    if user.is_staff or user.is_superuser:
        visible |= Q(ticket__isnull=True)
    return Mail.objects.filter(visible)


def outbox_page(user: User, page_number: str | int) -> Page[Mail]:
    """One page of the outbox for this agent; its confidential tickets logged."""
    page = Paginator(mails_visible_to(user).select_related("ticket"), 25).get_page(page_number)
    mails = list(page.object_list)
    tickets_shown(user, [m.ticket for m in mails if m.ticket], context=AccessContext.OUTBOX)
    page.object_list = mails
    return page


def ticket_mails(ticket: Ticket) -> list[Mail]:
    """The mails of a ticket its page lists, oldest first, in one query.

    For a ticket the caller already read through ``ticket_for_agent`` (visibility checked,
    a confidential read logged); bodies are shown masked (``Mail.masked_body``).
    """
    return list(ticket.mails.order_by("created_at", "pk"))


def conversation_ids(mail: Mail) -> list[str]:
    """The Message-IDs of a citizen's mail's conversation before it, oldest first: the
    citizen's mail that opened the ticket (kept in its ``created`` event) and the mails
    written to them since. Notices to agents are no part of it. A follower of the ticket has
    a conversation of their own: the mails written to them."""
    if mail.ticket_id is None or mail.is_for_agents:
        return []
    opening = None
    if mail.follower_id is None:
        opening = (
            Event.objects.filter(ticket_id=mail.ticket_id, kind=Event.Kind.CREATED)
            .values_list("data__metadata__message_id", flat=True)
            .first()
        )
    earlier = Mail.objects.filter(
        ticket_id=mail.ticket_id,
        audience=Audience.CITIZEN,
        follower_id=mail.follower_id,
        created_at__lt=mail.created_at,
    )
    ids = [opening] if isinstance(opening, str) and opening else []
    ids += (
        earlier.exclude(message_id="")
        .order_by("created_at", "pk")
        .values_list("message_id", flat=True)
    )
    return ids

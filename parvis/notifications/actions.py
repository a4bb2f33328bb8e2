"""Writes of citizen emails: one mail written from a ticket's event, or withheld and why."""

from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from parvis.core.models import Commune
from parvis.notifications.links import mailed_tracking_url
from parvis.notifications.models import Mail
from parvis.notifications.tasks import send_mail_soon
from parvis.tickets.models import Event, Message, Ticket
from parvis.tickets.outbox import events_record

TEMPLATES = {"acknowledgement", "reply", "resolved", "tracking_link"}


def render_ticket_email(
    ticket: Ticket, template: str, message: Message | None = None, *, event: Event | None = None
) -> tuple[str, str]:
    """Subject and body of a citizen email; the template's first line is the subject.

    To an address whose owner never confirmed it, an acknowledgement says only the
    reference and the démarche (ADR 0018): anyone can type someone else's address in a form.
    A request an agent typed in (phone, counter) holds no stranger's text: it says it all.
    """
    text = render_to_string(
        f"notifications/email/{template}.txt",
        {
            "ticket": ticket,
            "message": message,
            "commune": Commune.current(),
            "tracking_url": mailed_tracking_url(ticket),
            "with_details": ticket.requester.has_confirmed(ticket.requester_email)
            or typed_by_agent(ticket, event),
        },
    )
    subject, _sep, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def typed_by_agent(ticket: Ticket, event: Event | None = None) -> bool:
    """Whether an agent (not the citizen, not Parvis) filed this request.

    ``event``, the one being mailed: if it is the ``created`` event, its actor says it
    without a query (the acknowledgement's case).
    """
    if event is not None and event.kind == Event.Kind.CREATED and event.ticket_id == ticket.pk:
        return event.actor is not None and not event.actor.is_system
    return ticket.events.filter(
        kind=Event.Kind.CREATED, actor__isnull=False, actor__is_system=False
    ).exists()


def mail_domain() -> str:
    """The domain of Parvis's own address, for the Message-ID of what it sends."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "parvis.localhost"


# No savepoint of its own: it runs in the dispatcher's savepoint for its delivery, which a
# failure rolls back (two statements fewer per mail); called alone, it is a transaction.
@transaction.atomic(savepoint=False)
def mail_write(*, ticket: Ticket, event: Event | None, template: str) -> Mail:
    """Write the email this event calls for, to the address given on the ticket.

    It is sent after the commit when a mail server is configured; otherwise it stays on the
    outbox page.
    """
    assert template in TEMPLATES
    subject, body = render_ticket_email(
        ticket, template, event.message if event else None, event=event
    )
    mail = Mail.objects.create(
        ticket=ticket,
        event=event,
        template=template,
        to=ticket.requester_email,
        subject=subject,
        body=body,
        message_id=make_msgid(idstring=ticket.reference, domain=mail_domain()),
        next_attempt_at=timezone.now() if settings.PARVIS_MAIL_SEND else None,
    )
    if settings.PARVIS_MAIL_SEND:
        transaction.on_commit(send_mail_soon)
    return mail


def mail_withhold(*, ticket: Ticket, event: Event, template: str, reason: str) -> Event:
    """Record, on the ticket, that the mail this event called for was not written, and why.

    Agents read it in the ticket's history (and may send the mail again); it is a fact
    (``mail_withheld``: the template, a ``WithheldReason`` code and its limit).
    """
    assert template in TEMPLATES
    withheld = Event(
        ticket=ticket,
        kind=Event.Kind.MAIL_WITHHELD,
        data={
            "template": template,
            "reason": reason,
            "limit": settings.PARVIS_ACKNOWLEDGEMENTS_PER_HOUR,
            "event_id": event.pk,
        },
    )
    events_record([withheld])
    return withheld

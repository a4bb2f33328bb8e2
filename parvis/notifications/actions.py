"""Writes of mails: one written from a ticket's event (to its citizen, or notices to its
agents), withheld and why, or marked as never delivered."""

import datetime
from collections.abc import Mapping, Sequence
from email.utils import make_msgid

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from parvis.accounts.models import User
from parvis.core.models import Commune
from parvis.notifications.envelope import sender_address
from parvis.notifications.links import backoffice_url, mailed_tracking_url, tracking_url
from parvis.notifications.models import Audience, Mail, Template, TextMessage
from parvis.notifications.senders import sender_for
from parvis.notifications.sms import sms_body
from parvis.notifications.tasks import send_mail_soon, send_sms_soon
from parvis.tickets.models import Event, Message, Ticket, TicketFollower
from parvis.tickets.outbox import events_record

TEMPLATES = {
    Template.ACKNOWLEDGEMENT,
    Template.REPLY,
    Template.RESOLVED,
    Template.TRACKING_LINK,
    Template.WORKFLOW_STEP,
    Template.TRANSFERRED,
    Template.WAITING,
    Template.SATISFACTION,
    Template.MERGED,
}
SMS_TEMPLATES = {
    Template.ACKNOWLEDGEMENT,
    Template.REPLY,
    Template.RESOLVED,
    Template.TRANSFERRED,
    Template.WAITING,
    Template.WORKFLOW_STEP,
}
AGENT_TEMPLATES = {
    Template.AGENT_CITIZEN_MESSAGE,
    Template.AGENT_BOUNCE,
    Template.AGENT_DEADLINE_WARNING,
    Template.AGENT_DEADLINE_OVERDUE,
}
# Notices about no ticket (an article to review, the daily digest): from the commune's address.
UNATTACHED_AGENT_TEMPLATES = {Template.AGENT_ARTICLE_REVIEW, Template.AGENT_DIGEST}


def render_ticket_email(
    ticket: Ticket,
    template: str,
    message: Message | None = None,
    *,
    event: Event | None = None,
    follower: TicketFollower | None = None,
    context: Mapping[str, object] | None = None,
) -> tuple[str, str]:
    """Subject and body of a citizen email; the template's first line is the subject.

    ``context``: what the subscriber that calls for the mail adds for its template (a
    workflow step's label and message).

    To an address whose owner never confirmed it, an acknowledgement says only the
    reference and the démarche (ADR 0018): anyone can type someone else's address in a form.
    A request an agent typed in (phone, counter) holds no stranger's text: it says it all.

    To a ``follower``: their name, and the link of their own ticket merged into this one if
    they have one — never this ticket's link, which opens its requester's messages.
    """
    if follower is None:
        name, link = ticket.requester_name, mailed_tracking_url(ticket)
    else:
        own = follower.source_ticket
        name, link = follower.requester.name, mailed_tracking_url(own) if own else ""
    text = render_to_string(
        f"notifications/email/{template}.txt",
        {
            "ticket": ticket,
            "message": message,
            "commune": Commune.current(),
            "name": name,
            "follower": follower,
            # Someone who follows another person's report (seen nearby): their words — the
            # subject, an agent's answer to them — are not this reader's to see.
            "for_stranger": follower is not None
            and follower.reason == TicketFollower.Reason.NEARBY_REPORT,
            "demarche": ticket.request_type.name if ticket.request_type else "",
            "tracking_url": link,
            "with_details": ticket.requester.has_confirmed(ticket.requester_email)
            or typed_by_agent(ticket, event),
            **(context or {}),
        },
    )
    return _subject_and_body(text)


def render_agent_notice(ticket: Ticket, template: str, event: Event) -> tuple[str, str]:
    """Subject and body of a notice to agents: what happened, and the link to the ticket.

    A confidential ticket's notice says its reference and subject only: an agent's mailbox
    is outside the back office's visibility and access log.
    """
    text = render_to_string(
        f"notifications/email/{template}.txt",
        {
            "ticket": ticket,
            "event": event,
            "message": None if ticket.is_confidential else event.message,
            "commune": Commune.current(),
            "ticket_url": backoffice_url(ticket),
            "due_at": _due_at(event),
        },
    )
    return _subject_and_body(text)


def _due_at(event: Event) -> datetime.datetime | None:
    """The deadline an escalation's event names (``deadline_warning``, ``deadline_overdue``)."""
    value = (event.data or {}).get("due_at")
    try:
        return datetime.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _subject_and_body(text: str) -> tuple[str, str]:
    """The template's first line is the subject, the rest the body."""
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


def _message_id(ticket: Ticket | None, sender: str) -> str:
    """A new Message-ID in the domain the mail comes from (naming the ticket, if any)."""
    domain = (sender.rpartition("@")[2].strip(">") or sender_address().rpartition("@")[2]).lower()
    idstring = ticket.reference if ticket is not None else None
    return make_msgid(idstring=idstring, domain=domain or "parvis.localhost")


def mail_write(
    *,
    ticket: Ticket,
    event: Event | None,
    template: str,
    follower: TicketFollower | None = None,
    context: Mapping[str, object] | None = None,
) -> Mail:
    r"""Write the email this event calls for, to the address given on the ticket — or to
    that of one of its ``follower``\ s.

    It is sent after the commit when a mail server is configured; otherwise it stays on the
    outbox page.
    """
    mail = mail_compose(
        ticket=ticket, event=event, template=template, follower=follower, context=context
    )
    return mails_write(mails=[mail])[0]


def mail_compose(
    *,
    ticket: Ticket,
    event: Event | None,
    template: str,
    follower: TicketFollower | None = None,
    context: Mapping[str, object] | None = None,
) -> Mail:
    """The mail ``mail_write`` writes, rendered and addressed, not saved yet: ``mails_write``
    saves those of a worker's batch together."""
    assert template in TEMPLATES
    subject, body = render_ticket_email(
        ticket,
        template,
        event.message if event else None,
        event=event,
        follower=follower,
        context=context,
    )
    sender = sender_for(ticket)
    return Mail(
        ticket=ticket,
        event=event,
        template=template,
        audience=Audience.CITIZEN,
        follower=follower,
        from_email=sender,
        to=follower.email if follower else ticket.requester_email,
        subject=subject,
        body=body,
        message_id=_message_id(ticket, sender),
        next_attempt_at=timezone.now() if settings.PARVIS_MAIL_SEND else None,
    )


# No savepoint of its own: it runs in the dispatcher's savepoint for its delivery (or its
# batch), which a failure rolls back (two statements fewer); called alone, a transaction.
@transaction.atomic(savepoint=False)
def mails_write(*, mails: Sequence[Mail]) -> list[Mail]:
    """Save these composed mails (``mail_compose``) in one INSERT, in their order; they are
    sent after the commit when a mail server is configured."""
    written = Mail.objects.bulk_create(mails)
    if written and settings.PARVIS_MAIL_SEND:
        transaction.on_commit(send_mail_soon)
    return written


@transaction.atomic(savepoint=False)  # in the dispatcher's savepoint, as ``mails_write``
def sms_write(
    *,
    ticket: Ticket,
    event: Event | None,
    template: str,
    context: Mapping[str, object] | None = None,
) -> TextMessage:
    """Write the SMS this event calls for, to the phone given on the ticket; sent after the
    commit by the worker. ``context``: what the subscriber adds for its template, as for
    ``mail_write`` (a workflow step's public label).

    A phone number is never confirmed: anyone can type someone else's in a form. An SMS
    therefore says the reference and the step only — the tracking link only when an agent
    typed the request in (they spoke with the person), as the acknowledgement by mail does
    for an unconfirmed address (ADR 0018).
    """
    assert template in SMS_TEMPLATES
    text = render_to_string(
        f"notifications/sms/{template}.txt",
        {
            "ticket": ticket,
            "commune": Commune.current(),
            "tracking_url": tracking_url(ticket),
            "with_details": typed_by_agent(ticket, event),
            **(context or {}),
        },
    )
    message = TextMessage.objects.create(
        ticket=ticket,
        event=event,
        template=template,
        to=ticket.requester_phone,
        body=sms_body(text),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(send_sms_soon)
    return message


@transaction.atomic(savepoint=False)  # in the dispatcher's savepoint, as ``mails_write``
def agent_notice_write(
    *, ticket: Ticket, event: Event, template: str, agents: Sequence[User]
) -> list[Mail]:
    """Write one notice per agent (their own Message-ID, their own delivery status).

    A notice is for agents (``Audience.AGENT``): it goes without the citizen's reply
    address, so that an agent who answers it does not write into the ticket as its citizen.
    """
    assert template in AGENT_TEMPLATES
    addresses = _addresses(agents)
    if not addresses:
        return []
    subject, body = render_agent_notice(ticket, template, event)
    return _agent_mails_write(
        ticket=ticket, event=event, template=template, addresses=addresses, text=(subject, body)
    )


def agent_notice_write_unattached(
    *, template: str, context: dict[str, object], agents: Sequence[User]
) -> list[Mail]:
    """Write one notice per agent about something that is not a ticket (an article to
    review): ``context`` holds what its template reads, the commune is added. Same path as
    the ticket notices: kept in the outbox, sent after the commit when mail is configured.
    """
    assert template in UNATTACHED_AGENT_TEMPLATES
    addresses = _addresses(agents)
    if not addresses:
        return []
    text = render_to_string(
        f"notifications/email/{template}.txt", {**context, "commune": Commune.current()}
    )
    return _agent_mails_write(
        ticket=None,
        event=None,
        template=template,
        addresses=addresses,
        text=_subject_and_body(text),
    )


def _addresses(agents: Sequence[User]) -> list[str]:
    return list(dict.fromkeys(a.email.strip() for a in agents if a.email.strip()))


def _agent_mails_write(
    *,
    ticket: Ticket | None,
    event: Event | None,
    template: str,
    addresses: Sequence[str],
    text: tuple[str, str],
) -> list[Mail]:
    """One mail per address of the same notice (subject, body), from the ticket's sender (or
    the commune's), each with its own Message-ID."""
    subject, body = text
    sender = sender_for(ticket)
    send = settings.PARVIS_MAIL_SEND
    mails = Mail.objects.bulk_create(
        Mail(
            ticket=ticket,
            event=event,
            template=template,
            audience=Audience.AGENT,
            from_email=sender,
            to=address,
            subject=subject,
            body=body,
            message_id=_message_id(ticket, sender),
            next_attempt_at=timezone.now() if send else None,
        )
        for address in addresses
    )
    if send:
        transaction.on_commit(send_mail_soon)
    return mails


@transaction.atomic
def mail_mark_bounced(*, message_ids: Sequence[str]) -> Mail | None:
    """A delivery report says the mail with one of these Message-IDs never arrived: mark it.

    ``message_ids``: what the report names (the returned message's Message-ID, its
    References), with or without angle brackets. Returns the citizen's mail it was, for the
    caller to record the bounce on its ticket (``tickets.actions.ticket_record_bounce``) —
    or None: no mail of ours, or a notice to agents. A notice that bounced is marked (its
    ticket page says "non remis") but not reported: alerting the agents that their alert
    did not arrive would write another alert to the same address, and so on.
    """
    wanted = {f"<{i.strip().strip('<>')}>" for i in message_ids if i.strip().strip("<>")}
    if not wanted:
        return None
    mail = (
        Mail.objects.select_for_update()
        .filter(message_id__in=wanted)
        .order_by("-created_at", "-pk")
        .first()
    )
    if mail is None:
        return None
    if mail.bounced_at is None:
        mail.bounced_at = timezone.now()
        mail.save(update_fields=["bounced_at"])
    return None if mail.is_for_agents else mail


def mails_withhold(*, withheld: Sequence[tuple[Event, str]], reason: str) -> list[Event]:
    """Record, on each ticket, that the mail its event called for (event, template) was not
    written, and why; several at once (a worker's batch) in one ``events_record``.

    Agents read it in the ticket's history (and may send the mail again); it is a fact
    (``mail_withheld``: the template, a ``WithheldReason`` code and its limit).
    """
    assert all(template in TEMPLATES for _event, template in withheld)
    return events_record(
        [
            Event(
                ticket=event.ticket,
                kind=Event.Kind.MAIL_WITHHELD,
                data={
                    "template": template,
                    "reason": reason,
                    "limit": settings.PARVIS_ACKNOWLEDGEMENTS_PER_HOUR,
                    "event_id": event.pk,
                },
            )
            for event, template in withheld
        ]
    )

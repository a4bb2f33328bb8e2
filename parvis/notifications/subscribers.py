"""The citizen's emails, as a subscriber of ticket events.

Which event calls for which email: a new ticket → its acknowledgement; a reply → the reply;
a ticket resolved → the notice; moved to another service → where it went; waiting for the
citizen without a reply saying so → what is awaited (none of these when a workflow's step
made the change: the workflow's actions say what the citizen is told,
``parvis.workflows.subscribers``); a tracking link asked for → the link; an
email resent by an agent → the acknowledgement or the reply again; a ticket merged into
another → the notice that it goes on there. Nothing is written when the person gave no email
on the ticket.

A ticket's public updates (its replies, its resolution) go to its requester and to each of
its followers (``TicketFollower``) who followed it when the update was made: one mail per
address, each their own (name, link, conversation). A mail resent by an agent, a tracking
link, an acknowledgement, a transfer or a wait for the requester's answer are the
requester's only.

The mails anyone can have written without an account — acknowledgements and tracking links
— are capped per address and hour (``PARVIS_ACKNOWLEDGEMENTS_PER_HOUR``, counted in the
shared cache): beyond, the mail is withheld and the ticket's history says so (ADR 0018). A
mail an agent resends is not counted: the agent chose to send it.

The citizen chose how to be told (``Ticket.notify_by``): by email, by SMS (``citizen_sms``,
the same steps in a few words) or not at all (they follow the request on its page). A
tracking link they ask for, and a mail an agent resends, go by email whatever the choice:
someone asked for them.
"""

from django.conf import settings

from parvis.core.ratelimit import address_key, attempt_allowed
from parvis.core.text import normalize_phone
from parvis.notifications.actions import SMS_TEMPLATES, mail_withhold, mail_write, sms_write
from parvis.notifications.sms import sms_wanted
from parvis.notifications.vocabulary import CAPPED_TEMPLATES, WithheldReason
from parvis.tickets.models import OPEN_STATUSES, Event, NotifyBy, Status
from parvis.tickets.outbox import subscriber
from parvis.tickets.selectors import followers_to_notify

_TEMPLATES: dict[str, str] = {
    Event.Kind.CREATED: "acknowledgement",
    Event.Kind.REPLY: "reply",
    Event.Kind.TRACKING_LINK_SENT: "tracking_link",
    Event.Kind.TRANSFERRED: "transferred",
    Event.Kind.MERGED_INTO: "merged",
}
# The public updates of a ticket, which its followers receive too.
FOLLOWED_TEMPLATES = frozenset({"reply", "resolved"})


def template_for(event: Event) -> str | None:
    if event.kind == Event.Kind.STATUS:
        data = event.data or {}
        if data.get("workflow_version_id"):
            return None  # a workflow's step: its own notice says it (parvis.workflows)
        if data.get("to") == Status.RESOLVED and data.get("from") in OPEN_STATUSES:
            return "resolved"
        if data.get("to") == Status.WAITING and not data.get("with_reply"):
            return "waiting"
        return None
    if event.kind == Event.Kind.MAIL_RESENT:
        return _TEMPLATES.get(str((event.data or {}).get("event_kind")))
    return _TEMPLATES.get(event.kind)


@subscriber(
    "citizen_email",
    Event.Kind.CREATED,
    Event.Kind.REPLY,
    Event.Kind.STATUS,
    Event.Kind.TRACKING_LINK_SENT,
    Event.Kind.MAIL_RESENT,
    Event.Kind.TRANSFERRED,
    Event.Kind.MERGED_INTO,
)
def citizen_email(event: Event) -> None:
    template = template_for(event)
    if template is None:
        return
    address = event.ticket.requester_email
    # The requester's choice (email, SMS, nothing) is theirs; followers came by email.
    asked = event.kind in (Event.Kind.TRACKING_LINK_SENT, Event.Kind.MAIL_RESENT)
    if address and (event.ticket.notify_by == NotifyBy.EMAIL or asked):
        _to_requester(event, template, address)
    if template in FOLLOWED_TEMPLATES and event.kind != Event.Kind.MAIL_RESENT:
        written = {address.strip().lower()} - {""}
        for follower in followers_to_notify(event.ticket, until=event.created_at):
            if follower.email.lower() not in written:
                written.add(follower.email.lower())
                mail_write(ticket=event.ticket, event=event, template=template, follower=follower)


def _to_requester(event: Event, template: str, address: str) -> None:
    capped = template in CAPPED_TEMPLATES and event.kind != Event.Kind.MAIL_RESENT
    if capped and not attempt_allowed(
        "public-mail",
        address_key(address),
        limit=settings.PARVIS_ACKNOWLEDGEMENTS_PER_HOUR,
        window=3600,
    ):
        mail_withhold(
            ticket=event.ticket, event=event, template=template, reason=WithheldReason.HOURLY_CAP
        )
        return
    mail_write(ticket=event.ticket, event=event, template=template)


def _wants_sms(event: Event) -> bool:
    return sms_wanted(event.ticket)


@subscriber(
    "citizen_sms",
    Event.Kind.CREATED,
    Event.Kind.REPLY,
    Event.Kind.STATUS,
    Event.Kind.TRANSFERRED,
    wants=_wants_sms,
)
def citizen_sms(event: Event) -> None:
    ticket = event.ticket
    if not sms_wanted(ticket):  # the provider may have been removed since the event
        return
    template = template_for(event)
    if template not in SMS_TEMPLATES:
        return
    if template == "acknowledgement" and not attempt_allowed(
        "public-sms",
        address_key(normalize_phone(ticket.requester_phone)),
        limit=settings.PARVIS_ACKNOWLEDGEMENTS_PER_HOUR,
        window=3600,
    ):
        return  # a number typed again and again in the form: no more texts this hour
    sms_write(ticket=ticket, event=event, template=template)

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

The worker hands this subscriber its deliveries of a batch at once (``citizen_emails``): each
mail rendered as alone, the batch's caps counted in one round trip, its mails written in one
INSERT — what each delivery alone writes, in fewer statements.

The citizen chose how to be told (``Ticket.notify_by``): by email, by SMS (``citizen_sms``,
the same steps in a few words) or not at all (they follow the request on its page). A
tracking link they ask for, and a mail an agent resends, go by email whatever the choice:
someone asked for them.
"""

from django.conf import settings

from parvis.core.ratelimit import address_key, attempt_allowed, attempts_allowed
from parvis.core.text import normalize_phone
from parvis.notifications.actions import (
    SMS_TEMPLATES,
    mail_compose,
    mails_withhold,
    mails_write,
    sms_write,
)
from parvis.notifications.models import Mail
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


def citizen_emails(events: list[Event]) -> None:
    """``citizen_email`` of each event, in order, for a batch of the worker: each mail
    rendered as alone, the hourly caps counted in one call (``attempts_allowed``: one round
    trip on Redis), the mails written in one INSERT and the withheld ones recorded together.
    """
    called = [(event, template) for event in events if (template := template_for(event))]
    capped = [
        event.ticket.requester_email
        for event, template in called
        if _to_requester(event) and _capped(event, template)
    ]
    allowed = iter(
        attempts_allowed(
            "public-mail",
            [address_key(address) for address in capped],
            limit=settings.PARVIS_ACKNOWLEDGEMENTS_PER_HOUR,
            window=3600,
        )
    )
    mails: list[Mail] = []
    withheld: list[tuple[Event, str]] = []
    for event, template in called:
        if _to_requester(event):
            if _capped(event, template) and not next(allowed):  # in the order counted
                withheld.append((event, template))
            else:
                mails.append(mail_compose(ticket=event.ticket, event=event, template=template))
        if template in FOLLOWED_TEMPLATES and event.kind != Event.Kind.MAIL_RESENT:
            mails += _to_followers(event, template)
    if mails:
        mails_write(mails=mails)
    if withheld:
        mails_withhold(withheld=withheld, reason=WithheldReason.HOURLY_CAP)


@subscriber(
    "citizen_email",
    Event.Kind.CREATED,
    Event.Kind.REPLY,
    Event.Kind.STATUS,
    Event.Kind.TRACKING_LINK_SENT,
    Event.Kind.MAIL_RESENT,
    Event.Kind.TRANSFERRED,
    Event.Kind.MERGED_INTO,
    many=citizen_emails,
)
def citizen_email(event: Event) -> None:
    citizen_emails([event])


def _to_requester(event: Event) -> bool:
    """Whether the requester is written to: the choice (email, SMS, nothing) is theirs, but
    a tracking link and a resent mail were asked for."""
    asked = event.kind in (Event.Kind.TRACKING_LINK_SENT, Event.Kind.MAIL_RESENT)
    return bool(event.ticket.requester_email) and (
        event.ticket.notify_by == NotifyBy.EMAIL or asked
    )


def _capped(event: Event, template: str) -> bool:
    """A mail anyone can have caused, counted per address and hour (not one an agent resends)."""
    return template in CAPPED_TEMPLATES and event.kind != Event.Kind.MAIL_RESENT


def _to_followers(event: Event, template: str) -> list[Mail]:
    """One mail per follower's address (followers came by email), none to the requester's."""
    written = {event.ticket.requester_email.strip().lower()} - {""}
    mails = []
    for follower in followers_to_notify(event.ticket, until=event.created_at):
        if follower.email.lower() not in written:
            written.add(follower.email.lower())
            mails.append(
                mail_compose(ticket=event.ticket, event=event, template=template, follower=follower)
            )
    return mails


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

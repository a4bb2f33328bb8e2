"""The citizen's emails, as a subscriber of ticket events.

Which event calls for which email: a new ticket → its acknowledgement; a reply → the reply;
a ticket resolved → the notice; moved to another service → where it went; waiting for the
citizen without a reply saying so → what is awaited; a tracking link asked for → the link; an
email resent by an agent → the acknowledgement or the reply again. Nothing is written when
the person gave no email on the ticket.

The mails anyone can have written without an account — acknowledgements and tracking links
— are capped per address and hour (``PARVIS_ACKNOWLEDGEMENTS_PER_HOUR``, counted in the
shared cache): beyond, the mail is withheld and the ticket's history says so (ADR 0018). A
mail an agent resends is not counted: the agent chose to send it.
"""

from django.conf import settings

from parvis.core.ratelimit import address_key, attempt_allowed
from parvis.notifications.actions import mail_withhold, mail_write
from parvis.notifications.vocabulary import CAPPED_TEMPLATES, WithheldReason
from parvis.tickets.models import OPEN_STATUSES, Event, Status
from parvis.tickets.outbox import subscriber

_TEMPLATES: dict[str, str] = {
    Event.Kind.CREATED: "acknowledgement",
    Event.Kind.REPLY: "reply",
    Event.Kind.TRACKING_LINK_SENT: "tracking_link",
    Event.Kind.TRANSFERRED: "transferred",
}


def template_for(event: Event) -> str | None:
    if event.kind == Event.Kind.STATUS:
        data = event.data or {}
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
)
def citizen_email(event: Event) -> None:
    template = template_for(event)
    address = event.ticket.requester_email
    if template is None or not address:
        return
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

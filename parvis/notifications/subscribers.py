"""The citizen's emails, as a subscriber of ticket events.

Which event calls for which email: a new ticket → its acknowledgement; a reply → the reply;
a ticket resolved → the notice; a tracking link asked for → the link; an email resent by an
agent → the acknowledgement or the reply again. Nothing is written when the person gave no
email on the ticket.
"""

from parvis.notifications.actions import mail_write
from parvis.tickets.models import OPEN_STATUSES, Event, Status
from parvis.tickets.outbox import subscriber

_TEMPLATES: dict[str, str] = {
    Event.Kind.CREATED: "acknowledgement",
    Event.Kind.REPLY: "reply",
    Event.Kind.TRACKING_LINK_SENT: "tracking_link",
}


def template_for(event: Event) -> str | None:
    if event.kind == Event.Kind.STATUS:
        data = event.data or {}
        resolved = data.get("to") == Status.RESOLVED and data.get("from") in OPEN_STATUSES
        return "resolved" if resolved else None
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
)
def citizen_email(event: Event) -> None:
    template = template_for(event)
    if template is not None and event.ticket.requester_email:
        mail_write(ticket=event.ticket, event=event, template=template)

"""The public history of a ticket as the citizen reads it.

Only what the citizen may know is put in the items: no agent's name (a reply comes from
"Service X"), no internal reason for a transfer, no internal note.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from parvis.tickets.models import Attachment, Event, Status, Ticket


@dataclass(frozen=True)
class TimelineItem:
    kind: str
    title: str
    created_at: datetime.datetime
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)


def _status_label(value: object) -> str:
    try:
        return str(Status(str(value)).label)
    except ValueError:
        return str(value)


def citizen_timeline(ticket: Ticket, events: list[Event]) -> list[TimelineItem]:
    """Turn the public events (oldest first) into items; unknown kinds are left out."""
    transfers = [e for e in events if e.kind == Event.Kind.TRANSFERRED]
    # The service in charge when each event happened: replies are signed by it.
    service = str(transfers[0].data.get("from", "")) if transfers else ticket.service.name
    items = []
    for event in events:
        message = event.message
        body = message.body if message else ""
        files = list(message.attachments.all()) if message else []
        if event.kind == Event.Kind.CREATED:
            item = TimelineItem(event.kind, _("Demande reçue"), event.created_at)
        elif event.kind == Event.Kind.STATUS:
            title = _("Statut : %s") % _status_label(event.data.get("to", ""))
            item = TimelineItem(event.kind, title, event.created_at)
        elif event.kind == Event.Kind.TRANSFERRED:
            service = str(event.data.get("to", "")) or service
            item = TimelineItem(
                event.kind, _("Demande transmise au service %s") % service, event.created_at
            )
        elif event.kind == Event.Kind.REPLY:
            item = TimelineItem(
                event.kind, _("Réponse du service %s") % service, event.created_at, body, files
            )
        elif event.kind == Event.Kind.CITIZEN_MESSAGE:
            item = TimelineItem(event.kind, _("Votre message"), event.created_at, body, files)
        elif event.kind == Event.Kind.FOLLOW_UP:
            item = TimelineItem(
                event.kind, _("Vous avez relancé votre demande"), event.created_at, body, files
            )
        else:
            continue
        items.append(item)
    return items

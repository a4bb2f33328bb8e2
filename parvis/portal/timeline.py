"""The public history of a ticket as the citizen reads it.

Only the kinds the registry (``tickets.events``) shows to citizens, told as citizens read
them: no agent's name (a reply comes from "Service X"), no reason for a transfer, no note.
"""

import datetime
from dataclasses import dataclass, field

from parvis.tickets.events import Audience, describe, is_visible, names_for
from parvis.tickets.models import Attachment, Event


@dataclass(frozen=True)
class TimelineItem:
    kind: str
    title: str
    created_at: datetime.datetime
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)


def citizen_timeline(events: list[Event]) -> list[TimelineItem]:
    """Turn the events (oldest first) into the items a citizen may see."""
    shown = [event for event in events if is_visible(event, Audience.CITIZEN)]
    names = names_for(shown, Audience.CITIZEN)
    return [
        TimelineItem(
            event.kind,
            describe(event, Audience.CITIZEN, names),
            event.created_at,
            event.message.body if event.message else "",
            list(event.message.attachments.all()) if event.message else [],
        )
        for event in shown
    ]

"""The agents' timeline of a ticket: each event told by the registry (``tickets.events``)."""

from dataclasses import dataclass

from parvis.tickets.actions import RESENDABLE_KINDS
from parvis.tickets.events import Audience, actor_label, describe, is_visible, names_for
from parvis.tickets.models import Event, Message


@dataclass(frozen=True)
class TimelineEntry:
    """An event, its sentence, who did it, and whether the citizen sees it too."""

    event: Event
    text: str
    actor_label: str
    is_public: bool
    original_id: int | None = None  # the received mail its message came from, if any

    @property
    def message(self) -> Message | None:
        return self.event.message

    @property
    def can_resend(self) -> bool:
        """Whether its email (acknowledgement, reply) may be sent to the citizen again."""
        return self.event.kind in RESENDABLE_KINDS

    @property
    def css_class(self) -> str:
        return f"kind-{self.event.kind}"


def timeline_entries(
    events: list[Event], originals: dict[int, int] | None = None
) -> list[TimelineEntry]:
    """``originals``: message id → the received mail it came from (``ticket_originals``)."""
    names = names_for(events, Audience.AGENT)
    originals = originals or {}
    return [
        TimelineEntry(
            event,
            describe(event, Audience.AGENT, names),
            actor_label(event),
            is_visible(event, Audience.CITIZEN),
            originals.get(event.message_id) if event.message_id else None,
        )
        for event in events
    ]

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


def timeline_entries(events: list[Event]) -> list[TimelineEntry]:
    names = names_for(events, Audience.AGENT)
    return [
        TimelineEntry(
            event,
            describe(event, Audience.AGENT, names),
            actor_label(event),
            is_visible(event, Audience.CITIZEN),
        )
        for event in events
    ]

"""The agents' timeline of a ticket: each event told by the registry (``tickets.events``)."""

from collections.abc import Mapping
from dataclasses import dataclass

from parvis.catalog.selectors import catalogue_names
from parvis.tickets.actions import RESENDABLE_KINDS
from parvis.tickets.events import Audience, actor_label, describe, is_visible, names_for
from parvis.tickets.models import Event, Message, Ticket


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
    events: list[Event],
    originals: dict[int, int] | None = None,
    known_people: Mapping[int, str] | None = None,
) -> list[TimelineEntry]:
    """``originals``: message id → the received mail it came from (``ticket_originals``);
    ``known_people``: agents' names read already (``names_for``)."""
    names = names_for(events, Audience.AGENT, known_people)
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


@dataclass(frozen=True)
class Suggestion:
    """A service the classifier proposed for a ticket it was unsure of: one click to send it."""

    service_id: int
    name: str
    probability: float

    @property
    def percent(self) -> int:
        return round(100 * self.probability)


def triage_suggestions(events: list[Event], current_service_id: int) -> list[Suggestion]:
    """The classifier's suggestions kept in the ticket's ``routed`` event, while they apply.

    Read from the timeline's events (no query); none once the ticket left the service it was
    routed to (an agent chose already) or when the classifier was sure.
    """
    routed = next((e for e in events if e.kind == Event.Kind.ROUTED), None)
    if routed is None or (routed.data or {}).get("service_id") != current_service_id:
        return []
    if any(e.kind == Event.Kind.TRANSFERRED for e in events):
        return []
    services, _request_types = catalogue_names()
    return [
        Suggestion(int(service_id), services[int(service_id)], float(probability))
        for service_id, probability in (routed.data or {}).get("suggestions", [])
        if int(service_id) in services and int(service_id) != current_service_id
    ]


@dataclass(frozen=True)
class SameMatter:
    """The requester's other ticket this one probably repeats: one click merges it there."""

    reference: str
    percent: int


def same_matter_flag(events: list[Event], ticket: Ticket) -> SameMatter | None:
    """The last ``same_matter`` flag of the timeline (no query), while a merge may follow it:
    the ticket neither merged nor closed."""
    if ticket.merged_into_id is not None or not ticket.is_open:
        return None
    flag = next((e for e in reversed(events) if e.kind == Event.Kind.SAME_MATTER), None)
    if flag is None or not (flag.data or {}).get("reference"):
        return None
    data = flag.data
    return SameMatter(str(data["reference"]), round(100 * float(data.get("score") or 0)))

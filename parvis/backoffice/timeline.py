"""Each timeline event told in one French sentence, for the agents' ticket page."""

from dataclasses import dataclass

from parvis.tickets.models import Channel, Event, Message, Priority, Status


@dataclass(frozen=True)
class TimelineEntry:
    """An event, its sentence, and the CSS class that styles it (notes stand out)."""

    event: Event
    text: str
    css_class: str

    @property
    def message(self) -> Message | None:
        return self.event.message

    @property
    def actor_label(self) -> str:
        """Who did it: the agent, else the citizen for what comes from them, else Parvis."""
        if self.event.actor is not None:
            return str(self.event.actor)
        if self.event.kind in _CITIZEN_KINDS:
            return "l'usager"
        return "Parvis (automatique)"


_CITIZEN_KINDS = {Event.Kind.CREATED, Event.Kind.CITIZEN_MESSAGE, Event.Kind.FOLLOW_UP}


def _label(choices: type[Channel] | type[Status], value: object) -> str:
    try:
        return str(choices(str(value)).label)
    except ValueError:
        return str(value)


def _priority(value: object) -> str:
    try:
        return str(Priority(int(str(value))).label)
    except ValueError:
        return str(value)


def describe(event: Event) -> str:
    """ "Statut : nouvelle → en cours", "Transférée de … à … (motif : …)", …"""
    data = event.data or {}
    kind = event.kind
    if kind == Event.Kind.CREATED:
        return f"Demande reçue par {_label(Channel, data.get('channel', ''))}"
    if kind == Event.Kind.ROUTED:
        reason = data.get("reason")
        text = f"Orientée vers le service {data.get('service', '?')}"
        return f"{text} (motif : {reason})" if reason else text
    if kind == Event.Kind.STATUS:
        before, after = _label(Status, data.get("from", "")), _label(Status, data.get("to", ""))
        return f"Statut : {before} → {after}"
    if kind == Event.Kind.ASSIGNED:
        assignee = data.get("assignee")
        return f"Attribuée à {assignee}" if assignee else "N'est plus attribuée à personne"
    if kind == Event.Kind.TRANSFERRED:
        return (
            f"Transférée du service {data.get('from', '?')} au service {data.get('to', '?')} "
            f"(motif : {data.get('reason', '')})"
        )
    if kind == Event.Kind.PRIORITY:
        return f"Priorité : {_priority(data.get('from'))} → {_priority(data.get('to'))}"
    if kind == Event.Kind.REPLY:
        return "Réponse envoyée à l'usager"
    if kind == Event.Kind.NOTE:
        return "Note interne (invisible pour l'usager)"
    if kind == Event.Kind.CITIZEN_MESSAGE:
        return "Message de l'usager"
    if kind == Event.Kind.FOLLOW_UP:
        return "Relance de l'usager"
    return str(event.get_kind_display())


def timeline_entries(events: list[Event]) -> list[TimelineEntry]:
    return [TimelineEntry(event, describe(event), f"kind-{event.kind}") for event in events]

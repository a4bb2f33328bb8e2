"""The one registry of event kinds: who may see each, and how it reads, in every interface.

An ``Event`` stores facts (ids, codes, the words an agent typed); this module turns them
into sentences, translated, at the moment they are shown. A renamed service or an agent's
new name therefore shows in the whole history, and an erased person's name is nowhere in
stored JSON. The back office, the citizen's portal and the API all read through here.

Facts per kind (``Event.data``):

- ``created``: ``channel``, and ``metadata`` when the channel gave some (a Message-ID; the
  ``previous_reference`` of the closed ticket a mail answered)
- ``requester_created``: ``requester_id``
- ``routed``: ``service_id``, ``reason`` (a ``RoutingReason`` code) and its parameters
  (``request_type_id``; ``mailbox``, the mairie's address written to; ``keyword``,
  ``rule_id``; for the classifier ``confidence``, ``model_version`` and
  ``suggested_request_type_id``; for the triage queue, when the classifier was unsure,
  ``model_version`` and ``suggestions``: ``[[service_id, probability], …]``, best first)
- ``status``: ``from``, ``to`` (status codes); ``workflow_version_id`` when a workflow's
  step made the change (the citizen then reads the step, not the status)
- ``assigned``: ``assignee_id`` (null: nobody)
- ``transferred``: ``from_service_id``, ``to_service_id``, ``reason`` (typed by the agent)
- ``priority``: ``from``, ``to`` (priority numbers)
- ``reply``: ``service_id`` (the service that answered), ``by_email`` (whether the
  requester had an email then: absent before it was recorded); the message is
  ``Event.message``
- ``note``, ``citizen_message``, ``follow_up``: the message is ``Event.message``; a
  follow-up that came as a new request of the same matter (``ticket_append_request``) also
  has ``channel``, ``score`` (0–1) and, when the channel gave some, ``metadata``
- ``tracking_link_sent``: nothing
- ``mail_resent``: ``event_id`` and ``event_kind`` (``created`` or ``reply``) of the event
  whose email was sent again; for a reply, its message is ``Event.message``
- ``mail_withheld``: ``template`` (of the mail not written: ``acknowledgement``,
  ``tracking_link``), ``reason`` (a ``WithheldReason`` code), ``limit``, ``event_id`` (the
  event that called for the mail)
- ``letter_printed``: ``message_id`` (the reply printed as a letter)
- ``same_matter``: ``ticket_id`` and ``reference`` of the requester's open ticket this one
  probably repeats, ``score`` (0–1), ``certain`` (``routing.duplicates``)
- ``nearby_report``: ``ticket_id`` and ``reference`` of the open report of the same démarche
  nearest to this one's place, ``distance_m`` (whole metres) (``routing.nearby``)
- ``follower_added``: ``follower_id``, ``requester_id`` (who follows now), ``reason`` (a
  ``TicketFollower.Reason`` code); for a merge, ``source_ticket_id`` and ``source_reference``
  (their own ticket, merged into this one)
- ``merged_into`` (on the ticket closed by a merge), ``merged_from`` (on the one that goes
  on): ``ticket_id`` and ``reference`` of the other ticket
- ``booking_requested``, ``booking_approved``, ``booking_refused``, ``booking_cancelled``:
  ``booking_id``, ``resource_id``, ``starts_at`` and ``ends_at`` (ISO 8601, the slot asked
  for; ``parvis.bookings``)
- ``mail_bounced``: ``inbound_id`` (the delivery report received), ``status`` (its RFC 3463
  code, "5.1.1"; empty when the report gave none), ``permanent`` (a failure, not a delay)
- ``deadline_warning``, ``deadline_overdue`` (``parvis.sla``'s escalation job): ``target``
  (``first_response`` or ``resolution``) and ``due_at`` (ISO 8601) of the deadline
- ``workflow_step``: ``version_id`` (the workflow version the ticket follows), ``from`` and
  ``to`` (status codes; ``from`` null when the ticket starts), ``transition`` (its code;
  null at the start), ``values`` (what the agent typed, by field key), ``public`` (whether
  the status reached shows to the citizen). Its rendering is registered by
  ``parvis.workflows`` (``register``), which reads the labels from the version.
"""

import datetime
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parvis.accounts.models import User
from parvis.catalog.selectors import catalogue_names
from parvis.routing.decide import RoutingReason
from parvis.tickets.models import Channel, Event, Priority, Status


class Audience(enum.StrEnum):
    AGENT = "agent"
    CITIZEN = "citizen"
    API = "api"


@dataclass(frozen=True)
class Names:
    """What the ids of a set of events stand for today, loaded once for the whole timeline."""

    services: Mapping[int, str] = field(default_factory=dict)
    people: Mapping[int, str] = field(default_factory=dict)
    request_types: Mapping[int, str] = field(default_factory=dict)
    resources: Mapping[int, str] = field(default_factory=dict)
    # What the providers of registered kinds looked up (``register``), by their own keys.
    extra: Mapping[str, Any] = field(default_factory=dict)

    def service(self, service_id: object) -> str:
        return self.services.get(_int(service_id), _("service inconnu"))

    def person(self, user_id: object) -> str:
        return self.people.get(_int(user_id), _("agent inconnu"))

    def request_type(self, request_type_id: object) -> str:
        return self.request_types.get(_int(request_type_id), _("démarche inconnue"))

    def resource(self, resource_id: object) -> str:
        return self.resources.get(_int(resource_id), _("ressource inconnue"))


Render = Callable[[Mapping[str, Any], Names], str]


@dataclass(frozen=True)
class EventKind:
    """How one kind of event is shown: to agents always; to citizens when ``citizen`` is set."""

    agent: Render
    citizen: Render | None = None
    # For a kind citizens see only sometimes (a workflow step hidden from them): decided by
    # the event's facts.
    citizen_when: Callable[[Mapping[str, Any]], bool] | None = None

    @property
    def audiences(self) -> frozenset[Audience]:
        seen = {Audience.AGENT, Audience.API}
        return frozenset(seen | {Audience.CITIZEN} if self.citizen else seen)


NamesProvider = Callable[[list[Event], Audience], Mapping[str, Any]]
_providers: dict[str, NamesProvider] = {}


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _label(choices: type[Channel] | type[Status], value: object) -> str:
    try:
        return str(choices(str(value)).label)
    except ValueError:
        return str(value)


def _priority(value: object) -> str:
    try:
        return str(Priority(_int(value)).label)
    except ValueError:
        return str(value)


def _routed(data: Mapping[str, Any], names: Names) -> str:
    service = names.service(data.get("service_id"))
    reason = data.get("reason")
    if reason == RoutingReason.REQUEST_TYPE:
        why = _("démarche « %(name)s »") % {"name": names.request_type(data.get("request_type_id"))}
    elif reason == RoutingReason.MAILBOX:
        why = _("écrite à l'adresse %(address)s") % {"address": data.get("mailbox", "")}
    elif reason == RoutingReason.KEYWORD:
        why = _("mot-clé « %(keyword)s »") % {"keyword": data.get("keyword", "")}
    elif reason == RoutingReason.CLASSIFIER:
        why = _("classement automatique du texte, confiance %(confidence)s") % {
            "confidence": _percent(data.get("confidence"))
        }
    elif data.get("suggestions"):
        why = _("classement automatique incertain : file d'accueil ; suggestions : %(list)s") % {
            "list": ", ".join(
                f"{names.service(service_id)} ({_percent(p)})"
                for service_id, p in data["suggestions"]
            )
        }
    else:
        why = _("aucune règle : file d'accueil")
    return _("Orientée vers le service %(service)s (motif : %(why)s)") % {
        "service": service,
        "why": why,
    }


def _percent(value: object) -> str:
    try:
        return f"{round(100 * float(str(value)))} %"
    except ValueError:
        return "?"


def _assigned(data: Mapping[str, Any], names: Names) -> str:
    assignee = data.get("assignee_id")
    if assignee is None:
        return _("N'est plus attribuée à personne")
    return _("Attribuée à %(agent)s") % {"agent": names.person(assignee)}


def _transferred(data: Mapping[str, Any], names: Names) -> str:
    return _("Transférée du service %(from)s au service %(to)s (motif : %(reason)s)") % {
        "from": names.service(data.get("from_service_id")),
        "to": names.service(data.get("to_service_id")),
        "reason": data.get("reason", ""),
    }


def _reply(data: Mapping[str, Any], names: Names) -> str:
    by_email = data.get("by_email")
    if by_email is None:  # recorded before the fact was
        return _("Réponse envoyée à l'usager")
    if by_email:
        return _("Réponse envoyée à l'usager par courriel")
    return _("Réponse enregistrée, sans courriel : l'usager n'a pas d'adresse électronique")


def _mail_resent(data: Mapping[str, Any], names: Names) -> str:
    if data.get("event_kind") == Event.Kind.REPLY:
        return _("Réponse renvoyée à l'usager par courriel")
    return _("Accusé de réception renvoyé à l'usager par courriel")


def _withheld(data: Mapping[str, Any], names: Names) -> str:
    limit = _int(data.get("limit"))
    if data.get("template") == "tracking_link":
        text = ngettext(
            "Lien de suivi non envoyé : cette adresse a déjà reçu %(limit)s courriel "
            "automatique dans l'heure (protection contre les envois en masse)",
            "Lien de suivi non envoyé : cette adresse a déjà reçu %(limit)s courriels "
            "automatiques dans l'heure (protection contre les envois en masse)",
            limit,
        )
    else:
        text = ngettext(
            "Accusé de réception non envoyé : cette adresse a déjà reçu %(limit)s courriel "
            "automatique dans l'heure (protection contre les envois en masse)",
            "Accusé de réception non envoyé : cette adresse a déjà reçu %(limit)s courriels "
            "automatiques dans l'heure (protection contre les envois en masse)",
            limit,
        )
    return text % {"limit": limit}


def _created(data: Mapping[str, Any], names: Names) -> str:
    text = _("Demande reçue par %(channel)s") % {"channel": _label(Channel, data.get("channel"))}
    previous = (data.get("metadata") or {}).get("previous_reference")
    if previous:
        text += " " + _("(suite de la demande close %(reference)s)") % {"reference": previous}
    return text


def _bounced(data: Mapping[str, Any], names: Names) -> str:
    status = data.get("status") or "?"
    if data.get("permanent", True):
        return _(
            "Courriel non remis à l'usager (code %(status)s) : son adresse est marquée en "
            "échec, vérifiez-la avec lui"
        ) % {"status": status}
    return _("Courriel à l'usager retardé par son serveur (code %(status)s)") % {"status": status}


def _same_matter(data: Mapping[str, Any], names: Names) -> str:
    values = {"reference": data.get("reference", "?"), "score": _percent(data.get("score"))}
    if data.get("certain"):
        return (
            _("Même usager, même affaire que la demande %(reference)s (ressemblance %(score)s)")
            % values
        )
    return (
        _(
            "Peut-être la même affaire que la demande %(reference)s du même usager "
            "(ressemblance %(score)s)"
        )
        % values
    )


def _nearby_report(data: Mapping[str, Any], names: Names) -> str:
    return _(
        "Doublon probable : à %(distance)s m du signalement ouvert %(reference)s de la même "
        "démarche"
    ) % {"distance": _int(data.get("distance_m")), "reference": data.get("reference", "?")}


def _follower_added(data: Mapping[str, Any], names: Names) -> str:
    reason = data.get("reason")
    if reason == "merged":
        return _(
            "Le demandeur de la demande fusionnée %(reference)s suit désormais cette demande"
        ) % {"reference": data.get("source_reference", "?")}
    if reason == "nearby_report":
        return _("Un usager ayant signalé la même chose à proximité suit désormais cette demande")
    return _("Un usager a été ajouté aux personnes qui suivent cette demande")


def _follow_up(data: Mapping[str, Any], names: Names) -> str:
    if not data.get("channel"):
        return _("Relance de l'usager")
    return _(
        "Nouvelle demande de l'usager par %(channel)s, ajoutée ici en relance : même usager, "
        "même affaire (ressemblance %(score)s)"
    ) % {"channel": _label(Channel, data["channel"]), "score": _percent(data.get("score"))}


def _citizen_follow_up(data: Mapping[str, Any], names: Names) -> str:
    if not data.get("channel"):
        return _("Vous avez relancé votre demande")
    return _("Votre nouvelle demande, sur la même affaire, a été ajoutée à celle-ci")


def _deadline(overdue: bool) -> Render:
    def render(data: Mapping[str, Any], names: Names) -> str:
        values = {"target": _target_label(data.get("target")), "due": _moment(data.get("due_at"))}
        if overdue:
            return (
                _("Délai de %(target)s dépassé (échéance %(due)s) : responsable du service prévenu")
                % values
            )
        return _("Délai de %(target)s bientôt atteint (échéance %(due)s) : agent prévenu") % values

    return render


def _target_label(code: object) -> str:
    return _("première réponse") if code == "first_response" else _("traitement")


def _moment(value: object) -> str:
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return "?"
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _slot(data: Mapping[str, Any]) -> str:
    """« le 19/06/2027 de 14:00 à 23:00 », or « du … au … » over several days, local time."""
    try:
        starts = timezone.localtime(datetime.datetime.fromisoformat(str(data.get("starts_at"))))
        ends = timezone.localtime(datetime.datetime.fromisoformat(str(data.get("ends_at"))))
    except ValueError:
        return "?"
    day, hour = _("d/m/Y"), _("H:i")
    if starts.date() == ends.date():
        return _("le %(day)s de %(start)s à %(end)s") % {
            "day": format_date(starts, day),
            "start": format_date(starts, hour),
            "end": format_date(ends, hour),
        }
    return _("du %(start)s au %(end)s") % {
        "start": format_date(starts, f"{day} {hour}"),
        "end": format_date(ends, f"{day} {hour}"),
    }


def _booking(text: Callable[[], str]) -> Render:
    """A booking event: the sentence, with the resource's name and the slot put in."""
    return lambda data, names: (
        text()
        % {
            "resource": names.resource(data.get("resource_id")),
            "slot": _slot(data),
        }
    )


def _const(text: Callable[[], str]) -> Render:
    return lambda data, names: text()


KINDS: dict[str, EventKind] = {
    Event.Kind.CREATED: EventKind(
        agent=_created,
        citizen=_const(lambda: _("Demande reçue")),
    ),
    Event.Kind.REQUESTER_CREATED: EventKind(agent=_const(lambda: _("Nouvel usager enregistré"))),
    Event.Kind.ROUTED: EventKind(agent=_routed),
    Event.Kind.STATUS: EventKind(
        agent=lambda d, n: (
            _("Statut : %(from)s → %(to)s")
            % {"from": _label(Status, d.get("from", "")), "to": _label(Status, d.get("to", ""))}
        ),
        citizen=lambda d, n: _("Statut : %(status)s") % {"status": _label(Status, d.get("to", ""))},
        # A workflow's step says it better to the citizen (its public label): not twice.
        citizen_when=lambda d: not d.get("workflow_version_id"),
    ),
    Event.Kind.ASSIGNED: EventKind(agent=_assigned),
    Event.Kind.TRANSFERRED: EventKind(
        agent=_transferred,
        citizen=lambda d, n: (
            _("Demande transmise au service %(service)s")
            % {"service": n.service(d.get("to_service_id"))}
        ),
    ),
    Event.Kind.PRIORITY: EventKind(
        agent=lambda d, n: (
            _("Priorité : %(from)s → %(to)s")
            % {"from": _priority(d.get("from")), "to": _priority(d.get("to"))}
        )
    ),
    Event.Kind.REPLY: EventKind(
        agent=_reply,
        citizen=lambda d, n: (
            _("Réponse du service %(service)s") % {"service": n.service(d.get("service_id"))}
        ),
    ),
    Event.Kind.NOTE: EventKind(agent=_const(lambda: _("Note interne (invisible pour l'usager)"))),
    Event.Kind.CITIZEN_MESSAGE: EventKind(
        agent=_const(lambda: _("Message de l'usager")),
        citizen=_const(lambda: _("Votre message")),
    ),
    Event.Kind.FOLLOW_UP: EventKind(agent=_follow_up, citizen=_citizen_follow_up),
    Event.Kind.TRACKING_LINK_SENT: EventKind(
        agent=_const(lambda: _("Lien de suivi envoyé à l'usager"))
    ),
    Event.Kind.MAIL_RESENT: EventKind(agent=_mail_resent),
    Event.Kind.MAIL_WITHHELD: EventKind(agent=_withheld),
    Event.Kind.LETTER_PRINTED: EventKind(
        agent=_const(lambda: _("Réponse imprimée en courrier pour l'usager"))
    ),
    Event.Kind.MAIL_BOUNCED: EventKind(agent=_bounced),
    Event.Kind.SAME_MATTER: EventKind(agent=_same_matter),
    # Agents only: the other report is someone else's request.
    Event.Kind.NEARBY_REPORT: EventKind(agent=_nearby_report),
    # Citizens read that someone else follows, never who: their name is not theirs to see.
    Event.Kind.FOLLOWER_ADDED: EventKind(
        agent=_follower_added,
        citizen=_const(lambda: _("Une autre personne suit aussi cette demande")),
    ),
    Event.Kind.MERGED_INTO: EventKind(
        agent=lambda d, n: (
            _("Fusionnée dans la demande %(reference)s, qui traite la même affaire")
            % {"reference": d.get("reference", "?")}
        ),
        citizen=lambda d, n: (
            _(
                "Votre demande a été regroupée avec la demande %(reference)s, qui traite la "
                "même affaire"
            )
            % {"reference": d.get("reference", "?")}
        ),
    ),
    Event.Kind.MERGED_FROM: EventKind(
        agent=lambda d, n: (
            _("La demande %(reference)s y a été fusionnée (même affaire)")
            % {"reference": d.get("reference", "?")}
        ),
    ),
    Event.Kind.DEADLINE_WARNING: EventKind(agent=_deadline(overdue=False)),
    Event.Kind.DEADLINE_OVERDUE: EventKind(agent=_deadline(overdue=True)),
    Event.Kind.BOOKING_REQUESTED: EventKind(
        agent=_booking(lambda: _("Réservation demandée : %(resource)s, %(slot)s")),
        citizen=_booking(lambda: _("Réservation demandée : %(resource)s, %(slot)s")),
    ),
    Event.Kind.BOOKING_APPROVED: EventKind(
        agent=_booking(lambda: _("Réservation accordée : %(resource)s, %(slot)s")),
        citizen=_booking(lambda: _("Votre réservation est accordée : %(resource)s, %(slot)s")),
    ),
    Event.Kind.BOOKING_REFUSED: EventKind(
        agent=_booking(lambda: _("Réservation refusée : %(resource)s, %(slot)s")),
        citizen=_booking(
            lambda: _("Votre réservation n'est pas accordée : %(resource)s, %(slot)s")
        ),
    ),
    Event.Kind.BOOKING_CANCELLED: EventKind(
        agent=_booking(lambda: _("Réservation annulée : %(resource)s, %(slot)s")),
        citizen=_booking(lambda: _("Réservation annulée : %(resource)s, %(slot)s")),
    ),
}

# Kinds whose actor, when none is recorded, is the citizen rather than Parvis.
CITIZEN_KINDS = frozenset({Event.Kind.CREATED, Event.Kind.CITIZEN_MESSAGE, Event.Kind.FOLLOW_UP})


def register(kind: str, spec: EventKind, *, names: NamesProvider | None = None) -> None:
    """Add the rendering of a kind owned by another app (its ``ready()`` calls this).

    ``names``, given the events of a timeline, looks up what their facts refer to, once per
    timeline; its values reach the renderers as ``Names.extra``.
    """
    KINDS[kind] = spec
    if names is not None:
        _providers[kind] = names


def kinds_for(audience: Audience) -> list[str]:
    """The event kinds this audience may see."""
    return [str(kind) for kind, spec in KINDS.items() if audience in spec.audiences]


def is_visible(event: Event, audience: Audience) -> bool:
    spec = KINDS.get(event.kind)
    if spec is None or audience not in spec.audiences:
        return False
    if audience == Audience.CITIZEN and spec.citizen_when is not None:
        return spec.citizen_when(event.data or {})
    return True


def describe(event: Event, audience: Audience, names: Names) -> str:
    """The event as one sentence for this audience (the agent's sentence for the API)."""
    spec = KINDS.get(event.kind)
    if spec is None:
        return str(event.get_kind_display())
    render = spec.citizen if audience == Audience.CITIZEN and spec.citizen else spec.agent
    return render(event.data or {}, names)


def actor_label(event: Event) -> str:
    """Who did it: the agent, else the citizen for what comes from them, else Parvis."""
    if event.actor is not None:
        return str(event.actor)
    if event.kind in CITIZEN_KINDS:
        return _("l'usager")
    return _("Parvis (automatique)")


def names_for(
    events: Iterable[Event], audience: Audience, known_people: Mapping[int, str] | None = None
) -> Names:
    """The names of the services, agents and démarches these events refer to.

    Services and démarches come from the catalogue copy. Agents (never named to citizens)
    from what was read already — the events' actors when read with them, ``known_people``
    (the ticket page's assignment list: its service's agents) —, and from one query for the
    others, made only when some are left (the ticket page's tenth query, saved on most
    tickets: their agents are their service's).
    """
    events = list(events)
    services, request_types = catalogue_names()
    resources = _resource_names(events)
    extra: dict[str, Any] = {}
    for kind, provide in _providers.items():
        of_kind = [event for event in events if event.kind == kind]
        if of_kind:  # no query for a history without such events
            extra.update(provide(of_kind, audience))
    if not events or audience == Audience.CITIZEN:
        return Names(
            services=services,
            request_types=request_types,
            resources=resources,
            extra=extra,
        )
    people = {
        _int(event.data["assignee_id"])
        for event in events
        if (event.data or {}).get("assignee_id") is not None
    }
    known = dict(known_people or {})
    for event in events:
        if event.actor_id is not None and Event.actor.is_cached(event):  # no query for it
            known.setdefault(event.actor_id, str(event.actor))
    missing = people - known.keys()
    if missing:
        known.update({user.pk: str(user) for user in User.objects.filter(pk__in=missing)})
    return Names(
        services=services,
        people=known,
        request_types=request_types,
        resources=resources,
        extra=extra,
    )


def _resource_names(events: list[Event]) -> dict[int, str]:
    """The names of the rooms and equipment booked in these events: a query only if some are."""
    ids = {
        _int(event.data["resource_id"])
        for event in events
        if (event.data or {}).get("resource_id") is not None
    }
    if not ids:
        return {}
    # Imported here: bookings depends on tickets (a booking is on a ticket), not the reverse.
    from parvis.bookings.models import Resource

    return dict(Resource.objects.filter(pk__in=ids).values_list("pk", "name"))

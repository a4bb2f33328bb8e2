"""Every write on tickets. Views, the API, channels, jobs and commands all call these.

Each action runs in one transaction, re-reads the ticket under a row lock (two agents, a
reply and a transfer, a mail worker: the last one never undoes the first), and records its
``Event`` rows in that transaction with ``events_record``. Side effects — the citizen's
emails today; webhooks, deadlines, indexing later — are subscribers of those events
(``parvis.tickets.outbox``), never calls made here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.models import Requester, User
from parvis.catalog.forms import field_display_rows, fields_form_class, json_values
from parvis.catalog.models import FormField, RequestType, Service
from parvis.routing.decide import route
from parvis.tickets.files import CheckedFile
from parvis.tickets.lifecycle import transition
from parvis.tickets.models import (
    Attachment,
    Event,
    Message,
    NotifyBy,
    Priority,
    Status,
    Ticket,
    TicketFollower,
)
from parvis.tickets.outbox import events_record
from parvis.tickets.selectors import tickets_visible_to
from parvis.tickets.structures import IncomingRequest


def clean_field_values(request_type: RequestType, raw: dict[str, object]) -> dict[str, object]:
    """Validate structured values against the démarche; raise a French ValidationError per field."""
    unknown = sorted(set(raw) - {f.key for f in request_type.fields.all()})
    form = fields_form_class(request_type, files_required=False)(
        data={key: "" if value is None else value for key, value in raw.items()}
    )
    if unknown or not form.is_valid():
        errors: dict[str, list[str]] = {k: [str(e) for e in v] for k, v in form.errors.items()}
        for key in unknown:
            errors[key] = [
                _("Ce champ n'existe pas dans la démarche « %(name)s ».")
                % {"name": request_type.name}
            ]
        raise ValidationError(errors)
    return json_values(request_type, form.cleaned_data)


def default_notify_by(email: str, phone: str) -> NotifyBy:
    """What a channel that asked nothing uses: the email, else SMS to the phone if they can
    be sent, else nothing (the citizen follows the request on its page or by calling)."""
    if email.strip():
        return NotifyBy.EMAIL
    if phone.strip() and settings.PARVIS_SMS_BACKEND:
        return NotifyBy.SMS
    return NotifyBy.NONE


def ticket_create(
    *,
    reference: str,
    incoming: IncomingRequest,
    requester: Requester,
    requester_created: bool = False,
    field_values: dict[str, object],
    form_version_id: int | None = None,
    actor: User | None,
) -> Ticket:
    """Create the ticket, route it, store its files; its events say what happened.

    ``actor`` is the agent who typed it in, or None when the citizen filed it themselves;
    ``form_version_id`` the version of the démarche's form its values were checked against.
    """
    request_type = incoming.request_type
    decision = route(
        request_type=request_type,
        text=f"{incoming.subject} {incoming.description}",
        service=incoming.service,
        mailbox=incoming.mailbox,
    )
    location = incoming.location
    location_keys = [
        f.key
        for f in (request_type.fields.all() if request_type else [])
        if f.kind == FormField.Kind.LOCATION
    ]
    address = location.address if location else ""
    if not address and location_keys:
        address = str(field_values.get(location_keys[0], ""))
    now = timezone.now()
    given = incoming.requester
    with transaction.atomic(savepoint=False):  # a failure undoes the caller's whole transaction
        ticket = Ticket.objects.create(
            reference=reference,
            request_type=request_type,
            service=decision.service,
            is_confidential=bool(request_type and request_type.is_confidential)
            or decision.service.is_confidential,
            requester=requester,
            requester_name=given.name.strip()[:200],
            requester_email=given.email.strip().lower(),
            requester_phone=given.phone.strip()[:30],
            channel=incoming.channel,
            subject=incoming.subject.strip()[:200],
            description=incoming.description.strip(),
            field_values=field_values,
            form_version_id=form_version_id,
            location_address=address[:300],
            location_lat=location.lat if location else None,
            location_lon=location.lon if location else None,
            priority=incoming.priority,
            notify_by=incoming.notify_by or default_notify_by(given.email, given.phone),
            created_at=now,
            updated_at=now,
        )
        _store_files(ticket, None, incoming.files, field_files=incoming.field_files)
        events = [
            Event(
                ticket=ticket,
                kind=Event.Kind.CREATED,
                actor=actor,
                data={"channel": incoming.channel}
                | ({"metadata": incoming.channel_metadata} if incoming.channel_metadata else {}),
                created_at=now,
            ),
            Event(
                ticket=ticket,
                kind=Event.Kind.ROUTED,
                actor=actor,
                created_at=now,
                data={
                    "service_id": decision.service.pk,
                    "reason": decision.reason,
                    **decision.params,
                },
            ),
        ]
        if requester_created:
            events.append(
                Event(
                    ticket=ticket,
                    kind=Event.Kind.REQUESTER_CREATED,
                    actor=actor,
                    created_at=now,
                    data={"requester_id": requester.pk},
                ),
            )
        events_record(events)
    return ticket


def _store_files(
    ticket: Ticket,
    message: Message | None,
    files: list[CheckedFile],
    *,
    field_files: dict[str, CheckedFile] | None = None,
    is_public: bool = True,
) -> None:
    pairs = [("", f) for f in files] + list((field_files or {}).items())
    for field_key, checked in pairs:
        Attachment.objects.create(
            ticket=ticket,
            message=message,
            field_key=field_key,
            file=checked.content,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            is_public=is_public,
        )


def _locked(ticket: Ticket) -> Ticket:
    """The ticket as it is now in the database, locked until the transaction ends.

    No join: when the row changes while PostgreSQL waits for the lock, it re-checks the row
    against the query with the joined rows as they were first read, and a transfer (a new
    service) would make the ticket vanish from the result.
    """
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _save(caller: Ticket, ticket: Ticket, *fields: str) -> None:
    """Save the locked ticket's changed fields, and show them on the caller's copy."""
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=["updated_at", *fields])
    for name in ("updated_at", *fields):
        attname = _ATTNAMES[name]
        setattr(caller, attname, getattr(ticket, attname))
        caller._state.fields_cache.pop(name, None)  # a related object read again if asked


_ATTNAMES = {f.name: f.attname for f in Ticket._meta.concrete_fields}


def _move(ticket: Ticket, target: Status, actor: User | None, events: list[Event]) -> list[str]:
    """Run the lifecycle's transition; the fields to save (none if the status stays)."""
    event = transition(ticket, target, actor=actor)
    if event is None:
        return []
    events.append(event)
    return ["status", "resolved_at"]


@transaction.atomic
def ticket_reply(
    *,
    ticket: Ticket,
    actor: User,
    body: str,
    files: list[CheckedFile] | None = None,
    wait_for_citizen: bool = False,
) -> Message:
    """Answer the citizen: the reply is public and emailed to them (a subscriber does).

    An unassigned ticket goes to the agent who answers — if they belong to the ticket's
    service as it is now (a transfer may have just moved it).
    """
    current = _locked(ticket)
    message = Message.objects.create(
        ticket=current, kind=Message.Kind.REPLY, author=actor, body=body
    )
    _store_files(current, message, files or [])
    events = [
        Event(
            ticket=current,
            kind=Event.Kind.REPLY,
            actor=actor,
            message=message,
            # Whether it goes by email is a fact of this moment: the timeline says it.
            data={"service_id": current.service_id, "by_email": bool(current.requester_email)},
        )
    ]
    fields: list[str] = []
    if current.status in (Status.NEW, Status.IN_PROGRESS, Status.WAITING):
        target = Status.WAITING if wait_for_citizen else Status.IN_PROGRESS
        fields += _move(current, target, actor, events)
        if fields:  # the reply's own mail says it: the status change is not mailed apart
            events[-1].data["with_reply"] = True
    if current.assignee_id is None and _is_member(actor, current.service_id):
        current.assignee = actor
        fields.append("assignee")
        events.append(
            Event(
                ticket=current,
                kind=Event.Kind.ASSIGNED,
                actor=actor,
                data={"assignee_id": actor.pk},
            )
        )
    _save(ticket, current, *fields)
    events_record(events)
    return message


def _is_member(user: User, service_id: int) -> bool:
    return user.memberships.filter(service_id=service_id).exists()


@transaction.atomic
def ticket_add_note(
    *, ticket: Ticket, actor: User, body: str, files: list[CheckedFile] | None = None
) -> Message:
    """An internal note between agents; never shown to the citizen."""
    current = _locked(ticket)
    message = Message.objects.create(
        ticket=current, kind=Message.Kind.NOTE, author=actor, body=body
    )
    _store_files(current, message, files or [], is_public=False)
    events_record([Event(ticket=current, kind=Event.Kind.NOTE, actor=actor, message=message)])
    _save(ticket, current)
    return message


@transaction.atomic
def ticket_add_citizen_message(
    *,
    ticket: Ticket,
    body: str,
    files: list[CheckedFile] | None = None,
    is_follow_up: bool = False,
    actor: User | None = None,
    reopen_closed: bool = False,
    facts: dict[str, object] | None = None,
) -> Message:
    """A message from the citizen (portal, or typed by an agent who took the call).

    A follow-up (relance) is the citizen asking again: it stays on the same ticket and is
    counted. A message on a waiting or resolved ticket reopens it; a closed ticket takes no
    message, unless ``reopen_closed`` (a mail answering it soon after it closed: the channel
    decides, ``mailin``). ``facts``: the event's data (``ticket_append_request``'s).
    """
    current = _locked(ticket)
    if current.merged_into_id is not None:
        raise ValidationError(merged_refusal(current))
    if current.status == Status.CLOSED and not reopen_closed:
        raise ValidationError(_("Cette demande est clôturée : déposez une nouvelle demande."))
    message = Message.objects.create(
        ticket=current,
        kind=Message.Kind.CITIZEN,
        author=actor,
        body=body,
        is_follow_up=is_follow_up,
    )
    _store_files(current, message, files or [])
    kind = Event.Kind.FOLLOW_UP if is_follow_up else Event.Kind.CITIZEN_MESSAGE
    events = [Event(ticket=current, kind=kind, actor=actor, message=message, data=facts or {})]
    fields: list[str] = []
    if current.status in (Status.WAITING, Status.RESOLVED, Status.CLOSED):
        fields += _move(current, Status.IN_PROGRESS, actor, events)
    if is_follow_up:
        Ticket.objects.filter(pk=current.pk).update(follow_up_count=F("follow_up_count") + 1)
        current.follow_up_count += 1  # the row is locked: this is the stored value
        ticket.follow_up_count = current.follow_up_count
    _save(ticket, current, *fields)
    events_record(events)
    return message


@transaction.atomic
def ticket_record_bounce(*, ticket: Ticket, inbound_id: int, status: str, permanent: bool) -> Event:
    """A mail to the citizen came back undelivered: say so on the ticket, for its agent.

    The ``mail_bounced`` event's subscribers tell the assignee (or the service); the address
    itself is marked by ``accounts.actions.requester_email_failing``.
    """
    current = _locked(ticket)
    event = Event(
        ticket=current,
        kind=Event.Kind.MAIL_BOUNCED,
        actor=None,
        data={"inbound_id": inbound_id, "status": status[:10], "permanent": permanent},
    )
    _save(ticket, current)
    events_record([event])
    return event


def ticket_append_request(
    *,
    ticket: Ticket,
    incoming: IncomingRequest,
    field_values: dict[str, object],
    score: float,
    actor: User | None,
) -> Message:
    """A new request of the ticket's requester, surely about the same matter: a follow-up.

    Called by the intake pipeline instead of ``ticket_create`` when the duplicate check is
    certain (``routing.duplicates``). Nothing the person sent is lost: the message holds
    the subject, the text, the démarche's values, the address and any contact details that
    differ from the ticket's; the files are attached to it. The ``follow_up`` event says
    which channel it came by and how alike it was (``channel``, ``score``, ``metadata``).
    """
    facts: dict[str, object] = {"channel": str(incoming.channel), "score": score}
    if incoming.channel_metadata:
        facts["metadata"] = incoming.channel_metadata
    return ticket_add_citizen_message(
        ticket=ticket,
        body=_request_as_message(ticket, incoming, field_values),
        files=[*incoming.files, *incoming.field_files.values()],
        is_follow_up=True,
        actor=actor,
        facts=facts,
    )


def _request_as_message(
    ticket: Ticket, incoming: IncomingRequest, field_values: dict[str, object]
) -> str:
    """The whole of a request as the text of a message (the citizen's own words first)."""
    parts = [incoming.subject.strip(), incoming.description.strip()]
    request_type = incoming.request_type
    rows = field_display_rows(request_type.fields.all() if request_type else None, field_values)
    if incoming.request_type is not None:
        parts.append(_("Démarche : %(name)s") % {"name": incoming.request_type.name})
    parts += [f"{label} : {value}" for label, value in rows if value]
    if incoming.location is not None and incoming.location.address:
        parts.append(_("Adresse : %(address)s") % {"address": incoming.location.address})
    given = incoming.requester
    if given.email and given.email.strip().lower() != ticket.requester_email.lower():
        parts.append(_("Courriel donné : %(email)s") % {"email": given.email.strip()})
    if given.phone and given.phone.strip() != ticket.requester_phone:
        parts.append(_("Téléphone donné : %(phone)s") % {"phone": given.phone.strip()})
    return "\n\n".join(part for part in parts if part)


def ticket_flag_same_matter(
    *, ticket: Ticket, other_id: int, other_reference: str, score: float, certain: bool
) -> Event:
    """Say on a new ticket that its requester probably asked the same in another one.

    Called by the intake pipeline in the creation's transaction; the agent decides (merge,
    or answer both).
    """
    return events_record(
        [
            Event(
                ticket=ticket,
                kind=Event.Kind.SAME_MATTER,
                actor=None,
                data={
                    "ticket_id": other_id,
                    "reference": other_reference,
                    "score": score,
                    "certain": certain,
                },
            )
        ]
    )[0]


def ticket_flag_nearby_report(
    *, ticket: Ticket, other_id: int, other_reference: str, distance_m: float
) -> Event:
    """Say on a new public-space report that an open one of its démarche is close by.

    Called by the intake pipeline in the creation's transaction (``routing.nearby``); the
    agent decides (merge, or handle both: two potholes three metres apart).
    """
    return events_record(
        [
            Event(
                ticket=ticket,
                kind=Event.Kind.NEARBY_REPORT,
                actor=None,
                data={
                    "ticket_id": other_id,
                    "reference": other_reference,
                    "distance_m": round(distance_m),
                },
            )
        ]
    )[0]


@transaction.atomic
def ticket_change_status(*, ticket: Ticket, actor: User, status: Status) -> Ticket:
    """Move a ticket to another status; the citizen is told when it is resolved."""
    current = _locked(ticket)
    events: list[Event] = []
    fields = _move(current, status, actor, events)
    if fields:
        _save(ticket, current, *fields)
        events_record(events)
    return ticket


@transaction.atomic
def ticket_assign(*, ticket: Ticket, actor: User, assignee: User | None) -> Ticket:
    """Give the ticket to an agent of its service (or to nobody)."""
    current = _locked(ticket)
    if assignee is not None and not _is_member(assignee, current.service_id):
        raise ValidationError(
            _("%(agent)s n'appartient pas au service %(service)s.")
            % {"agent": assignee, "service": current.service}
        )
    if current.assignee_id == (assignee.pk if assignee else None):
        return ticket
    current.assignee = assignee
    _save(ticket, current, "assignee")
    events_record(
        [
            Event(
                ticket=current,
                kind=Event.Kind.ASSIGNED,
                actor=actor,
                data={"assignee_id": assignee.pk if assignee else None},
            )
        ]
    )
    return ticket


@transaction.atomic
def ticket_transfer(*, ticket: Ticket, actor: User, to_service: Service, reason: str) -> Ticket:
    """Send the ticket to another service, with the reason written in the timeline."""
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif du transfert."))
    current = _locked(ticket)
    if to_service.pk == current.service_id:
        raise ValidationError(_("La demande est déjà dans ce service."))
    # Read under lock: marking the service confidential meanwhile waits, then sees this ticket.
    target = Service.objects.select_for_update().only("is_confidential").get(pk=to_service.pk)
    events = [
        Event(
            ticket=current,
            kind=Event.Kind.TRANSFERRED,
            actor=actor,
            data={
                "from_service_id": current.service_id,
                "to_service_id": to_service.pk,
                "reason": reason.strip(),
            },
        )
    ]
    current.service = to_service
    current.assignee = None
    fields = ["service", "assignee"]
    if target.is_confidential and not current.is_confidential:
        current.is_confidential = True  # sticky: it stays so if it leaves the service
        fields.append("is_confidential")
    _save(ticket, current, *fields)
    events_record(events)
    return ticket


@transaction.atomic
def service_mark_confidential(*, service: Service) -> int:
    """Make every ticket that is or has been in this (confidential) service confidential.

    Called when an administrator marks the service confidential; from then on creation and
    transfer set the flag themselves. The service row is locked first, so a transfer into
    it waits and then reads the flag. Returns how many tickets became confidential.
    """
    list(Service.objects.select_for_update().filter(pk=service.pk).values_list("pk"))
    return tickets_of_service(service.pk).filter(is_confidential=False).update(is_confidential=True)


def tickets_of_service(service_id: int) -> QuerySet[Ticket]:
    """The tickets in this service now, or routed or transferred to or from it in the past."""
    passed = Event.objects.filter(
        Q(kind=Event.Kind.ROUTED, data__service_id=service_id)
        | Q(kind=Event.Kind.TRANSFERRED, data__from_service_id=service_id)
        | Q(kind=Event.Kind.TRANSFERRED, data__to_service_id=service_id)
    ).values("ticket_id")
    return Ticket.objects.filter(Q(service_id=service_id) | Q(pk__in=passed))


@transaction.atomic
def ticket_set_priority(*, ticket: Ticket, actor: User, priority: Priority) -> Ticket:
    """Change how urgent the ticket is."""
    current = _locked(ticket)
    if current.priority == priority:
        return ticket
    events = [
        Event(
            ticket=current,
            kind=Event.Kind.PRIORITY,
            actor=actor,
            data={"from": current.priority, "to": int(priority)},
        )
    ]
    current.priority = priority
    _save(ticket, current, "priority")
    events_record(events)
    return ticket


@transaction.atomic
@transaction.atomic
def ticket_record_letter(*, ticket: Ticket, message: Message, actor: User) -> None:
    """Record that an agent printed this reply as a letter (for a citizen reached by post).

    The letter itself is not kept (``notifications.letters`` makes it again from the reply);
    the ticket is not changed (its "mise à jour" stays).
    """
    if message.ticket_id != ticket.pk or message.kind != Message.Kind.REPLY:
        raise ValidationError(_("Seule une réponse de cette demande s'imprime en courrier."))
    current = _locked(ticket)
    events_record(
        [
            Event(
                ticket=current,
                kind=Event.Kind.LETTER_PRINTED,
                actor=actor,
                data={"message_id": message.pk},
            )
        ]
    )


def ticket_send_tracking_link(*, ticket: Ticket, actor: User | None = None) -> None:
    """The citizen asked for their tracking link again: a subscriber emails it."""
    events_record([Event(ticket=ticket, kind=Event.Kind.TRACKING_LINK_SENT, actor=actor)])


# The events whose email an agent may send again: the acknowledgement and each reply.
RESENDABLE_KINDS = frozenset({Event.Kind.CREATED, Event.Kind.REPLY})


@transaction.atomic
def ticket_resend_mail(*, ticket: Ticket, actor: User, event: Event) -> Event:
    """Send the citizen the email of this event again (acknowledgement, reply): an event.

    The citizen's emails subscriber writes the new mail, once, as for the first one.
    """
    if event.ticket_id != ticket.pk or event.kind not in RESENDABLE_KINDS:
        raise ValidationError(
            _("Seuls l'accusé de réception et les réponses peuvent être renvoyés.")
        )
    current = _locked(ticket)
    if not current.requester_email:
        raise ValidationError(
            _("L'usager n'a pas de courriel : aucun message ne peut lui être renvoyé.")
        )
    resent = Event(
        ticket=current,
        kind=Event.Kind.MAIL_RESENT,
        actor=actor,
        message_id=event.message_id,
        data={"event_id": event.pk, "event_kind": str(event.kind)},
    )
    events_record([resent])
    return resent


def merged_refusal(ticket: Ticket) -> str:
    """Why a merged ticket takes nothing more: the reference of the one that goes on."""
    merged_into = ticket.merged_into_id or 0
    reference = Ticket.objects.filter(pk=merged_into).values_list("reference", flat=True).first()
    return _(
        "Cette demande a été fusionnée dans la demande %(reference)s, qui traite la même "
        "affaire : c'est là qu'elle se poursuit."
    ) % {"reference": reference or "?"}


@transaction.atomic
def ticket_follow(
    *,
    ticket: Ticket,
    requester: Requester,
    actor: User | None,
    reason: TicketFollower.Reason,
    email: str | None = None,
    source_ticket: Ticket | None = None,
) -> TicketFollower | None:
    """Make ``requester`` receive the public updates of ``ticket``, as its requester does.

    ``actor`` is the agent who added them, or None when the citizen chose to follow (a
    report nearby). ``email`` is the address to write to, as the person gave it (default:
    the requester's); ``source_ticket`` their own ticket when it is merged into this one.
    A merged ticket is followed where it goes on. Returns the follower — the one there
    already, without a new event, if they followed it — or None for the ticket's own
    requester, who receives its updates anyway.
    """
    current = _locked(ticket)
    while current.merged_into_id is not None:
        current = Ticket.objects.select_for_update().get(pk=current.merged_into_id)
    return _follow(current, requester, actor, reason, email, source_ticket)


def _follow(
    ticket: Ticket,
    requester: Requester,
    actor: User | None,
    reason: str,
    email: str | None,
    source_ticket: Ticket | None,
) -> TicketFollower | None:
    """``ticket_follow`` on a ticket already locked (one follower per requester: the lock
    orders two people following at once)."""
    if requester.pk == ticket.requester_id:
        return None
    existing = TicketFollower.objects.filter(ticket=ticket, requester=requester).first()
    if existing is not None:
        return existing
    follower = TicketFollower.objects.create(
        ticket=ticket,
        requester=requester,
        reason=reason,
        email=(requester.email if email is None else email).strip(),
        source_ticket=source_ticket,
    )
    data: dict[str, object] = {
        "follower_id": follower.pk,
        "requester_id": requester.pk,
        "reason": str(reason),
    }
    if source_ticket is not None:
        data |= {"source_ticket_id": source_ticket.pk, "source_reference": source_ticket.reference}
    events_record([Event(ticket=ticket, kind=Event.Kind.FOLLOWER_ADDED, actor=actor, data=data)])
    return follower


@transaction.atomic
def ticket_merge(*, source: Ticket, target: Ticket, actor: User) -> Ticket:
    """Close ``source`` into ``target``, which handles the same matter; return the target.

    Nothing moves: each ticket keeps its messages and history, and each timeline says where
    the other is (``merged_into`` on the source, ``merged_from`` on the target). The
    source's requester and followers follow the target from then on, so that they receive
    its updates. The actor must see both tickets. A merged ticket is never merged again nor
    reopened (``lifecycle.transition``).
    """
    if source.pk == target.pk:
        raise ValidationError(_("Une demande ne peut pas être fusionnée avec elle-même."))
    if tickets_visible_to(actor).filter(pk__in=[source.pk, target.pk]).count() != 2:
        raise ValidationError(_("Vous n'avez pas accès à l'une de ces deux demandes."))
    # Both rows locked, in the order of their ids: two merges of the same pair, either way
    # round, never wait for each other.
    both = Ticket.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    locked = {t.pk: t for t in both.order_by("pk")}
    current_source, current_target = locked[source.pk], locked[target.pk]
    if current_source.merged_into_id is not None:
        raise ValidationError(merged_refusal(current_source))
    if current_target.merged_into_id is not None:
        raise ValidationError(
            _("La demande %(reference)s est elle-même fusionnée : %(why)s")
            % {"reference": current_target.reference, "why": merged_refusal(current_target)}
        )
    if current_target.status == Status.CLOSED:
        raise ValidationError(
            _("La demande %(reference)s est clôturée : rouvrez-la avant d'y fusionner une autre.")
            % {"reference": current_target.reference}
        )
    events: list[Event] = []
    fields = _move(current_source, Status.CLOSED, actor, events)
    current_source.merged_into = current_target
    events += [
        Event(
            ticket=current_source,
            kind=Event.Kind.MERGED_INTO,
            actor=actor,
            data={"ticket_id": current_target.pk, "reference": current_target.reference},
        ),
        Event(
            ticket=current_target,
            kind=Event.Kind.MERGED_FROM,
            actor=actor,
            data={"ticket_id": current_source.pk, "reference": current_source.reference},
        ),
    ]
    _save(source, current_source, *fields, "merged_into")
    _save(target, current_target)
    events_record(events)
    # Who followed the source follows the target: its requester first, then its followers.
    _follow(
        current_target,
        current_source.requester,
        actor,
        TicketFollower.Reason.MERGED,
        current_source.requester_email,
        current_source,
    )
    for follower in current_source.followers.select_related("requester").order_by("pk"):
        _follow(
            current_target,
            follower.requester,
            actor,
            TicketFollower.Reason.MERGED,
            follower.email,
            follower.source_ticket,  # none: their link would open the source's page
        )
    return target

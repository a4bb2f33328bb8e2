"""Every write on tickets. Views, the API, channels and commands all call these functions.

Each action runs in one transaction, records an ``Event`` for the timeline and the audit,
and queues notifications to run after commit.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.models import Requester, User
from parvis.catalog.forms import fields_form_class, json_values
from parvis.catalog.models import FormField, RequestType, Service
from parvis.core.inserts import insert
from parvis.notifications import tasks as notify
from parvis.routing.decide import route
from parvis.tickets.files import CheckedFile
from parvis.tickets.models import (
    OPEN_STATUSES,
    Attachment,
    Event,
    Message,
    Priority,
    Status,
    Ticket,
)
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
            errors[key] = [_("Ce champ n'existe pas dans la démarche « %s ».") % request_type.name]
        raise ValidationError(errors)
    return json_values(request_type, form.cleaned_data)


def ticket_create(
    *,
    reference: str,
    incoming: IncomingRequest,
    requester: Requester,
    field_values: dict[str, object],
    actor: User | None,
) -> Ticket:
    """Create the ticket, route it, store its files and acknowledge it after commit."""
    request_type = incoming.request_type
    decision = route(request_type=request_type, text=f"{incoming.subject} {incoming.description}")
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
    with transaction.atomic(savepoint=False):  # a failure undoes the caller's whole transaction
        ticket = Ticket(
            reference=reference,
            request_type=request_type,
            service=decision.service,
            is_confidential=bool(request_type and request_type.is_confidential),
            requester=requester,
            channel=incoming.channel,
            subject=incoming.subject.strip()[:200],
            description=incoming.description.strip(),
            field_values=field_values,
            location_address=address[:300],
            location_lat=location.lat if location else None,
            location_lon=location.lon if location else None,
            priority=incoming.priority,
            created_at=now,
            updated_at=now,
        )
        insert([ticket])
        _store_files(ticket, None, incoming.files, field_files=incoming.field_files)
        insert(
            [
                Event(
                    ticket=ticket,
                    kind=Event.Kind.CREATED,
                    actor=actor,
                    is_public=True,
                    data={"channel": incoming.channel},
                    created_at=now,
                ),
                Event(
                    ticket=ticket,
                    kind=Event.Kind.ROUTED,
                    actor=actor,
                    created_at=now,
                    data={"service": decision.service.name, "reason": decision.reason},
                ),
            ]
        )
        if requester.email:
            transaction.on_commit(lambda: notify.send_ticket_email(ticket.pk, "acknowledgement"))
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


def _touch(ticket: Ticket, *fields: str) -> None:
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=["updated_at", *fields])


@transaction.atomic
def ticket_reply(
    *,
    ticket: Ticket,
    actor: User,
    body: str,
    files: list[CheckedFile] | None = None,
    wait_for_citizen: bool = False,
) -> Message:
    """Answer the citizen: the reply is public and emailed to them."""
    message = Message.objects.create(
        ticket=ticket, kind=Message.Kind.REPLY, author=actor, body=body
    )
    _store_files(ticket, message, files or [])
    Event.objects.create(
        ticket=ticket, kind=Event.Kind.REPLY, actor=actor, message=message, is_public=True
    )
    new_status = Status.WAITING if wait_for_citizen else Status.IN_PROGRESS
    if (
        ticket.status in (Status.NEW, Status.IN_PROGRESS, Status.WAITING)
        and ticket.status != new_status
    ):
        _set_status(ticket, new_status, actor)
    if ticket.assignee_id is None:
        ticket.assignee = actor
        Event.objects.create(
            ticket=ticket, kind=Event.Kind.ASSIGNED, actor=actor, data={"assignee": str(actor)}
        )
    _touch(ticket, "status", "assignee", "resolved_at")
    if ticket.requester.email:
        transaction.on_commit(lambda: notify.send_ticket_email(ticket.pk, "reply", message.pk))
    return message


@transaction.atomic
def ticket_add_note(
    *, ticket: Ticket, actor: User, body: str, files: list[CheckedFile] | None = None
) -> Message:
    """An internal note between agents; never shown to the citizen."""
    message = Message.objects.create(ticket=ticket, kind=Message.Kind.NOTE, author=actor, body=body)
    _store_files(ticket, message, files or [], is_public=False)
    Event.objects.create(ticket=ticket, kind=Event.Kind.NOTE, actor=actor, message=message)
    _touch(ticket)
    return message


@transaction.atomic
def ticket_add_citizen_message(
    *,
    ticket: Ticket,
    body: str,
    files: list[CheckedFile] | None = None,
    is_follow_up: bool = False,
    actor: User | None = None,
) -> Message:
    """A message from the citizen (portal, or typed by an agent who took the call).

    A follow-up (relance) is the citizen asking again: it stays on the same ticket and is
    counted. A message on a resolved ticket reopens it; a closed ticket takes no message.
    """
    if ticket.status == Status.CLOSED:
        raise ValidationError(_("Cette demande est clôturée : déposez une nouvelle demande."))
    message = Message.objects.create(
        ticket=ticket, kind=Message.Kind.CITIZEN, author=actor, body=body, is_follow_up=is_follow_up
    )
    _store_files(ticket, message, files or [])
    kind = Event.Kind.FOLLOW_UP if is_follow_up else Event.Kind.CITIZEN_MESSAGE
    Event.objects.create(ticket=ticket, kind=kind, actor=actor, message=message, is_public=True)
    fields = []
    if is_follow_up:
        ticket.follow_up_count += 1
        fields.append("follow_up_count")
    if ticket.status in (Status.WAITING, Status.RESOLVED):
        _set_status(ticket, Status.IN_PROGRESS, actor)
        fields += ["status", "resolved_at"]
    _touch(ticket, *fields)
    return message


def _set_status(ticket: Ticket, status: Status, actor: User | None) -> None:
    Event.objects.create(
        ticket=ticket,
        kind=Event.Kind.STATUS,
        actor=actor,
        is_public=True,
        data={"from": ticket.status, "to": status},
    )
    ticket.status = status
    ticket.resolved_at = timezone.now() if status in (Status.RESOLVED, Status.CLOSED) else None


@transaction.atomic
def ticket_change_status(*, ticket: Ticket, actor: User, status: Status) -> Ticket:
    """Move a ticket to another status; the citizen is told when it is resolved."""
    if ticket.status == status:
        return ticket
    was_open = ticket.status in OPEN_STATUSES
    _set_status(ticket, status, actor)
    _touch(ticket, "status", "resolved_at")
    if status == Status.RESOLVED and was_open and ticket.requester.email:
        transaction.on_commit(lambda: notify.send_ticket_email(ticket.pk, "resolved"))
    return ticket


@transaction.atomic
def ticket_assign(*, ticket: Ticket, actor: User, assignee: User | None) -> Ticket:
    """Give the ticket to an agent of its service (or to nobody)."""
    if assignee is not None and not assignee.memberships.filter(service=ticket.service_id).exists():
        raise ValidationError(
            _("%(agent)s n'appartient pas au service %(service)s.")
            % {"agent": assignee, "service": ticket.service}
        )
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    ticket.assignee = assignee
    Event.objects.create(
        ticket=ticket,
        kind=Event.Kind.ASSIGNED,
        actor=actor,
        data={"assignee": str(assignee) if assignee else ""},
    )
    _touch(ticket, "assignee")
    return ticket


@transaction.atomic
def ticket_transfer(*, ticket: Ticket, actor: User, to_service: Service, reason: str) -> Ticket:
    """Send the ticket to another service, with the reason written in the timeline."""
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif du transfert."))
    if to_service.pk == ticket.service_id:
        raise ValidationError(_("La demande est déjà dans ce service."))
    Event.objects.create(
        ticket=ticket,
        kind=Event.Kind.TRANSFERRED,
        actor=actor,
        is_public=True,
        data={"from": ticket.service.name, "to": to_service.name, "reason": reason.strip()},
    )
    ticket.service = to_service
    ticket.assignee = None
    _touch(ticket, "service", "assignee")
    return ticket


@transaction.atomic
def ticket_set_priority(*, ticket: Ticket, actor: User, priority: Priority) -> Ticket:
    """Change how urgent the ticket is."""
    if ticket.priority == priority:
        return ticket
    Event.objects.create(
        ticket=ticket,
        kind=Event.Kind.PRIORITY,
        actor=actor,
        data={"from": ticket.priority, "to": int(priority)},
    )
    ticket.priority = priority
    _touch(ticket, "priority")
    return ticket

"""The bench database's content: 100,000 realistic tickets written with COPY, and the bench agent.

Runs inside Django (see ``seeding.py``). Tickets are not created through ``intake_submit``:
one action call per ticket would take half an hour, and what is measured here is reading a
large database, not filling it. The rows are what the actions would have written — same
reference format, the opening events (created, routed, and requester_created on a
requester's first ticket), then assignment, messages and status changes, each event's data
the facts ``parvis.tickets.events`` documents — with texts and field values taken from the
demo corpus. The history is the past, already delivered: no ``EventDelivery`` rows.
"""

import datetime
import json
import random
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from parvis.accounts.actions import agent_create
from parvis.accounts.models import Membership, Requester, User
from parvis.accounts.selectors import system_actor
from parvis.catalog.models import FormField, RequestType, Service
from parvis.core.text import normalize, normalize_phone
from parvis.demo.data import Location, Scenario, demo_corpus
from parvis.privacy.models import AccessLog
from parvis.routing.decide import RoutingDecision, route
from parvis.sla.actions import deadlines_refresh, escalations_due
from parvis.sla.models import Escalation, TicketDeadline
from parvis.tickets.models import (
    Channel,
    Event,
    Message,
    Priority,
    ReferenceCounter,
    Status,
    Ticket,
)
from parvis.tickets.references import format_reference

BENCH_USERNAME = "bench"
AGENTS_PER_SERVICE = 3
FIRST_DAY = datetime.datetime(2024, 1, 2, 8, 0, tzinfo=datetime.UTC)
OPEN_SHARE = 0.10
FREE_TEXT_SHARE = 0.06

# How often each démarche is filed, relative to the others (a démarche not listed: 2).
TYPE_WEIGHTS = {
    "acte-de-naissance": 8,
    "acte-de-mariage": 3,
    "acte-de-deces": 3,
    "inscription-listes-electorales": 3,
    "rendez-vous-cni-passeport": 9,
    "recensement-citoyen": 2,
    "question-plu": 2,
    "certificat-urbanisme": 2,
    "declaration-prealable": 3,
    "nid-de-poule": 8,
    "eclairage-public": 6,
    "depot-sauvage": 7,
    "graffiti": 3,
    "espaces-verts": 4,
    "nuisances-sonores": 5,
    "tranquillite-vacances": 3,
    "objet-trouve-perdu": 3,
    "stationnement-genant": 4,
    "demande-aide-sociale": 3,
    "domiciliation": 1,
    "aide-alimentaire": 2,
    "reservation-salle": 3,
    "demande-subvention": 1,
    "pret-de-materiel": 2,
    "inscription-scolaire": 3,
    "inscription-cantine-periscolaire": 3,
    "question-generale": 5,
    "reclamation": 2,
    "panne-informatique": 3,
    "demande-acces": 1,
    "intervention-batiment": 2,
    "commande-fournitures": 1,
}
CHANNELS = [Channel.WEB, Channel.PHONE, Channel.EMAIL, Channel.POSTAL, Channel.API]
CHANNEL_WEIGHTS = [55, 20, 15, 5, 5]
PRIORITIES = list(Priority)
PRIORITY_WEIGHTS = [10, 70, 15, 5]
_REQUIRED = object()
FOLLOW_UP_BODY = "Bonjour, avez-vous pu avancer sur ma demande ? Merci."


@dataclass(frozen=True)
class Content:
    """What a ticket says: one scenario of the demo corpus, ready to be written."""

    request_type: RequestType | None
    service: Service
    routed: str  # the ``routed`` event's data (JSON text): service, reason code, parameters
    subject: str
    description: str
    field_values: str  # JSON text, written as is by COPY
    address: str
    lat: float | None
    lon: float | None
    reply: str
    note: str


class Table:
    """Rows of one model, in its concrete columns' order, for COPY.

    Choices (``Status.NEW``…) are written as is: psycopg dumps them as the str or int they are.
    """

    def __init__(self, model: type[models.Model], start_id: int) -> None:
        self.model = model
        # Generated columns (search vectors) are computed by the database: never written.
        self.fields = [f for f in model._meta.concrete_fields if not f.generated]
        self.rows: list[tuple[Any, ...]] = []
        self.start_id = self.next_id = start_id
        # A column the caller does not give (added to the model later) gets its default.
        self.columns: list[tuple[str, Any]] = []
        for f in self.fields:
            if f.has_default():
                default = f.get_db_prep_save(f.get_default(), connection)
            else:
                default = None if f.null else _REQUIRED
            self.columns.append((f.attname, default))

    def add(self, **values: Any) -> int:
        row_id = self.next_id
        self.next_id += 1
        values["id"] = row_id
        row = tuple([values.get(name, default) for name, default in self.columns])
        if not self.rows and _REQUIRED in row:
            missing = [name for name, _default in self.columns if name not in values]
            raise ValueError(f"{self.model.__name__}: no value for {missing}")
        self.rows.append(row)
        return row_id

    def update(self, row_id: int, **values: Any) -> None:
        """Change some columns of a row already added."""
        index = row_id - self.start_id
        row = list(self.rows[index])
        for position, (name, _default) in enumerate(self.columns):
            if name in values:
                row[position] = values[name]
        self.rows[index] = tuple(row)

    def copy(self) -> None:
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in self.fields)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in self.rows:
                copy.write_row(row)


def _next_id(model: type[models.Model]) -> int:
    last = model._default_manager.aggregate(last=models.Max("pk"))["last"]
    return int(last or 0) + 1


def _contents(types: Sequence[RequestType]) -> dict[int | None, list[Content]]:
    """Every ticket text the corpus offers, per démarche (``None``: free text, routed)."""
    corpus = demo_corpus()
    contents: dict[int | None, list[Content]] = {}
    for request_type in types:
        kinds = {f.key: f.kind for f in request_type.fields.all()}
        scenarios = corpus.scenarios_for(request_type.slug) or (
            Scenario(request_type.slug, request_type.name, request_type.description, (), "", ""),
        )
        for scenario in scenarios:
            values: dict[str, object] = {}
            address, lat, lon = "", None, None
            for key, value in scenario.fields:
                if key not in kinds or kinds[key] == FormField.Kind.FILE:
                    continue
                if isinstance(value, Location):
                    address, lat, lon = value.address, value.lat, value.lon
                    values[key] = value.address
                else:
                    values[key] = value
            contents.setdefault(request_type.pk, []).append(
                Content(
                    request_type=request_type,
                    service=request_type.service,
                    routed=_routed_data(route(request_type=request_type, text="")),
                    subject=scenario.subject,
                    description=scenario.description,
                    field_values=json.dumps(values),
                    address=address[:300],
                    lat=lat,
                    lon=lon,
                    reply=scenario.reply or "Bonjour, votre demande est en cours de traitement.",
                    note=scenario.note or "Vu avec le responsable de service.",
                )
            )
    for email in corpus.free_text_emails:
        decision = route(request_type=None, text=f"{email.subject} {email.body}")
        contents.setdefault(None, []).append(
            Content(
                request_type=None,
                service=decision.service,
                routed=_routed_data(decision),
                subject=email.subject,
                description=email.body,
                field_values="{}",
                address="",
                lat=None,
                lon=None,
                reply="Bonjour, votre message a bien été transmis au service concerné.",
                note="Réorienté après lecture.",
            )
        )
    return contents


def _routed_data(decision: RoutingDecision) -> str:
    """The facts ``ticket_create`` records in the ``routed`` event."""
    return json.dumps(
        {"service_id": decision.service.pk, "reason": decision.reason, **decision.params}
    )


def _fixture_agents(services: Iterable[Service]) -> dict[int, list[User]]:
    """A few agents per service, to be the tickets' assignees (they never log in)."""
    corpus = demo_corpus()
    agents: dict[int, list[User]] = {}
    existing = {u.username: u for u in User.objects.filter(username__startswith="agent-")}
    new_users, memberships = [], []
    for service in services:
        for number in range(1, AGENTS_PER_SERVICE + 1):
            username = f"agent-{service.slug}-{number}"
            user = existing.get(username)
            if user is None:
                first = corpus.first_names[(service.pk * 7 + number) % len(corpus.first_names)]
                last = corpus.last_names[(service.pk * 11 + number) % len(corpus.last_names)]
                user = User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@mairie.example",
                )
                user.set_unusable_password()
                new_users.append(user)
                memberships.append((user, service))
            agents.setdefault(service.pk, []).append(user)
    User.objects.bulk_create(new_users)
    Membership.objects.bulk_create(Membership(user=u, service=s) for u, s in memberships)
    return agents


@dataclass(frozen=True)
class Contact:
    """A requester as they give themselves on each ticket they file."""

    name: str
    email: str
    phone: str


def _requesters(table: Table, count: int, rng: random.Random) -> dict[int, Contact]:
    corpus = demo_corpus()
    contacts: dict[int, Contact] = {}
    first_seen = FIRST_DAY
    for index in range(count):
        first, last = rng.choice(corpus.first_names), rng.choice(corpus.last_names)
        kind = Requester.Kind.PERSON
        name = f"{first} {last}"
        email = f"{normalize(first)}.{normalize(last)}.{index}@courriel.example".replace(" ", "-")
        phone = ""
        if rng.random() < 0.03:
            kind = Requester.Kind.ASSOCIATION
            name = f"{rng.choice(corpus.associations)} ({index})"
            email = f"contact.{index}@association.example"
        elif rng.random() < 0.15:
            email = ""
        if not email or rng.random() < 0.5:
            pairs = " ".join(f"{rng.randint(10, 99)}" for _ in range(3))
            phone = f"06 {pairs} {index % 100:02d}"
        # Most citizens with past requests followed one of our links at least once.
        confirmed = bool(email) and rng.random() < 0.6
        requester_id = table.add(
            created_at=first_seen,
            updated_at=first_seen,
            kind=kind,
            name=name,
            email=email,
            confirmed_email=email if confirmed else "",
            email_confirmed_at=first_seen if confirmed else None,
            failing_email="",
            email_failed_at=None,
            phone=phone,
            phone_normalized=normalize_phone(phone),
            name_normalized=normalize(name),
            user_id=None,
        )
        contacts[requester_id] = Contact(name, email, phone)
    return contacts


@dataclass(frozen=True)
class Step:
    """One event of a ticket's life after its creation, with its message if it has one."""

    at: datetime.datetime
    kind: str
    actor: User | None
    data: dict[str, Any] = field(default_factory=dict)
    message: str = ""


MESSAGE_KINDS: dict[str, str] = {
    Event.Kind.NOTE: Message.Kind.NOTE,
    Event.Kind.REPLY: Message.Kind.REPLY,
    Event.Kind.FOLLOW_UP: Message.Kind.CITIZEN,
}


@dataclass
class Plan:
    """One ticket before it is written: when, what, who, and how far it went."""

    created_at: datetime.datetime
    status: Status
    content: Content


def _plans(
    count: int,
    contents: dict[int | None, list[Content]],
    types: Sequence[RequestType],
    weights: Sequence[int],
    rng: random.Random,
    now: datetime.datetime,
) -> list[Plan]:
    span = (now - FIRST_DAY).total_seconds()
    plans = []
    for _index in range(count):
        if rng.random() < FREE_TEXT_SHARE:
            content = rng.choice(contents[None])
        else:
            content = rng.choice(contents[rng.choices(types, weights)[0].pk])
        if rng.random() < OPEN_SHARE:
            # The backlog is mostly recent, with a tail of forgotten tickets.
            age = min(rng.expovariate(1 / (45 * 86400)), span)
            status = rng.choices([Status.NEW, Status.IN_PROGRESS, Status.WAITING], [35, 40, 25])[0]
        else:
            age = rng.uniform(3600, span)
            status = Status.RESOLVED
        plans.append(Plan(now - datetime.timedelta(seconds=age), status, content))
    plans.sort(key=lambda plan: plan.created_at)
    return plans


def seed(*, ticket_count: int, requester_count: int, rng_seed: int) -> dict[str, Any]:
    """Write the tickets, their requesters, events and messages; set the reference counters."""
    started = time.monotonic()
    writer = Writer(random.Random(rng_seed), timezone.now())
    writer.contacts = _requesters(writer.requesters, requester_count, writer.rng)
    requester_ids = list(writer.contacts)
    # One requester in twenty files about a third of the tickets: the regulars of every mairie.
    regulars = requester_ids[: max(1, requester_count // 20)]
    counters: dict[int, int] = {}
    for plan in writer.plans(ticket_count):
        year = timezone.localtime(plan.created_at).year
        counters[year] = counters.get(year, 0) + 1
        requester_id = writer.rng.choice(regulars if writer.rng.random() < 0.3 else requester_ids)
        writer.ticket(plan, format_reference(year, counters[year]), requester_id)
    generated = time.monotonic()
    tables = (writer.requesters, writer.tickets, writer.messages, writer.events)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The rows are consistent by construction: skip the per-row foreign key checks
            # (minutes at commit) when the role may do so; otherwise they simply run.
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone() == (True,):
                cursor.execute("SET LOCAL session_replication_role = replica")
        for table in tables:
            table.copy()
        for year, value in counters.items():
            ReferenceCounter.objects.update_or_create(year=year, defaults={"last_value": value})
        with connection.cursor() as cursor:
            models_ = [table.model for table in tables]
            for statement in connection.ops.sequence_reset_sql(no_style(), models_):
                cursor.execute(statement)
    written: dict[str, Any] = {t.model._meta.model_name or "": len(t.rows) for t in tables}
    written["generate_seconds"] = round(generated - started, 1)
    copied = time.monotonic()
    written["copy_seconds"] = round(copied - generated, 1)
    written["ticketdeadline"] = deadlines_store(writer.tickets.start_id)
    written["escalation"] = escalations_past(writer.now, writer.system)
    written["deadline_seconds"] = round(time.monotonic() - copied, 1)
    return written


def deadlines_store(first_ticket_id: int, batch: int = 2_000) -> int:
    """Every seeded ticket's deadlines, stored as the ``sla_deadlines`` subscriber stores
    them after each event (``deadlines_refresh``, from the ticket's history): a production
    ticket page reads its stored row, and so must the bench's. How many tickets."""
    ids = list(
        Ticket.objects.filter(pk__gte=first_ticket_id).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch):
        deadlines_refresh(ticket_ids=ids[start : start + batch])
    return len(ids)


@transaction.atomic
def escalations_past(now: datetime.datetime, system: User) -> int:
    """The escalations the job sent in the past, each with its event at the moment it fell
    due (as the seeded history, already delivered): otherwise the bench's first run would
    send thousands at once, in the worker, on the cores being measured. How many."""
    owed = escalations_due(now)
    deadlines = TicketDeadline.objects.in_bulk([ticket_id for ticket_id, _level in owed])
    escalations, history = [], []
    for ticket_id, level in owed:
        deadline = deadlines[ticket_id]
        target, due_at = deadline.due_target, deadline.due_at or now  # owed: due_at is set
        overdue = level == Escalation.Level.OVERDUE
        escalations.append(
            Escalation(ticket_id=ticket_id, target=target, level=level, due_at=due_at)
        )
        history.append(
            Event(
                ticket_id=ticket_id,
                kind=Event.Kind.DEADLINE_OVERDUE if overdue else Event.Kind.DEADLINE_WARNING,
                actor=system,
                data={"target": target, "due_at": due_at.isoformat()},
                created_at=due_at if overdue else (deadline.warn_at or due_at),
            )
        )
    Escalation.objects.bulk_create(escalations)
    Event.objects.bulk_create(history)
    return len(escalations)


class Writer:
    """Turns plans into rows: the catalogue, the agents and the tables being filled."""

    def __init__(self, rng: random.Random, now: datetime.datetime) -> None:
        self.rng, self.now = rng, now
        services = list(Service.objects.order_by("pk"))
        self.types = list(
            RequestType.objects.select_related("service").prefetch_related("fields").order_by("pk")
        )
        self.weights = [TYPE_WEIGHTS.get(t.slug, 2) for t in self.types]
        self.contents = _contents(self.types)
        self.agents = _fixture_agents(services)
        self.bench = User.objects.filter(username=BENCH_USERNAME).first()
        self.system = system_actor()
        self.requesters = Table(Requester, _next_id(Requester))
        self.contacts: dict[int, Contact] = {}
        self.known: set[int] = set()  # requesters who already filed a ticket
        self.tickets = Table(Ticket, _next_id(Ticket))
        self.messages = Table(Message, _next_id(Message))
        self.events = Table(Event, _next_id(Event))

    def plans(self, count: int) -> list[Plan]:
        return _plans(count, self.contents, self.types, self.weights, self.rng, self.now)

    def ticket(self, plan: Plan, reference: str, requester_id: int) -> None:
        _write_ticket(self, plan, reference, requester_id)


def _write_ticket(writer: Writer, plan: Plan, reference: str, requester_id: int) -> None:
    rng, now, agents, bench = writer.rng, writer.now, writer.agents, writer.bench
    tickets, messages, events = writer.tickets, writer.messages, writer.events
    content, status, created = plan.content, plan.status, plan.created_at
    channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    if content.request_type is None:
        channel = Channel.EMAIL
    elif content.service.is_internal:
        channel = Channel.WEB
    assignee: User | None = None
    if status != Status.NEW or rng.random() < 0.1:
        use_bench = bench is not None and rng.random() < 0.03
        assignee = bench if use_bench else rng.choice(agents[content.service.pk])
    # The ticket's life after its creation, in order.
    moment = created + datetime.timedelta(minutes=rng.randint(5, 600))
    history: list[Step] = []
    if assignee is not None:
        history.append(Step(moment, Event.Kind.ASSIGNED, assignee, {"assignee_id": assignee.pk}))
        if rng.random() < 0.15:
            moment += datetime.timedelta(hours=rng.randint(1, 48))
            history.append(Step(moment, Event.Kind.NOTE, assignee, message=content.note))
    resolved_step: int | None = None
    follow_ups = 0
    if status in (Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED):
        moment += datetime.timedelta(hours=rng.randint(1, 72))
        if status == Status.WAITING or rng.random() < 0.5:
            answered = {"service_id": content.service.pk}
            history.append(
                Step(moment, Event.Kind.REPLY, assignee, answered, message=content.reply)
            )
        to = "waiting" if status == Status.WAITING else "in_progress"
        history.append(Step(moment, Event.Kind.STATUS, assignee, {"from": "new", "to": to}))
        if rng.random() < 0.05:
            moment += datetime.timedelta(days=rng.randint(3, 15))
            follow_ups = 1
            history.append(Step(moment, Event.Kind.FOLLOW_UP, None, message=FOLLOW_UP_BODY))
    if status == Status.RESOLVED:
        moment += datetime.timedelta(hours=rng.randint(1, 24 * 10))
        data = {"from": "in_progress", "to": "resolved"}
        history.append(Step(moment, Event.Kind.STATUS, assignee, data))
        resolved_step = len(history) - 1
        closing = moment + datetime.timedelta(days=15)
        if closing < now:
            # Closed by Parvis's job after 15 days; resolved_at stays (lifecycle.transition).
            data = {"from": "resolved", "to": "closed"}
            history.append(Step(closing, Event.Kind.STATUS, writer.system, data))
            status = Status.CLOSED
    # History of a recent ticket may run past "now": squeeze it into the time it had.
    if history and history[-1].at > now:
        last = history[-1].at
        scale = (now - created).total_seconds() / max((last - created).total_seconds(), 1)
        history = [replace(step, at=created + (step.at - created) * scale) for step in history]
    resolved_at = history[resolved_step].at if resolved_step is not None else None
    updated = history[-1].at if history else created
    # The requester as given: a regular gives the same name and contact each time.
    contact = writer.contacts[requester_id]
    new_requester = requester_id not in writer.known
    writer.known.add(requester_id)
    if new_requester:  # their first ticket created them
        writer.requesters.update(requester_id, created_at=created, updated_at=created)
    ticket_id = tickets.add(
        reference=reference,
        tracking_token=secrets.token_urlsafe(24),
        request_type_id=content.request_type.pk if content.request_type else None,
        service_id=content.service.pk,
        is_confidential=bool(content.request_type and content.request_type.is_confidential)
        or content.service.is_confidential,
        status=status,
        priority=rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0],
        requester_id=requester_id,
        requester_name=contact.name,
        requester_email=contact.email,
        requester_phone=contact.phone,
        channel=channel,
        subject=content.subject,
        description=content.description,
        field_values=content.field_values,
        location_address=content.address,
        location_lat=content.lat,
        location_lon=content.lon,
        assignee_id=assignee.pk if assignee else None,
        follow_up_count=follow_ups,
        created_at=created,
        updated_at=updated,
        resolved_at=resolved_at,
    )
    events.add(
        ticket_id=ticket_id,
        kind=Event.Kind.CREATED,
        actor_id=None,
        message_id=None,
        data=json.dumps({"channel": channel}),
        created_at=created,
    )
    events.add(
        ticket_id=ticket_id,
        kind=Event.Kind.ROUTED,
        actor_id=None,
        message_id=None,
        data=content.routed,
        created_at=created,
    )
    if new_requester:
        events.add(
            ticket_id=ticket_id,
            kind=Event.Kind.REQUESTER_CREATED,
            actor_id=None,
            message_id=None,
            data=json.dumps({"requester_id": requester_id}),
            created_at=created,
        )
    for step in history:
        actor_id = step.actor.pk if step.actor else None
        message_id = None
        if step.message:
            message_id = messages.add(
                ticket_id=ticket_id,
                kind=MESSAGE_KINDS[step.kind],
                author_id=actor_id,
                body=step.message,
                is_follow_up=step.kind == Event.Kind.FOLLOW_UP,
                created_at=step.at,
            )
        events.add(
            ticket_id=ticket_id,
            kind=step.kind,
            actor_id=actor_id,
            message_id=message_id,
            data=json.dumps(step.data),
            created_at=step.at,
        )


def vacuum_analyze() -> float:
    """Bring the planner's statistics and the visibility map to a steady state."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.monotonic() - started


def bench_agent_ensure(password: str) -> User:
    """The agent the load logs in as: member of every service (the widest queue)."""
    services = list(Service.objects.all())
    user = User.objects.filter(username=BENCH_USERNAME).first()
    if user is None:
        user = agent_create(
            username=BENCH_USERNAME,
            first_name="Agent",
            last_name="de mesure",
            email="bench@mairie.example",
            password=password,
            services=services,
            role=Membership.Role.MANAGER,
        )
    else:
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        known = set(user.memberships.values_list("service_id", flat=True))
        Membership.objects.bulk_create(
            Membership(user=user, service=s, role=Membership.Role.MANAGER)
            for s in services
            if s.pk not in known
        )
    _bench_authenticators(user)
    return user


# The bench agent is a member of the CCAS, a confidential service: it must give a second
# factor (ADR 0017). Its authenticator accepts codes up to 20 windows ahead, so that each
# login of a run presents a code of its own (a code is accepted once, and only after the
# last one used): the n-th login gives the code of window now + n.
BENCH_TOTP_KEY = "01" * 20
BENCH_TOTP_TOLERANCE = 20


def _bench_authenticators(user: User) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).exclude(name="bench").delete()
    # Each run starts afresh: no code used yet, no slow-down left by a refused one.
    TOTPDevice.objects.update_or_create(
        user=user,
        name="bench",
        defaults={
            "key": BENCH_TOTP_KEY,
            "confirmed": True,
            "tolerance": BENCH_TOTP_TOLERANCE,
            "last_t": -1,
            "throttling_failure_count": 0,
            "throttling_failure_timestamp": None,
        },
    )


def delete_created_after(*, ticket_id: int, requester_id: int) -> dict[str, int]:
    """Remove what a bench run created, so that every run reads the same 100,000 tickets."""
    with transaction.atomic():
        AccessLog.objects.filter(tickets__gt=ticket_id).delete()
        tickets, _detail = Ticket.objects.filter(pk__gt=ticket_id).delete()
        requesters, _detail = Requester.objects.filter(pk__gt=requester_id).delete()
    return {"rows": tickets, "requesters": requesters}
